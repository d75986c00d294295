/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning
 * (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning).
 * One rule per control (id, title, severity, remediation as help); one result per failed, not
 * evaluated or suppressed check, pointing at the file and line of the resource. With
 * `--include-passing`, passing and not-applicable checks are listed too, with `kind: "pass"` /
 * `"notApplicable"` and, as SARIF requires for those kinds, `level: "none"`. They are left out by
 * default because code scanning rejects a run of more than 25,000 results
 * (https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit),
 * which a large repository's passes alone exceed.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Invocation, Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { Control, describeBackingRule, Severity } from '../../lambdas/core/control';
import { Finding, reasonOf } from '../../scan/evaluate';
import { severityRank } from '../../scan/settings';
import { controlDocumentation, emptyGateWarning, findingFingerprint, needsAttention, ScanReport, TOOL } from '../../scan/report';
import { Formatter } from './report';

const SOURCE_ROOT = '%SRCROOT%';

/** GitHub ranks security alerts by this score: critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '3.0' };

/** Security Hub's page for the control (`#ecs-20`). */
function levelAtThreshold(control: Control, report: ScanReport): 'error' | 'warning' {
  return severityRank(control.severity) >= severityRank(report.settings.threshold) ? 'error' : 'warning';
}

function ruleOf(control: Control, report: ScanReport): ReportingDescriptor {
  const provenance = ` Security Hub runs it as the ${describeBackingRule(control.backingRule)}.`;
  return {
    id: control.id,
    name: control.slug,
    shortDescription: { text: control.title },
    fullDescription: { text: `${control.id} ${control.title} (${control.resourceType}).${provenance}${control.beyond ? ` Beyond Security Hub: ${control.beyond}` : ''}` },
    help: {
      text: control.remediation,
      markdown: `**Fix:** ${control.remediation}\n\nSee [Security Hub ${control.id}](${controlDocumentation(control)}).`,
    },
    helpUri: controlDocumentation(control),
    defaultConfiguration: { level: levelAtThreshold(control, report) },
    properties: {
      tags: ['security', 'aws', 'ecs'],
      'security-severity': SECURITY_SEVERITY[control.severity],
      severity: control.severity,
      resourceType: control.resourceType,
    },
  };
}

/**
 * The app's source line that created the resource when the assembly records it (so an annotation
 * lands on `bin/app.ts`, not a generated `cdk.out` file); otherwise the file and line read.
 */
function locationOf(finding: Finding): Location {
  const { file, line, logicalId, constructPath, arn, source } = finding.target.location;
  const physical = physicalLocation(source?.file ?? file, source?.line ?? line);
  return {
    ...(physical && { physicalLocation: physical }),
    logicalLocations: [{ name: logicalId ?? finding.target.name, fullyQualifiedName: constructPath ?? arn ?? logicalId ?? finding.target.name, kind: 'resource' }],
  };
}

/** The template the finding was read from, when the result points at the app's source instead. */
function templateLocation(finding: Finding): Location[] {
  const { file, line, source } = finding.target.location;
  const physical = source ? physicalLocation(file, line) : undefined;
  return physical ? [{ id: 1, physicalLocation: physical, message: { text: 'the synthesized template' } }] : [];
}

function physicalLocation(file: string | undefined, line: number | undefined): Location['physicalLocation'] {
  if (file === undefined || file === '-') return undefined;
  return {
    artifactLocation: isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: encodeURI(file), uriBaseId: SOURCE_ROOT },
    ...(line !== undefined && { region: { startLine: line } }),
  };
}

function messageOf(finding: Finding): string {
  const { suppression } = finding;
  if (suppression?.expired) return `${finding.annotation} (A suppression expired on ${suppression.expires}: ${suppression.reason})`;
  return finding.annotation;
}

function resultOf(finding: Finding, ruleIndex: number, report: ScanReport): Result {
  const failing = needsAttention(finding);
  const kind = failing ? 'fail' : finding.status === 'passed' ? 'pass' : 'notApplicable';
  const { suppression } = finding;
  return {
    ruleId: finding.control.id,
    ruleIndex,
    kind,
    level: failing ? levelAtThreshold(finding.control, report) : 'none',
    message: { text: kind === 'fail' ? messageOf(finding) : finding.annotation },
    locations: [locationOf(finding)],
    ...(finding.target.location.source && { relatedLocations: templateLocation(finding) }),
    partialFingerprints: { 'ecsConfigRules/v1': findingFingerprint(finding) },
    ...(suppression &&
      !suppression.expired && {
        suppressions: [
          {
            kind: suppression.origin === 'file' ? 'external' : 'inSource',
            status: 'accepted',
            justification: `${suppression.reason}${suppression.expires ? ` (until ${suppression.expires})` : ''}`,
          },
        ],
      }),
    properties: { outcome: finding.outcome, status: finding.status, reason: reasonOf(finding), resourceType: finding.target.resourceType },
  };
}

function notificationOf(level: Notification['level'], text: string, item: { readonly file?: string; readonly line?: number } = {}): Notification {
  const physical = physicalLocation(item.file, item.line);
  return { level, message: { text }, ...(physical && { locations: [{ physicalLocation: physical }] }) };
}

/**
 * The run's invocation: `executionSuccessful` is false when an input could not be read, each such
 * input an error notification at its file and line (SARIF 2.1.0 §3.20.14, §3.20.21), which is how
 * a consumer knows the results are incomplete (Appendix I, "Detecting incomplete result sets");
 * notices, and a gate that could fail nothing or checked nothing, are warnings.
 */
function invocationOf(report: ScanReport): Invocation {
  const warning = emptyGateWarning(report);
  const notifications = [
    ...report.unread.map((item) => notificationOf('error', `Could not read: ${item.reason}`, item)),
    ...report.notices.map((item) => notificationOf('warning', item.message, item)),
    ...(warning === undefined ? [] : [notificationOf('warning', `${warning}.`)]),
  ];
  return { executionSuccessful: report.unread.length === 0, exitCode: report.exitCode, ...(notifications.length > 0 && { toolExecutionNotifications: notifications }) };
}

export const formatSarif: Formatter = (report, options) => {
  const ruleIndexes = new Map(report.settings.controls.map((control, index) => [control, index]));
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL.name, version: TOOL.version, semanticVersion: TOOL.version, informationUri: TOOL.informationUri, rules: report.settings.controls.map((control) => ruleOf(control, report)) } },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(`${report.cwd}/`).href } },
        invocations: [invocationOf(report)],
        results: report.findings
          .filter((finding) => options.includePassing || needsAttention(finding))
          .map((finding) => resultOf(finding, ruleIndexes.get(finding.control) ?? -1, report)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
