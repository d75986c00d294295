/**
 * The member template's functions are the real thing: synthesized with esbuild, each bundle the
 * StackSet deploys (found through the member template's S3 key and the asset manifest that uploads
 * it) runs in its own Node.js process against the loopback AWS endpoint, on recorded task-definition
 * items, and reports exactly what the evaluator in this process reports for the same event.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { ecs20 } from '../../lambdas/controls/ecs-20';
import { ecs4 } from '../../lambdas/controls/ecs-4';
import { Control } from '../../lambdas/core/control';
import { createRuleHandler } from '../../lambdas/runtime/rule-handler';
import { loadFixture } from '../fixtures/load';
import { changeEventFor, TASK_DEFINITION_ARN } from '../../dev-support/events';
import { AwsLoopback, useLoopbackEnvironment } from '../../dev-support/aws-loopback';
import { capturingOutput } from '../capture-output';
import { memberCodeManifest, memberTemplateOf, synthOrganization } from './organization-fleet';
import { resourcesOfType } from './template-json';
import { lambdaContext } from '../runtime/loopback-harness';

const run = promisify(execFile);
const { result: { app, stack }, printed: bundlingLog } = capturingOutput(() => synthOrganization({}, { controls: ['ECS.4', 'ECS.20'] }, { bundle: true }));
const member = memberTemplateOf(stack);
const files = memberCodeManifest(stack).files ?? {};
const assemblyDir = (app as App).synth().directory;

/** The bundle the member template's function for `control` runs: S3 key → manifest entry → staged directory. */
function bundleOf(control: Control): string {
  const [, fn] = resourcesOfType(member, 'AWS::Lambda::Function').find(([, candidate]) => candidate.Properties.FunctionName === `ecs-config-rules-${control.slug}`)!;
  const [entry] = Object.values(files).filter((file) => Object.values(file.destinations).every((destination) => destination.objectKey === fn.Properties.Code.S3Key));
  return path.join(assemblyDir, entry.source.path!, 'index.mjs');
}

let aws: AwsLoopback;
let restoreEnvironment: () => void;

beforeEach(async () => {
  aws = new AwsLoopback();
  restoreEnvironment = useLoopbackEnvironment(await aws.start());
  aws.on('PutEvaluations', () => ({ FailedEvaluations: [] }));
  aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [TASK_DEFINITION_ARN('checkout-api', 7)] }));
});

afterEach(async () => {
  jest.restoreAllMocks();
  restoreEnvironment();
  await aws.stop();
});

/** Invokes the bundle as Lambda's Node.js runtime would: import the ES module, call `handler(event, context)`. */
async function invokeBundle(bundle: string, event: unknown): Promise<void> {
  const invoke = 'const { handler } = await import(process.argv[1]); await handler(JSON.parse(process.argv[2]), JSON.parse(process.argv[3]));';
  await run(process.execPath, ['--input-type=module', '-e', invoke, bundle, JSON.stringify(event), JSON.stringify(lambdaContext())], { env: process.env });
}

async function evaluationsInProcess(control: Control, event: Record<string, unknown>): Promise<unknown[]> {
  const before = aws.callsOf('PutEvaluations').length;
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  await createRuleHandler(control)(event, lambdaContext());
  jest.restoreAllMocks();
  return aws.callsOf('PutEvaluations').slice(before).flatMap((call) => call.body.Evaluations as unknown[]);
}

const CASES: Array<[string, Control, string, string]> = [
  ['ECS.20, a container without a user', ecs20, 'checkout-api', 'NON_COMPLIANT'],
  ['ECS.20, hardened', ecs20, 'checkout-api-hardened', 'COMPLIANT'],
  ['ECS.4, not privileged', ecs4, 'checkout-api', 'COMPLIANT'],
];

test('the member template bundles its functions from source: one line each from the CDK, nothing else', () => {
  expect(bundlingLog.split('\n').filter(Boolean)).toEqual(['ECS.4', 'ECS.20'].map((id) => `Bundling asset Central/ControlRules/Organization/MemberTemplate/${id}/Function/Code/Stage...`));
});

test.each(CASES)('%s: the member bundle reports what the evaluator reports', async (_name, control, fixture, verdict) => {
  const event = changeEventFor(loadFixture('config-item', fixture) as Record<string, unknown>);
  await invokeBundle(bundleOf(control), event);
  const fromBundle = aws.callsOf('PutEvaluations').flatMap((call) => call.body.Evaluations as Array<{ ComplianceType: string }>);
  expect(fromBundle.map((evaluation) => evaluation.ComplianceType)).toContain(verdict);
  expect(await evaluationsInProcess(control, event)).toEqual(fromBundle);
});
