/**
 * The gate: exit 0 when nothing at or above the threshold fails, 1 when something does, 2 for usage
 * or input errors; `--controls`, `--severity-threshold`, parameters and `--exit-zero`.
 */
import { join } from 'node:path';
import { findingOf, runCli, scanJson, writeTree } from './run-cli';

/** ECS.20 (MEDIUM) fails; ECS.8 (HIGH) fails only with a custom secret key; everything else passes. */
const taskDefinition = {
  taskDefinition: {
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:2',
    family: 'api',
    revision: 2,
    status: 'ACTIVE',
    runtimePlatform: { operatingSystemFamily: 'LINUX' },
    containerDefinitions: [{ name: 'api', image: 'api', user: 'root', readonlyRootFilesystem: true, logConfiguration: { logDriver: 'awslogs' }, environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }],
    volumes: [],
  },
  tags: [{ key: 'team', value: 'api' }],
};

const tree = writeTree({
  'api.json': taskDefinition,
  'parameters.yaml': 'ECS.8:\n  secretKeys: DB_PASSWORD\n',
  'cdk.json': { app: 'npx tsx bin/app.ts', context: { parameters: { 'ECS.8': { secretKeys: 'DB_PASSWORD' } } } },
  'bad-parameters.yaml': 'ECS.8:\n  detectCredentialValues: false\n',
});
afterAll(() => tree.remove());
const api = join(tree.dir, 'api.json');

describe('exit codes', () => {
  test('1 when a finding at or above the threshold fails', async () => {
    expect((await runCli(['scan', api])).code).toBe(1);
    expect((await runCli(['scan', api, '--severity-threshold', 'medium'])).code).toBe(1);
  });

  test('0 when every failure is below the threshold; the failure is still reported', async () => {
    const run = await runCli(['scan', api, '--severity-threshold', 'high']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✘ ECS\.20 +MEDIUM .*running as root: api \(user root\)\. \(below the severity threshold\)/);
    expect(run.stdout).toContain('✔ No failing finding at or above HIGH severity.');
  });

  test('0 when the chosen controls pass', async () => {
    const { code, report } = await scanJson([api, '--controls', 'ECS.4,ECS.5']);

    expect(code).toBe(0);
    expect(report.findings.map((finding) => finding.controlId)).toEqual(['ECS.4', 'ECS.5']);
  });

  test('--exit-zero: 0 despite findings, but input errors still exit 2', async () => {
    expect((await runCli(['scan', api, '--exit-zero'])).code).toBe(0);
    expect((await runCli(['scan', join(tree.dir, 'nothing.json'), '--exit-zero'])).code).toBe(2);
  });

  test.each([
    [['scan'], /name what to scan/],
    [['scan', 'x.json', '--live'], /scan --live reads the account, not files/],
    [['scan', 'x.json', '--region', 'eu-west-1'], /--region and --profile go with --live/],
    [['scan', 'x.json', '--format', 'xml'], /argument 'xml' is invalid/],
    [['scan', 'x.json', '--severity-threshold', 'severe'], /argument 'severe' is invalid/],
    [['scan', 'x.json', '--controls', 'ECS.4,ECS.99'], /--controls: Unknown control "ECS\.99"/],
    [['scan', 'x.json', '--controls', 'ECS.4,ecs-4'], /--controls lists ECS\.4 more than once/],
    [['scan', 'x.json', '--controls', ','], /--controls must name at least one control/],
    [['scan', 'x.json', '--parameter', 'secretKeys=A'], /--parameter takes CONTROL\.NAME=VALUE/],
    [['scan', 'x.json', '--parameter', 'ECS.8.secretkeys=A'], /ECS\.8 has no parameter "secretkeys" \(it takes: secretKeys, detectCredentialValues\)/],
    [['scan', 'x.json', '--parameter', 'ECS.10.latestLinuxVersion=newest'], /ECS\.10 parameter "latestLinuxVersion" must be a version/],
    [['scan', '-', '-'], /standard input \(-\) can be named only once/],
    [['scan', 'x.json', '--no-such-option'], /unknown option '--no-such-option'/],
    [['lint'], /unknown command 'lint'/],
  ])('2 for usage errors: %j', async (argv, message) => {
    const run = await runCli(argv, { cwd: tree.dir });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  test('0 for --help and --version', async () => {
    const help = await runCli(['scan', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 no failing finding at or above the threshold (also when no ECS resource was read:');
    expect(help.stdout).toContain('2 usage or input error, an input that could\nnot be read, or a partial live scan.');
    expect((await runCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('parameters', () => {
  test.each([
    ['--parameter', ['--parameter', 'ECS.8.secretKeys=AWS_SECRET_ACCESS_KEY, DB_PASSWORD']],
    ['a parameters file', ['--parameters-file', 'parameters.yaml']],
    ['a cdk.json (context.parameters, as the rules are deployed)', ['--parameters-file', 'cdk.json']],
  ])('set with %s', async (_, flags) => {
    const { report } = await scanJson([api, '--controls', 'ECS.8', ...flags], { cwd: tree.dir });

    expect(findingOf(report, 'api:2', 'ECS.8')).toMatchObject({ outcome: 'NON_COMPLIANT', reason: expect.stringContaining('api: DB_PASSWORD') });
  });

  test('defaults apply without them', async () => {
    const { report } = await scanJson([api, '--controls', 'ECS.8']);

    expect(findingOf(report, 'api:2', 'ECS.8').outcome).toBe('COMPLIANT');
  });

  test('values are strings, as AWS Config passes them', async () => {
    const run = await runCli(['scan', api, '--parameters-file', 'bad-parameters.yaml'], { cwd: tree.dir });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad-parameters.yaml: ECS.8.detectCredentialValues: parameter values are strings, as AWS Config passes them; quote false');
  });
});

describe('controls', () => {
  test('lists every control from the registry with its parameters', async () => {
    const run = await runCli(['controls']);

    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((line) => /^ECS\.\d+ /.test(line))).toHaveLength(17);
    expect(run.stdout).toMatch(/ECS\.10 +MEDIUM +AWS::ECS::Service +ECS Fargate services should run on the latest Fargate platform version\n +parameters: latestLinuxVersion=1\.4\.0 latestWindowsVersion=1\.0\.0/);
  });
});
