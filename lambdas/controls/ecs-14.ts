import { defineControl } from '../core/control';
import { taggedControl } from './tagged';

/** ECS.14: a cluster must carry user tags (and the required keys, if any). */
export const ecs14 = defineControl(
  taggedControl({
    id: 'ECS.14',
    title: 'ECS clusters should be tagged',
    resourceType: 'AWS::ECS::Cluster',
    backingRule: { kind: 'security-hub-custom', name: 'tagged-ecs-cluster' },
    noun: 'cluster',
  }),
);
