/**
 * The default output: one block per resource that needs attention, each finding with its reason and
 * fix; resources where everything passed get one line; then the counts and the gate's verdict.
 */
import { createColors } from 'picocolors';
import { countStatuses, Finding, FindingStatus, reasonOf } from '../../scan/evaluate';
import { ScanTarget, whereIs } from '../../scan/target';
import { describeSuppression, findingsByTarget, needsAttention, ScanReport } from '../../scan/report';
import { Formatter, STATUS_SYMBOLS } from './report';

export type Colors = ReturnType<typeof createColors>;

/** Red for a failure that fails the gate, yellow below the threshold, dim for what needs no action. */
export function paint(colors: Colors, finding: Finding): (text: string) => string {
  const byStatus: Record<FindingStatus, (text: string) => string> = {
    failed: finding.gating ? colors.red : colors.yellow,
    notEvaluated: finding.gating ? colors.magenta : colors.yellow,
    suppressed: colors.dim,
    passed: colors.green,
    notApplicable: colors.dim,
  };
  return byStatus[finding.status];
}

/** A finding: symbol, control, severity and reason, then the suppression and the fix. */
export function findingLines(finding: Finding, colors: Colors): string[] {
  const color = paint(colors, finding);
  const id = finding.control.id.padEnd(6);
  const severity = finding.control.severity.padEnd(8);
  const belowThreshold = !finding.gating && finding.status !== 'suppressed' ? colors.dim(' (below the severity threshold)') : '';
  const lines = [`  ${color(`${STATUS_SYMBOLS[finding.status]} ${id}`)} ${colors.dim(severity)} ${reasonOf(finding)}${belowThreshold}`];
  const indent = ' '.repeat(20);
  const suppression = describeSuppression(finding);
  if (suppression) lines.push(`${indent}${colors.dim(suppression.charAt(0).toUpperCase() + suppression.slice(1))}`);
  if (finding.status !== 'notEvaluated') lines.push(`${indent}${colors.cyan('Fix:')} ${finding.control.remediation}`);
  return lines;
}

function countLine(findings: readonly Finding[], colors: Colors): string {
  const counts = countStatuses(findings);
  const parts = [
    counts.passed > 0 && colors.green(`${counts.passed} passed`),
    counts.notApplicable > 0 && colors.dim(`${counts.notApplicable} not applicable`),
  ].filter(Boolean);
  return parts.length > 0 ? `  ${parts.join(colors.dim(' · '))}` : '';
}

export function summaryLines(report: ScanReport, colors: Colors): string[] {
  const counts = countStatuses(report.findings);
  const files = report.filesScanned > 0 ? ` in ${report.filesScanned} file${report.filesScanned === 1 ? '' : 's'}` : '';
  const skipped = report.filesSkipped.length > 0 ? colors.dim(` (${report.filesSkipped.length === 1 ? '1 other file holds' : `${report.filesSkipped.length} other files hold`} no ECS resources)`) : '';
  const threshold = report.settings.threshold;
  const verdict =
    counts.gating === 0
      ? colors.green(`✔ No failing finding at or above ${threshold} severity.`)
      : colors.red(colors.bold(`✘ ${counts.gating} finding${counts.gating === 1 ? '' : 's'} at or above ${threshold} severity.`));
  return [
    `${report.targets.length} resource${report.targets.length === 1 ? '' : 's'}${files}${skipped}: ` +
      [
        colors.red(`${counts.failed} failed`),
        colors.magenta(`${counts.notEvaluated} not evaluated`),
        `${counts.suppressed} suppressed`,
        colors.green(`${counts.passed} passed`),
        `${counts.notApplicable} not applicable`,
      ].join(', '),
    verdict,
  ];
}

/** `--quiet`: the gating findings by resource, then the verdict; a passing run prints only the verdict. */
function quietTable(report: ScanReport, colors: Colors): string {
  const lines: string[] = [];
  for (const [target, findings] of findingsByTarget(report)) {
    const gating = findings.filter((finding) => finding.gating);
    if (gating.length === 0) continue;
    lines.push(`${colors.bold(target.name)} ${colors.dim(`${target.resourceType} · ${whereIs(target)}`)}`, ...gating.flatMap((finding) => findingLines(finding, colors)));
  }
  lines.push(summaryLines(report, colors)[1]);
  return `${lines.join('\n')}\n`;
}

/** `Account 111111111111 · eu-west-1` for a resource of a live scan across accounts and Regions. */
function scopeOf(target: ScanTarget): string | undefined {
  const { account, region } = target.location;
  return account === undefined ? undefined : `Account ${account} · ${region}`;
}

export const formatTable: Formatter = (report, options) => {
  const colors = createColors(options.color);
  if (options.quiet) return quietTable(report, colors);
  const lines: string[] = [];
  let scope: string | undefined;
  for (const [target, findings] of findingsByTarget(report)) {
    // Targets come grouped by account and Region: a heading starts each group.
    if (scopeOf(target) !== scope) {
      scope = scopeOf(target);
      lines.push('', colors.bold(colors.underline(scope ?? '')));
    }
    const attention = findings.filter(needsAttention);
    const header = `${colors.bold(target.name)} ${colors.dim(`${target.resourceType} · ${whereIs(target)}`)}`;
    if (attention.length === 0) {
      lines.push(`${colors.green('✔')} ${header}${countLine(findings, colors)}`);
      continue;
    }
    lines.push('', header, ...attention.flatMap((finding) => findingLines(finding, colors)));
    const rest = countLine(findings.filter((finding) => !needsAttention(finding)), colors);
    if (rest) lines.push(rest);
  }
  lines.push('', ...summaryLines(report, colors));
  return `${lines.join('\n').replace(/^\n+/, '')}\n`;
};
