/** The report model: the findings of one scan and how the gate judged them, whatever renders them. */
import { createHash } from 'node:crypto';
import { Control } from '../lambdas/core/control';
import { Finding } from './evaluate';
import { gateCannotFail, ScanSettings } from './settings';
import { ScanTarget } from './target';
import { InputNotice, UnreadInput } from './inputs/load';
// One field, by name: a bundle (the action's CLI, dist-action/) then holds the version, not the whole package.json.
import { version } from '../package.json';

export const TOOL = {
  name: 'ecs-config-rules',
  version,
  informationUri: 'https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html',
} as const;

/** The control's page in the Security Hub user guide. */
export function controlDocumentation(control: Control): string {
  return `${TOOL.informationUri}#${control.slug}`;
}

export interface ScanReport {
  readonly findings: readonly Finding[];
  /** Every target, those without applicable controls included, in input order. */
  readonly targets: readonly ScanTarget[];
  readonly settings: ScanSettings;
  readonly filesScanned: number;
  readonly filesSkipped: readonly string[];
  /** Inputs that could not be read: every format lists them, and the exit code is 2. */
  readonly unread: readonly UnreadInput[];
  /** Notices about inputs that were read (every format lists them; they do not change the exit code). */
  readonly notices: readonly InputNotice[];
  /** 0: nothing at or above the threshold failed; 1: something did (before `--exit-zero`); 2: an input could not be read, or a live scan could read only some accounts or Regions (the report covers the rest). */
  readonly exitCode: 0 | 1 | 2;
  /** The working directory: SARIF's `%SRCROOT%`. */
  readonly cwd: string;
}

/**
 * Names one check of one resource across runs, stable across edits that move the resource: control,
 * type, file and logical id (or ARN, or name). SARIF's fingerprint, Security Hub's finding `Id`.
 */
export function findingFingerprint(finding: Finding): string {
  const { control, target } = finding;
  return createHash('sha256')
    .update([control.id, target.resourceType, target.location.file ?? '', target.location.logicalId ?? target.location.arn ?? target.name].join('\0'))
    .digest('hex');
}

/** Findings per target, targets in input order. */
export function findingsByTarget(report: ScanReport): Map<ScanTarget, Finding[]> {
  const grouped = new Map<ScanTarget, Finding[]>(report.targets.map((target) => [target, []]));
  for (const finding of report.findings) grouped.get(finding.target)?.push(finding);
  return grouped;
}

/** Failed, not evaluated or suppressed: the findings a person reads the reason of. */
export function needsAttention(finding: Finding): boolean {
  return finding.status === 'failed' || finding.status === 'notEvaluated' || finding.status === 'suppressed';
}

/** `3 files`, `1 file`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Why a run in which nothing failed is still no pass, when it is not: its gate could fail nothing
 * (allowed explicitly), or nothing was checked. Every format says it, and never beside a "✔".
 */
export function emptyGateWarning(report: ScanReport): string | undefined {
  if (gateCannotFail(report.settings)) return `This gate cannot fail: no selected control is ${report.settings.threshold} or above (allowed explicitly)`;
  const files = report.filesScanned + report.filesSkipped.length;
  if (report.targets.length === 0) return `No ECS resource was read${files > 0 ? ` from ${plural(files, 'file')}` : ''}: nothing was checked`;
  if (report.findings.length === 0) return `No selected control applies to the ${plural(report.targets.length, 'resource')} read: nothing was checked`;
  return undefined;
}

/** `template.yaml:12` (or the file alone, or nothing) for an input that could not be read, or a notice. */
export function inputPlace(item: { readonly file?: string; readonly line?: number }): string | undefined {
  if (item.file === undefined) return undefined;
  return item.line === undefined ? item.file : `${item.file}:${item.line}`;
}

/** "accepted until 2027-01-31: legacy image (suppressions.yml:4)", or why it no longer applies. */
export function describeSuppression(finding: Finding): string | undefined {
  const suppression = finding.suppression;
  if (!suppression) return undefined;
  if (suppression.expired) return `suppression expired on ${suppression.expires} (${suppression.where}): ${suppression.reason}`;
  return `${suppression.expires ? `accepted until ${suppression.expires}` : 'accepted'}: ${suppression.reason} (${suppression.where})`;
}
