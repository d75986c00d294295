/**
 * The AWS API actions a rule's function calls, derived from its control: the CDK construct grants
 * exactly these (least privilege), so the grant can never drift from what the runtime does.
 */
import { Control } from '../core/control';

export interface ApiActions {
  /** Actions on AWS Config: every rule reports, and inflates oversized items from history. */
  readonly config: readonly string[];
  /** Actions on Amazon ECS. */
  readonly ecs: readonly string[];
}

export function apiActionsFor(control: Control): ApiActions {
  const ecs: string[] = [];
  // Task definitions: one ListTaskDefinitions finds the latest ACTIVE revision and the superseded ones.
  if (control.resourceType === 'AWS::ECS::TaskDefinition') ecs.push('ecs:ListTaskDefinitions');
  if (control.lookups?.includes('taskDefinitionOperatingSystemFamily')) ecs.push('ecs:DescribeTaskDefinition');
  return { config: ['config:PutEvaluations', 'config:GetResourceConfigHistory'], ecs };
}
