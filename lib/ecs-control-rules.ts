import { Annotations, Aws, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Control } from '../lambdas/core/control';
import { defaultParameters } from '../lambdas/core/parameters';
import { controlById } from '../lambdas/controls';
import { ControlParameters, parseParameters, selectControls, SETTING } from '../scan/settings';
import { allowLogGroupEncryption, ControlRule, OrganizationRuleSettings } from './control-rule';
import { FailedInvocations } from './failed-invocations';
import { FleetDashboard } from './fleet-dashboard';
import { FleetQueries, RuleNaming } from './fleet-queries';
import { OrganizationAggregator } from './organization/aggregator';
import { MemberRoleStackSet } from './organization/member-role';
import { DeploymentMode, OrganizationOptions, ResolvedOrganizationOptions, resolveOrganizationOptions } from './organization/options';

/** The `parameters` prop's type, parsed by the scan settings shared with the plugin and the CLI. */
export type { ControlParameters } from '../scan/settings';

export interface EcsControlRulesProps {
  /**
   * The Security Hub ECS controls to deploy as rules, by id (`ECS.20`; `ecs-20` is accepted too).
   *
   * @default - every control in the registry
   */
  readonly controls?: readonly string[];

  /**
   * Prepended to every rule name: the rule for ECS.20 is named `<prefix>ecs-20`. Letters, digits,
   * `-` and `_` only.
   *
   * @default - no prefix
   */
  readonly ruleNamePrefix?: string;

  /**
   * Overrides of rule parameters, by control id, e.g. `{ 'ECS.8': { detectCredentialValues: 'false' } }`.
   * Each value is checked as the rule would parse it; the rest keep their defaults.
   *
   * @default - every parameter keeps its default
   */
  readonly parameters?: ControlParameters;

  /**
   * The Node.js runtime of the rule functions.
   *
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;

  /**
   * Memory of each rule function, in MB.
   *
   * @default 128
   */
  readonly memorySize?: number;

  /**
   * Timeout of each rule function. A change invocation makes at most three calls, and each call's
   * retries end within 25 s (docs/reliability.md has the arithmetic): 90 s holds them with margin.
   * A periodic sweep grows with the account (2,000 task definitions took 58 s, 500 tagged clusters
   * 147 s at 30% throttling), hence Lambda's maximum in periodic mode. Whatever the timeout, an
   * invocation stops its AWS calls 5 s before it, logs the failure and throws.
   *
   * @default - DEFAULT_TIMEOUT (90 s); Duration.minutes(15) with `maximumExecutionFrequency`
   */
  readonly timeout?: Duration;

  /**
   * The rule functions call FIPS 140 endpoints of AWS Config and Amazon ECS
   * (`AWS_USE_FIPS_ENDPOINT=true`, https://docs.aws.amazon.com/sdkref/latest/guide/feature-endpoints.html),
   * for regulated workloads and GovCloud. The Region must have them (https://aws.amazon.com/compliance/fips/).
   *
   * @default false
   */
  readonly fips?: boolean;

  /**
   * A customer-managed KMS key for the failed-invocations queue and the functions' log groups, which
   * hold task definitions' settings (the queue holds whole Config events, environment values
   * included). A key defined in the same app gets the key policy statement CloudWatch Logs needs; an
   * imported key's policy must allow it already (docs/reliability.md).
   *
   * @default - the queue uses SQS-managed encryption, the log groups CloudWatch Logs' own
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long the rule functions' logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * `account`: the rules run in this account. `organization`: deployed in the management or a
   * delegated administrator account, the functions run here once and the rules run in every account
   * of the organization, with a member role there (see docs/organization.md).
   *
   * @default 'account'
   */
  readonly deployment?: DeploymentMode;

  /**
   * Organization mode settings; giving them in account mode is an error.
   *
   * @default - each setting's default
   */
  readonly organization?: OrganizationOptions;

  /**
   * Periodic mode: each rule also re-evaluates its whole scope at this frequency (the latest ACTIVE
   * revision of every family, every service, cluster…) and retires results for resources that no
   * longer exist or were superseded, so a lost notification cannot leave a stale result (see
   * docs/reliability.md). A sweep costs API calls in proportion to the account's ECS resources.
   *
   * @default - no periodic evaluation: change notifications only
   */
  readonly maximumExecutionFrequency?: config.MaximumExecutionFrequency;

  /**
   * Concurrent executions reserved for each rule function, which also caps it: a deploy storm waits
   * in Lambda's asynchronous queue (up to 6 hours) instead of taking concurrency from the account's
   * other functions. Lambda keeps 100 of the account's quota unreserved, so every rule at 5 needs a
   * quota of at least 5 × the number of controls + 100 (the default quota is 1,000).
   *
   * @default 5
   */
  readonly reservedConcurrency?: number;
}

/**
 * Rule names must also fit an `OrganizationConfigRule` name, the shorter of the two limits
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_PutOrganizationConfigRule.html).
 */
const MAX_RULE_NAME_LENGTH = 64;
const RULE_NAME_PREFIX = /^[A-Za-z0-9_-]*$/;
/** https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html */
const MAX_INPUT_PARAMETERS_LENGTH = 1024;
/** https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName */
const MAX_FUNCTION_NAME_LENGTH = 64;

/** The rule functions' timeout unless set (see `EcsControlRulesProps.timeout`). */
export const DEFAULT_TIMEOUT = Duration.seconds(90);

/**
 * The fixed name of a control's function in organization mode, so a conformance pack can name it:
 * `<ruleNamePrefix>ecs-config-rules-ecs-20`.
 */
export function centralFunctionName(ruleNamePrefix: string, control: Control): string {
  return `${ruleNamePrefix}ecs-config-rules-${control.slug}`;
}

/**
 * Security Hub's ECS controls as AWS Config custom rules: one rule, one bundled Lambda function and
 * one least-privilege role per control, all derived from the control registry.
 */
export class EcsControlRules extends Construct {
  /** The deployed rules, in registry order. */
  public readonly rules: readonly ControlRule[];
  /** Saved advanced queries over the rules' results. */
  public readonly queries: FleetQueries;
  /** The fleet's dashboard and its error alarms. */
  public readonly dashboard: FleetDashboard;
  /** Organization mode: the StackSet creating the member role (unless turned off). */
  public readonly memberRoleStackSet?: MemberRoleStackSet;
  /** Organization mode: the organization-wide aggregator (unless turned off). */
  public readonly aggregator?: OrganizationAggregator;
  /** Every function's on-failure destination and its alarm; `ecs-config-rules redrive` empties it. */
  public readonly failedInvocations: FailedInvocations;

  constructor(scope: Construct, id: string, props: EcsControlRulesProps = {}) {
    super(scope, id);
    const { controls, prefix, inputParameters } = resolveFleetSettings(props, this);
    const organization = organizationSettings(props, this);
    const runtime = props.runtime ?? lambda.Runtime.NODEJS_24_X;
    const memorySize = validateMemorySize(props.memorySize ?? 128);
    const reservedConcurrency = validateReservedConcurrency(props.reservedConcurrency ?? 5);
    if (props.encryptionKey) allowLogGroupEncryption(props.encryptionKey, this);
    this.failedInvocations = new FailedInvocations(this, 'FailedInvocations', { encryptionKey: props.encryptionKey });

    this.rules = controls.map(
      (control) =>
        new ControlRule(this, control.id, {
          control,
          ruleName: `${prefix}${control.slug}`,
          inputParameters: inputParameters(control),
          runtime,
          memorySize,
          timeout: props.timeout ?? (props.maximumExecutionFrequency ? Duration.minutes(15) : DEFAULT_TIMEOUT),
          logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
          fips: props.fips ?? false,
          encryptionKey: props.encryptionKey,
          onFailure: this.failedInvocations.destination(),
          reservedConcurrency,
          maximumExecutionFrequency: props.maximumExecutionFrequency,
          organization: organization && organizationRuleSettings(organization, centralFunctionName(prefix, control), Stack.of(this).account),
        }),
    );
    this.queries = new FleetQueries(this, 'Queries', { rules: this.rules, naming: ruleNaming(organization), namePrefix: prefix });
    this.dashboard = new FleetDashboard(this, 'Dashboard', { rules: this.rules, namePrefix: prefix });
    if (organization) {
      if (organization.memberRoleStackSet) {
        this.memberRoleStackSet = new MemberRoleStackSet(this, 'MemberRole', {
          controls,
          trustedRoles: this.rules.map((rule) => rule.role),
          roleName: organization.memberRoleName,
          targetOrganizationalUnitIds: organization.targetOrganizationalUnitIds,
          callAs: organization.callAs,
          namePrefix: prefix,
          periodic: props.maximumExecutionFrequency !== undefined,
        });
      }
      if (organization.aggregator) this.aggregator = new OrganizationAggregator(this, 'Aggregator', { aggregatorName: `${prefix}ecs-config-rules` });
      new CfnOutput(this, 'FunctionArnPrefix', {
        description: 'Pass to `npm run conformance-pack -- --function-arn-prefix`: the rule functions are named <prefix>ecs-config-rules-<control>',
        value: `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:function:`,
      });
    }
  }
}

/** What every deployment derives from the props: the controls, the prefix and each rule's parameters. */
export interface FleetSettings {
  readonly controls: readonly Control[];
  readonly prefix: string;
  /** The rule's `InputParameters`: defaults merged with the overrides. */
  inputParameters(control: Control): Record<string, string>;
}

/**
 * Checks the props the rules are made from. Shared with the conformance-pack command, so both
 * accept and reject exactly the same settings. Warnings go to `scope`'s annotations.
 */
export function resolveFleetSettings(props: Pick<EcsControlRulesProps, 'controls' | 'ruleNamePrefix' | 'parameters' | 'deployment'>, scope: Construct): FleetSettings {
  const controls = selectControls(props.controls, SETTING.prop('controls'));
  const prefix = validatePrefix(props.ruleNamePrefix ?? '', controls);
  if (props.deployment === 'organization') validateFunctionNames(prefix, controls);
  const parameters = parametersByControl(props.parameters ?? {}, controls, scope);
  return { controls, prefix, inputParameters: (control) => parameters.get(control) ?? defaultParameters(control.parameters) };
}

function organizationSettings(props: EcsControlRulesProps, scope: Construct): ResolvedOrganizationOptions | undefined {
  const deployment = props.deployment ?? 'account';
  if (deployment !== 'account' && deployment !== 'organization') {
    throw new Error(`\`deployment\` must be account or organization, got ${JSON.stringify(deployment)}.`);
  }
  if (deployment === 'account') {
    if (props.organization) throw new Error("`organization` settings apply only with `deployment: 'organization'`.");
    return undefined;
  }
  return resolveOrganizationOptions(props.organization ?? {}, scope);
}

/** This account always invokes (its own rules); excluded accounts run no rules, so need no permission. */
function organizationRuleSettings(organization: ResolvedOrganizationOptions, functionName: string, centralAccount: string): OrganizationRuleSettings {
  const accounts = [centralAccount, ...organization.memberAccounts.filter((account) => account !== centralAccount)];
  return {
    functionName,
    invokingAccounts: accounts.filter((account) => !organization.excludedAccounts.includes(account)),
    memberRoleName: organization.memberRoleName,
    excludedAccounts: organization.excludedAccounts,
    rollout: organization.rollout,
  };
}

function ruleNaming(organization: ResolvedOrganizationOptions | undefined): RuleNaming {
  return organization?.rollout ?? 'account';
}

function validateFunctionNames(prefix: string, controls: readonly Control[]): void {
  const longest = controls.map((control) => centralFunctionName(prefix, control)).sort((a, b) => b.length - a.length)[0];
  if (longest.length > MAX_FUNCTION_NAME_LENGTH) {
    throw new Error(`\`ruleNamePrefix\` is too long for organization mode: the function name ${longest} must fit ${MAX_FUNCTION_NAME_LENGTH} characters.`);
  }
}

function validatePrefix(prefix: string, controls: readonly Control[]): string {
  if (!RULE_NAME_PREFIX.test(prefix)) {
    throw new Error(`\`ruleNamePrefix\` may contain only letters, digits, - and _, got ${JSON.stringify(prefix)}.`);
  }
  const longestSlug = Math.max(...controls.map((control) => control.slug.length));
  if (prefix.length + longestSlug > MAX_RULE_NAME_LENGTH) {
    throw new Error(`\`ruleNamePrefix\` is too long: rule names must fit ${MAX_RULE_NAME_LENGTH} characters.`);
  }
  return prefix;
}

/**
 * Each overridden control's `InputParameters`: defaults merged with the overrides, which are parsed
 * as the rule will parse them, so a typo or a bad value fails the synth instead of every evaluation.
 * Overrides for a control that is not deployed are reported as a warning: they have no effect.
 */
function parametersByControl(overrides: ControlParameters, controls: readonly Control[], scope: Construct): Map<Control, Record<string, string>> {
  const result = new Map<Control, Record<string, string>>();
  for (const [id, values] of Object.entries(parseParameters(overrides, SETTING.prop('parameters')))) {
    const control = controlById(id);
    const merged = { ...defaultParameters(control.parameters), ...values };
    if (JSON.stringify(merged).length > MAX_INPUT_PARAMETERS_LENGTH) {
      throw new Error(`\`parameters\` for ${control.id} exceed the ${MAX_INPUT_PARAMETERS_LENGTH} characters AWS Config accepts as InputParameters.`);
    }
    result.set(control, merged);
    if (!controls.includes(control)) {
      Annotations.of(scope).addWarningV2('ecs-config-rules:unusedParameters', `\`parameters\` for ${control.id} have no effect: ${control.id} is not among the deployed \`controls\`.`);
    }
  }
  return result;
}

function validateMemorySize(memorySize: number): number {
  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-MemorySize
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) {
    throw new Error(`\`memorySize\` must be a whole number of MB from 128 to 10240, got ${memorySize}.`);
  }
  return memorySize;
}

function validateReservedConcurrency(reservedConcurrency: number): number {
  if (!Number.isInteger(reservedConcurrency) || reservedConcurrency < 1) {
    throw new Error(`\`reservedConcurrency\` must be a whole number of at least 1, got ${reservedConcurrency}.`);
  }
  return reservedConcurrency;
}
