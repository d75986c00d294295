/**
 * `--format github` (the log's table and workflow-command annotations), `--format markdown` and
 * `--step-summary` (a job summary): what they say, where, and that input text cannot escape them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeData, escapeProperty, workflowCommand } from '../../cli/report/github';
import { markdownReport, markdownText } from '../../cli/report/markdown';
import { scanSettings } from '../../cli/scan';
import { evaluateTargets } from '../../scan/evaluate';
import { loadInputs } from '../../scan/inputs/load';
import { ScanReport } from '../../scan/report';
import { apiTaskDefinition, runCli, writeTree } from './run-cli';
import { workflowCommands } from '../action/simulated-runner';

const privileged = apiTaskDefinition('web', 3, { privileged: true, user: '1000' });
const rootUser = apiTaskDefinition('batch', 2, { user: '0' });

/** The report the CLI renders, for ECS.4 over `paths` (the engine's own loading and evaluation). */
function reportOf(paths: readonly string[], cwd: string): ScanReport {
  const settings = scanSettings({ paths, format: 'markdown', controls: 'ECS.4', config: false }, { cwd });
  const inputs = loadInputs(paths, { cwd, readStdin: () => '' });
  const findings = evaluateTargets(inputs.targets, settings);
  return { ...inputs, findings, settings, exitCode: 1, cwd };
}

function inTreeSync<T>(files: Readonly<Record<string, unknown>>, act: (dir: string) => T): T {
  const tree = writeTree(files);
  try {
    return act(tree.dir);
  } finally {
    tree.remove();
  }
}

async function inTree<T>(files: Readonly<Record<string, unknown>>, act: (dir: string) => Promise<T>): Promise<T> {
  const tree = writeTree(files);
  try {
    return await act(tree.dir);
  } finally {
    tree.remove();
  }
}

describe('workflow-command escaping, as @actions/core escapes', () => {
  test('a message: %, CR and LF encoded, the rest kept', () => {
    expect(escapeData('50% a:b,c\r\nd')).toBe('50%25 a:b,c%0D%0Ad');
  });

  test('a property: also : and , which would end it', () => {
    expect(escapeProperty('dir/a:b,c%.json')).toBe('dir/a%3Ab%2Cc%25.json');
  });

  test('values are made printable first: a control character or bidi override is shown, never sent', () => {
    expect(workflowCommand({ level: 'error', title: 'x\u001b[2K', message: 'line\nbreak \u202e', file: 'a,b.json', line: 3 })).toBe(
      '::error file=a%2Cb.json,line=3,title=x\\u001b[2K::line\\nbreak \\u202e',
    );
  });
});

describe('--format github', () => {
  test('the table with commands stopped by a fresh token, then errors before warnings, each on the file and line', async () => {
    const [first, second] = await inTree({ 'web.json': privileged, 'batch.json': rootUser }, async (cwd) => [
      await runCli(['scan', '--format', 'github', '--controls', 'ECS.4,ECS.20', '--severity-threshold', 'high', 'batch.json', 'web.json'], { cwd }),
      await runCli(['scan', '--format', 'github', '--controls', 'ECS.4', 'web.json'], { cwd }),
    ]);

    const lines = first.stdout.trimEnd().split('\n');
    const token = /^::stop-commands::([0-9a-f-]{36})$/.exec(lines[0])?.[1];
    expect(token).toBeDefined();
    expect(second.stdout).not.toContain(token);
    const resume = lines.indexOf(`::${token}::`);
    expect(lines.slice(1, resume).join('\n')).toContain('✘ ECS.4');
    expect(workflowCommands(first.stdout).map(({ command, properties }) => [command, properties.file, properties.line, properties.title])).toEqual([
      ['stop-commands', undefined, undefined, undefined],
      ['error', 'web.json', '1', 'ECS.4 failed (HIGH): ECS containers should run as non-privileged'],
      ['warning', 'batch.json', '1', 'ECS.20 failed (MEDIUM): ECS Task Definitions should configure non-root users in Linux container definitions'],
    ]);
    expect(first.code).toBe(1);
  });

  test('an input not read is an error annotation at its line; standard input and files outside the working directory get none', async () => {
    const run = await inTree({ 'bad.json': '{\n  "containerDefinitions": [\n', 'web.json': privileged }, (cwd) =>
      runCli(['scan', '--format', 'github', '--controls', 'ECS.4', 'bad.json', join(cwd, 'web.json'), '-'], { cwd: join(cwd), stdin: JSON.stringify(privileged) }),
    );

    const annotations = workflowCommands(run.stdout).filter((command) => command.command !== 'stop-commands');
    expect(annotations.map(({ command, properties }) => [command, properties.file, properties.title.split(':')[0]])).toEqual([
      ['error', 'bad.json', 'ecs-config-rules'],
      ['error', 'web.json', 'ECS.4 failed (HIGH)'],
      ['error', undefined, 'ECS.4 failed (HIGH)'],
    ]);
    expect(run.code).toBe(2);
  });

  test('a suppressed finding is no annotation; a gate that checked nothing is a warning', async () => {
    const suppressed = { ...privileged, tags: [] };
    const run = await inTree({ 'web.json': suppressed, 'suppressions.yml': 'suppressions:\n  - { id: ECS.4, resource: "*", reason: "Packet capture (NET-7)." }\n' }, (cwd) =>
      runCli(['scan', '--format', 'github', '--controls', 'ECS.4', '--suppressions', 'suppressions.yml', 'web.json'], { cwd }),
    );
    const nothing = await inTree({ 'web.json': privileged }, (cwd) => runCli(['scan', '--format', 'github', '--controls', 'ECS.12', 'web.json'], { cwd }));

    expect(workflowCommands(run.stdout).filter((command) => command.command !== 'stop-commands')).toEqual([]);
    expect(workflowCommands(nothing.stdout).filter((command) => command.command !== 'stop-commands')).toEqual([
      { command: 'warning', properties: { title: 'ecs-config-rules: nothing could fail' }, message: 'No selected control applies to the 1 resource read: nothing was checked.' },
    ]);
  });
});

describe('--format markdown and --step-summary', () => {
  test('input text is escaped: no table cell, link, HTML, mention or emoji from a name', () => {
    expect(markdownText('a|b [x](http://e) <img src=x> @team :smile: \\')).toBe('a\\|b \\[x\\]\\(http\\:\\/\\/e\\) \\<img src\\=x\\> \\@team \\:smile\\: \\\\');
  });

  test('--step-summary appends the Markdown summary to the file, whatever the format on standard output', async () => {
    const { run, summary } = await inTree({ 'web.json': privileged, 'summary.md': '## An earlier step\n' }, async (cwd) => {
      const result = await runCli(['scan', '--controls', 'ECS.4', '--step-summary', 'summary.md', 'web.json'], { cwd });
      return { run: result, summary: readFileSync(join(cwd, 'summary.md'), 'utf8') };
    });

    expect(run.stdout).toContain('✘ ECS.4');
    expect(summary).toBe(
      [
        '## An earlier step',
        '## ECS controls (ecs-config-rules): ✘ 1 finding at or above LOW severity\\.',
        '',
        '1 resource in 1 file\\: 1 failed\\, 0 not evaluated\\, 0 suppressed\\, 0 passed\\, 0 not applicable',
        '',
        '| status | control | severity | resource | where | reason |',
        '|---|---|---|---|---|---|',
        '| ✘ failed (fails the gate) | ECS.4 | HIGH | web\\:3 | web\\.json\\:1 | Task definition web\\:3 has privileged containers\\: app\\. |',
        '',
      ].join('\n'),
    );
  });

  test('the inputs not read are listed, with their place, and the verdict says incomplete', async () => {
    const { stdout } = await inTree({ 'bad.json': '{ "containerDefinitions": [', 'a.json': privileged, 'b.json': apiTaskDefinition('b', 1, { privileged: true }) }, (cwd) =>
      runCli(['scan', '--format', 'markdown', '--controls', 'ECS.4', 'a.json', 'b.json', 'bad.json'], { cwd }),
    );

    expect(stdout).toContain('### Could not read 1 input (not checked, so no verdict)\n\n- bad\\.json\\:1: not valid JSON');
    expect(stdout).toMatch(/^## ECS controls \(ecs-config-rules\): ✘ Incomplete/);
  });

  test('a findings table over the byte budget stops and says how many rows it left out', () => {
    const report = inTreeSync({ 'a.json': privileged, 'b.json': apiTaskDefinition('b', 1, { privileged: true }), 'c.json': apiTaskDefinition('c', 1, { privileged: true }) }, (cwd) =>
      reportOf(['a.json', 'b.json', 'c.json'], cwd),
    );
    const whole = markdownReport(report);
    const lines = whole.split('\n');
    const table = lines.slice(lines.indexOf('| status | control | severity | resource | where | reason |'));
    // The budget is the table's: its two header lines and one row.
    const cut = markdownReport(report, Buffer.byteLength(table.slice(0, 3).join('\n')) + 1);
    const firstRow = table[2];

    expect(whole.split('\n').filter((line) => line.startsWith('| ✘'))).toHaveLength(3);
    expect(cut.split('\n').filter((line) => line.startsWith('| ✘'))).toEqual([firstRow]);
    expect(cut).toContain("… and 2 more findings, left out to keep this summary within GitHub's limit");
  });
});
