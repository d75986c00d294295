/**
 * action.yml run offline by the simulated runner: the committed bundle (dist-action/) scans the
 * workspace, the log shows the table, the job summary and the annotations say what failed and where,
 * the exit code fails the job, and nothing in the input can issue a workflow command.
 */
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiTaskDefinition, writeTree } from '../cli/run-cli';
import { runAction, workflowCommands } from './simulated-runner';

const privileged = apiTaskDefinition('web', 3, { privileged: true, user: '1000' });
const compliant = apiTaskDefinition('api', 1, { user: '1000' });

function inTree<T>(files: Readonly<Record<string, unknown>>, act: (dir: string) => T): T {
  const tree = writeTree(files);
  try {
    return act(tree.dir);
  } finally {
    tree.remove();
  }
}

const annotations = (run: ReturnType<typeof runAction>, level: string) => run.commands.filter((command) => command.command === level);

describe('the action, run with a simulated GitHub environment', () => {
  test('a finding: the table in the log, an error annotation on its file and line, a job summary, exit 1 and a failed job', () => {
    const run = inTree({ 'my infra/web.json': privileged, 'tasks/api.json': compliant }, (dir) => runAction(dir, { paths: 'my infra/web.json\n  tasks/**/*.json  \n', controls: 'ECS.4' }));

    const scan = run.steps.find((step) => step.name === 'Scan');
    expect(scan?.log).toContain('✘ ECS.4');
    expect(scan?.log).toContain('api:1');
    expect(annotations(run, 'error')[0]).toEqual({
      command: 'error',
      properties: { file: 'my infra/web.json', line: '1', title: 'ECS.4 failed (HIGH): ECS containers should run as non-privileged' },
      message: expect.stringContaining('web:3 has privileged containers: app'),
    });
    expect(run.summary).toMatch(/^## ECS controls \(ecs-config-rules\): ✘ 1 finding at or above LOW severity\\\.\n/);
    expect(run.summary).toContain('| ✘ failed (fails the gate) | ECS.4 | HIGH | web\\:3 |');
    expect(run.outputs).toEqual({ 'exit-code': '1', 'sarif-file': '' });
    expect(run.exitCode).toBe(1);
    expect(annotations(run, 'error').at(-1)?.message).toContain('Findings at or above the severity threshold');
  });

  test("by default the job's Node.js is left alone and nothing is uploaded; SARIF is written and uploaded only when asked", () => {
    const quiet = inTree({ 'web.json': compliant }, (dir) => runAction(dir, { paths: 'web.json', controls: 'ECS.4' }));
    expect(quiet.steps.filter((step) => step.uses !== undefined)).toEqual([]);
    expect(quiet.exitCode).toBe(0);

    const uploaded = inTree({ 'web.json': privileged }, (dir) => {
      const run = runAction(dir, { paths: 'web.json', 'upload-sarif': 'true', 'node-version': '22' });
      expect(JSON.parse(readFileSync(join(dir, 'ecs-config-rules.sarif'), 'utf8')).runs[0].results.map((result: { ruleId: string }) => result.ruleId)).toContain('ECS.4');
      return run;
    });
    expect(uploaded.steps.filter((step) => step.uses !== undefined).map((step) => [step.uses?.split('@')[0], step.with])).toEqual([
      ['actions/setup-node', { 'node-version': '22' }],
      ['github/codeql-action/upload-sarif', { sarif_file: 'ecs-config-rules.sarif', category: 'ecs-config-rules' }],
    ]);
    expect(uploaded.outputs['sarif-file']).toBe('ecs-config-rules.sarif');
    expect(uploaded.exitCode).toBe(1);
  });

  test('a pattern that matches nothing is no silent pass: exit 2, an error naming it', () => {
    const run = inTree({ 'web.json': compliant }, (dir) => runAction(dir, { paths: 'web.json\ninfra/**/*.template.json' }));

    expect(run.outputs['exit-code']).toBe('2');
    expect(annotations(run, 'error').map((command) => command.message)).toContain('paths: the pattern infra/**/*.template.json matches no file, so nothing of it was checked.');
    expect(run.exitCode).toBe(2);
  });

  test('file and resource names cannot issue workflow commands: only the action’s own annotations, escaped', () => {
    const forged = apiTaskDefinition('::error::forged', 1, { user: '1000' });
    const run = inTree({ 'web.json': privileged, 'defs/::stop-commands::x.json': '{ "containerDefinitions": [', 'defs/##[warning]y,z%0A.json': forged }, (dir) => runAction(dir, { paths: 'web.json\ndefs', controls: 'ECS.4' }));

    expect(run.outputs['exit-code']).toBe('2');
    expect(run.commands.map((command) => [command.command, command.properties.title])).toEqual([
      ['stop-commands', undefined],
      ['error', 'ecs-config-rules: not read, so not checked (no verdict)'],
      ['error', 'ECS.4 failed (HIGH): ECS containers should run as non-privileged'],
      ['stop-commands', undefined],
      ['error', 'ecs-config-rules'],
    ]);
    expect(annotations(run, 'error')[0].properties.file).toBe('defs/::stop-commands::x.json');
    const scan = run.steps.find((step) => step.name === 'Scan');
    expect(scan?.log).toContain('::error::forged');
  });

  test('a Node.js older than 20 on PATH: exit 2 and an error saying to set node-version', () => {
    const run = inTree({ 'web.json': compliant, 'bin/node': '#!/bin/sh\ncase "$1" in --version) echo v18.20.0 ;; *) echo 18 ;; esac\n' }, (dir) => {
      chmodSync(join(dir, 'bin', 'node'), 0o755);
      return runAction(dir, { paths: 'web.json' }, { PATH: `${join(dir, 'bin')}:${process.env.PATH}` });
    });

    expect(annotations(run, 'error').map((command) => command.message)).toContain('Node.js v18.20.0 on PATH: the action needs 20 or later; set the node-version input (for example 22).');
    expect(run.exitCode).toBe(2);
  });
});

describe('the simulated runner reads commands as GitHub does', () => {
  test('after leading blanks, the old ##[ syntax anywhere, nothing while stopped', () => {
    const log = ['  ::warning file=a%2Cb.json::x%0Ay', 'text ##[error]old', '::stop-commands::t', '::error::hidden', '::t::', '::notice::back'].join('\n');
    expect(workflowCommands(log).map(({ command, properties, message }) => [command, properties, message])).toEqual([
      ['warning', { file: 'a,b.json' }, 'x\ny'],
      ['error', {}, 'old'],
      ['stop-commands', {}, 't'],
      ['notice', {}, 'back'],
    ]);
  });
});

test('the committed bundle is what the action runs', () => {
  expect(existsSync(join(__dirname, '..', '..', 'dist-action', 'ecs-config-rules.cjs'))).toBe(true);
});
