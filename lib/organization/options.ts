/**
 * Organization mode's settings: what the deployer chooses, the defaults, and the checks that turn a
 * bad value into a synth error naming the setting. Nothing here lists member accounts: the StackSet
 * follows the targeted OUs, so nothing grows with the organization.
 */
import { Token } from 'aws-cdk-lib';

/** `account`: the rules run in this account. `organization`: every member account runs its own fleet. */
export type DeploymentMode = 'account' | 'organization';

/**
 * Where the Config rules live: in the member template next to their functions (the default; see
 * docs/organization.md for why), or in an organization conformance pack this stack creates.
 */
export type Rollout = 'member-template' | 'conformance-pack';

/** Who CloudFormation acts as for the service-managed StackSet. */
export type StackSetCallAs = 'SELF' | 'DELEGATED_ADMIN';

export interface OrganizationOptions {
  /**
   * The Regions every member account gets the fleet in. Regions other than this stack's own get a
   * small stack of their own here (code bucket, observability sink, alarm).
   *
   * @default - this stack's Region
   */
  readonly regions?: string[];

  /**
   * The organization root (`r-…`) or OU ids (`ou-…`) the StackSet deploys to; accounts that join
   * them later get the fleet automatically.
   *
   * @default - the `TargetOus` stack parameter, given at deploy time (the docs pass the root id)
   */
  readonly targetOrganizationalUnitIds?: string[];

  /**
   * The organization's id (`o-…`): only its accounts may read the rule code and link to the
   * observability sinks (`aws:PrincipalOrgID`).
   *
   * @default - the `OrganizationId` stack parameter, given at deploy time
   */
  readonly organizationId?: string;

  /**
   * Accounts inside the targeted OUs that get no fleet (the StackSet's `DIFFERENCE` account filter).
   *
   * @default - none
   */
  readonly excludedAccounts?: string[];

  /**
   * `DELEGATED_ADMIN` when this stack is deployed in a CloudFormation StackSets delegated
   * administrator account, `SELF` in the management account
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html).
   *
   * @default 'DELEGATED_ADMIN'
   */
  readonly callAs?: StackSetCallAs;

  /**
   * Whether an account that leaves the targeted OUs keeps its fleet (its stack is then no longer
   * managed by the StackSet) or loses it.
   *
   * @default false
   */
  readonly retainStacksOnAccountRemoval?: boolean;

  /**
   * How many accounts, as a percentage of the targeted accounts, CloudFormation deploys to at once
   * in each Region.
   *
   * @default 25
   */
  readonly maxConcurrentPercentage?: number;

  /**
   * How many accounts, as a percentage, may fail in a Region before CloudFormation stops the
   * operation there.
   *
   * @default 10
   */
  readonly failureTolerancePercentage?: number;

  /**
   * Whether to create an organization-wide configuration aggregator (all Regions) for the stored
   * queries.
   *
   * @default true
   */
  readonly aggregator?: boolean;

  /**
   * Where the Config rules live.
   *
   * @default 'member-template'
   */
  readonly rollout?: Rollout;
}

/** The settings with defaults applied and every value checked. */
export interface ResolvedOrganizationOptions {
  /** Concrete Region names; empty: this stack's Region only. */
  readonly regions: readonly string[];
  /** Undefined: asked for as a deploy-time parameter. */
  readonly targetOrganizationalUnitIds?: readonly string[];
  /** Undefined: asked for as a deploy-time parameter. */
  readonly organizationId?: string;
  readonly excludedAccounts: readonly string[];
  readonly callAs: StackSetCallAs;
  readonly retainStacksOnAccountRemoval: boolean;
  readonly maxConcurrentPercentage: number;
  readonly failureTolerancePercentage: number;
  readonly aggregator: boolean;
  readonly rollout: Rollout;
}

export const ORGANIZATION_DEFAULTS = { maxConcurrentPercentage: 25, failureTolerancePercentage: 10 } as const;

const ACCOUNT_ID = /^\d{12}$/;
/** https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html, API_Root.html */
const ROOT_OR_OU_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
/** https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function resolveOrganizationOptions(options: OrganizationOptions): ResolvedOrganizationOptions {
  return {
    regions: regions(options.regions ?? []),
    targetOrganizationalUnitIds: targets(options.targetOrganizationalUnitIds),
    organizationId: organizationId(options.organizationId),
    excludedAccounts: accountList('excludedAccounts', options.excludedAccounts ?? []),
    callAs: oneOf('callAs', options.callAs ?? 'DELEGATED_ADMIN', ['SELF', 'DELEGATED_ADMIN']),
    retainStacksOnAccountRemoval: options.retainStacksOnAccountRemoval ?? false,
    maxConcurrentPercentage: percentage('maxConcurrentPercentage', options.maxConcurrentPercentage ?? ORGANIZATION_DEFAULTS.maxConcurrentPercentage, 1),
    failureTolerancePercentage: percentage('failureTolerancePercentage', options.failureTolerancePercentage ?? ORGANIZATION_DEFAULTS.failureTolerancePercentage, 0),
    aggregator: options.aggregator ?? true,
    rollout: oneOf('rollout', options.rollout ?? 'member-template', ['member-template', 'conformance-pack']),
  };
}

function regions(names: readonly string[]): readonly string[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (!REGION.test(name)) throw new Error(`\`organization.regions\`: ${JSON.stringify(name)} is not a Region name such as us-east-1.`);
    if (seen.has(name)) throw new Error(`\`organization.regions\` lists ${name} more than once.`);
    seen.add(name);
  }
  return names;
}

function accountList(name: string, accounts: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const account of accounts) {
    if (Token.isUnresolved(account)) continue;
    if (!ACCOUNT_ID.test(account)) throw new Error(`\`organization.${name}\`: ${JSON.stringify(account)} is not a 12-digit AWS account id.`);
    if (seen.has(account)) throw new Error(`\`organization.${name}\` lists ${account} more than once.`);
    seen.add(account);
  }
  return [...accounts];
}

function targets(ids: readonly string[] | undefined): readonly string[] | undefined {
  if (ids === undefined) return undefined;
  if (ids.length === 0) throw new Error('`organization.targetOrganizationalUnitIds` must name at least one root or OU id (omit it to give them at deploy time).');
  for (const id of ids) {
    if (!Token.isUnresolved(id) && !ROOT_OR_OU_ID.test(id)) {
      throw new Error(`\`organization.targetOrganizationalUnitIds\`: ${JSON.stringify(id)} is neither a root id (r-…) nor an OU id (ou-…-…).`);
    }
  }
  return ids;
}

function organizationId(id: string | undefined): string | undefined {
  if (id !== undefined && !Token.isUnresolved(id) && !ORGANIZATION_ID.test(id)) {
    throw new Error(`\`organization.organizationId\` must be an organization id such as o-a1b2c3d4e5, got ${JSON.stringify(id)}.`);
  }
  return id;
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html */
function percentage(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > 100) throw new Error(`\`organization.${name}\` must be a whole percentage from ${min} to 100, got ${value}.`);
  return value;
}

function oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw new Error(`\`organization.${name}\` must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}.`);
  return value;
}
