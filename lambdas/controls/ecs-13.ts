import { defineControl } from '../core/control';
import { taggedControl } from './tagged';

/** ECS.13: a service must carry user tags (and the required keys, if any). */
export const ecs13 = defineControl(
  taggedControl({
    id: 'ECS.13',
    title: 'ECS services should be tagged',
    resourceType: 'AWS::ECS::Service',
    backingRule: { kind: 'security-hub-custom', name: 'tagged-ecs-service' },
    noun: 'service',
  }),
);
