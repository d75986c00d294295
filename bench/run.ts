/**
 * `npm run bench`: bundle sizes, cold start and peak memory, warm latency, API calls per change
 * event for every rule, and the evaluator's throughput, all measured in one run with the baselines
 * (the SDK floor, bare `node -e 0`) taken in the same run and interleaved with the measurements, so
 * load on the machine affects both sides of each ratio alike. Prints a table; writes JSON to compare
 * over time.
 *
 *   npm run bench -- [--runs 21] [--warm 200] [--rules ecs-20,ecs-12] [--out bench/results/latest.json] [--node /path/to/node]
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { CONTROLS } from '../lambdas/controls';
import { Control } from '../lambdas/core/control';
import { RULE_BUNDLING } from '../lib/bundling';
import { AwsLoopback, RecordedCall } from '../dev-support/aws-loopback';
import { Bundle, bundle, handlerEntry, REPO_ROOT } from './bundles';
import { BARE_NODE_ARGS, BARE_NODE_REPORT_ARGS, childEnvironment, median, percentile, runNode } from './processes';
import { BenchReport, EvaluatorResult, formatReport } from './report';
import { callsBeyond, callsPerChangeEvent, evaluationsPerChangeEvent } from '../lambdas/runtime/work-per-event';
import { callsByKind, evaluationsReported, lambdaEnvironment, OLDER_ACTIVE_REVISIONS, repeatedEcsReads, ruleEventFor, startLoopback } from './scenarios';
import { checkRule, RuleMeasurement, TARGETS } from './targets';

const INVOKE_CHILD = path.join(__dirname, 'invoke-child.mjs');

interface Options {
  readonly runs: number;
  readonly warm: number;
  readonly controls: readonly Control[];
  readonly out: string;
  readonly node: string;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '21' },
      warm: { type: 'string', default: '200' },
      rules: { type: 'string' },
      out: { type: 'string', default: path.join('bench', 'results', 'latest.json') },
      node: { type: 'string', default: process.execPath },
    },
  });
  const positive = (name: string, raw: string) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    return value;
  };
  const slugs = values.rules?.split(',').map((slug) => slug.trim());
  const unknown = slugs?.filter((slug) => !CONTROLS.some((control) => control.slug === slug)) ?? [];
  if (unknown.length > 0) throw new Error(`--rules: unknown ${unknown.join(', ')}; known: ${CONTROLS.map((control) => control.slug).join(', ')}`);
  return {
    runs: positive('runs', values.runs),
    warm: positive('warm', values.warm),
    controls: slugs ? CONTROLS.filter((control) => slugs.includes(control.slug)) : CONTROLS,
    out: path.resolve(values.out),
    node: values.node,
  };
}

/** Something whose cold start is measured: a bundle and the event it handles (for a rule, its control). */
interface Subject {
  readonly bundle: Bundle;
  readonly event: Record<string, unknown>;
  readonly control?: Control;
}

/**
 * A rule must do no more than the figures the cost command prices (lambdas/runtime/work-per-event.ts):
 * a bench run that measures more fails, naming what to update.
 */
function checkAgainstCostFigures(subject: Subject, calls: readonly RecordedCall[]): void {
  if (!subject.control) return;
  const beyond = callsBeyond(callsByKind(calls), callsPerChangeEvent(subject.control));
  const evaluations = evaluationsReported(calls);
  const declared = evaluationsPerChangeEvent(subject.control, OLDER_ACTIVE_REVISIONS);
  if (beyond.length > 0 || evaluations !== declared) {
    throw new Error(
      `${subject.bundle.name} no longer does what lambdas/runtime/work-per-event.ts says (the cost command's figures): calls ${beyond.join(', ') || 'as declared'}; ${evaluations} evaluations reported, ${declared} declared`,
    );
  }
}

interface ColdStarts {
  readonly wallMs: number[];
  readonly cpuMs: number[];
  readonly rssKb: number[];
  readonly calls: Record<string, number>;
  readonly repeated: string[];
}

/** What a process reports about itself (bench/invoke-child.mjs, BARE_NODE_REPORT_ARGS). */
interface ProcessReport {
  readonly maxRssKb: number;
  readonly cpuMs: number;
  readonly warmMs?: number[];
}

/** The reference the targets are measured against: the SDK floor, bundled exactly like the rules. */
const SDK_FLOOR = 'sdk-floor';

/**
 * The reference bundlings: the SDK floor (the target's reference), the same floor with the SDK left
 * external so the Lambda runtime's copy loads (the bundling decision), a rule as CommonJS (the format
 * decision), an empty handler and two raw HTTP calls (what any handler pays before its client).
 */
async function referenceBundles(): Promise<Bundle[]> {
  const sdkFloor = 'bench/reference/sdk-floor.ts';
  return [
    await bundle(SDK_FLOOR, sdkFloor),
    await bundle('sdk-floor-runtime-copy', sdkFloor, { ...RULE_BUNDLING, externalModules: ['@aws-sdk/*'] }),
    await bundle('ecs-20-as-commonjs', handlerEntry('ecs-20'), { ...RULE_BUNDLING, format: OutputFormat.CJS }),
    await bundle('empty-handler', 'bench/reference/empty-handler.ts'),
    await bundle('two-raw-http-calls', 'bench/reference/two-calls-floor.ts'),
  ];
}

/**
 * Rounds over all subjects; each subject's run is preceded by a bare `node -e 0`, so the baseline is
 * sampled as often, and under the same conditions, as what it is compared with. Once a round, a bare
 * node reports its own CPU time and peak memory, the baselines of those.
 */
async function measureColdStarts(subjects: readonly Subject[], aws: AwsLoopback, env: Record<string, string>, options: Options) {
  const bare: ColdStarts = { wallMs: [], cpuMs: [], rssKb: [], calls: {}, repeated: [] };
  const results = new Map<string, ColdStarts>(subjects.map((subject) => [subject.bundle.name, { wallMs: [], cpuMs: [], rssKb: [], calls: {}, repeated: [] }]));
  for (let round = 0; round < options.runs; round++) {
    const bareReport = requireResult((await runNode<ProcessReport>(options.node, BARE_NODE_REPORT_ARGS, childEnvironment(env))).result, 'bare node');
    bare.cpuMs.push(bareReport.cpuMs);
    bare.rssKb.push(bareReport.maxRssKb);
    for (const subject of subjects) {
      bare.wallMs.push((await runNode(options.node, BARE_NODE_ARGS, childEnvironment(env))).wallMs);
      const firstCall = aws.calls.length;
      const run = await runNode<ProcessReport>(options.node, [INVOKE_CHILD, subject.bundle.file], childEnvironment({ ...env, BENCH_EVENT: JSON.stringify(subject.event) }));
      const measured = results.get(subject.bundle.name) as ColdStarts;
      const report = requireResult(run.result, subject.bundle.name);
      measured.wallMs.push(run.wallMs);
      measured.cpuMs.push(report.cpuMs);
      measured.rssKb.push(report.maxRssKb);
      const calls = aws.calls.slice(firstCall);
      if (round === 0) {
        checkAgainstCostFigures(subject, calls);
        Object.assign(measured.calls, callsByKind(calls));
        measured.repeated.push(...repeatedEcsReads(calls));
      } else if (JSON.stringify(callsByKind(calls)) !== JSON.stringify(measured.calls)) {
        throw new Error(`${subject.bundle.name} made different calls in round ${round + 1}: ${JSON.stringify(callsByKind(calls))} vs ${JSON.stringify(measured.calls)}`);
      }
    }
    progress(`cold starts: round ${round + 1}/${options.runs}`);
  }
  return { bare, results };
}

/** One progress line on stderr, rewritten in place on a terminal. */
function progress(message: string): void {
  process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${message}` : `${message}\n`);
}

function requireResult(result: ProcessReport | undefined, what: string): ProcessReport {
  if (!result) throw new Error(`${what} reported no result`);
  return result;
}

async function measureWarm(subject: Subject, env: Record<string, string>, options: Options) {
  const run = await runNode<ProcessReport>(options.node, [INVOKE_CHILD, subject.bundle.file], childEnvironment({ ...env, BENCH_EVENT: JSON.stringify(subject.event), BENCH_WARM: String(options.warm) }));
  const warmMs = requireResult(run.result, subject.bundle.name).warmMs ?? [];
  return { p50: percentile(warmMs, 50), p99: percentile(warmMs, 99) };
}

async function measureEvaluator(options: Options) {
  const evaluator = await bundle('evaluator', 'bench/evaluator-child.ts');
  const run = await runNode<EvaluatorResult>(options.node, [evaluator.file], childEnvironment({}));
  if (!run.result) throw new Error('the evaluator benchmark reported no result');
  return run.result;
}

function machine(options: Options) {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: execFileSync(options.node, ['--version'], { encoding: 'utf8' }).trim(),
    platform: `${process.platform} ${process.arch}`,
    commit: gitCommit(),
    date: new Date().toISOString(),
  };
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  progress(`bundling ${options.controls.length} rules and the references`);
  const ruleSubjects: Subject[] = [];
  for (const control of options.controls) ruleSubjects.push({ bundle: await bundle(control.slug, handlerEntry(control.slug)), event: ruleEventFor(control), control });
  const referenceEvent = ruleEventFor(CONTROLS.find((control) => control.resourceType === 'AWS::ECS::TaskDefinition') as Control);
  const referenceSubjects = (await referenceBundles()).map((reference) => ({ bundle: reference, event: referenceEvent }));

  const { aws, endpoint } = await startLoopback();
  try {
    const env = lambdaEnvironment(endpoint);
    const cold = await measureColdStarts([...referenceSubjects, ...ruleSubjects], aws, env, options);
    const bareMs = median(cold.bare.wallMs);
    const bareCpuMs = median(cold.bare.cpuMs);
    const summarize = (subject: Subject) => {
      const measured = cold.results.get(subject.bundle.name) as ColdStarts;
      const coldStartMs = median(measured.wallMs);
      const coldStartCpuMs = median(measured.cpuMs);
      return {
        bundleBytes: subject.bundle.bytes,
        coldStartMs,
        coldStartRatio: coldStartMs / bareMs,
        coldStartCpuMs,
        coldStartCpuRatio: coldStartCpuMs / bareCpuMs,
        peakRssBytes: median(measured.rssKb) * 1024,
        callsPerEvent: measured.calls,
        repeatedCalls: measured.repeated,
      };
    };
    const floor = cold.results.get(SDK_FLOOR) as ColdStarts;
    const floorMs = median(floor.wallMs);
    const floorCpuMs = median(floor.cpuMs);
    const rules: RuleMeasurement[] = [];
    for (const subject of ruleSubjects) {
      progress(`warm invocations: ${subject.bundle.name}`);
      const warm = await measureWarm(subject, env, options);
      const measured = summarize(subject);
      rules.push({ rule: subject.bundle.name, ...measured, coldStartVsFloor: measured.coldStartMs / floorMs, coldStartCpuVsFloor: measured.coldStartCpuMs / floorCpuMs, warmP50Ms: warm.p50, warmP99Ms: warm.p99 });
    }
    progress('evaluator throughput');
    const evaluator = await measureEvaluator(options);

    const report: BenchReport = {
      machine: machine(options),
      settings: { runs: options.runs, warmInvocations: options.warm, bundling: RULE_BUNDLING },
      targets: TARGETS,
      baseline: { bareNodeMs: bareMs, bareNodeCpuMs: bareCpuMs, bareNodePeakRssBytes: median(cold.bare.rssKb) * 1024, sdkFloorMs: floorMs, sdkFloorCpuMs: floorCpuMs },
      rules: rules.map((rule) => ({ ...rule, targets: checkRule(rule) })),
      references: referenceSubjects.map((subject) => ({ name: subject.bundle.name, ...summarize(subject) })),
      evaluator: { ...evaluator, met: evaluator.taskDefinitionsPerCpuSecond >= TARGETS.taskDefinitionsPerSecond },
    };
    progress('done');
    process.stdout.write(`${process.stderr.isTTY ? '\n' : ''}${formatReport(report)}`);
    mkdirSync(path.dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\nJSON written to ${path.relative(process.cwd(), options.out)}\n`);
  } finally {
    await aws.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
