/**
 * The package's library entry (`main`/`exports` of package.json): the construct, its stack, the
 * CloudFormation hook on its own, the CDK validation plugin, and the programmatic scan (also alone,
 * without aws-cdk-lib, as `ecs-config-rules/scan`). The CLI is the `bin` and loads none of the CDK side.
 */
export { EcsControlRules, type EcsControlRulesProps } from './ecs-control-rules';
export { fleetFunctionName } from './rule-fleet';
export { EcsControlRulesStack, type EcsControlRulesStackProps } from './ecs-control-rules-stack';
export { ControlRule } from './control-rule';
export { ProactiveHook, type ProactiveHookProps, type ProactiveOptions, type ProactiveFailureMode } from './proactive-hook';
export type { DeploymentMode, OrganizationOptions, Rollout } from './organization/options';
export { EcsControlChecks, suppressEcsControls, type EcsControlChecksProps, type EcsControlSuppression } from './validation/ecs-control-checks';
export * from './scan-api';
