/**
 * Organization mode's settings: what the deployer chooses, the defaults, and the checks that turn a
 * bad value into a synth error naming the setting.
 */
import { Annotations, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** `account`: rules in this account only. `organization`: rules in every account, functions here. */
export type DeploymentMode = 'account' | 'organization';

/**
 * How the rules reach the member accounts: organization Config rules created by this stack, or a
 * conformance pack written by `npm run conformance-pack` and deployed with
 * `put-organization-conformance-pack` (the stack then deploys the functions and member roles only).
 */
export type Rollout = 'organization-rules' | 'conformance-pack';

/** Who CloudFormation acts as when it manages the service-managed member-role StackSet. */
export type StackSetCallAs = 'SELF' | 'DELEGATED_ADMIN';

export interface OrganizationOptions {
  /**
   * The member accounts whose AWS Config may invoke the rule functions (this account always may).
   * Lambda cannot restrict a service principal to an organization, so each account gets its own
   * `SourceAccount`-scoped permission; an account missing here cannot run the rules (fail closed).
   * See docs/organization.md.
   *
   * @default - only this account
   */
  readonly memberAccounts?: readonly string[];

  /**
   * Accounts the organization rules are not deployed to (`ExcludedAccounts`); they get no invoke
   * permission either. Exclude the management account unless you create the member role there:
   * service-managed StackSets never deploy to it.
   *
   * @default - none
   */
  readonly excludedAccounts?: readonly string[];

  /**
   * The organization root (`r-…`) or OU ids (`ou-…`) the member-role StackSet deploys to, and
   * automatically to every account that joins them later.
   *
   * @default - the `MemberRoleTargets` stack parameter, given at deploy time
   */
  readonly targetOrganizationalUnitIds?: readonly string[];

  /**
   * Name of the role in each member account that the functions assume; passed to the rules as the
   * `ExecutionRoleName` parameter.
   *
   * @default 'EcsConfigRulesMember'
   */
  readonly memberRoleName?: string;

  /**
   * Whether this stack deploys the member-role StackSet. IAM roles are global: when the fleet is
   * deployed to several regions, let exactly one of them create the roles.
   *
   * @default true
   */
  readonly memberRoleStackSet?: boolean;

  /**
   * `DELEGATED_ADMIN` when this stack is deployed in a delegated administrator account, `SELF` in
   * the management account (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html).
   *
   * @default 'DELEGATED_ADMIN'
   */
  readonly callAs?: StackSetCallAs;

  /**
   * Whether to create an organization-wide configuration aggregator (all regions) for dashboards and
   * advanced queries.
   *
   * @default true
   */
  readonly aggregator?: boolean;

  /**
   * How the rules reach the member accounts.
   *
   * @default 'organization-rules'
   */
  readonly rollout?: Rollout;
}

export const DEFAULT_MEMBER_ROLE_NAME = 'EcsConfigRulesMember';

/** The settings with defaults applied and every value checked. */
export interface ResolvedOrganizationOptions {
  readonly memberAccounts: readonly string[];
  readonly excludedAccounts: readonly string[];
  /** Undefined: the construct asks for them as a deploy-time parameter. */
  readonly targetOrganizationalUnitIds?: readonly string[];
  readonly memberRoleName: string;
  readonly memberRoleStackSet: boolean;
  readonly callAs: StackSetCallAs;
  readonly aggregator: boolean;
  readonly rollout: Rollout;
}

const ACCOUNT_ID = /^\d{12}$/;
/** https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html, API_Root.html */
const ROOT_OR_OU_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
/** A role name without a path: the handler assumes `arn:<partition>:iam::<account>:role/<name>` (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** https://docs.aws.amazon.com/config/latest/APIReference/API_PutOrganizationConfigRule.html */
const MAX_EXCLUDED_ACCOUNTS = 1000;
/**
 * A function's resource policy holds one statement per invoking account and is capped at 20 KB
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); a statement takes
 * roughly 350 bytes, so beyond about this many accounts the deploy may fail.
 */
const INVOKE_POLICY_ACCOUNT_WARNING = 50;

export function resolveOrganizationOptions(options: OrganizationOptions, scope: Construct): ResolvedOrganizationOptions {
  const memberAccounts = accountList('memberAccounts', options.memberAccounts ?? []);
  const excludedAccounts = accountList('excludedAccounts', options.excludedAccounts ?? []);
  if (excludedAccounts.length > MAX_EXCLUDED_ACCOUNTS) {
    throw new Error(`\`organization.excludedAccounts\` lists ${excludedAccounts.length} accounts; AWS Config accepts at most ${MAX_EXCLUDED_ACCOUNTS}.`);
  }
  const invoking = memberAccounts.filter((account) => !excludedAccounts.includes(account));
  if (invoking.length + 1 > INVOKE_POLICY_ACCOUNT_WARNING) {
    Annotations.of(scope).addWarningV2(
      'ecs-config-rules:invokePolicySize',
      `${invoking.length + 1} accounts may invoke each function: one resource-policy statement each, and Lambda caps a function's policy at 20 KB (about ${INVOKE_POLICY_ACCOUNT_WARNING} accounts).`,
    );
  }
  return {
    memberAccounts,
    excludedAccounts,
    targetOrganizationalUnitIds: targets(options.targetOrganizationalUnitIds),
    memberRoleName: memberRoleName(options.memberRoleName ?? DEFAULT_MEMBER_ROLE_NAME),
    memberRoleStackSet: options.memberRoleStackSet ?? true,
    callAs: oneOf('callAs', options.callAs ?? 'DELEGATED_ADMIN', ['SELF', 'DELEGATED_ADMIN']),
    aggregator: options.aggregator ?? true,
    rollout: oneOf('rollout', options.rollout ?? 'organization-rules', ['organization-rules', 'conformance-pack']),
  };
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

function memberRoleName(name: string): string {
  if (!Token.isUnresolved(name) && !ROLE_NAME.test(name)) {
    throw new Error(`\`organization.memberRoleName\` must be an IAM role name without a path (1-64 of letters, digits and +=,.@_-), got ${JSON.stringify(name)}.`);
  }
  return name;
}

function oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw new Error(`\`organization.${name}\` must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}.`);
  return value;
}
