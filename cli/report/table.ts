/**
 * The default output: one block per resource that needs attention, each finding with its reason and
 * fix; resources where everything passed get one line; then what could not be read, the notices,
 * the counts and the gate's verdict. Every value from the input goes through `printable`.
 */
import { createColors } from 'picocolors';
import { countStatuses, Finding, FindingStatus, reasonOf } from '../../scan/evaluate';
import { ScanTarget, whereIs } from '../../scan/target';
import { describeSuppression, emptyGateWarning, findingsByTarget, inputPlace, needsAttention, plural, ScanReport } from '../../scan/report';
import { printable } from '../../scan/printable';
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
  const lines = [`  ${color(`${STATUS_SYMBOLS[finding.status]} ${id}`)} ${colors.dim(severity)} ${printable(reasonOf(finding))}${belowThreshold}`];
  const indent = ' '.repeat(20);
  const suppression = describeSuppression(finding);
  if (suppression) lines.push(`${indent}${colors.dim(printable(suppression.charAt(0).toUpperCase() + suppression.slice(1)))}`);
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

/** A resource's heading: its name, then its type and where it was read. */
export function resourceHeading(target: ScanTarget, colors: Colors): string {
  return `${colors.bold(printable(target.name))} ${colors.dim(`${target.resourceType} · ${printable(whereIs(target))}`)}`;
}

/** `  template.yaml:12: not valid YAML: …`: an input that could not be read, or a notice. */
export function inputLine(item: { readonly file?: string; readonly line?: number }, text: string): string {
  const place = inputPlace(item);
  return `  ${printable(place === undefined ? text : `${place}: ${text}`)}`;
}

/** What could not be read: a heading, then each input's place and reason. */
export function unreadLines(report: ScanReport, colors: Colors): string[] {
  if (report.unread.length === 0) return [];
  return [colors.red(colors.bold(`Could not read ${plural(report.unread.length, 'input')} (not checked, so no verdict):`)), ...report.unread.map((item) => inputLine(item, item.reason))];
}

/** The notices about inputs that were read. */
export function noticeLines(report: ScanReport, colors: Colors): string[] {
  if (report.notices.length === 0) return [];
  return [colors.yellow(colors.bold('Notices:')), ...report.notices.map((item) => inputLine(item, item.message))];
}

/** What could not be read, then the notices, each block followed by a blank line: after the findings, before the summary. */
export function inputLines(report: ScanReport, colors: Colors): string[] {
  return [unreadLines(report, colors), noticeLines(report, colors)].filter((block) => block.length > 0).flatMap((block) => [...block, '']);
}

/** The gate's verdict, which never reads as a pass when something was not read, nothing was checked or nothing could fail. */
export function verdictLine(report: ScanReport, colors: Colors): string {
  const counts = countStatuses(report.findings);
  const threshold = report.settings.threshold;
  const gating = `${plural(counts.gating, 'finding')} at or above ${threshold} severity`;
  if (report.unread.length > 0) {
    return colors.red(colors.bold(`✘ Incomplete: ${plural(report.unread.length, 'input')} could not be read (listed), so no verdict${counts.gating > 0 ? `; ${gating} in the rest` : ''}.`));
  }
  if (counts.gating > 0) return colors.red(colors.bold(`✘ ${gating}.`));
  const warning = emptyGateWarning(report);
  if (warning) return colors.yellow(colors.bold(`⚠ ${warning}${counts.failed > 0 ? `; ${counts.failed} failed below the threshold` : ''}.`));
  return colors.green(`✔ No failing finding at or above ${threshold} severity.`);
}

export function summaryLines(report: ScanReport, colors: Colors): string[] {
  const counts = countStatuses(report.findings);
  const files = report.filesScanned > 0 ? ` in ${plural(report.filesScanned, 'file')}` : '';
  const skipped = report.filesSkipped.length > 0 ? colors.dim(` (${report.filesSkipped.length === 1 ? '1 other file holds' : `${report.filesSkipped.length} other files hold`} no ECS resources)`) : '';
  return [
    `${plural(report.targets.length, 'resource')}${files}${skipped}: ` +
      [
        colors.red(`${counts.failed} failed`),
        colors.magenta(`${counts.notEvaluated} not evaluated`),
        `${counts.suppressed} suppressed`,
        colors.green(`${counts.passed} passed`),
        `${counts.notApplicable} not applicable`,
      ].join(', '),
    verdictLine(report, colors),
  ];
}

/** `--quiet`: the gating findings by resource, what could not be read, then the verdict; a passing run prints only the verdict. */
function quietTable(report: ScanReport, colors: Colors): string {
  const lines: string[] = [];
  for (const [target, findings] of findingsByTarget(report)) {
    const gating = findings.filter((finding) => finding.gating);
    if (gating.length === 0) continue;
    lines.push(resourceHeading(target, colors), ...gating.flatMap((finding) => findingLines(finding, colors)));
  }
  lines.push(...inputLines(report, colors), verdictLine(report, colors));
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
      lines.push('', colors.bold(colors.underline(printable(scope ?? ''))));
    }
    const attention = findings.filter(needsAttention);
    const header = resourceHeading(target, colors);
    if (attention.length === 0) {
      lines.push(`${colors.green('✔')} ${header}${countLine(findings, colors)}`);
      continue;
    }
    lines.push('', header, ...attention.flatMap((finding) => findingLines(finding, colors)));
    const rest = countLine(findings.filter((finding) => !needsAttention(finding)), colors);
    if (rest) lines.push(rest);
  }
  lines.push('', ...inputLines(report, colors), ...summaryLines(report, colors));
  return `${lines.join('\n').replace(/^\n+/, '')}\n`;
};
