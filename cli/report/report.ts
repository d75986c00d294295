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
