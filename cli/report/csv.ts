/**
 * `--format csv`: one row per finding for a spreadsheet, under a header row of `CSV_COLUMNS` (a
 * stable set: columns are only ever added at the end). Inputs that could not be read, notices, and
 * the warning of a run that checked nothing or cannot fail come after the findings as rows of their
 * own `status` (`unreadInput`, `notice`, `warning`), so a sheet that holds no failing finding never
 * looks like a pass when it is not one. RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): CRLF
 * line ends, every field quoted, quotes doubled.
 */
import { Finding, reasonOf } from '../../scan/evaluate';
import { emptyGateWarning, ScanReport } from '../../scan/report';
import { printable } from '../../scan/printable';
import { Formatter } from './report';

/** The columns, in order; the names are the JSON format's (`resource.name` is `resourceName`, `suppression.reason` is `suppressionReason`). */
export const CSV_COLUMNS = [
  'status',
  'gating',
  'controlId',
  'title',
  'severity',
  'resourceType',
  'resourceName',
  'file',
  'line',
  'logicalId',
  'constructPath',
  'stack',
  'arn',
  'account',
  'region',
  'createdAt',
  'outcome',
  'reason',
  'remediation',
  'suppressionReason',
  'suppressionExpires',
  'suppressionExpired',
  'suppressionWhere',
] as const;

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | boolean>>;

/**
 * A cell a spreadsheet would run as a formula: one starting with `=`, `+`, `-`, `@`, tab or carriage
 * return (OWASP, CSV Injection: https://owasp.org/www-community/attacks/CSV_Injection), or NUL
 * (OWASP ASVS 5.0, V1.2.10).
 */
const FORMULA_START = /^[=+\-@\t\r\0]/;

/**
 * One field: a formula-like value gets a leading `'` (what OWASP advises: the spreadsheet then reads
 * it as text), then, as everywhere a person reads the input, control characters and bidi overrides
 * become visible escapes (`printable`); quoted, quotes doubled (RFC 4180, 2.5–2.7).
 */
export function csvField(value: string | number | boolean | undefined): string {
  if (value === undefined) return '""';
  const text = String(value);
  const guarded = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${printable(guarded).replace(/"/g, '""')}"`;
}

function findingRow(finding: Finding): Row {
  const { control, target, suppression } = finding;
  const { file, line, logicalId, constructPath, stack, arn, account, region, source } = target.location;
  return {
    status: finding.status,
    gating: finding.gating,
    controlId: control.id,
    title: control.title,
    severity: control.severity,
    resourceType: target.resourceType,
    resourceName: target.name,
    file,
    line,
    logicalId,
    constructPath,
    stack,
    arn,
    account,
    region,
    createdAt: source && `${source.file}:${source.line}`,
    outcome: finding.outcome,
    reason: reasonOf(finding),
    remediation: control.remediation,
    suppressionReason: suppression?.reason,
    suppressionExpires: suppression?.expires,
    suppressionExpired: suppression?.expired,
    suppressionWhere: suppression?.where,
  };
}

/** What is not a finding but must be in the sheet: what was not read, the notices, a run that checked nothing or cannot fail. */
function reportRows(report: ScanReport): Row[] {
  const warning = emptyGateWarning(report);
  return [
    ...report.unread.map((item): Row => ({ status: 'unreadInput', gating: true, file: item.file, line: item.line, reason: item.reason })),
    ...report.notices.map((item): Row => ({ status: 'notice', gating: false, file: item.file, line: item.line, reason: item.message })),
    ...(warning === undefined ? [] : [{ status: 'warning', gating: false, reason: warning }]),
  ];
}

/** One record, its fields quoted, ended by CRLF (RFC 4180, 2.1). */
function csvRecord(fields: readonly (string | number | boolean | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export const formatCsv: Formatter = (report) => {
  const rows = [...report.findings.map(findingRow), ...reportRows(report)];
  return [csvRecord(CSV_COLUMNS), ...rows.map((row) => csvRecord(CSV_COLUMNS.map((column) => row[column])))].join('');
};
