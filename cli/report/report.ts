/** What every output format shares: its signature and the words and symbols it shows a status with. */
import { ResourceType } from '../../lambdas/core/model';
import { FindingStatus } from '../../scan/evaluate';
import { ScanReport } from '../../scan/report';
import type { AwsScope } from './security-findings';

export interface FormatOptions {
  /** ANSI colours (a terminal, no NO_COLOR). */
  readonly color: boolean;
  /** SARIF: list passing and not-applicable checks too, not only the findings that need attention. */
  readonly includePassing?: boolean;
  /** Table: only the findings that fail the gate, and the verdict. */
  readonly quiet?: boolean;
  /** When the scan ran (OCSF `time`, ASFF `UpdatedAt`); default now. */
  readonly now?: Date;
  /** ASFF: the caller's account and Region (STS GetCallerIdentity), where findings without their own go. */
  readonly aws?: AwsScope;
}

export type Formatter = (report: ScanReport, options: FormatOptions) => string;

/**
 * A format whose report can run to hundreds of megabytes (OCSF's event per finding): its text in
 * pieces, in order, written as they come so the whole text is never held.
 */
export type PiecewiseFormatter = (report: ScanReport, options: FormatOptions) => Iterable<string>;

/** What a format gives: its whole text, or its pieces. */
export type FormattedReport = string | Iterable<string>;

/** Every piece of a report to `write`, in order. */
export function writeReport(text: FormattedReport, write: (piece: string) => void): void {
  if (typeof text === 'string') write(text);
  else for (const piece of text) write(piece);
}

/** A report's whole text (for tests, and readers that need it at once). */
export function reportText(text: FormattedReport): string {
  const pieces: string[] = [];
  writeReport(text, (piece) => pieces.push(piece));
  return pieces.join('');
}

export const RESOURCE_TYPE_LABELS: Readonly<Record<ResourceType, string>> = {
  'AWS::ECS::TaskDefinition': 'Task definitions',
  'AWS::ECS::Service': 'Services',
  'AWS::ECS::Cluster': 'Clusters',
  'AWS::ECS::TaskSet': 'Task sets',
  'AWS::ECS::CapacityProvider': 'Capacity providers',
};

export const STATUS_SYMBOLS: Readonly<Record<FindingStatus, string>> = {
  passed: '✔',
  failed: '✘',
  notEvaluated: '?',
  suppressed: '⊘',
  notApplicable: '·',
};

export const STATUS_WORDS: Readonly<Record<FindingStatus, string>> = {
  passed: 'passed',
  failed: 'failed',
  notEvaluated: 'not evaluated',
  suppressed: 'suppressed',
  notApplicable: 'not applicable',
};
