/**
 * The CDK app's context keys, so rules can be chosen without code changes:
 * `npx cdk synth -c controls=ECS.4,ECS.20`, or in cdk.json `"context": { "parameters": { "ECS.8": { ... } } }`.
 * A `-c` value always arrives as a string; cdk.json gives JSON values. Both forms are accepted.
 */
import * as config from 'aws-cdk-lib/aws-config';
import { Node } from 'constructs';
import { commaSeparated, ControlParameters, parseParameters, selectControls, SETTING } from '../scan/settings';
import { EcsControlRulesStackProps } from './ecs-control-rules-stack';
import { DeploymentMode, OrganizationOptions } from './organization/options';

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
  /** `true`: the rule functions call FIPS endpoints. */
  fips: 'fips',
  /** The ARN of a customer-managed KMS key for the failed-invocations queue and the log groups. */
  kmsKeyArn: 'kmsKeyArn',
} as const;

/** Organization mode's keys, each an `OrganizationOptions` field (see lib/organization/options.ts). */
export const ORGANIZATION_CONTEXT_KEYS = {
  /** Comma-separated account ids (or a JSON array) whose AWS Config may invoke the functions. */
  memberAccounts: 'memberAccounts',
  /** Comma-separated account ids (or a JSON array) the organization rules skip. */
  excludedAccounts: 'excludedAccounts',
  /** Comma-separated root / OU ids (or a JSON array) the member-role StackSet deploys to. */
  targetOus: 'targetOus',
  /** The member role's name. */
  memberRoleName: 'memberRoleName',
  /** `false` in all regions but one: IAM roles are global. */
  memberRoleStackSet: 'memberRoleStackSet',
  /** `DELEGATED_ADMIN` (default) or `SELF` (management account). */
  callAs: 'callAs',
  /** `false` to skip the organization aggregator. */
  aggregator: 'aggregator',
  /** `organization-rules` (default) or `conformance-pack`. */
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
    fips: booleanFrom(CONTEXT_KEYS.fips, node.tryGetContext(CONTEXT_KEYS.fips)),
    encryptionKeyArn: stringFrom(CONTEXT_KEYS.kmsKeyArn, node.tryGetContext(CONTEXT_KEYS.kmsKeyArn)),
  };
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
    memberAccounts: listFrom(keys.memberAccounts, 'account ids', value(keys.memberAccounts)),
    excludedAccounts: listFrom(keys.excludedAccounts, 'account ids', value(keys.excludedAccounts)),
    targetOrganizationalUnitIds: listFrom(keys.targetOus, 'root or OU ids', value(keys.targetOus)),
    memberRoleName: stringFrom(keys.memberRoleName, value(keys.memberRoleName)),
    memberRoleStackSet: booleanFrom(keys.memberRoleStackSet, value(keys.memberRoleStackSet)),
    callAs: stringFrom(keys.callAs, value(keys.callAs)),
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
