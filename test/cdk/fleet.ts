/**
 * Synthesizes the fleet stack and finds one rule's resources in the template by following the
 * references between them (rule → function → role → policy), so tests check the wiring, not names.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CONTROLS } from '../../lambdas/controls';
import { controlRulesPropsFromContext } from '../../lib/app-context';
import { EcsControlRulesProps } from '../../lib/ecs-control-rules';
import { EcsControlRulesStack } from '../../lib/ecs-control-rules-stack';

/** Skips esbuild (CDK stages the sources unbundled): for tests about the template only. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** What the CDK prints while it bundles the fleet from source (esbuild adds only warnings): a line per function. */
export const fleetBundlingLines = (): string[] => CONTROLS.map((control) => `Bundling asset Fleet/ControlRules/${control.id}/Function/Code/Stage...`);

export interface SynthOptions {
  /** App context, as `-c` or cdk.json would give it. */
  readonly context?: Record<string, unknown>;
  /** Construct props; they win over the context. */
  readonly props?: EcsControlRulesProps;
}

/** The stack the way `bin/app.ts` builds it: context first, then explicit props. */
export function synthStack({ context = {}, props = {} }: SynthOptions = {}): EcsControlRulesStack {
  const app = new App({ context });
  return new EcsControlRulesStack(app, 'Fleet', { ...controlRulesPropsFromContext(app.node), ...props });
}

export function synthTemplate(options: SynthOptions = {}): Template {
  return Template.fromStack(synthStack(options));
}

type CfnResource = { Type: string; Properties: Record<string, any>; DependsOn?: string[]; Metadata?: Record<string, any> };

export interface RuleResources {
  readonly rule: CfnResource;
  readonly ruleLogicalId: string;
  readonly functionLogicalId: string;
  readonly function: CfnResource;
  readonly roleLogicalId: string;
  /** Every statement of every policy attached to the function's role. */
  readonly statements: Array<{ Action: string | string[]; Resource: unknown; Effect: string }>;
  readonly permissions: Array<{ logicalId: string; resource: CfnResource }>;
}

export function configRules(template: Template): Record<string, CfnResource> {
  return template.findResources('AWS::Config::ConfigRule') as Record<string, CfnResource>;
}

export function resourcesOfRule(template: Template, ruleName: string): RuleResources {
  const [ruleLogicalId, rule] = single(
    Object.entries(configRules(template)).filter(([, resource]) => resource.Properties.ConfigRuleName === ruleName),
    `rule ${ruleName}`,
  );
  const functionLogicalId = getAttTarget(rule.Properties.Source.SourceIdentifier);
  const lambdaFunction = template.toJSON().Resources[functionLogicalId] as CfnResource;
  const roleLogicalId = getAttTarget(lambdaFunction.Properties.Role);
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, CfnResource>).filter((policy) =>
    (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleLogicalId),
  );
  const permissions = Object.entries(template.findResources('AWS::Lambda::Permission') as Record<string, CfnResource>)
    .filter(([, permission]) => getAttTarget(permission.Properties.FunctionName) === functionLogicalId)
    .map(([logicalId, resource]) => ({ logicalId, resource }));
  return {
    rule,
    ruleLogicalId,
    functionLogicalId,
    function: lambdaFunction,
    roleLogicalId,
    statements: policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement),
    permissions,
  };
}

export const actionsOf = (statement: { Action: string | string[] }): string[] => [statement.Action].flat();

function getAttTarget(value: unknown): string {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (!getAtt) throw new Error(`Expected an Fn::GetAtt, got ${JSON.stringify(value)}`);
  return getAtt[0];
}

function single<T>(items: T[], what: string): T {
  if (items.length !== 1) throw new Error(`Expected exactly one ${what}, found ${items.length}`);
  return items[0];
}

/** Where the function's failed asynchronous invocations go (its EventInvokeConfig's on-failure destination). */
export function onFailureDestination(template: Template, functionLogicalId: string): unknown {
  const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig') as Record<string, CfnResource>).filter(
    (config) => (config.Properties.FunctionName as { Ref?: string }).Ref === functionLogicalId,
  );
  return single(configs, `EventInvokeConfig of ${functionLogicalId}`).Properties.DestinationConfig.OnFailure.Destination;
}
