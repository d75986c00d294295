/**
 * dist-action/ecs-config-rules.cjs is committed (a workflow runs the action from its git ref), so it
 * must be exactly what the sources build: this test rebuilds it in memory and compares, as GitHub's
 * action templates check their dist/ in CI. It also holds the bundle to what the action needs.
 */
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { ACTION_CLI, AWS_UNAVAILABLE, bundleActionCli } from '../../scripts/build-action';
import { REPOSITORY } from '../cli/run-cli';

const run = promisify(execFile);

describe('the action’s bundled CLI', () => {
  let bundle: Awaited<ReturnType<typeof bundleActionCli>>;
  beforeAll(async () => {
    bundle = await bundleActionCli();
  });

  test('the committed file is what the sources build (else run `npm run build:action` and commit dist-action/)', () => {
    expect(readFileSync(ACTION_CLI, 'utf8') === bundle.text).toBe(true);
  });

  test('needs no installed package: it requires only Node.js built-ins, and holds none of the AWS SDK', () => {
    const required = [...bundle.text.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(required.filter((name) => !builtinModules.includes(name.replace(/^node:/, '')))).toEqual([]);
    expect(bundle.inputs.filter((input) => /node_modules\/@(aws-sdk|smithy)\//.test(input))).toEqual([]);
  });

  test('runs on its own: the version, and a live scan refused with exit 2 saying why', async () => {
    const version = await run(process.execPath, [ACTION_CLI, '--version'], { cwd: REPOSITORY });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(`${REPOSITORY}/package.json`, 'utf8')).version);
    const live = await run(process.execPath, [ACTION_CLI, 'scan', '--live'], { cwd: REPOSITORY }).catch((error) => error);
    expect(live.code).toBe(2);
    expect(live.stderr).toBe(`ecs-config-rules: ${AWS_UNAVAILABLE}\n`);
  });

  test('an error no command catches (redrive needs the AWS SDK the bundle leaves out) exits 2, never 1, which a gate reads as findings', async () => {
    const redrive = await run(process.execPath, [ACTION_CLI, 'redrive', '--queue-url', 'https://sqs.us-east-1.amazonaws.com/123456789012/q'], { cwd: REPOSITORY }).catch((error) => error);
    expect(redrive.code).toBe(2);
    expect(redrive.stderr).toMatch(/^ecs-config-rules: \w*Error: /);
  });
});
