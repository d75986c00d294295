/**
 * `--format ocsf`: one OCSF Compliance Finding event (class_uid 2003, category Findings) per finding,
 * as JSON Lines (one event a line), for Amazon Security Lake custom sources and SIEMs. Schema
 * version 1.8.0 (https://schema.ocsf.io/1.8.0/classes/compliance_finding): the class's required
 * attributes (activity, category, class, type, severity, time, metadata, finding_info, compliance)
 * and its enums. Words come from the shared mapping (./security-findings.ts), so a status reads the
 * same here as in Security Hub:
 *
 * - `compliance.status_id`: Pass (1), Warning (2, "did not yield a result due to missing
 *   information": could not evaluate), Fail (3), Other (99, "Not Applicable");
 * - `status_id` (the finding's lifecycle): New (1), Suppressed (3), Resolved (4), Archived (5);
 * - `severity_id`: Informational (1, passing and not-applicable checks, as Security Hub shows them),
 *   else the control's: Low (2), Medium (3), High (4), Critical (5).
 *
 * An input that was not read is a Warning event of High severity: a consumer of events alone still
 * sees that part of the run checked nothing. A notice is an Informational one.
 */
import { reasonOf } from '../../scan/evaluate';
import { controlDocumentation, ScanReport, TOOL } from '../../scan/report';
import { FormatOptions, PiecewiseFormatter } from './report';
import { ComplianceStatus, resourceUid, SecurityRecord, securityRecords, SeverityLabel, WorkflowStatus } from './security-findings';

export const OCSF_VERSION = '1.8.0';

const CLASS = { uid: 2003, name: 'Compliance Finding' } as const;
const CATEGORY = { uid: 2, name: 'Findings' } as const;
/** Create (1): every run states each finding afresh; `finding_info.uid` says which finding it is. */
const ACTIVITY = { id: 1, name: 'Create' } as const;

const SEVERITY: Readonly<Record<SeverityLabel, { readonly id: number; readonly name: string }>> = {
  INFORMATIONAL: { id: 1, name: 'Informational' },
  LOW: { id: 2, name: 'Low' },
  MEDIUM: { id: 3, name: 'Medium' },
  HIGH: { id: 4, name: 'High' },
  CRITICAL: { id: 5, name: 'Critical' },
};

const COMPLIANCE_STATUS: Readonly<Record<ComplianceStatus, { readonly id: number; readonly name: string }>> = {
  PASSED: { id: 1, name: 'Pass' },
  WARNING: { id: 2, name: 'Warning' },
  FAILED: { id: 3, name: 'Fail' },
  NOT_AVAILABLE: { id: 99, name: 'Not Applicable' },
};

const FINDING_STATUS: Readonly<Record<WorkflowStatus | 'ARCHIVED', { readonly id: number; readonly name: string }>> = {
  NEW: { id: 1, name: 'New' },
  SUPPRESSED: { id: 3, name: 'Suppressed' },
  RESOLVED: { id: 4, name: 'Resolved' },
  ARCHIVED: { id: 5, name: 'Archived' },
};

const METADATA = { version: OCSF_VERSION, product: { name: TOOL.name, vendor_name: TOOL.name, version: TOOL.version, url_string: TOOL.informationUri } } as const;

/** The resource the check was about: its ARN or `file#LogicalId`, and where it was read. */
function resourceOf(record: SecurityRecord) {
  const target = record.finding?.target;
  if (!target) return undefined;
  const { file, line, logicalId, constructPath, stack } = target.location;
  return {
    uid: resourceUid(target),
    name: target.name,
    type: target.resourceType,
    ...(record.scope && { region: record.scope.region, cloud_partition: record.scope.partition }),
    ...(file !== undefined && { data: { file, ...(line !== undefined && { line }), ...(logicalId && { logical_id: logicalId }), ...(constructPath && { construct_path: constructPath }), ...(stack && { stack }) } }),
  };
}

/** The control checked, with its own severity (the event's is Informational when it passed). */
function complianceOf(record: SecurityRecord, status: { readonly id: number; readonly name: string }) {
  const control = record.finding?.control;
  return {
    status_id: status.id,
    status: status.name,
    ...(control && {
      control: control.id,
      checks: [{ uid: control.id, name: control.title, severity_id: SEVERITY[control.severity].id, severity: SEVERITY[control.severity].name, status_id: status.id, status: status.name }],
    }),
    ...(record.finding && { status_detail: reasonOf(record.finding) }),
  };
}

export function ocsfEvent(record: SecurityRecord, time: number) {
  const severity = SEVERITY[record.severity];
  const lifecycle = FINDING_STATUS[record.archived ? 'ARCHIVED' : record.workflow];
  const { finding } = record;
  const resource = resourceOf(record);
  const suppression = finding?.suppression;
  return {
    class_uid: CLASS.uid,
    class_name: CLASS.name,
    category_uid: CATEGORY.uid,
    category_name: CATEGORY.name,
    activity_id: ACTIVITY.id,
    activity_name: ACTIVITY.name,
    type_uid: CLASS.uid * 100 + ACTIVITY.id,
    type_name: `${CLASS.name}: ${ACTIVITY.name}`,
    time,
    severity_id: severity.id,
    severity: severity.name,
    status_id: lifecycle.id,
    status: lifecycle.name,
    message: record.description,
    metadata: METADATA,
    finding_info: { uid: record.uid, title: record.title, ...(finding && { src_url: controlDocumentation(finding.control) }) },
    compliance: complianceOf(record, COMPLIANCE_STATUS[record.compliance]),
    ...(finding && { remediation: { desc: finding.control.remediation } }),
    ...(resource && { resources: [resource] }),
    // OCSF has no place for an accepted exception's reason and expiry, nor for whether the gate failed.
    ...(finding && {
      unmapped: {
        gating: finding.gating,
        ...(suppression && { suppression: { reason: suppression.reason, expires: suppression.expires, expired: suppression.expired, where: suppression.where } }),
      },
    }),
  };
}

/** Lines are handed on in pieces of about this many characters: few writes, and never the whole report at once. */
const PIECE_LENGTH = 64 * 1024;

function* ocsfLines(report: ScanReport, options: FormatOptions): Generator<string> {
  const time = (options.now ?? new Date()).getTime();
  let piece = '';
  for (const record of securityRecords(report, options.aws)) {
    piece += `${JSON.stringify(ocsfEvent(record, time))}\n`;
    if (piece.length >= PIECE_LENGTH) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

export const formatOcsf: PiecewiseFormatter = (report, options) => ocsfLines(report, options);
