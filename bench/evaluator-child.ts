/**
 * Pure evaluator throughput, bundled like a rule and run in its own `node` process (one thread, so
 * the rate is per core): Config items through the Config adapter and every task definition control,
 * with the parameters as AWS Config delivers them (strings, defaults). No I/O.
 * Writes `{ taskDefinitionsPerSecond, resources, seconds }` to BENCH_RESULT.
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

/** Runs for `milliseconds`; the verdicts are checked so no work can be optimized away. */
function runFor(milliseconds: number): { resources: number; seconds: number } {
  let resources = 0;
  const start = performance.now();
  while (performance.now() - start < milliseconds) {
    const verdicts: Verdict[] = [];
    resources += evaluateCorpus(verdicts);
    if (verdicts.some((verdict) => verdict.compliance === 'NOT_EVALUATED')) throw new Error(`the corpus must be evaluable: ${JSON.stringify(verdicts.find((verdict) => verdict.compliance === 'NOT_EVALUATED'))}`);
  }
  return { resources, seconds: (performance.now() - start) / 1000 };
}

runFor(WARM_UP_MS);
const { resources, seconds } = runFor(MEASURE_MS);
writeFileSync(String(process.env.BENCH_RESULT), JSON.stringify({ taskDefinitionsPerSecond: resources / seconds, resources, seconds, controls: controls.map(({ control }) => control.id) }));
