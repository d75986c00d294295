/**
 * action.yml and .pre-commit-hooks.yaml: valid against their schemas (minimal ones written for
 * this project, test/fixtures/schemas: no schema package is available offline), and doing what
 * they say when their commands run (the action's steps in test/action/action.test.ts): the pre-commit
 * entry skips unrelated staged files and fails on a finding.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { REPOSITORY } from '../cli/run-cli';
import { apiTaskDefinition, writeTree } from '../cli/run-cli';

const run = promisify(execFile);
const readYaml = (file: string) => parse(readFileSync(join(REPOSITORY, file), 'utf8'));
const schema = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'schemas', `${name}.schema.json`), 'utf8'));

function validate(name: string, document: unknown) {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  const check = ajv.compile(schema(name));
  check(document);
  return check.errors ?? [];
}

const privileged = apiTaskDefinition('web', 3, { privileged: true, user: '1000' });

describe('action.yml', () => {
  const action = readYaml('action.yml');

  test('is valid action metadata', () => {
    expect(validate('github-action', action)).toEqual([]);
  });

  test('the schema rejects what GitHub rejects: a step with both uses and run, an input without a description', () => {
    const broken = { ...action, inputs: { paths: { default: 'cdk.out' } }, runs: { using: 'composite', steps: [{ uses: 'actions/checkout@v4', run: 'echo', shell: 'bash' }] } };
    expect(validate('github-action', broken).map((error) => error.instancePath)).toEqual(expect.arrayContaining(['/inputs/paths', '/runs/steps/0']));
  });

  test('every input the steps read is declared, and every declared input is read', () => {
    const text = readFileSync(join(REPOSITORY, 'action.yml'), 'utf8');
    const read = new Set([...text.matchAll(/inputs\.([a-z-]+)/g)].map((match) => match[1]));
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
  });
  // Its steps are run, with a simulated GitHub environment, in test/action/action.test.ts.
});

describe('.pre-commit-hooks.yaml', () => {
  const hooks = readYaml('.pre-commit-hooks.yaml');

  test('is a valid hook definition', () => {
    expect(validate('pre-commit-hooks', hooks)).toEqual([]);
  });

  test('the schema rejects a hook without an entry or with an unknown language', () => {
    expect(validate('pre-commit-hooks', [{ id: 'x', name: 'x', language: 'cobol' }]).map((error) => error.message)).toEqual(
      expect.arrayContaining(["must have required property 'entry'", 'must be equal to one of the allowed values']),
    );
  });

  test('its entry, given the staged files pre-commit passes, skips unrelated ones and fails on a finding', async () => {
    const [hook] = hooks;
    const [command, ...args] = hook.entry.split(' ');
    expect(command).toBe(Object.keys(JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')).bin)[0]);
    const tree = writeTree({ 'web.json': privileged, 'package.json': { name: 'app' }, '.ecs-config-rules.yml': 'controls: ECS.4' });
    try {
      const staged = ['package.json', 'web.json'].filter((file) => new RegExp(hook.files).test(file));

      // pre-commit installs the packed package (its prepack builds dist/); from a clone the same CLI runs from source.
      const failure = await run(process.execPath, ['--require', require.resolve('tsx/cjs'), join(REPOSITORY, 'bin', 'ecs-config-rules.ts'), ...args, ...staged], { cwd: tree.dir }).catch((error) => error);

      expect(failure.code).toBe(1);
      expect(failure.stdout).toContain('ECS.4');
      expect(failure.stdout.trim().split('\n').at(-1)).toBe('✘ 1 finding at or above LOW severity.');
    } finally {
      tree.remove();
    }
  }, 60_000);
});
