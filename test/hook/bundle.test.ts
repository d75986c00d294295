/**
 * The hook function as it deploys: `hook/handler.ts` bundled with the construct's esbuild
 * settings (`HOOK_BUNDLING`), loaded by plain Node.js in its own process, answering the documented
 * requests, with its AWS SDK pointed at the loopback endpoint for ECS.10's lookup.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundle } from '../../bench/bundles';
import { HOOK_SETTINGS_VARIABLE } from '../../hook/hook-settings';
import { HOOK_BUNDLING } from '../../lib/bundling';
import { loadFixture } from '../fixtures/load';
import { AwsLoopback, useLoopbackEnvironment } from '../../dev-support/aws-loopback';

const run = promisify(execFile);

const VARIANTS = [
  'create-task-definition-privileged',
  'update-task-definition-root-user',
  'create-service-public',
  'create-service-old-platform',
  'create-cluster-without-insights',
  'create-task-definition-hardened',
  'update-service-hardened',
  'create-s3-bucket',
] as const;

/** Loads the bundle as Lambda's Node.js runtime does (an ES module) and answers each request in turn. */
const INVOKER = `
const { handler } = (await import(process.argv[1])).default;
const answers = [];
for (const event of JSON.parse(process.argv[2])) answers.push(await handler(event, {}));
process.stdout.write('ANSWERS ' + JSON.stringify(answers) + '\\n');
`;

let answers: Record<string, any>;
const aws = new AwsLoopback();

beforeAll(async () => {
  const { file } = await bundle('hook', 'hook/handler.ts', HOOK_BUNDLING);
  aws.on('DescribeTaskDefinition', (body) => ({ taskDefinition: { taskDefinitionArn: body.taskDefinition, family: 'checkout-api', revision: 7, containerDefinitions: [] } }));
  const restore = useLoopbackEnvironment(await aws.start());
  try {
    const events = VARIANTS.map((variant) => loadFixture('cloudformation-hook', variant));
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', INVOKER, file, JSON.stringify(events)], {
      env: { ...process.env, [HOOK_SETTINGS_VARIABLE]: JSON.stringify({ severityThreshold: 'LOW' }) },
      cwd: join(__dirname, '..', '..'),
    });
    const line = stdout.split('\n').find((text) => text.startsWith('ANSWERS '));
    const list = JSON.parse(line!.slice('ANSWERS '.length));
    answers = Object.fromEntries(VARIANTS.map((variant, index) => [variant, list[index]]));
  } finally {
    restore();
  }
}, 120_000);

afterAll(() => aws.stop());

test.each([
  ['create-task-definition-privileged', 'ECS.4'],
  ['update-task-definition-root-user', 'ECS.20'],
  ['create-service-public', 'ECS.2'],
  ['create-service-old-platform', 'ECS.10'],
  ['create-cluster-without-insights', 'ECS.12'],
])('the bundled hook refuses %s with NonCompliant naming %s', (variant, control) => {
  expect(answers[variant]).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant', clientRequestToken: (loadFixture('cloudformation-hook', variant) as any).clientRequestToken });
  expect(answers[variant].message).toContain(`${control} (`);
});

test.each(['create-task-definition-hardened', 'update-service-hardened', 'create-s3-bucket'])('the bundled hook passes %s', (variant) => {
  expect(answers[variant]).toMatchObject({ hookStatus: 'SUCCESS' });
});

test('the bundled hook made its ECS.10 lookup through the SDK, only for the service whose verdict turns on the OS family', () => {
  // The two services on 1.4.0 (at least every OS family's latest) are decided without it.
  expect(aws.callsOf('DescribeTaskDefinition').map((call) => call.body.taskDefinition)).toEqual([
    (loadFixture('cloudformation-hook', 'create-service-old-platform') as any).requestData.targetModel.resourceProperties.TaskDefinition,
  ]);
});
