import { Annotations, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Control } from '../lambdas/core/control';
import { defaultParameters, resolveParameters } from '../lambdas/core/parameters';
import { CONTROLS, controlById } from '../lambdas/controls';
import { ControlRule } from './control-rule';

/** Rule parameter overrides, by control id (`ECS.8`), then parameter name. Values are strings, as AWS Config delivers them. */
export type ControlParameters = Readonly<Record<string, Readonly<Record<string, string>>>>;

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
   * Timeout of each rule function.
   *
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;

  /**
   * How long the rule functions' logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Rule names must also fit an `OrganizationConfigRule` name, the shorter of the two limits
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_PutOrganizationConfigRule.html).
 */
const MAX_RULE_NAME_LENGTH = 64;
const RULE_NAME_PREFIX = /^[A-Za-z0-9_-]*$/;
/** https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html */
const MAX_INPUT_PARAMETERS_LENGTH = 1024;

/**
 * Security Hub's ECS controls as AWS Config custom rules: one rule, one bundled Lambda function and
 * one least-privilege role per control, all derived from the control registry.
 */
export class EcsControlRules extends Construct {
  /** The deployed rules, in registry order. */
  public readonly rules: readonly ControlRule[];

  constructor(scope: Construct, id: string, props: EcsControlRulesProps = {}) {
    super(scope, id);
    const controls = selectControls(props.controls);
    const prefix = validatePrefix(props.ruleNamePrefix ?? '', controls);
    const parameters = parametersByControl(props.parameters ?? {}, controls, this);
    const runtime = props.runtime ?? lambda.Runtime.NODEJS_24_X;
    const memorySize = validateMemorySize(props.memorySize ?? 128);

    this.rules = controls.map(
      (control) =>
        new ControlRule(this, control.id, {
          control,
          ruleName: `${prefix}${control.slug}`,
          inputParameters: parameters.get(control) ?? defaultParameters(control.parameters),
          runtime,
          memorySize,
          timeout: props.timeout ?? Duration.seconds(60),
          logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
        }),
    );
  }
}

/** The chosen controls in registry order; unknown or repeated ids are errors. */
function selectControls(ids: readonly string[] | undefined): Control[] {
  if (ids === undefined) return [...CONTROLS];
  if (ids.length === 0) throw new Error('`controls` must name at least one control (omit it to deploy all).');
  const chosen = new Set<Control>();
  for (const id of ids) {
    const control = propError('controls', () => controlById(id));
    if (chosen.has(control)) throw new Error(`\`controls\` lists ${control.id} more than once.`);
    chosen.add(control);
  }
  return CONTROLS.filter((control) => chosen.has(control));
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
 * Each overridden control's `InputParameters`: defaults merged with the overrides, parsed as the rule
 * will parse them, so a typo or a bad value fails the synth instead of every evaluation.
 * Overrides for a control that is not deployed are reported as a warning: they have no effect.
 */
function parametersByControl(overrides: ControlParameters, controls: readonly Control[], scope: Construct): Map<Control, Record<string, string>> {
  const result = new Map<Control, Record<string, string>>();
  for (const [id, values] of Object.entries(overrides)) {
    const control = propError('parameters', () => controlById(id));
    if (result.has(control)) throw new Error(`\`parameters\` lists ${control.id} more than once.`);
    const merged = { ...defaultParameters(control.parameters), ...values };
    propError('parameters', () => resolveParameters(control.parameters, merged, control.id));
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

/** Runs a check of one prop's value; its error, which explains the bad input, gets the prop's name. */
function propError<T>(prop: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new Error(`\`${prop}\`: ${(error as Error).message}`, { cause: error });
  }
}
