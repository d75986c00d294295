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
  /** Actions on the rule itself, which take its ARN as resource: periodic mode lists the rule's results. */
  readonly configRule: readonly string[];
}

export interface ApiActionOptions {
  /** The rule also runs periodically (lambdas/runtime/periodic.ts). */
  readonly periodic?: boolean;
}

export function apiActionsFor(control: Control, { periodic = false }: ApiActionOptions = {}): ApiActions {
  const ecs: string[] = [];
  // Task definitions: one ListTaskDefinitions finds the latest ACTIVE revision and the superseded ones.
  if (control.resourceType === 'AWS::ECS::TaskDefinition') ecs.push('ecs:ListTaskDefinitions');
  if (control.lookups?.includes('taskDefinitionOperatingSystemFamily')) ecs.push('ecs:DescribeTaskDefinition');
  const config = ['config:PutEvaluations', 'config:GetResourceConfigHistory'];
  // Periodic mode: the scope from Config's inventory, and the rule's own results to retire stale ones.
  if (periodic) config.push('config:ListDiscoveredResources', 'config:BatchGetResourceConfig');
  return { config, ecs, configRule: periodic ? ['config:GetComplianceDetailsByConfigRule'] : [] };
}
