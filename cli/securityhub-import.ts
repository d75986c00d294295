/**
 * `scan --import-to-security-hub`: the run's ASFF findings (./report/asff.ts) imported into Security
 * Hub with BatchImportFindings (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html),
 * through the account's default product. Loaded only when importing: the AWS SDK is most of the
 * CLI's start-up time.
 *
 * - Identity: the account from STS GetCallerIdentity, the Region from `--region` or the SDK's chain.
 *   With the default product, BatchImportFindings accepts only findings whose `AwsAccountId` is the
 *   caller's: findings of other accounts (a live scan across accounts) are not imported, and listed.
 *   Each Region's findings go to that Region's Security Hub (its `ProductArn` names the Region).
 * - Batches of at most 100 findings (the API's limit); throttling and server errors are retried by
 *   the SDK (adaptive mode); findings a 200 reply lists in `FailedFindings` are sent again, and
 *   those still failing are reported with the service's error code.
 * - What disappeared: before importing, GetFindings lists this tool's findings of that account and
 *   Region (`GeneratorId` prefix `ecs-config-rules/`). An ACTIVE one that this run does not report
 *   but whose source this run read (the same file, or the live account) is re-imported ARCHIVED.
 *   When an input could not be read, nothing is archived: not read is not gone.
 * - A finding already imported keeps its `CreatedAt`; `UpdatedAt` is the run's time.
 */
import { AwsSecurityFinding, BatchImportFindingsCommand, paginateGetFindings, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { printable } from '../scan/printable';
import { plural, ScanReport } from '../scan/report';
import { partitionOf } from './live/partition';
import { asffFinding, defaultProductArn, importScope, SOURCE_FIELD } from './report/asff';
import { AwsScope, GENERATOR_PREFIX, SecurityRecord, securityRecords } from './report/security-findings';

/** BatchImportFindings takes at most 100 findings a call. */
export const FINDINGS_PER_CALL = 100;
/** Sends of a finding that a reply lists in FailedFindings, the first included. */
const FAILED_FINDING_ATTEMPTS = 3;
const MAX_ATTEMPTS = 10;

export interface AwsSession {
  readonly region?: string;
  readonly profile?: string;
}

export interface ImportOptions extends AwsSession {
  readonly now: Date;
  /** A live scan: the Regions of the caller's account it read completely (their findings replace all earlier live ones). */
  readonly liveRegions?: readonly string[];
  /** Waits before re-sending failed findings. */
  readonly backoff?: (attempt: number) => Promise<void>;
}

export interface FailedFinding {
  readonly id: string;
  readonly region: string;
  readonly code: string;
  readonly message: string;
}

export interface ImportResult {
  /** Findings imported per Region: `created` new, `updated` already there, `archived` no longer reported. */
  readonly regions: readonly { readonly region: string; readonly created: number; readonly updated: number; readonly archived: number }[];
  readonly failed: readonly FailedFinding[];
  /** Why some findings were not sent at all (another account's). */
  readonly notImported: readonly string[];
  /** Why nothing was archived, when nothing was. */
  readonly archiveSkipped?: string;
}

const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));
/** Full-jitter exponential backoff, 100 ms base (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). */
const defaultBackoff = (attempt: number) => sleep(Math.random() * 100 * 2 ** attempt);

/** The caller's account (STS GetCallerIdentity) and Region: where findings without their own belong. */
export async function callerScope(session: AwsSession): Promise<AwsScope> {
  const sts = new STSClient({ ...(session.region && { region: session.region }), ...(session.profile && { profile: session.profile }) });
  try {
    const [{ Account: account }, region] = await Promise.all([sts.send(new GetCallerIdentityCommand({})), sts.config.region()]);
    if (!account) throw new Error('STS GetCallerIdentity named no account');
    return { account, region, partition: partitionOf(region) };
  } finally {
    sts.destroy();
  }
}

/**
 * This tool's findings in the scope's account and Region, by Id, archived ones too: a finding
 * imported archived (not applicable) that comes back keeps its CreatedAt and counts as updated.
 */
async function knownFindings(client: SecurityHubClient, scope: AwsScope): Promise<Map<string, AwsSecurityFinding>> {
  const filters = {
    ProductArn: [{ Value: defaultProductArn(scope), Comparison: 'EQUALS' as const }],
    AwsAccountId: [{ Value: scope.account, Comparison: 'EQUALS' as const }],
    GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' as const }],
  };
  const found = new Map<string, AwsSecurityFinding>();
  for await (const page of paginateGetFindings({ client, pageSize: 100 }, { Filters: filters })) {
    for (const finding of page.Findings ?? []) if (finding.Id) found.set(finding.Id, finding);
  }
  return found;
}

/**
 * An earlier finding, archived: its own fields, `UpdatedAt` now. Keys under `aws/` in its
 * ProductFields are Security Hub's own (it adds them on import) and are not sent back.
 */
function archivedCopy(finding: AwsSecurityFinding, updatedAt: string): AwsSecurityFinding {
  const { SchemaVersion, Id, ProductArn, GeneratorId, AwsAccountId, Types, CreatedAt, Severity, Title, Description, Resources, Compliance, ProductFields } = finding;
  const ownFields = Object.fromEntries(Object.entries(ProductFields ?? {}).filter(([key]) => !key.startsWith('aws/')));
  return { SchemaVersion, Id, ProductArn, GeneratorId, AwsAccountId, Types, CreatedAt, UpdatedAt: updatedAt, Severity, Title, Description, Resources, Compliance, ProductFields: ownFields, RecordState: 'ARCHIVED' };
}

/** Sends `findings` in batches of 100; re-sends what FailedFindings lists; returns what still failed. */
async function importBatches(client: SecurityHubClient, region: string, findings: readonly AwsSecurityFinding[], backoff: (attempt: number) => Promise<void>): Promise<FailedFinding[]> {
  const failed: FailedFinding[] = [];
  for (let start = 0; start < findings.length; start += FINDINGS_PER_CALL) {
    let pending = findings.slice(start, start + FINDINGS_PER_CALL);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) await backoff(attempt - 1);
      const reply = await client.send(new BatchImportFindingsCommand({ Findings: pending }));
      const failures = reply.FailedFindings ?? [];
      if (attempt === FAILED_FINDING_ATTEMPTS) {
        failed.push(...failures.map((failure) => ({ id: failure.Id ?? '?', region, code: failure.ErrorCode ?? '?', message: failure.ErrorMessage ?? '' })));
        break;
      }
      const again = new Set(failures.map((failure) => failure.Id));
      pending = pending.filter((finding) => again.has(finding.Id));
    }
  }
  return failed;
}

/** What the run read: each file's findings replace that file's earlier ones; a live scan's, the account's. */
function sourcesRead(records: readonly SecurityRecord[], options: ImportOptions): Set<string> {
  return new Set([...records.map((record) => record.source), ...(options.liveRegions ? ['live'] : [])]);
}

/** The records of the caller's account by Region (the live scan's Regions listed even when empty), and those of other accounts. */
function byRegion(records: readonly SecurityRecord[], caller: AwsScope, options: ImportOptions): { regions: Map<string, { scope: AwsScope; records: SecurityRecord[] }>; others: Map<string, number> } {
  const regions = new Map<string, { scope: AwsScope; records: SecurityRecord[] }>();
  for (const region of options.liveRegions ?? []) regions.set(region, { scope: { ...caller, region, partition: partitionOf(region) }, records: [] });
  const others = new Map<string, number>();
  for (const record of records) {
    const scope = importScope(record, caller);
    if (scope.account !== caller.account) others.set(scope.account, (others.get(scope.account) ?? 0) + 1);
    else {
      const group = regions.get(scope.region) ?? { scope, records: [] };
      group.records.push(record);
      regions.set(scope.region, group);
    }
  }
  return { regions, others };
}

export async function importToSecurityHub(report: ScanReport, caller: AwsScope, options: ImportOptions): Promise<ImportResult> {
  const records = [...securityRecords(report, caller)];
  const { regions, others } = byRegion(records, caller, options);
  const sources = sourcesRead(records, options);
  const archiveSkipped = report.unread.length > 0 ? `nothing archived: ${plural(report.unread.length, 'input')} could not be read, and what was not read has not disappeared` : undefined;
  const updatedAt = options.now.toISOString();
  const result: { regions: ImportResult['regions'][number][]; failed: FailedFinding[] } = { regions: [], failed: [] };
  for (const [region, group] of regions) {
    const client = new SecurityHubClient({ region, ...(options.profile && { profile: options.profile }), retryMode: 'adaptive', maxAttempts: MAX_ATTEMPTS });
    try {
      const existing = await knownFindings(client, group.scope);
      const current = group.records.map((record) => asffFinding(record, group.scope, updatedAt, existing.get(record.uid)?.CreatedAt));
      const reported = new Set(current.map((finding) => finding.Id));
      const gone = archiveSkipped
        ? []
        : [...existing.values()].filter((finding) => finding.RecordState === 'ACTIVE' && !reported.has(finding.Id) && sources.has(finding.ProductFields?.[SOURCE_FIELD] ?? '')).map((finding) => archivedCopy(finding, updatedAt));
      result.failed.push(...(await importBatches(client, region, [...current, ...gone], options.backoff ?? defaultBackoff)));
      const updated = current.filter((finding) => existing.has(finding.Id as string)).length;
      result.regions.push({ region, created: current.length - updated, updated, archived: gone.length });
    } finally {
      client.destroy();
    }
  }
  const notImported = [...others].map(
    ([account, count]) => `${plural(count, 'finding')} of account ${account} not imported: with the default product, BatchImportFindings takes only the calling account's (${caller.account}) findings`,
  );
  return { ...result, notImported, ...(archiveSkipped && { archiveSkipped }) };
}

/** What the import did, for standard error: a line per Region, then each failure (the service's words escaped). */
export function describeImport(result: ImportResult): string {
  const lines = result.regions.map(
    ({ region, created, updated, archived }) => `Security Hub ${region}: ${plural(created, 'new finding')}, ${updated} updated, ${archived} archived (no longer reported).`,
  );
  if (result.archiveSkipped) lines.push(`Security Hub: ${result.archiveSkipped}.`);
  lines.push(...result.notImported.map((reason) => `Security Hub: ${reason}.`));
  if (result.failed.length > 0) {
    lines.push(`Security Hub did not accept ${plural(result.failed.length, 'finding')} (exit 2):`);
    lines.push(...result.failed.map((failure) => `  ${failure.region} ${printable(failure.id)}: ${printable(failure.code)} ${printable(failure.message)}`));
  }
  return `${lines.join('\n')}\n`;
}
