/**
 * What one change notification costs each rule function: the AWS calls it makes, the evaluations it
 * reports and the log bytes it writes. These are the figures the cost command prices (cli/cost.ts);
 * `npm run bench` measures the calls and evaluations on its scenarios and fails when they differ from
 * these, and test/runtime/work-per-event.test.ts runs every handler on the same scenarios in each
 * build, so neither the code nor this module can change alone.
 */
import { Control } from '../core/control';

/** `service:Operation` → calls, for one change notification. */
export type CallCounts = Readonly<Record<string, number>>;

/** The kinds of call in `measured` that exceed `declared` (more calls, or a kind not declared), as `kind: measured > declared`. */
export function callsBeyond(measured: CallCounts, declared: CallCounts): string[] {
  return Object.entries(measured)
    .filter(([kind, count]) => count > (declared[kind] ?? 0))
    .map(([kind, count]) => `${kind}: ${count} > ${declared[kind] ?? 0}`);
}

/**
 * The calls one change notification of the control's resource type makes, at most: a task definition
 * rule lists the family's ACTIVE revisions (one page holds 100), a rule whose verdict can turn on the
 * task definition's OS family (ECS.10) may describe it (most services are decided without), every rule reports once with PutEvaluations.
 */
export function callsPerChangeEvent(control: Control): CallCounts {
  if (control.resourceType === 'AWS::ECS::TaskDefinition') return { 'ecs:ListTaskDefinitions': 1, 'config:PutEvaluations': 1 };
  if (control.lookups?.includes('taskDefinitionOperatingSystemFamily')) return { 'ecs:DescribeTaskDefinition': 1, 'config:PutEvaluations': 1 };
  return { 'config:PutEvaluations': 1 };
}

/**
 * The evaluations one change notification reports: its own result and, for the latest revision of a
 * task definition family, a NOT_APPLICABLE for every older ACTIVE revision (supersession retirement,
 * ./decisions.ts), sent again with each new revision.
 */
export function evaluationsPerChangeEvent(control: Control, olderActiveRevisions: number): number {
  return control.resourceType === 'AWS::ECS::TaskDefinition' ? 1 + olderActiveRevisions : 1;
}

/** At most the compliance types one change notification's evaluations fall in: the `Evaluations` metric records it publishes (./log.ts). */
export function metricRecordsPerChangeEvent(control: Control, olderActiveRevisions: number): number {
  return control.resourceType === 'AWS::ECS::TaskDefinition' && olderActiveRevisions > 0 ? 2 : 1;
}

/**
 * Log bytes, upper bounds. The function's own lines are measured by test/runtime/work-per-event.test.ts:
 * one `evaluation` line per evaluation (the bench's annotations; one naming many containers is
 * longer), one embedded-metric record per compliance type. Lambda adds
 * its START, END and REPORT lines to every invocation (plain text, the function's log format;
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html), about 90, 60 and 250
 * bytes with a cold start's `Init Duration`.
 */
export const LOG_BYTES = {
  perEvaluationLine: 1_000,
  perMetricRecord: 500,
  platformLinesPerInvocation: 400,
} as const;

/** The log bytes one invocation writes for `evaluations` evaluations in `metricRecords` compliance types. */
export function logBytesPerInvocation(evaluations: number, metricRecords: number): number {
  return LOG_BYTES.platformLinesPerInvocation + evaluations * LOG_BYTES.perEvaluationLine + metricRecords * LOG_BYTES.perMetricRecord;
}

/**
 * Billed time of one invocation, counted as a cold start: at a few changes a day per account and
 * Region, an execution environment is rarely still there for the next event, and the INIT phase is
 * billed since 2025-08-01 (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/).
 * From `npm run bench` (bench/results/latest.json, Node.js 20, commit ab7370a): the slowest rule's
 * median cold start (process start, import, first event: 292 ms), rounded up. Measured on a full
 * core; a 128 MB function has a fraction of one, so it is a floor (docs/cost.md).
 * test/runtime/work-per-event.test.ts fails when a committed bench run exceeds it.
 */
export const BILLED_MS_PER_INVOCATION = 300;
