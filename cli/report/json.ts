/**
 * `--format json`: every finding as data, for jq and dashboards; `errors` lists the inputs that could
 * not be read (the exit code is then 2), `notices` what a person must know about inputs that were.
 */
import { countStatuses, Finding, reasonOf } from '../../scan/evaluate';
import { gateCannotFail } from '../../scan/settings';
import { TOOL } from '../../scan/report';
import { Formatter } from './report';

function findingJson(finding: Finding) {
  const { control, target, suppression } = finding;
  return {
    controlId: control.id,
    title: control.title,
    severity: control.severity,
    resourceType: target.resourceType,
    resource: { name: target.name, ...target.location },
    outcome: finding.outcome,
    status: finding.status,
    gating: finding.gating,
    reason: reasonOf(finding),
    remediation: control.remediation,
    ...(suppression && { suppression: { reason: suppression.reason, expires: suppression.expires, expired: suppression.expired, origin: suppression.origin, where: suppression.where } }),
  };
}

export const formatJson: Formatter = (report) =>
  `${JSON.stringify(
    {
      tool: { name: TOOL.name, version: TOOL.version },
      severityThreshold: report.settings.threshold,
      gateCanFail: !gateCannotFail(report.settings),
      exitCode: report.exitCode,
      summary: { resources: report.targets.length, filesScanned: report.filesScanned, filesSkipped: report.filesSkipped.length, ...countStatuses(report.findings) },
      controls: report.settings.controls.map(({ id, title, severity, resourceType, remediation }) => ({ id, title, severity, resourceType, remediation })),
      errors: report.unread,
      notices: report.notices,
      findings: report.findings.map(findingJson),
    },
    null,
    2,
  )}\n`;
