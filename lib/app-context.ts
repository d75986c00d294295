/**
 * The CDK app's context keys, so rules can be chosen without code changes:
 * `npx cdk synth -c controls=ECS.4,ECS.20`, or in cdk.json `"context": { "parameters": { "ECS.8": { ... } } }`.
 * A `-c` value always arrives as a string; cdk.json gives JSON values. Both forms are accepted.
 */
import * as config from 'aws-cdk-lib/aws-config';
import { Node } from 'constructs';
import { Severity } from '../lambdas/core/control';
import { commaSeparated, ControlParameters, parseParameters, selectControls, SETTING, severityThreshold } from '../scan/settings';
import { EcsControlRulesStackProps } from './ecs-control-rules-stack';
import { DeploymentMode, OrganizationOptions } from './organization/options';
import { ProactiveOptions } from './proactive-hook';
import { RemediationMode } from './remediation/config-remediation';

export const CONTEXT_KEYS = {
  /** Comma-separated ids (`ECS.4,ECS.20`) or a JSON array of ids. */
  controls: 'controls',
  /** Overrides by control id, as a JSON object (or its JSON text). */
  parameters: 'parameters',
  /** Prepended to every rule name. */
  ruleNamePrefix: 'ruleNamePrefix',
  /** `account` (default) or `organization`. */
  deployment: 'deployment',
  /** Periodic mode: `One_Hour`, `Three_Hours`, `Six_Hours`, `Twelve_Hours` or `TwentyFour_Hours`. */
  maximumExecutionFrequency: 'maximumExecutionFrequency',
  /** Concurrent executions reserved for each rule function. */
  reservedConcurrency: 'reservedConcurrency',
  /** Config remediation of the in-place settings: `off` (default), `manual` or `automatic`. */
  remediation: 'remediation',
  /** `true`: the rule functions call FIPS endpoints. */
  fips: 'fips',
  /** The ARN of a customer-managed KMS key for the failed-invocations queue and the log groups. */
  kmsKeyArn: 'kmsKeyArn',
  /** The CloudFormation Lambda hook: `warn` or `fail` (its FailureMode); off when absent. */
  proactive: 'proactive',
  /** The hook's severity threshold: `low` (default), `medium`, `high` or `critical`. */
  proactiveSeverityThreshold: 'proactiveSeverityThreshold',
  /** Comma-separated stack names (or a JSON array) the hook leaves alone. */
  proactiveExcludedStacks: 'proactiveExcludedStacks',
  /** Comma-separated role ARNs (or a JSON array): stacks deployed with them are left alone. */
  proactiveExcludedStackRoles: 'proactiveExcludedStackRoles',
} as const;

/** Organization mode's keys, each an `OrganizationOptions` field (see lib/organization/options.ts). */
export const ORGANIZATION_CONTEXT_KEYS = {
  /** Comma-separated Region names (or a JSON array): where every account gets the fleet. */
  regions: 'regions',
  /** Comma-separated root / OU ids (or a JSON array) the StackSet deploys to. */
  targetOus: 'targetOus',
  /** The organization id (`o-…`) that may read the code and link to the sinks. */
  organizationId: 'organizationId',
  /** Comma-separated account ids (or a JSON array) inside the targets that get no fleet. */
  excludedAccounts: 'excludedAccounts',
  /** `DELEGATED_ADMIN` (default) or `SELF` (management account). */
  callAs: 'callAs',
  /** `true` to keep an account's fleet when it leaves the targeted OUs. */
  retainStacksOnAccountRemoval: 'retainStacksOnAccountRemoval',
  /** Accounts deployed to at once, in percent per Region (default 25). */
  maxConcurrentPercentage: 'maxConcurrentPercentage',
  /** Accounts that may fail per Region before the operation stops, in percent (default 10). */
  failureTolerancePercentage: 'failureTolerancePercentage',
  /** `false` to skip the organization aggregator. */
  aggregator: 'aggregator',
  /** `member-template` (default) or `conformance-pack`. */
  rollout: 'rollout',
} as const;

export function controlRulesPropsFromContext(node: Node): EcsControlRulesStackProps {
  const deployment = stringFrom(CONTEXT_KEYS.deployment, node.tryGetContext(CONTEXT_KEYS.deployment)) as DeploymentMode | undefined;
  const organization = organizationFrom(node);
  if (organization && deployment !== 'organization') {
    throw new Error(`Context ${Object.keys(organization).map((key) => `\`${key}\``).join(', ')} apply only with \`-c deployment=organization\`.`);
  }
  return {
    controls: controlsFrom(node.tryGetContext(CONTEXT_KEYS.controls)),
    parameters: parametersFromContext(node.tryGetContext(CONTEXT_KEYS.parameters)),
    ruleNamePrefix: stringFrom(CONTEXT_KEYS.ruleNamePrefix, node.tryGetContext(CONTEXT_KEYS.ruleNamePrefix)),
    deployment,
    organization,
    maximumExecutionFrequency: frequencyFrom(node.tryGetContext(CONTEXT_KEYS.maximumExecutionFrequency)),
    reservedConcurrency: numberFrom(CONTEXT_KEYS.reservedConcurrency, node.tryGetContext(CONTEXT_KEYS.reservedConcurrency)),
    // The value is checked by the construct, which names the allowed modes.
    remediation: stringFrom(CONTEXT_KEYS.remediation, node.tryGetContext(CONTEXT_KEYS.remediation)) as RemediationMode | undefined,
    fips: booleanFrom(CONTEXT_KEYS.fips, node.tryGetContext(CONTEXT_KEYS.fips)),
    encryptionKeyArn: stringFrom(CONTEXT_KEYS.kmsKeyArn, node.tryGetContext(CONTEXT_KEYS.kmsKeyArn)),
    proactive: proactiveFrom(node),
  };
}

/** `-c proactive=fail` turns the hook on; its other keys need it. */
function proactiveFrom(node: Node): ProactiveOptions | undefined {
  const value = (key: string) => node.tryGetContext(key);
  const mode = stringFrom(CONTEXT_KEYS.proactive, value(CONTEXT_KEYS.proactive));
  const options = {
    severityThreshold: proactiveThreshold(value(CONTEXT_KEYS.proactiveSeverityThreshold)),
    excludedStackNames: listFrom(CONTEXT_KEYS.proactiveExcludedStacks, 'stack names', value(CONTEXT_KEYS.proactiveExcludedStacks)),
    excludedStackRoles: listFrom(CONTEXT_KEYS.proactiveExcludedStackRoles, 'role ARNs', value(CONTEXT_KEYS.proactiveExcludedStackRoles)),
  };
  const given = Object.entries(options).filter(([, option]) => option !== undefined);
  if (mode === undefined) {
    const keys = [CONTEXT_KEYS.proactiveSeverityThreshold, CONTEXT_KEYS.proactiveExcludedStacks, CONTEXT_KEYS.proactiveExcludedStackRoles].filter((key) => value(key) !== undefined);
    if (keys.length > 0) throw new Error(`Context ${keys.map((key) => `\`${key}\``).join(', ')} apply only with \`-c proactive=warn\` or \`-c proactive=fail\`.`);
    return undefined;
  }
  if (mode !== 'warn' && mode !== 'fail') throw contextError(CONTEXT_KEYS.proactive, 'warn or fail', mode);
  // The values' shapes are checked by the construct, which names the setting.
  return { failureMode: mode === 'warn' ? 'WARN' : 'FAIL', ...Object.fromEntries(given) };
}

function proactiveThreshold(value: unknown): Severity | undefined {
  const text = stringFrom(CONTEXT_KEYS.proactiveSeverityThreshold, value);
  return text === undefined ? undefined : severityThreshold(text, SETTING.context(CONTEXT_KEYS.proactiveSeverityThreshold));
}

function frequencyFrom(value: unknown): config.MaximumExecutionFrequency | undefined {
  const frequencies: readonly unknown[] = Object.values(config.MaximumExecutionFrequency);
  if (value === undefined || frequencies.includes(value)) return value as config.MaximumExecutionFrequency | undefined;
  throw contextError(CONTEXT_KEYS.maximumExecutionFrequency, `one of ${frequencies.join(', ')}`, value);
}

/** `-c reservedConcurrency=10` arrives as a string; cdk.json may give a JSON number. */
function numberFrom(key: string, value: unknown): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  throw contextError(key, 'a whole number', value);
}

/** The organization settings given as context, or undefined when none is. */
function organizationFrom(node: Node): OrganizationOptions | undefined {
  const keys = ORGANIZATION_CONTEXT_KEYS;
  const value = (key: string) => node.tryGetContext(key);
  const options: Record<string, unknown> = {
    regions: listFrom(keys.regions, 'Region names', value(keys.regions)),
    targetOrganizationalUnitIds: listFrom(keys.targetOus, 'root or OU ids', value(keys.targetOus)),
    organizationId: stringFrom(keys.organizationId, value(keys.organizationId)),
    excludedAccounts: listFrom(keys.excludedAccounts, 'account ids', value(keys.excludedAccounts)),
    callAs: stringFrom(keys.callAs, value(keys.callAs)),
    retainStacksOnAccountRemoval: booleanFrom(keys.retainStacksOnAccountRemoval, value(keys.retainStacksOnAccountRemoval)),
    maxConcurrentPercentage: numberFrom(keys.maxConcurrentPercentage, value(keys.maxConcurrentPercentage)),
    failureTolerancePercentage: numberFrom(keys.failureTolerancePercentage, value(keys.failureTolerancePercentage)),
    aggregator: booleanFrom(keys.aggregator, value(keys.aggregator)),
    rollout: stringFrom(keys.rollout, value(keys.rollout)),
  };
  const given = Object.entries(options).filter(([, option]) => option !== undefined);
  // The values' shapes are checked by the construct, which names the setting.
  return given.length > 0 ? (Object.fromEntries(given) as OrganizationOptions) : undefined;
}

function listFrom(key: string, what: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return commaSeparated(value);
  if (Array.isArray(value) && value.every((id) => typeof id === 'string')) return value;
  throw contextError(key, `a comma-separated list of ${what} or a JSON array of them`, value);
}

function stringFrom(key: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw contextError(key, 'a string', value);
}

/** `-c aggregator=false` arrives as the string "false"; cdk.json may give a JSON boolean. */
function booleanFrom(key: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw contextError(key, 'true or false', value);
}

/** The control ids, checked here so that an error names the context key rather than the construct's prop. */
function controlsFrom(value: unknown): string[] | undefined {
  const ids = listFrom(CONTEXT_KEYS.controls, 'control ids', value);
  return ids && selectControls(ids, SETTING.context(CONTEXT_KEYS.controls)).map((control) => control.id);
}

/** A JSON object (cdk.json) or its text (`-c parameters=…`), checked here so that an error names the context key. */
function parametersFromContext(value: unknown): ControlParameters | undefined {
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' ? parseJson(CONTEXT_KEYS.parameters, value) : value;
  return parseParameters(parsed, SETTING.context(CONTEXT_KEYS.parameters));
}

function parseJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`Context \`${key}\` is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function contextError(key: string, expected: string, value: unknown): Error {
  return new Error(`Context \`${key}\` must be ${expected}; got ${JSON.stringify(value)}.`);
}
