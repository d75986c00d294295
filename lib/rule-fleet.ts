/**
 * The rules themselves: one `ControlRule` per control and the failed-invocations queue they share.
 * Account mode adds them to its construct; organization mode adds exactly the same to the member
 * template every account runs (lib/organization/member-template.ts).
 */
import { Duration } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Control } from '../lambdas/core/control';
import { allowLogGroupEncryption, ControlRule } from './control-rule';
import { FailedInvocations } from './failed-invocations';

/** What the rules are made of: the controls, the prefix and each rule's parameters. */
export interface FleetSettings {
  readonly controls: readonly Control[];
  readonly prefix: string;
  /** The rule's `InputParameters`: defaults merged with the overrides. */
  inputParameters(control: Control): Record<string, string>;
}

/** How every rule function runs, already checked. */
export interface FunctionSettings {
  readonly runtime: lambda.Runtime;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly reservedConcurrency: number;
  readonly maximumExecutionFrequency?: config.MaximumExecutionFrequency;
  /** Whether the functions call AWS through FIPS endpoints (`AWS_USE_FIPS_ENDPOINT`). */
  readonly fips: boolean;
  /** A customer-managed key for the failed-invocations queue and the log groups. */
  readonly encryptionKey?: kms.IKey;
}

export interface RuleFleetProps {
  readonly settings: FleetSettings;
  readonly functions: FunctionSettings;
  /**
   * Fixed names for the functions and the queue (organization mode), so a conformance pack and the
   * central dashboard and alarm can name them in every account.
   *
   * @default false
   */
  readonly fixedNames?: boolean;
  /**
   * Whether the Config rules are created here; `false` when an organization conformance pack creates them.
   *
   * @default true
   */
  readonly createRules?: boolean;
}

/** `<prefix>ecs-config-rules-ecs-20`: a rule function's name in organization mode. */
export function fleetFunctionName(prefix: string, control: Control): string {
  return `${prefix}ecs-config-rules-${control.slug}`;
}

/** `<prefix>ecs-config-rules-failed-invocations`: the failed-invocations queue's name in organization mode. */
export function failedInvocationsQueueName(prefix: string): string {
  return `${prefix}ecs-config-rules-failed-invocations`;
}

export interface RuleFleet {
  /** The deployed rules, in registry order. */
  readonly rules: ControlRule[];
  /** Every function's on-failure destination and its alarm; `ecs-config-rules redrive` empties it. */
  readonly failedInvocations: FailedInvocations;
}

/**
 * Adds the fleet to `scope` directly (no construct of its own), so account mode's construct paths,
 * and with them its logical ids, stay as they were.
 */
export function addRuleFleet(scope: Construct, props: RuleFleetProps): RuleFleet {
  const { settings, functions } = props;
  const fixedNames = props.fixedNames ?? false;
  if (functions.encryptionKey) allowLogGroupEncryption(functions.encryptionKey, scope);
  const failedInvocations = FailedInvocations._create(scope, 'FailedInvocations', {
    queueName: fixedNames ? failedInvocationsQueueName(settings.prefix) : undefined,
    encryptionKey: functions.encryptionKey,
  });
  const rules = settings.controls.map(
    (control) =>
      ControlRule._create(scope, control.id, {
        control,
        ruleName: `${settings.prefix}${control.slug}`,
        inputParameters: settings.inputParameters(control),
        ...functions,
        onFailure: failedInvocations.destination(),
        functionName: fixedNames ? fleetFunctionName(settings.prefix, control) : undefined,
        createRule: props.createRules,
      }),
  );
  return { rules, failedInvocations };
}
