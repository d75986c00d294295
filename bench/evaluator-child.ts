/**
 * Pure evaluator throughput, bundled like a rule and run in its own `node` process (one thread, so
 * the rate is per core): Config items through the Config adapter and every task definition control,
 * with the parameters as AWS Config delivers them (strings, defaults). No I/O.
 * Writes the rates (per CPU second and per wall-clock second) to BENCH_RESULT.
 */
import { writeFileSync } from 'node:fs';
import { configurationItemFromEvent, resourceFromConfigurationItem } from '../lambdas/adapters/config-item';
import { Verdict } from '../lambdas/core/control';
import { defaultParameters } from '../lambdas/core/parameters';
import { CONTROLS } from '../lambdas/controls';
import { taskDefinitionCorpus } from './corpus';

const MEASURE_MS = Number(process.env.BENCH_EVALUATOR_MS ?? 2000);
const WARM_UP_MS = 500;

const controls = CONTROLS.filter((control) => control.resourceType === 'AWS::ECS::TaskDefinition').map((control) => ({
  control,
  parameters: defaultParameters(control.parameters),
}));
const corpus = taskDefinitionCorpus();

/** Evaluates the corpus once; returns how many task definitions it evaluated. */
function evaluateCorpus(verdicts: Verdict[]): number {
  for (const item of corpus) {
    const resource = resourceFromConfigurationItem(configurationItemFromEvent(item));
    for (const { control, parameters } of controls) verdicts.push(control.evaluate(resource, parameters));
  }
  return corpus.length;
}

/**
 * Runs for `milliseconds` of wall time; the verdicts are checked so no work can be optimized away.
 * CPU time is measured too: on a busy machine the process does not run all the time, and per core
 * means per second of CPU the evaluator actually got.
 */
function runFor(milliseconds: number): { resources: number; seconds: number; cpuSeconds: number } {
  let resources = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (performance.now() - start < milliseconds) {
    const verdicts: Verdict[] = [];
    resources += evaluateCorpus(verdicts);
    const undecided = verdicts.find((verdict) => verdict.compliance === 'NOT_EVALUATED');
    if (undecided) throw new Error(`the corpus must be evaluable: ${undecided.annotation}`);
  }
  const cpu = process.cpuUsage(cpuStart);
  return { resources, seconds: (performance.now() - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

runFor(WARM_UP_MS);
const { resources, seconds, cpuSeconds } = runFor(MEASURE_MS);
writeFileSync(
  String(process.env.BENCH_RESULT),
  JSON.stringify({
    taskDefinitionsPerCpuSecond: resources / cpuSeconds,
    taskDefinitionsPerSecond: resources / seconds,
    resources,
    corpus: corpus.length,
    controls: controls.map(({ control }) => control.id),
  }),
);
