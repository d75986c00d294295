/**
 * The compliance matrix: for each resource type, resources × that type's controls, one symbol per
 * cell; then, resource by resource, the reason and the fix behind every cell that is not a pass.
 */
import { createColors } from 'picocolors';
import { Control } from '../../lambdas/core/control';
import { RESOURCE_TYPES } from '../../lambdas/core/model';
import { Finding, FindingStatus } from '../../scan/evaluate';
import { ScanTarget, whereIs } from '../../scan/target';
import { findingsByTarget, needsAttention } from '../../scan/report';
import { printable } from '../../scan/printable';
import { Formatter, RESOURCE_TYPE_LABELS, STATUS_SYMBOLS, STATUS_WORDS } from './report';
import { Colors, findingLines, inputLines, paint, resourceHeading, summaryLines } from './table';

const NAME_WIDTH_LIMIT = 56;

/** Cuts the middle, so both the name and the end of its location (file, line) stay readable. */
function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}

/** Each row's label: the resource's name, with its stack or file and line when another row has the same name. */
function rowLabels(targets: readonly ScanTarget[]): Map<ScanTarget, string> {
  const count = new Map<string, number>();
  for (const target of targets) count.set(target.name, (count.get(target.name) ?? 0) + 1);
  return new Map(targets.map((target) => [target, printable((count.get(target.name) ?? 0) > 1 ? `${target.name} (${placeOf(target)})` : target.name)]));
}

function placeOf(target: ScanTarget): string {
  const { stack, file, line } = target.location;
  if (stack !== undefined) return stack;
  if (file !== undefined) return line === undefined ? file : `${file}:${line}`;
  return whereIs(target);
}

/** Centers `text` (one visible character wide, or more) in `width` columns. */
function center(text: string, visibleLength: number, width: number): string {
  const left = Math.floor((width - visibleLength) / 2);
  return `${' '.repeat(left)}${text}${' '.repeat(width - visibleLength - left)}`;
}

function grid(targets: readonly ScanTarget[], controls: readonly Control[], byTarget: Map<ScanTarget, Finding[]>, colors: Colors, title: string): string[] {
  const labels = rowLabels(targets);
  const nameWidth = Math.min(NAME_WIDTH_LIMIT, Math.max(title.length, ...targets.map((target) => (labels.get(target) as string).length + 2)));
  const widths = controls.map((control) => control.id.length + 1);
  const header = `${colors.bold(title.padEnd(nameWidth))} ${controls.map((control, index) => center(control.id, control.id.length, widths[index])).join('')}`;
  const rows = targets.map((target) => {
    const findings = byTarget.get(target) ?? [];
    const cells = controls.map((control, index) => {
      const finding = findings.find((candidate) => candidate.control === control);
      if (!finding) return ' '.repeat(widths[index]);
      return center(paint(colors, finding)(STATUS_SYMBOLS[finding.status]), 1, widths[index]);
    });
    return `${`  ${truncate(labels.get(target) as string, nameWidth - 2)}`.padEnd(nameWidth)} ${cells.join('')}`;
  });
  return [header, ...rows, ''];
}

function reasons(byTarget: Map<ScanTarget, Finding[]>, colors: Colors): string[] {
  const lines: string[] = [];
  for (const [target, findings] of byTarget) {
    const attention = findings.filter(needsAttention);
    if (attention.length === 0) continue;
    lines.push(resourceHeading(target, colors), ...attention.flatMap((finding) => findingLines(finding, colors)), '');
  }
  return lines;
}

export const formatMatrix: Formatter = (report, options) => {
  const colors = createColors(options.color);
  const byTarget = findingsByTarget(report);
  const legend = colors.dim((Object.keys(STATUS_SYMBOLS) as FindingStatus[]).map((status) => `${STATUS_SYMBOLS[status]} ${STATUS_WORDS[status]}`).join('  '));
  const lines = [colors.bold(`Compliance matrix: ${report.targets.length} resources × ${report.settings.controls.length} controls`), legend, ''];
  for (const resourceType of RESOURCE_TYPES) {
    const targets = report.targets.filter((target) => target.resourceType === resourceType);
    const controls = report.settings.controls.filter((control) => control.resourceType === resourceType);
    if (targets.length > 0 && controls.length > 0) lines.push(...grid(targets, controls, byTarget, colors, RESOURCE_TYPE_LABELS[resourceType]));
  }
  const explained = reasons(byTarget, colors);
  if (explained.length > 0) lines.push(colors.bold('Reasons'), '', ...explained);
  lines.push(...inputLines(report, colors), ...summaryLines(report, colors));
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
};
