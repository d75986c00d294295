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

describe('a gate that cannot fail', () => {
  test.each([
    [['--severity-threshold', 'critical'], '--severity-threshold CRITICAL can fail nothing: no control is CRITICAL or above, the most severe being HIGH; lower the threshold.'],
    [['--controls', 'ECS.20,ECS.15', '--severity-threshold', 'high'], '--severity-threshold HIGH can fail nothing: none of the controls selected by --controls (ECS.15, ECS.20) is HIGH or above, the most severe being MEDIUM;'],
  ])('is refused, naming the setting: %j', async (flags, message) => {
    const run = await runCli(['scan', api, ...flags]);

    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Set --allow-empty-gate (or allowEmptyGate: true in .ecs-config-rules.yml) to run a gate that cannot fail.');
  });

  test('is refused when the config file sets it, naming the file, line and key', async () => {
    const config = writeTree({ 'api.json': taskDefinition, '.ecs-config-rules.yml': 'controls: ECS.8\nseverityThreshold: critical\n' });
    try {
      const run = await runCli(['scan', 'api.json'], { cwd: config.dir });

      expect(run.code).toBe(2);
      expect(run.stderr).toContain('ecs-config-rules: .ecs-config-rules.yml:2: severityThreshold CRITICAL can fail nothing: none of the controls selected by .ecs-config-rules.yml:1: controls (ECS.8) is CRITICAL or above');
    } finally {
      config.remove();
    }
  });

  test.each([
    ['--allow-empty-gate', ['--severity-threshold', 'critical', '--allow-empty-gate'], {}],
    ['allowEmptyGate in the config file', [], { '.ecs-config-rules.yml': 'severityThreshold: critical\nallowEmptyGate: true\n' }],
  ])('runs when allowed by %s, and the summary says loudly that it cannot fail', async (_how, flags, files) => {
    const config = writeTree({ 'api.json': taskDefinition, ...files });
    try {
      const run = await runCli(['scan', 'api.json', '--no-color', ...flags], { cwd: config.dir });
      const json = await scanJson(['api.json', ...flags], { cwd: config.dir });

      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/\n⚠ This gate cannot fail: no selected control is CRITICAL or above \(allowed explicitly\); \d+ failed below the threshold\.\n$/);
      expect(run.stdout).not.toContain('✔ No failing finding');
      expect(json.report).toMatchObject({ severityThreshold: 'CRITICAL', gateCanFail: false });
    } finally {
      config.remove();
    }
  });

  test('a gate that can fail says so in JSON', async () => {
    expect((await scanJson([api, '--exit-zero'])).report).toMatchObject({ gateCanFail: true });
  });
});

describe('a scan that checked nothing', () => {
  const unrelated = writeTree({ 'package.json': { name: 'app', version: '1.0.0' }, 'config/app.yaml': 'replicas: 2\n' });
  afterAll(() => unrelated.remove());

  test('says that no ECS resource was read, not ✔, and exits 0: nothing failed and nothing was unreadable', async () => {
    const run = await runCli(['scan', '.'], { cwd: unrelated.dir });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No ECS resource was read from 2 files: nothing was checked.');
    expect(run.stdout).not.toContain('✔');
  });

  test('pre-commit: --skip-unrelated --quiet on unrelated files prints the same one line, exit 0', async () => {
    const run = await runCli(['scan', 'package.json', 'config/app.yaml', '--skip-unrelated', '--quiet'], { cwd: unrelated.dir });

    expect(run).toMatchObject({ code: 0, stdout: '⚠ No ECS resource was read from 2 files: nothing was checked.\n' });
  });

  test('SARIF carries it as a warning notification', async () => {
    const run = await runCli(['scan', '.', '--format', 'sarif'], { cwd: unrelated.dir });

    expect(JSON.parse(run.stdout).runs[0].invocations[0].toolExecutionNotifications).toEqual([{ level: 'warning', message: { text: 'No ECS resource was read from 2 files: nothing was checked.' } }]);
  });

  test('resources read but no selected control applying to them is nothing checked too', async () => {
    const run = await runCli(['scan', api, '--controls', 'ECS.12']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No selected control applies to the 1 resource read: nothing was checked.');
  });
});
