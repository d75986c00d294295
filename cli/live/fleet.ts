/**
 * `scan --live` across accounts and Regions: the same per-account inventory (./inventory.ts) run
 * for every account × Region pair, a few pairs at a time, each with its own collector (a service's
 * task definition is looked up in its own account and Region only).
 *
 * - Accounts: the caller's own, `--accounts`, or every ACTIVE account of the organization
 *   (Organizations ListAccounts, from the management or a delegated administrator account).
 * - Other accounts are read through `--role-name`, assumed once per account (STS AssumeRole) and
 *   shared by all of that account's Regions until shortly before it expires.
 * - Regions: `--regions`, or with `--all-regions` the Regions enabled for each account (Account
 *   ListRegions, https://docs.aws.amazon.com/accounts/latest/reference/API_ListRegions.html).
 * - A pair that fails (role not assumable, access denied) is reported and the others go on.
 */
import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import type { ECSClientConfig } from '@aws-sdk/client-ecs';
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { TargetCollector } from '../../scan/inputs/documents';
import { ScanTarget } from '../../scan/target';
import { mapConcurrently, scanAccount } from './inventory';
import { FleetSelection } from './fleet-options';
import { partitionOf } from './partition';
import { Progress } from './progress';

type Credentials = NonNullable<ECSClientConfig['credentials']>;
type Identity = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };

export interface FleetScanOptions extends FleetSelection {
  readonly profile?: string;
  readonly progress: Progress;
  readonly warn: (message: string) => void;
}

export interface ScopeResult {
  readonly account: string;
  /** `*` when the account's Regions could not be listed. */
  readonly region: string;
  readonly targets: readonly ScanTarget[];
  readonly error?: Error;
}

/** Account × Region pairs scanned at once; each scan runs up to 8 ECS calls at a time itself. */
export const SCOPES_AT_ONCE = 4;
/** A cached session is renewed this long before it expires. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;
const ENABLED_REGIONS = ['ENABLED', 'ENABLED_BY_DEFAULT'] as const;

/** One AssumeRole per account, shared by every client of that account until shortly before it expires. */
export class AssumedRoleCredentials {
  private readonly sessions = new Map<string, Promise<Identity>>();

  constructor(
    private readonly sts: STSClient,
    private readonly roleName: string,
    private readonly partition: string,
    private readonly now: () => number = Date.now,
  ) {}

  forAccount(account: string): Credentials {
    return async () => {
      const cached = this.sessions.get(account);
      const current = cached && (await cached.catch(() => undefined));
      // A failed assumption stays cached: every Region of that account reports it, without retrying it each time.
      if (cached && (!current || !this.expiresSoon(current))) return cached;
      const session = this.assume(account);
      this.sessions.set(account, session);
      return session;
    };
  }

  private expiresSoon(identity: Identity): boolean {
    return identity.expiration !== undefined && identity.expiration.getTime() - this.now() < RENEW_BEFORE_MS;
  }

  private async assume(account: string): Promise<Identity> {
    const roleArn = `arn:${this.partition}:iam::${account}:role/${this.roleName}`;
    const { Credentials: credentials } = await this.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ecs-config-rules-scan' }));
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`STS returned no credentials for ${roleArn}`);
    return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken, expiration: credentials.Expiration };
  }
}

async function organizationAccounts(client: OrganizationsClient): Promise<string[]> {
  const accounts: string[] = [];
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const account of page.Accounts ?? []) if (account.Id && account.Status === 'ACTIVE') accounts.push(account.Id);
  }
  return accounts;
}

async function enabledRegions(credentials: Credentials | undefined, options: FleetScanOptions, homeRegion: string | undefined): Promise<string[]> {
  const client = new AccountClient({ ...clientBase(options, homeRegion), ...(credentials && { credentials }) });
  try {
    const regions: string[] = [];
    for await (const page of paginateListRegions({ client }, { RegionOptStatusContains: [...ENABLED_REGIONS] })) {
      for (const region of page.Regions ?? []) if (region.RegionName) regions.push(region.RegionName);
    }
    return regions.sort();
  } finally {
    client.destroy();
  }
}

function clientBase(options: FleetScanOptions, region: string | undefined) {
  return { ...(options.profile && { profile: options.profile }), ...(region && { region }) };
}

/** The progress of one pair: its calls count in the shared bar; only the fleet stops the bar. */
function scopeProgress(progress: Progress, label: string): Progress {
  return { expect: (calls) => progress.expect(calls), advance: (calls, phase) => progress.advance(calls, `${label} ${phase}`), stop() {} };
}

/** Every pair's targets (or error), in account then Region order. */
export async function scanFleet(options: FleetScanOptions): Promise<ScopeResult[]> {
  const homeRegion = options.regions?.[0];
  const sts = new STSClient(clientBase(options, homeRegion));
  try {
    const defaultRegion = await sts.config.region();
    const accounts = await accountsToScan(options, sts, homeRegion);
    const assumed = options.roleName === undefined ? undefined : new AssumedRoleCredentials(sts, options.roleName, partitionOf(defaultRegion));
    const perAccount = await mapConcurrently(accounts, SCOPES_AT_ONCE, async (account) => {
      const credentials = assumed?.forAccount(account);
      try {
        const regions = options.allRegions ? await enabledRegions(credentials, options, homeRegion) : (options.regions ?? [defaultRegion]);
        return regions.map((region) => ({ account, region, credentials }));
      } catch (error) {
        return [{ account, region: '*', credentials, error: error as Error }];
      }
    });
    return await mapConcurrently(perAccount.flat(), SCOPES_AT_ONCE, (scope) => scanScope(scope, options));
  } finally {
    options.progress.stop();
    sts.destroy();
  }
}

async function accountsToScan(options: FleetScanOptions, sts: STSClient, homeRegion: string | undefined): Promise<string[]> {
  if (options.accounts) return [...new Set(options.accounts)];
  if (options.organization) {
    const client = new OrganizationsClient(clientBase(options, homeRegion));
    try {
      return await organizationAccounts(client);
    } finally {
      client.destroy();
    }
  }
  const { Account: account } = await sts.send(new GetCallerIdentityCommand({}));
  if (!account) throw new Error('STS GetCallerIdentity returned no account');
  return [account];
}

async function scanScope(scope: { account: string; region: string; credentials?: Credentials; error?: Error }, options: FleetScanOptions): Promise<ScopeResult> {
  const { account, region } = scope;
  if (scope.error) return { account, region, targets: [], error: scope.error };
  const collector = new TargetCollector();
  try {
    await scanAccount(collector, {
      region,
      profile: options.profile,
      ...(scope.credentials && { credentials: scope.credentials }),
      progress: scopeProgress(options.progress, `${account} ${region}`),
      warn: (message) => options.warn(`${account} ${region}: ${message}`),
    });
    return { account, region, targets: collector.finish().map((target) => ({ ...target, location: { ...target.location, account, region } })) };
  } catch (error) {
    return { account, region, targets: [], error: error as Error };
  }
}
