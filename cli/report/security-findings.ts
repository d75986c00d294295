/**
 * What the two findings formats systems ingest (OCSF for Security Lake and SIEMs, ASFF for Security
 * Hub) share: one record per finding, and one per input that was not read or has a notice, each
 * with a stable id and the finding's vocabulary mapped once from the report model's outcome and
 * status (never re-derived). The Security Hub words are the reference; OCSF maps from them.
 */
import { createHash } from 'node:crypto';
import { fitAnnotation, Outcome, Severity } from '../../lambdas/core/control';
import { Finding, FindingStatus } from '../../scan/evaluate';
import { inputPlace, ScanReport, TOOL, findingFingerprint } from '../../scan/report';
import { ScanTarget } from '../../scan/target';
import { partitionOf } from '../live/partition';

/** The account, Region and partition findings are reported in (Security Hub's `AwsAccountId`, `ProductArn`). */
export interface AwsScope {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/**
 * ASFF `Compliance.Status` (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Compliance.html):
 * WARNING is "some information is missing", which is what could not evaluate means; NOT_AVAILABLE
 * is what Security Hub reports for a Config evaluation of NOT_APPLICABLE.
 */
export type ComplianceStatus = 'PASSED' | 'FAILED' | 'WARNING' | 'NOT_AVAILABLE';
export type WorkflowStatus = 'NEW' | 'SUPPRESSED' | 'RESOLVED';
export type SeverityLabel = Severity | 'INFORMATIONAL';

const COMPLIANCE_OF_OUTCOME: Readonly<Record<Outcome, ComplianceStatus>> = {
  COMPLIANT: 'PASSED',
  NON_COMPLIANT: 'FAILED',
  NOT_EVALUATED: 'WARNING',
  NOT_APPLICABLE: 'NOT_AVAILABLE',
};

/** A suppressed finding is reviewed and accepted; a passing or not-applicable one needs no one. */
const WORKFLOW_OF_STATUS: Readonly<Record<FindingStatus, WorkflowStatus>> = {
  failed: 'NEW',
  notEvaluated: 'NEW',
  suppressed: 'SUPPRESSED',
  passed: 'RESOLVED',
  notApplicable: 'RESOLVED',
};

/** One finding as the findings formats carry it. */
export interface SecurityRecord {
  /** Stable across runs: a re-import updates the finding instead of adding one. */
  readonly uid: string;
  /** `ecs-config-rules/ECS.4`, or `ecs-config-rules/input` for an input not read or a notice. */
  readonly generator: string;
  readonly title: string;
  /** What is wrong and where (at most 256 characters, as annotations are). */
  readonly description: string;
  readonly compliance: ComplianceStatus;
  readonly workflow: WorkflowStatus;
  readonly severity: SeverityLabel;
  /**
   * A not-applicable check is archived at once: Security Hub archives its own NOT_APPLICABLE control
   * findings after three days (see `Compliance.Status` above), so nothing is left to look at.
   */
  readonly archived: boolean;
  /** The file read (as the user named it), or `live`: which findings a later run replaces. */
  readonly source: string;
  /** Undefined when neither the resource nor the run names an account and a Region (OCSF of files). */
  readonly scope: AwsScope | undefined;
  readonly finding?: Finding;
}

/** `ecs-config-rules/ECS.4`: Security Hub's `GeneratorId`, one per control. */
export function generatorOf(controlId: string): string {
  return `${TOOL.name}/${controlId}`;
}

/** The generator of the records that stand for inputs: what was not read, and notices. */
export const INPUT_GENERATOR = `${TOOL.name}/input`;

/** Every generator id starts with this: a Security Hub `PREFIX` filter finds this tool's findings. */
export const GENERATOR_PREFIX = `${TOOL.name}/`;

/** Where the resource is, as AWS names it: its ARN, else `file#LogicalId` (a template has no ARN yet). */
export function resourceUid(target: ScanTarget): string {
  const { arn, file, logicalId } = target.location;
  return arn ?? `${file ?? '-'}#${logicalId ?? target.name}`;
}

/** `arn:partition:service:region:account:…`: the field at `index`, when `arn` is an ARN and it is set. */
function arnField(arn: string | undefined, index: number): string | undefined {
  const field = arn?.startsWith('arn:') ? arn.split(':')[index] : undefined;
  return field || undefined;
}

/** The resource's own account and Region (a live scan's scope, or its ARN); else the caller's, if known. */
export function scopeOf(target: ScanTarget, caller: AwsScope | undefined): AwsScope | undefined {
  const { arn } = target.location;
  const account = target.location.account ?? arnField(arn, 4) ?? caller?.account;
  const region = target.location.region ?? arnField(arn, 3) ?? caller?.region;
  if (account === undefined || region === undefined) return undefined;
  return { account, region, partition: arnField(arn, 1) ?? partitionOf(region) };
}

/** Security Hub shows a passing or not-applicable control finding as INFORMATIONAL; the others carry the control's severity. */
function severityOf(finding: Finding): SeverityLabel {
  return finding.outcome === 'COMPLIANT' || finding.outcome === 'NOT_APPLICABLE' ? 'INFORMATIONAL' : finding.control.severity;
}

function findingRecord(finding: Finding, caller: AwsScope | undefined): SecurityRecord {
  const { control, target } = finding;
  return {
    uid: `${generatorOf(control.id)}/${findingFingerprint(finding)}`,
    generator: generatorOf(control.id),
    title: `${control.id} ${control.title}`,
    description: finding.annotation,
    compliance: COMPLIANCE_OF_OUTCOME[finding.outcome],
    workflow: WORKFLOW_OF_STATUS[finding.status],
    severity: severityOf(finding),
    archived: finding.outcome === 'NOT_APPLICABLE',
    source: target.location.file ?? 'live',
    scope: scopeOf(target, caller),
    finding,
  };
}

/**
 * An input that was not read is a finding of its own (HIGH, could not evaluate): a system that only
 * ingests findings must still see that part of the run checked nothing. A notice is INFORMATIONAL.
 */
function inputRecord(kind: 'unread' | 'notice', item: { readonly file?: string; readonly line?: number }, text: string, caller: AwsScope | undefined): SecurityRecord {
  const place = inputPlace(item);
  // A file not read is one finding whatever the error says this time; a file may have several notices.
  const key = kind === 'unread' ? [kind, item.file ?? text] : [kind, item.file ?? '', String(item.line ?? ''), text];
  const uid = createHash('sha256').update(key.join('\0')).digest('hex');
  return {
    uid: `${INPUT_GENERATOR}/${uid}`,
    generator: INPUT_GENERATOR,
    title: kind === 'unread' ? `Input not read${place ? `: ${place}` : ''}` : `Notice${place ? `: ${place}` : ''}`,
    description: fitAnnotation(kind === 'unread' ? `Could not read${place ? ` ${place}` : ''}, so no control was evaluated there: ${text}` : text),
    compliance: 'WARNING',
    workflow: 'NEW',
    severity: kind === 'unread' ? 'HIGH' : 'INFORMATIONAL',
    archived: false,
    source: item.file ?? 'live',
    scope: caller,
  };
}

/** Every finding of the report, then every input not read and every notice; one at a time, as a large report needs. */
export function* securityRecords(report: ScanReport, caller?: AwsScope): Generator<SecurityRecord> {
  for (const finding of report.findings) yield findingRecord(finding, caller);
  for (const item of report.unread) yield inputRecord('unread', item, item.reason, caller);
  for (const item of report.notices) yield inputRecord('notice', item, item.message, caller);
}
