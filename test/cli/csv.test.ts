/**
 * `--format csv`: one row per finding, the same findings and counts as JSON, RFC 4180 quoting, and
 * no cell a spreadsheet would run as a formula.
 */
import { join } from 'node:path';
import { CSV_COLUMNS } from '../../cli/report/csv';
import { apiTaskDefinition, FIXTURES, runCli, scanJson, writeTree } from './run-cli';

const TEMPLATE = join(FIXTURES, 'short-forms.yaml');

/** RFC 4180 records (CRLF between them, fields quoted or not, `""` for a quote), as a spreadsheet reads them. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') (field += '"'), index++;
      else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') record.push(field), (field = '');
    else if (character === '\r' && text[index + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), index++;
    else field += character;
  }
  if (field !== '' || record.length > 0) throw new Error(`the last record does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
  return records;
}

/** Each data row as `{ column: value }`. */
function rowsOf(text: string): Record<string, string>[] {
  const [header, ...records] = parseCsv(text);
  expect(header).toEqual([...CSV_COLUMNS]);
  for (const record of records) expect(record).toHaveLength(CSV_COLUMNS.length);
  return records.map((record) => Object.fromEntries(header.map((column, index) => [column, record[index]])));
}

describe('--format csv', () => {
  test('a row per finding, carrying what JSON carries, counts alike', async () => {
    const [csv, { report }] = await Promise.all([runCli(['scan', TEMPLATE, '--format', 'csv']), scanJson([TEMPLATE])]);

    expect(csv.code).toBe(1);
    const rows = rowsOf(csv.stdout);
    expect(rows).toHaveLength(report.findings.length);
    for (const status of ['failed', 'notEvaluated', 'suppressed', 'passed', 'notApplicable']) expect(rows.filter((row) => row.status === status)).toHaveLength(report.summary[status]);
    rows.forEach((row, index) => {
      const finding = report.findings[index];
      expect(row).toMatchObject({ controlId: finding.controlId, status: finding.status, gating: String(finding.gating), resourceName: finding.resource.name, file: finding.resource.file, line: String(finding.resource.line), reason: finding.reason, outcome: finding.outcome });
    });
  });

  test('a suppression: its reason, expiry, whether it expired and where it is written', async () => {
    const rows = rowsOf((await runCli(['scan', TEMPLATE, '--format', 'csv'])).stdout);

    const row = (controlId: string) => rows.find((candidate) => candidate.controlId === controlId && candidate.logicalId === 'ParameterisedTaskDefinition');
    expect(row('ECS.5')).toMatchObject({ status: 'suppressed', suppressionExpires: '2099-12-31', suppressionExpired: 'false', suppressionWhere: 'test/cli/fixtures/short-forms.yaml:68', suppressionReason: expect.stringContaining('WEB-42') });
    expect(row('ECS.9')).toMatchObject({ status: 'failed', gating: 'true', suppressionExpires: '2020-01-31', suppressionExpired: 'true' });
    expect(row('ECS.3')).toMatchObject({ status: 'passed', suppressionReason: '', suppressionExpires: '' });
  });

  test('every field quoted, quotes doubled, commas kept; a line break or control character in a value shown as an escape, so a record is one line', async () => {
    const tree = writeTree({ 'task.json': apiTaskDefinition('say "hi", then\nleave\u001b[2K', 1, { privileged: true }) });
    try {
      const run = await runCli(['scan', join(tree.dir, 'task.json'), '--format', 'csv', '--controls', 'ECS.4'], { cwd: tree.dir });

      expect(run.stdout.split('\r\n')).toHaveLength(3);
      expect(run.stdout).toContain('"say ""hi"", then\\nleave\\u001b[2K:1"');
      expect(rowsOf(run.stdout)[0]).toMatchObject({ resourceName: 'say "hi", then\\nleave\\u001b[2K:1', status: 'failed', file: 'task.json' });
    } finally {
      tree.remove();
    }
  });

  test.each(['=HYPERLINK("https://example.test")', '+1', '-1+2', '@SUM(A1)', '\tcmd', '\rcmd', '\u0000cmd'])('a cell starting %j, as a formula would, starts with a quote mark', async (family) => {
    const tree = writeTree({ 'task.json': apiTaskDefinition(family, 1, {}) });
    try {
      const run = await runCli(['scan', join(tree.dir, 'task.json'), '--format', 'csv', '--controls', 'ECS.4'], { cwd: tree.dir });

      const [row] = rowsOf(run.stdout);
      expect(row.resourceName.startsWith("'")).toBe(true);
      expect(row.resourceName.slice(1)).toBe(`${family.replace('\t', '\\t').replace('\r', '\\r').replace('\u0000', '\\u0000')}:1`);
    } finally {
      tree.remove();
    }
  });

  test('inputs not read and notices are rows of their own after the findings; the gating row of an input not read', async () => {
    const tree = writeTree({
      'broken.json': '{"family": "web", "containerDefinitions": [',
      'template.yaml': 'Resources:\n  Nested:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://example.test/nested.json\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: app\n',
    });
    try {
      const run = await runCli(['scan', tree.dir, '--format', 'csv'], { cwd: tree.dir });

      expect(run.code).toBe(2);
      const rows = rowsOf(run.stdout);
      const [unread, notice] = [rows.filter((row) => row.status === 'unreadInput'), rows.filter((row) => row.status === 'notice')];
      expect(unread).toEqual([expect.objectContaining({ file: 'broken.json', gating: 'true', reason: expect.stringMatching(/.+/), controlId: '' })]);
      expect(notice).toEqual([expect.objectContaining({ file: 'template.yaml', line: '2', gating: 'false', reason: expect.stringContaining('not checked') })]);
      expect(rows.slice(-2).map((row) => row.status)).toEqual(['unreadInput', 'notice']);
    } finally {
      tree.remove();
    }
  });

  test('a run that checked nothing says so in a row instead of an empty sheet', async () => {
    const tree = writeTree({ 'package.json': { name: 'app' } });
    try {
      const run = await runCli(['scan', tree.dir, '--format', 'csv'], { cwd: tree.dir });

      expect(run.code).toBe(0);
      expect(rowsOf(run.stdout)).toEqual([expect.objectContaining({ status: 'warning', reason: 'No ECS resource was read from 1 file: nothing was checked' })]);
    } finally {
      tree.remove();
    }
  });
});
