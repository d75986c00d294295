/**
 * The CLI entry as a real process (from source, through tsx as `npm start` runs it; the compiled
 * `bin` is run by scripts/consumer-test.sh): its exit codes and standard streams, as a CI job sees them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, REPOSITORY } from './run-cli';

const BIN = join(REPOSITORY, 'bin', 'ecs-config-rules.ts');

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', BIN, ...args], { cwd: REPOSITORY, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('exit 1 with findings, the report on standard output', () => {
  const result = run(['scan', join(FIXTURES, 'short-forms.yaml'), '--format', 'json']);

  expect(result.code).toBe(1);
  expect(JSON.parse(result.stdout).summary.gating).toBe(3);
});

test('exit 0 when nothing at or above the threshold fails; standard input with -', () => {
  const template = 'Resources:\n  Cluster:\n    Type: AWS::ECS::Cluster\n    Properties:\n      ClusterSettings: [{ Name: containerInsights, Value: enabled }]\n      Tags: [{ Key: team, Value: web }]\n';

  const result = run(['scan', '-'], template);

  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toContain('✔ No failing finding at or above LOW severity.');
});

test('exit 2 for a usage error, the message on standard error', () => {
  const result = run(['scan', '--format', 'yaml', 'examples/']);

  expect(result).toMatchObject({ code: 2, stdout: '' });
  expect(result.stderr).toContain("option '-f, --format <format>' argument 'yaml' is invalid");
});

test('a reader that stops early (`scan … | head`) ends the CLI quietly, without an EPIPE stack trace', () => {
  // More output than a pipe buffers, so writes are still pending when `head` exits.
  const inputs = ['examples/', join(REPOSITORY, 'test', 'fixtures', 'cloudformation'), 'examples/'].map((input) => JSON.stringify(input)).join(' ');
  const result = spawnSync('sh', ['-c', `"${process.execPath}" --require tsx/cjs "${BIN}" scan ${inputs} --format json --exit-zero | head -c 10`], { cwd: REPOSITORY, encoding: 'utf8' });

  expect(result.stdout).toHaveLength(10);
  expect(result.stderr).toBe('');
});

test('standard input that is not UTF-8 is an unread input (exit 2), never read with the byte replaced', () => {
  // `user "\xFF0"` in a register-task-definition input: COMPLIANT for ECS.20 when the byte was replaced.
  const input = Buffer.concat([Buffer.from('{"family": "web", "containerDefinitions": [{"name": "app", "image": "app:1", "user": "'), Buffer.from([0xff]), Buffer.from('0"}]}')]);

  const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', BIN, 'scan', '-'], { cwd: REPOSITORY, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/-:1: not valid UTF-8: byte 0xFF at byte offset 86 /);
});
