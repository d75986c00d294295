import { Annotations, Duration } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Control } from '../lambdas/core/control';
import { defaultParameters } from '../lambdas/core/parameters';
import { controlById } from '../lambdas/controls';
import { ControlParameters, parseParameters, selectControls, SETTING } from '../scan/settings';
import { ControlRule } from './control-rule';
import { FailedInvocations } from './failed-invocations';
import { FleetDashboard } from './fleet-dashboard';
import { FleetQueries } from './fleet-queries';
import { DeploymentMode, OrganizationOptions, resolveOrganizationOptions } from './organization/options';
import { OrganizationFleet } from './organization/organization-fleet';
import { ConfigRemediation, REMEDIATION_MODES, RemediationMode } from './remediation/config-remediation';
import { ProactiveHook, ProactiveHookProps, ProactiveOptions } from './proactive-hook';
import { addRuleFleet, FleetSettings, fleetFunctionName, FunctionSettings } from './rule-fleet';

export type { FleetSettings } from './rule-fleet';

/** The `parameters` prop's type, parsed by the scan settings shared with the plugin and the CLI. */
export type { ControlParameters } from '../scan/settings';

export interface EcsControlRulesProps {
  /**
   * The Security Hub ECS controls to deploy as rules, by id (`ECS.20`; `ecs-20` is accepted too).
   *
   * @default - every control in the registry
   */
  readonly controls?: string[];

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
   * CloudFormation StackSets delegated administrator account, a service-managed StackSet gives every
   * account of the targeted OUs its own fleet in each target Region, and this account keeps the
   * central view (see docs/organization.md).
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

  /**
   * The proactive layer: a CloudFormation Lambda hook running the same controls, with the same
   * parameters, before CloudFormation or Cloud Control API creates or updates an ECS resource in this
   * account and Region (see docs/pipeline.md).
   *
   * @default - no hook
   */
  readonly proactive?: ProactiveOptions;

  /**
   * AWS Config remediation for the settings that can be changed in place (ECS.12 Container
   * Insights, ECS.19 managed termination protection, ECS.2 public IPs, which redeploys the service):
   * `manual` lets a person start it per resource, `automatic` lets Config start it for every
   * NON_COMPLIANT result. Account mode only. See docs/fix.md.
   *
   * @default 'off'
   */
  readonly remediation?: RemediationMode;
}

/** https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html */
const MAX_RULE_NAME_LENGTH = 64;
const RULE_NAME_PREFIX = /^[A-Za-z0-9_-]*$/;
const MAX_INPUT_PARAMETERS_LENGTH = 1024;
/** https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName */
const MAX_FUNCTION_NAME_LENGTH = 64;

/** The rule functions' timeout unless set (see `EcsControlRulesProps.timeout`). */
export const DEFAULT_TIMEOUT = Duration.seconds(90);

/**
 * Security Hub's ECS controls as AWS Config custom rules: one rule, one bundled Lambda function and
 * one least-privilege role per control, all derived from the control registry. In organization mode
 * the same fleet goes into the member template every account runs.
 */
export class EcsControlRules extends Construct {
  /** The deployed rules, in registry order (organization mode: the member template's). */
  public readonly rules: ControlRule[];
  /** Saved advanced queries over the rules' results (organization mode: run against the aggregator). */
  public readonly queries: FleetQueries;
  /** Account mode: the fleet's dashboard and its error alarms. */
  public readonly dashboard?: FleetDashboard;
  /** Account mode: every function's on-failure destination and its alarm; `ecs-config-rules redrive` empties it. */
  public readonly failedInvocations?: FailedInvocations;
  /** Organization mode: the StackSet, the member template and the central view. */
  public readonly organization?: OrganizationFleet;
  /** The CloudFormation Lambda hook, with `proactive` (organization mode: in the member template). */
  public readonly proactiveHook?: ProactiveHook;
  /** Account mode: the remediations, unless `remediation` is off. */
  public readonly remediation?: ConfigRemediation;

  constructor(scope: Construct, id: string, props: EcsControlRulesProps = {}) {
    super(scope, id);
    const settings = resolveFleetSettings(props, this);
    const functions = resolveFunctionSettings(props);
    const deployment = props.deployment ?? 'account';
    const remediation = remediationMode(props.remediation, deployment === 'organization');
    const proactive: ProactiveHookProps | undefined = props.proactive && {
      ...props.proactive,
      controls: settings.controls.map((control) => control.id),
      parameters: props.parameters,
      runtime: functions.runtime,
      logRetention: functions.logRetention,
    };
    if (deployment !== 'account' && deployment !== 'organization') {
      throw new Error(`\`deployment\` must be account or organization, got ${JSON.stringify(deployment)}.`);
    }
    if (deployment === 'organization') {
      if (props.encryptionKey) {
        // A key lives in one account; every member account would need its own (see docs/organization.md, Limits).
        throw new Error('`encryptionKey` applies to account mode only: in organization mode each member account would need a key of its own.');
      }
      this.organization = OrganizationFleet._create(this, 'Organization', { settings, functions, proactive, organization: resolveOrganizationOptions(props.organization ?? {}) });
      this.rules = this.organization.memberTemplate.fleet.rules;
      this.proactiveHook = this.organization.memberTemplate.proactiveHook;
      this.queries = this.organization.queries;
      return;
    }
    if (props.organization) throw new Error("`organization` settings apply only with `deployment: 'organization'`.");
    const fleet = addRuleFleet(this, { settings, functions });
    this.rules = fleet.rules;
    this.failedInvocations = fleet.failedInvocations;
    if (proactive) this.proactiveHook = new ProactiveHook(this, 'ProactiveHook', proactive);
    if (remediation !== 'off') this.remediation = ConfigRemediation._create(this, 'Remediation', { rules: this.rules, mode: remediation });
    this.queries = FleetQueries._create(this, 'Queries', { rules: this.rules, naming: 'account', namePrefix: settings.prefix });
    this.dashboard = FleetDashboard._create(this, 'Dashboard', { rules: this.rules, namePrefix: settings.prefix });
  }
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

/** The remediation mode, checked: organization mode has none yet (its documents and roles would live in each member account). */
function remediationMode(mode: RemediationMode | undefined, organization: boolean): RemediationMode {
  const chosen = mode ?? 'off';
  if (!REMEDIATION_MODES.includes(chosen)) throw new Error(`\`remediation\` must be ${REMEDIATION_MODES.join(', ')}, got ${JSON.stringify(mode)}.`);
  if (organization && chosen !== 'off') throw new Error('`remediation` is available in account mode only (deploy the stack per account to remediate there).');
  return chosen;
}

/** How the rule functions run, with defaults applied and checked. */
export function resolveFunctionSettings(props: EcsControlRulesProps): FunctionSettings {
  return {
    runtime: props.runtime ?? lambda.Runtime.NODEJS_24_X,
    memorySize: validateMemorySize(props.memorySize ?? 128),
    timeout: props.timeout ?? (props.maximumExecutionFrequency ? Duration.minutes(15) : DEFAULT_TIMEOUT),
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    reservedConcurrency: validateReservedConcurrency(props.reservedConcurrency ?? 5),
    maximumExecutionFrequency: props.maximumExecutionFrequency,
    fips: props.fips ?? false,
    encryptionKey: props.encryptionKey,
  };
}

/** Organization mode names the functions (`<prefix>ecs-config-rules-ecs-NN`), so they must fit Lambda's limit. */
function validateFunctionNames(prefix: string, controls: readonly Control[]): void {
  const longest = controls.map((control) => fleetFunctionName(prefix, control)).sort((a, b) => b.length - a.length)[0];
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
