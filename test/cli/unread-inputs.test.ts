/**
 * One unreadable file never blanks the report: every format lists what could not be read (file, line,
 * why) beside the findings of everything that could, standard error says it whatever the format,
 * `--output` is still written, and the exit code is 2. Notices about inputs that were read are listed
 * by every format too, without changing the exit code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Log } from 'sarif';
import { FORMATS } from '../../cli/scan';
import { reportText } from '../../cli/report/report';
import { evaluateTargets } from '../../scan/evaluate';
import { loadInputs } from '../../scan/inputs/load';
import { ScanReport } from '../../scan/report';
import { selectControls } from '../../scan/settings';
import { apiTaskDefinition, runCli, writeTree } from './run-cli';

expect.extend({ toBeValidSarifLog });

/** One task definition that fails ECS.20 (root), one malformed JSON file, one YAML template with a bad tag on line 5. */
const tree = writeTree({
  'root.json': apiTaskDefinition('root', 1, { user: 'root' }),
  'broken.json': '{\n  "family": "x",\n  "containerDefinitions": [\n}',
  'template.yaml': 'Resources:\n  Cluster:\n    Type: AWS::ECS::Cluster\n    Properties:\n      ClusterName: !Reff Name\n',
});
afterAll(() => tree.remove());

const BROKEN = /broken\.json:4: not valid JSON/;
const TEMPLATE = 'template.yaml:5: not valid YAML: unknown tag "!Reff"';

async function scan(...argv: string[]) {
  return runCli(['scan', '.', ...argv], { cwd: tree.dir });
}

describe('a directory with unreadable files next to a failing task definition', () => {
  test('table: the findings, then the unread inputs after them, an incomplete verdict, exit 2', async () => {
    const run = await scan('--no-color');

    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/✘ ECS\.20 .*running as root: app \(user root\)/);
    expect(run.stdout).toMatch(/^Could not read 2 inputs \(not checked, so no verdict\):\n {2}broken\.json:4: not valid JSON.*\n {2}template\.yaml:5: not valid YAML: unknown tag "!Reff"/m);
    expect(run.stdout).toContain('✘ Incomplete: 2 inputs could not be read (listed), so no verdict; 2 findings at or above LOW severity in the rest.');
    expect(run.stdout).not.toContain('✔ No failing finding');
  });

  test('standard error says what was not read whatever the format, even when the report goes to standard output', async () => {
    // asff names the caller's account through STS: test/cli/asff.test.ts asserts the same over the loopback endpoint.
    for (const format of Object.keys(FORMATS).filter((name) => name !== 'asff')) {
      const run = await scan('--format', format);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^ecs-config-rules: could not read 2 inputs \(the report covers the rest; exit 2\):\n {2}broken\.json:4: .*\n {2}template\.yaml:5: .*\n$/);
    }
  });

  test('matrix: the grid, then the list', async () => {
    const run = await scan('--format', 'matrix', '--no-color');

    expect(run.code).toBe(2);
    const grid = run.stdout.indexOf('Task definitions');
    const list = run.stdout.indexOf('Could not read 2 inputs');
    expect(grid).toBeGreaterThanOrEqual(0);
    expect(list).toBeGreaterThan(grid);
    expect(run.stdout.slice(list)).toContain(TEMPLATE);
  });

  test('json: an errors section with file, line and reason; the findings of the rest', async () => {
    const run = await scan('--format', 'json');
    const report = JSON.parse(run.stdout);

    expect(run.code).toBe(2);
    expect(report.exitCode).toBe(2);
    expect(report.errors).toEqual([
      { file: 'broken.json', line: 4, reason: expect.stringMatching(/^not valid JSON/) },
      { file: 'template.yaml', line: 5, reason: expect.stringContaining('unknown tag "!Reff"') },
    ]);
    expect(report.notices).toEqual([]);
    expect(report.findings.find((finding: { controlId: string }) => finding.controlId === 'ECS.20')).toMatchObject({ status: 'failed', resource: { name: 'root:1' } });
  });

  test('sarif to --output: the file is written, valid, with the findings and an unsuccessful invocation naming each file and line', async () => {
    const run = await scan('--format', 'sarif', '--output', 'report.sarif');
    const log: Log = JSON.parse(readFileSync(join(tree.dir, 'report.sarif'), 'utf8'));

    expect(run.code).toBe(2);
    expect(log).toBeValidSarifLog();
    expect(log.runs[0].results?.some((result) => result.ruleId === 'ECS.20' && result.kind === 'fail')).toBe(true);
    expect(log.runs[0].invocations).toEqual([
      {
        executionSuccessful: false,
        exitCode: 2,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: expect.stringMatching(/^Could not read: not valid JSON/) },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'broken.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 4 } } }],
          },
          {
            level: 'error',
            message: { text: expect.stringContaining('unknown tag "!Reff"') },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'template.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 5 } } }],
          },
        ],
      },
    ]);
    // The job log: the list, then the summary and where the report went.
    expect(run.stderr).toMatch(BROKEN);
    expect(run.stderr).toContain('✘ Incomplete: 2 inputs could not be read (listed), so no verdict; 2 findings at or above LOW severity in the rest.\nReport written to report.sarif\n');
  });

  test('junit: an inputs suite of errors, one per file, with file and line; counted in the totals', async () => {
    const run = await scan('--format', 'junit');

    expect(run.code).toBe(2);
    expect(XMLValidator.validate(run.stdout)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(run.stdout);
    const [inputs] = xml.testsuites.testsuite;
    expect(inputs).toMatchObject({ name: 'ecs-config-rules inputs', tests: '2', errors: '2', failures: '0' });
    expect(inputs.testcase).toEqual([
      { name: 'could not read broken.json:4', classname: 'ecs-config-rules inputs', file: 'broken.json', line: '4', error: { type: 'UNREAD_INPUT', message: expect.stringMatching(/^not valid JSON/), '#text': expect.stringMatching(/^not valid JSON/) } },
      expect.objectContaining({ name: 'could not read template.yaml:5', file: 'template.yaml', line: '5' }),
    ]);
    // The unread inputs, plus the ECS.15 tags check that could not decide (a bare task definition has no tags).
    expect(Number(xml.testsuites.errors)).toBe(3);
  });

  test('the exit code stays 2 with --exit-zero', async () => {
    expect((await scan('--exit-zero')).code).toBe(2);
  });
});

describe('notices about inputs that were read', () => {
  /** A report of the root task definition with one notice, as the loader produces them. */
  function reportWithNotice(): ScanReport {
    const inputs = loadInputs(['root.json'], { cwd: tree.dir, readStdin: () => '' });
    const settings = { controls: selectControls(['ECS.20'], '--controls'), parameters: {}, threshold: 'LOW' as const, suppressions: [], today: '2026-01-01' };
    return {
      ...inputs,
      findings: evaluateTargets(inputs.targets, settings),
      settings,
      notices: [{ file: 'root.json', line: 3, message: 'read as written, but CloudFormation would refuse it' }],
      exitCode: 1,
      cwd: tree.dir,
    };
  }

  test.each([
    ['table', (text: string) => expect(text).toMatch(/^Notices:\n {2}root\.json:3: read as written, but CloudFormation would refuse it$/m)],
    ['matrix', (text: string) => expect(text).toMatch(/^Notices:\n {2}root\.json:3: read as written, but CloudFormation would refuse it$/m)],
    ['json', (text: string) => expect(JSON.parse(text).notices).toEqual([{ file: 'root.json', line: 3, message: 'read as written, but CloudFormation would refuse it' }])],
    ['junit', (text: string) => expect(text).toContain('<system-out>notice: root.json:3: read as written, but CloudFormation would refuse it</system-out>')],
    [
      'sarif',
      (text: string) =>
        expect((JSON.parse(text) as Log).runs[0].invocations).toEqual([
          {
            executionSuccessful: true,
            exitCode: 1,
            toolExecutionNotifications: [
              {
                level: 'warning',
                message: { text: 'read as written, but CloudFormation would refuse it' },
                locations: [{ physicalLocation: { artifactLocation: { uri: 'root.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 3 } } }],
              },
            ],
          },
        ]),
    ],
  ])('%s lists them', (format, check) => {
    check(reportText(FORMATS[format](reportWithNotice(), { color: false })));
  });
});
