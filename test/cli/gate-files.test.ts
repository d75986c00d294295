/**
 * The files a team keeps beside its code: a baseline (`--write-baseline`, `--baseline`) and the
 * config file found automatically (`.ecs-config-rules.yml`, flags winning); and `--quiet`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiTaskDefinition, runCli, scanJson, writeTree } from './run-cli';

/** Two task definitions: `web` runs privileged (ECS.4, HIGH) and without logging (ECS.9, HIGH)… */
const web = apiTaskDefinition('web', 3, { privileged: true, logConfiguration: undefined, user: '1000' });
/** …and `worker` runs as root (ECS.20, HIGH). */
const worker = apiTaskDefinition('worker', 8, { user: 'root' });

/** The controls these fixtures fail, and one more each passes. */
const THREE = 'ECS.4,ECS.9,ECS.20';

let tree: ReturnType<typeof writeTree>;
afterEach(() => tree?.remove());

const statuses = (report: { findings: readonly { controlId: string; resource: { name: string }; status: string }[] }) =>
  report.findings.filter((finding) => finding.status !== 'passed' && finding.status !== 'notApplicable').map((finding) => `${finding.resource.name} ${finding.controlId} ${finding.status}`);

describe('baseline', () => {
  test('--write-baseline records the failing findings and passes; --baseline then fails only on a new one', async () => {
    tree = writeTree({ 'web.json': web, 'worker.json': worker });

    const written = await runCli(['scan', 'web.json', 'worker.json', '--controls', THREE, '--write-baseline', 'baseline.json'], { cwd: tree.dir });
    const baseline = JSON.parse(readFileSync(join(tree.dir, 'baseline.json'), 'utf8'));
    const accepted = await scanJson(['web.json', 'worker.json', '--controls', THREE, '--baseline', 'baseline.json'], { cwd: tree.dir });

    expect(written.code).toBe(0);
    expect(written.stderr).toContain('Baseline of 3 findings written to baseline.json');
    expect(baseline).toEqual({
      version: 1,
      findings: [
        { controlId: 'ECS.4', resource: web.taskDefinitionArn, file: 'web.json' },
        { controlId: 'ECS.9', resource: web.taskDefinitionArn, file: 'web.json' },
        { controlId: 'ECS.20', resource: worker.taskDefinitionArn, file: 'worker.json' },
      ],
    });
    expect(accepted.code).toBe(0);
    expect(statuses(accepted.report)).toEqual(['web:3 ECS.4 suppressed', 'web:3 ECS.9 suppressed', 'worker:8 ECS.20 suppressed']);
    expect(accepted.report.findings.find((finding) => finding.status === 'suppressed')!.suppression).toMatchObject({ origin: 'baseline', reason: 'in the baseline', where: 'baseline.json:4' });
  });

  test('a finding not in the baseline fails the gate; the baselined ones stay suppressed', async () => {
    tree = writeTree({ 'web.json': web, 'baseline.json': { version: 1, findings: [{ controlId: 'ECS.4', resource: web.taskDefinitionArn, file: 'web.json' }] } });

    const { code, report } = await scanJson(['web.json', '--controls', THREE, '--baseline', 'baseline.json'], { cwd: tree.dir });

    expect(code).toBe(1);
    expect(statuses(report)).toEqual(['web:3 ECS.4 suppressed', 'web:3 ECS.9 failed']);
  });

  test('an entry is matched exactly: the same control on another resource or file is new', async () => {
    tree = writeTree({ 'web.json': web, 'baseline.json': { version: 1, findings: [{ controlId: 'ECS.4', resource: web.taskDefinitionArn, file: 'other.json' }, { controlId: 'ECS.4', resource: 'arn:aws:ecs:*', file: 'web.json' }] } });

    const { report } = await scanJson(['web.json', '--baseline', 'baseline.json', '--controls', 'ECS.4'], { cwd: tree.dir });

    expect(statuses(report)).toEqual(['web:3 ECS.4 failed']);
  });

  test.each([
    ['not a baseline', { findings: [] }, 'baseline.json:1: a baseline is { "version": 1, "findings": [...] }'],
    ['an unknown control', { version: 1, findings: [{ controlId: 'ECS.99', resource: 'web:3' }] }, 'baseline.json:4: findings[0]: Unknown control "ECS.99"'],
  ])('%s is an input error naming the file and line', async (_label, content, message) => {
    tree = writeTree({ 'web.json': web, 'baseline.json': content });

    const run = await runCli(['scan', 'web.json', '--baseline', 'baseline.json'], { cwd: tree.dir });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('.ecs-config-rules.yml', () => {
  const CONFIG = [
    'controls: [ECS.4, ECS.20]',
    'severityThreshold: high',
    'parameters:',
    '  ECS.8: { secretKeys: "DB_PASSWORD" }',
    'suppressions:',
    '  - id: ECS.20',
    '    resource: worker*',
    '    reason: The image needs root until the rebuild (OPS-9).',
  ].join('\n');

  test('is found in the working directory and applied: controls, threshold, parameters, suppressions', async () => {
    tree = writeTree({ 'web.json': web, 'worker.json': worker, '.ecs-config-rules.yml': CONFIG });

    const { code, report } = await scanJson(['.'], { cwd: tree.dir });

    expect(code).toBe(1);
    expect([...new Set(report.findings.map((finding) => finding.controlId))].sort()).toEqual(['ECS.20', 'ECS.4']);
    expect(statuses(report)).toEqual(['web:3 ECS.4 failed', 'worker:8 ECS.20 suppressed']);
    expect((report as any).severityThreshold).toBe('HIGH');
  });

  test('flags win: --controls and --severity-threshold replace the file\'s', async () => {
    tree = writeTree({ 'web.json': web, '.ecs-config-rules.yml': CONFIG });

    const { code, report } = await scanJson(['web.json', '--controls', 'ECS.5', '--severity-threshold', 'medium'], { cwd: tree.dir });

    expect(report.findings.map((finding) => finding.controlId)).toEqual(['ECS.5']);
    expect((report as any).severityThreshold).toBe('MEDIUM');
    expect(code).toBe(0);
  });

  test('--no-config ignores it; --config names another', async () => {
    tree = writeTree({ 'web.json': web, '.ecs-config-rules.yml': CONFIG, 'strict.yml': 'controls: ECS.9' });

    const ignored = await scanJson(['web.json', '--no-config'], { cwd: tree.dir });
    const named = await scanJson(['web.json', '--config', 'strict.yml'], { cwd: tree.dir });

    expect(ignored.report.findings.length).toBeGreaterThan(2);
    expect(named.report.findings.map((finding) => finding.controlId)).toEqual(['ECS.9']);
  });

  test('the config\'s baseline applies', async () => {
    tree = writeTree({ 'web.json': web, '.ecs-config-rules.yml': 'controls: ECS.4\nbaseline: base.json', 'base.json': { version: 1, findings: [{ controlId: 'ECS.4', resource: web.taskDefinitionArn, file: 'web.json' }] } });

    expect((await scanJson(['web.json'], { cwd: tree.dir })).code).toBe(0);
  });

  test.each([
    ['an unknown key', 'controls: ECS.4\nseverity: high', '.ecs-config-rules.yml:2: severity: unknown key'],
    ['an unknown control', 'controls: [ECS.99]', '.ecs-config-rules.yml:1: controls: Unknown control "ECS.99"'],
    ['a bad threshold', 'severityThreshold: urgent', '.ecs-config-rules.yml:1: severityThreshold must be one of LOW, MEDIUM, HIGH, CRITICAL'],
    ['a switch that is not a boolean', 'allowEmptyGate: "yes"', '.ecs-config-rules.yml:1: allowEmptyGate: must be true or false, got "yes"'],
    ['an unquoted parameter value', 'parameters:\n  ECS.8: { detectCredentialValues: false }', '.ecs-config-rules.yml:1: `parameters`: ECS.8.detectCredentialValues: parameter values are strings'],
  ])('%s is an input error naming the file', async (_label, config, message) => {
    tree = writeTree({ 'web.json': web, '.ecs-config-rules.yml': config });

    const run = await runCli(['scan', 'web.json'], { cwd: tree.dir });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('--quiet', () => {
  test('prints only the findings that fail the gate and the verdict', async () => {
    tree = writeTree({ 'web.json': web, 'worker.json': worker });

    const run = await runCli(['scan', 'web.json', 'worker.json', '--quiet', '--controls', 'ECS.4,ECS.5,ECS.20'], { cwd: tree.dir });

    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.filter((line) => /^\s+✘/.test(line)).map((line) => line.trim().split(/\s+/)[1])).toEqual(['ECS.4', 'ECS.20']);
    expect(run.stdout).not.toMatch(/passed|✔ web|✔ worker/);
    expect(lines.at(-1)).toBe('✘ 2 findings at or above LOW severity.');
  });

  test('a passing run prints only the verdict', async () => {
    tree = writeTree({ 'worker.json': worker });

    const run = await runCli(['scan', 'worker.json', '--quiet', '--controls', 'ECS.4'], { cwd: tree.dir });

    expect(run).toMatchObject({ code: 0, stdout: '✔ No failing finding at or above LOW severity.\n' });
  });
});
