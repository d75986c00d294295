import { defineControl } from '../core/control';
import { taggedControl } from './tagged';

/** ECS.15: a task definition (latest ACTIVE revision) must carry user tags (and the required keys, if any). */
export const ecs15 = defineControl(
  taggedControl({
    id: 'ECS.15',
    title: 'ECS task definitions should be tagged',
    resourceType: 'AWS::ECS::TaskDefinition',
    backingRule: { kind: 'security-hub-custom', name: 'tagged-ecs-taskdefinition' },
    noun: 'task definition',
  }),
);
