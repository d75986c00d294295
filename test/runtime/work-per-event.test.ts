/**
 * The figures the cost command prices (lambdas/runtime/work-per-event.ts) against the real handlers:
 * every rule, on the bench's change event for its resource type (bench/scenarios.ts: a task
 * definition with two older ACTIVE revisions), through the real SDK to a loopback endpoint.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONTROLS } from '../../lambdas/controls';
import { createRuleHandler } from '../../lambdas/runtime/rule-handler';
import { BILLED_MS_PER_INVOCATION, callsBeyond, callsPerChangeEvent, evaluationsPerChangeEvent, LOG_BYTES, metricRecordsPerChangeEvent } from '../../lambdas/runtime/work-per-event';
import { AwsLoopback, useLoopbackEnvironment } from '../../dev-support/aws-loopback';
import { callsByKind, OLDER_ACTIVE_REVISIONS, ruleEventFor, startLoopback } from '../../bench/scenarios';
import { lambdaContext } from './loopback-harness';

let aws: AwsLoopback;
let restoreEnvironment: () => void;
let written: string[];

beforeEach(async () => {
  const loopback = await startLoopback();
  aws = loopback.aws;
  restoreEnvironment = useLoopbackEnvironment(loopback.endpoint);
  written = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
  }
});

afterEach(async () => {
  jest.restoreAllMocks();
  restoreEnvironment();
  await aws.stop();
});

describe.each(CONTROLS.map((control) => [control.id, control] as const))('%s on one change notification', (_id, control) => {
  const invoke = () => createRuleHandler(control)(ruleEventFor(control), lambdaContext());
  const reported = () => aws.callsOf('PutEvaluations').flatMap((call) => call.body.Evaluations as Array<{ ComplianceType: string }>);

  test('makes no call beyond those and reports the evaluations the cost command counts', async () => {
    await invoke();

    expect(callsBeyond(callsByKind(aws.calls), callsPerChangeEvent(control))).toEqual([]);
    expect(callsByKind(aws.calls)['config:PutEvaluations']).toBe(1);
    expect(reported()).toHaveLength(evaluationsPerChangeEvent(control, OLDER_ACTIVE_REVISIONS));
    expect(new Set(reported().map((evaluation) => evaluation.ComplianceType)).size).toBeLessThanOrEqual(metricRecordsPerChangeEvent(control, OLDER_ACTIVE_REVISIONS));
  });

  test('writes no more log bytes than the cost command counts', async () => {
    await invoke();

    const lines = written.join('').split('\n').filter((line) => line.length > 0);
    const metricLines = lines.filter((line) => line.includes('"_aws"'));
    const evaluationLines = lines.filter((line) => line.includes('"message":"evaluation"'));
    expect(evaluationLines).toHaveLength(evaluationsPerChangeEvent(control, OLDER_ACTIVE_REVISIONS));
    expect(metricLines.length).toBeLessThanOrEqual(metricRecordsPerChangeEvent(control, OLDER_ACTIVE_REVISIONS));
    expect(lines).toHaveLength(evaluationLines.length + metricLines.length);
    for (const line of evaluationLines) expect(Buffer.byteLength(line) + 1).toBeLessThanOrEqual(LOG_BYTES.perEvaluationLine);
    for (const line of metricLines) expect(Buffer.byteLength(line) + 1).toBeLessThanOrEqual(LOG_BYTES.perMetricRecord);
  });
});

test('the billed time per invocation covers every rule\'s median cold start in the committed quiet-machine bench run', () => {
  const run = JSON.parse(readFileSync(path.join(__dirname, '../../bench/results/latest.json'), 'utf8')) as { rules: Array<{ coldStartMs: number }> };

  expect(run.rules).toHaveLength(CONTROLS.length);
  expect(Math.max(...run.rules.map((rule) => rule.coldStartMs))).toBeLessThanOrEqual(BILLED_MS_PER_INVOCATION);
});
