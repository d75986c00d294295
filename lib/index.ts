/**
 * The package's library entry (`main`/`exports` of package.json) and jsii's (docs/jsii.md): the
 * construct, its stack, the CloudFormation hook on its own and the CDK validation plugin, for every
 * language jsii targets. The programmatic scan is TypeScript-only and lives at `ecs-config-rules/scan`
 * (its report model is not jsii-shaped, and a CLI-only install uses it without aws-cdk-lib). The CLI is
 * the `bin` and loads none of the CDK side.
 */
export { EcsControlRules, type EcsControlRulesProps } from './ecs-control-rules';
export { fleetFunctionName } from './rule-fleet';
export { EcsControlRulesStack, type EcsControlRulesStackProps } from './ecs-control-rules-stack';
export { ControlRule, type ControlSummary } from './control-rule';
// The classes of the construct's attributes, for their own attributes: users do not create them
// (their constructors are private), but jsii hands every language the types it reads (docs/jsii.md).
export { FleetQueries } from './fleet-queries';
export { FleetDashboard } from './fleet-dashboard';
export { FailedInvocations } from './failed-invocations';
export { ConfigRemediation } from './remediation/config-remediation';
export type { RuleFleet } from './rule-fleet';
export { OrganizationFleet, type RegionHubEntry, type CodeBucketEntry } from './organization/organization-fleet';
export { MemberTemplate } from './organization/member-template';
export { FleetStackSet } from './organization/fleet-stack-set';
export { RegionHub } from './organization/region-hub';
export { CodeBucket } from './organization/code-bucket';
export { CentralDashboard } from './organization/central-dashboard';
export { OrganizationAggregator } from './organization/aggregator';
export { OrganizationConformancePack } from './organization/conformance-pack';
export { ProactiveHook, type ProactiveHookProps, type ProactiveOptions, type ProactiveFailureMode } from './proactive-hook';
export type { DeploymentMode, OrganizationOptions, Rollout } from './organization/options';
export { EcsControlChecks, suppressEcsControls, type EcsControlChecksProps, type EcsControlSuppression } from './validation/ecs-control-checks';
