/**
 * The proactive layer: a CloudFormation Lambda hook (`AWS::CloudFormation::LambdaHook`) that runs
 * the chosen controls before CloudFormation or Cloud Control API creates or updates an ECS task
 * definition, service, cluster, task set or capacity provider, and refuses (FailureMode FAIL) or
 * warns about (WARN) a resource that fails them. Same controls, parameters and threshold as the rules.
 *
 * Hook resource and execution role as the CloudFormation Hooks user guide describes them
 * (https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-prepare-to-create-hook.html).
 */
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Severity } from '../lambdas/core/control';
import { RESOURCE_TYPES } from '../lambdas/core/model';
import { HOOK_SETTINGS_VARIABLE, hookSettings, HookSettingsDocument } from '../hook/hook-settings';
import { ControlParameters, SETTING } from '../scan/settings';
import { bundledFunction, HOOK_ENTRY } from './bundling';

export type ProactiveFailureMode = 'WARN' | 'FAIL';

/**
 * The hook's own settings, which `EcsControlRules`' `proactive` takes as they are (its controls,
 * parameters, runtime and log retention are the rules'). An interface of its own, not a
 * `Pick`/`Omit` of the props, because jsii compiles only declared interfaces (docs/jsii.md).
 */
export interface ProactiveOptions {
  /** `FAIL` stops a create or update of a non-compliant resource; `WARN` lets it proceed with a warning. */
  readonly failureMode: ProactiveFailureMode;

  /**
   * A failure below this severity is reported in the hook's annotations but does not fail the hook.
   *
   * @default 'LOW'
   */
  readonly severityThreshold?: Severity;

  /**
   * Allow a `severityThreshold` that no chosen control reaches (`CRITICAL`: no ECS control is), which
   * makes a hook that refuses nothing; without it such a threshold is an error.
   *
   * @default false
   */
  readonly allowEmptyGate?: boolean;

  /**
   * The hook's type name alias, unique per account and Region: `Name1::Name2::Name3`, not starting with `AWS`.
   *
   * @default 'Private::EcsConfigRules::Proactive'
   */
  readonly alias?: string;

  /**
   * Stacks the hook leaves alone, by name (at most 50).
   *
   * @default - none
   */
  readonly excludedStackNames?: string[];

  /**
   * Stacks the hook leaves alone, by the ARN of the role they are deployed with (at most 50).
   *
   * @default - none
   */
  readonly excludedStackRoles?: string[];
}

export interface ProactiveHookProps extends ProactiveOptions {
  /**
   * The controls the hook runs, by id (`ECS.20`; `ecs-20` is accepted too).
   *
   * @default - every control in the registry
   */
  readonly controls?: string[];

  /**
   * Rule parameter overrides by control id, as `EcsControlRules` takes them.
   *
   * @default - every parameter keeps its default
   */
  readonly parameters?: ControlParameters;

  /**
   * The Node.js runtime of the hook function.
   *
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;

  /**
   * How long the hook function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** `hook/handler.ts`: the hook's entry, an edge over the scan engine like the CLI. */

export const DEFAULT_HOOK_ALIAS = 'Private::EcsConfigRules::Proactive';
const ALIAS_PATTERN = /^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$/;
/** https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudformation-lambdahook-stacknames.html */
const MAX_STACK_FILTER_ITEMS = 50;

/**
 * CloudFormation waits 30 seconds for a Lambda hook (the user guide above). The function gives up
 * at 20: its one AWS call (ECS.10's DescribeTaskDefinition) is abandoned after 10 s, and a cold
 * start with the SDK takes well under a second.
 */
export const HOOK_FUNCTION_TIMEOUT = Duration.seconds(20);

/** Pre-provision create and update of each covered type; deletions are not evaluated. */
export const HOOK_TARGETS: readonly cloudformation.CfnLambdaHook.HookTargetProperty[] = RESOURCE_TYPES.flatMap((targetName) =>
  ['CREATE', 'UPDATE'].map((action) => ({ targetName, action, invocationPoint: 'PRE_PROVISION' })),
);

export class ProactiveHook extends Construct {
  public readonly function: lambda.Function;
  /** The function's own role: its logs and `ecs:DescribeTaskDefinition`, nothing else. */
  public readonly functionRole: iam.Role;
  /** The role CloudFormation Hooks assumes to invoke the function. */
  public readonly executionRole: iam.Role;
  public readonly hook: cloudformation.CfnLambdaHook;

  constructor(scope: Construct, id: string, props: ProactiveHookProps) {
    super(scope, id);
    const failureMode = validateFailureMode(props.failureMode);
    const alias = validateAlias(props.alias ?? DEFAULT_HOOK_ALIAS);
    const settings = settingsDocument(props);
    const runtime = props.runtime ?? lambda.Runtime.NODEJS_24_X;
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });

    this.functionRole = new iam.Role(this, 'FunctionRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: 'Evaluates ECS resources for the ecs-config-rules CloudFormation hook' });
    logGroup.grantWrite(this.functionRole);
    // ECS.10's lookup. DescribeTaskDefinition takes no resource-level permissions
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
    this.functionRole.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeTaskDefinition'], resources: ['*'] }));
    Validations.of(this.functionRole).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'ecs:DescribeTaskDefinition (ECS.10 looks up the OS family of a service\'s task definition) takes no resource-level permissions.' });

    this.function = bundledFunction(this, 'Function', HOOK_ENTRY, {
      description: 'ecs-config-rules CloudFormation hook: Security Hub ECS controls before provisioning',
      runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: HOOK_FUNCTION_TIMEOUT,
      role: this.functionRole,
      logGroup,
      environment: { [HOOK_SETTINGS_VARIABLE]: JSON.stringify(settings) },
    });
    Validations.of(this.function).acknowledge({ id: 'Serverless-LambdaDLQ', reason: 'Invoked synchronously by CloudFormation Hooks, which receives every answer or error itself; there is no asynchronous event to keep.' });
    Validations.of(this.function).acknowledge({ id: 'Serverless-LambdaTracing', reason: 'At most one AWS call per invocation, logged with the answer; X-Ray would add a Resource:* grant without telling more.' });
    Validations.of(this.function).acknowledge({ id: 'Serverless-LambdaAsyncFailureDestination', reason: 'Invoked synchronously by CloudFormation Hooks; there is no asynchronous failure to send anywhere.' });

    this.executionRole = new iam.Role(this, 'ExecutionRole', { assumedBy: hooksServiceOfThisAccount(), description: 'Lets CloudFormation Hooks invoke the ecs-config-rules hook function' });
    // The unqualified ARN the hook names, not `grantInvoke`'s `<arn>:*` (every version and alias).
    this.executionRole.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }));

    this.hook = new cloudformation.CfnLambdaHook(this, 'Resource', {
      alias,
      lambdaFunction: this.function.functionArn,
      executionRole: this.executionRole.roleArn,
      failureMode,
      hookStatus: 'ENABLED',
      targetOperations: ['RESOURCE'],
      targetFilters: { targets: [...HOOK_TARGETS] },
      stackFilters: stackFilters(props),
    });
  }
}

/**
 * CloudFormation Hooks acting for this account and Region only (confused deputy): AWS recommends
 * `aws:SourceAccount` and `aws:SourceArn` on every CloudFormation service trust, with wildcards for
 * the parts of the ARN not known in advance
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cross-service-confused-deputy-prevention.html).
 * The hook's own type ARN is not documented for Lambda hooks, so the ARN is this account's and Region's
 * CloudFormation ARNs, not one hook's.
 */
function hooksServiceOfThisAccount(): iam.IPrincipal {
  return new iam.ServicePrincipal('hooks.cloudformation.amazonaws.com').withConditions({
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
  });
}

function validateFailureMode(failureMode: string): ProactiveFailureMode {
  if (failureMode !== 'WARN' && failureMode !== 'FAIL') throw new Error(`\`failureMode\` must be WARN or FAIL, got ${JSON.stringify(failureMode)}.`);
  return failureMode;
}

function validateAlias(alias: string): string {
  if (!ALIAS_PATTERN.test(alias) || /^aws::/i.test(alias)) {
    throw new Error(`\`alias\` must be Name1::Name2::Name3 (letters and digits) and must not begin with AWS, got ${JSON.stringify(alias)}.`);
  }
  return alias;
}

/** The function's settings, checked by the parser the function uses, naming the props. */
function settingsDocument(props: ProactiveHookProps): HookSettingsDocument {
  const document: HookSettingsDocument = {
    ...(props.controls !== undefined && { controls: props.controls }),
    ...(props.parameters !== undefined && { parameters: props.parameters }),
    ...(props.severityThreshold !== undefined && { severityThreshold: props.severityThreshold }),
    ...(props.allowEmptyGate !== undefined && { allowEmptyGate: props.allowEmptyGate }),
  };
  const settings = hookSettings(document as Record<string, unknown>, SETTING.prop);
  // Written normalized (`ecs-4` → `ECS.4`, `high` → `HIGH`), as the function will read them.
  return {
    ...(props.controls !== undefined && { controls: settings.controls.map((control) => control.id) }),
    ...(props.parameters !== undefined && { parameters: settings.parameters }),
    ...(props.severityThreshold !== undefined && { severityThreshold: settings.threshold }),
    ...(props.allowEmptyGate !== undefined && { allowEmptyGate: props.allowEmptyGate }),
  };
}

/** Exempt stacks by name or role; absent when nothing is exempt (the hook then sees every stack). */
function stackFilters(props: ProactiveHookProps): cloudformation.CfnLambdaHook.StackFiltersProperty | undefined {
  const names = validateFilter('excludedStackNames', props.excludedStackNames);
  const roles = validateFilter('excludedStackRoles', props.excludedStackRoles);
  if (!names && !roles) return undefined;
  return {
    // ALL: a stack is evaluated only when it passes every filter, i.e. it is in neither exclusion list.
    filteringCriteria: 'ALL',
    ...(names && { stackNames: { exclude: names } }),
    ...(roles && { stackRoles: { exclude: roles } }),
  };
}

function validateFilter(prop: string, items: readonly string[] | undefined): string[] | undefined {
  if (items === undefined || items.length === 0) return undefined;
  if (items.length > MAX_STACK_FILTER_ITEMS) throw new Error(`\`${prop}\` takes at most ${MAX_STACK_FILTER_ITEMS} entries, got ${items.length}.`);
  return [...items];
}
