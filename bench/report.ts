/** The benchmark's JSON shape and its table. */
import { markdownTable } from '../cli/report/markdown-table';
import { ColdStartMeasurement, RuleMeasurement, TARGETS, TargetCheck } from './targets';

export interface ReferenceMeasurement extends ColdStartMeasurement {
  readonly name: string;
}

/** What bench/evaluator-child.ts measures. */
export interface EvaluatorResult {
  /** Per second of CPU the evaluator process used: per core, whatever else the machine runs. */
  readonly taskDefinitionsPerCpuSecond: number;
  readonly taskDefinitionsPerSecond: number;
  readonly corpus: number;
  readonly controls: readonly string[];
}

export interface BenchReport {
  readonly machine: { cpu: string; cores: number; node: string; platform: string; commit: string | undefined; date: string };
  readonly settings: { runs: number; warmInvocations: number; bundling: unknown };
  readonly targets: typeof TARGETS;
  readonly baseline: { bareNodeMs: number; bareNodeCpuMs: number; bareNodePeakRssBytes: number; sdkFloorMs: number; sdkFloorCpuMs: number };
  readonly rules: readonly (RuleMeasurement & { targets: readonly TargetCheck[] })[];
  readonly references: readonly ReferenceMeasurement[];
  readonly evaluator: EvaluatorResult & { met: boolean };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const ms = (milliseconds: number) => milliseconds.toFixed(1);
const ratio = (value: number) => `${value.toFixed(2)}×`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const calls = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ') || 'none';

export function formatReport(report: BenchReport): string {
  const { baseline } = report;
  const rules = markdownTable(
    ['rule', 'bundle KB', 'cold start ms', '× SDK floor', 'CPU × floor', '× bare node', 'CPU × bare', 'peak RSS MB', 'warm p50 ms', 'warm p99 ms', 'API calls per change event', 'targets'],
    report.rules.map((rule) => [
      rule.rule,
      kb(rule.bundleBytes),
      ms(rule.coldStartMs),
      ratio(rule.coldStartVsFloor),
      ratio(rule.coldStartCpuVsFloor),
      ratio(rule.coldStartRatio),
      ratio(rule.coldStartCpuRatio),
      mb(rule.peakRssBytes),
      ms(rule.warmP50Ms),
      ms(rule.warmP99Ms),
      calls(rule.callsPerEvent) + (rule.repeatedCalls.length ? ` (REPEATED: ${rule.repeatedCalls.join('; ')})` : ''),
      rule.targets.every((check) => check.met) ? 'all met' : `missed: ${rule.targets.filter((check) => !check.met).map((check) => check.target).join('; ')}`,
    ]),
  );
  const references = markdownTable(
    ['reference', 'bundle KB', 'cold start ms', '× bare node', 'CPU × bare', 'peak RSS MB', 'API calls'],
    [
      ['bare `node -e 0`', '-', ms(baseline.bareNodeMs), ratio(1), ratio(1), mb(baseline.bareNodePeakRssBytes), 'none'],
      ...report.references.map((reference) => [
        reference.name,
        kb(reference.bundleBytes),
        ms(reference.coldStartMs),
        ratio(reference.coldStartRatio),
        ratio(reference.coldStartCpuRatio),
        mb(reference.peakRssBytes),
        calls(reference.callsPerEvent),
      ]),
    ],
  );
  const { machine, evaluator } = report;
  return [
    `Machine: ${machine.cpu} (${machine.cores} cores), node ${machine.node}, ${machine.platform}; commit ${machine.commit ?? 'unknown'}; ${report.settings.runs} cold starts per rule (medians), ${report.settings.warmInvocations} warm invocations.`,
    '',
    rules,
    '',
    references,
    '',
    `Evaluator: ${count(evaluator.taskDefinitionsPerCpuSecond)} task definitions per CPU second (${count(evaluator.taskDefinitionsPerSecond)} per wall-clock second) on one thread, Config items through the Config adapter and the ${evaluator.controls.length} task definition controls (target ≥ ${count(TARGETS.taskDefinitionsPerSecond)}: ${evaluator.met ? 'met' : 'MISSED'}).`,
    '',
  ].join('\n');
}
