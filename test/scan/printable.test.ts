/**
 * Output a person reads cannot be driven by the input: control characters (C0, DEL, C1) and bidi
 * overrides in names, environment variable names, users, suppression reasons and file names come out
 * as visible escapes in the table, the matrix, JUnit and on standard error, so a crafted task
 * definition can neither print a fake "✔" line nor clear the CI log.
 */
import { printable } from '../../scan/printable';
import { runCli, writeTree } from '../cli/run-cli';

describe('printable', () => {
  test.each([
    ['a newline, a tab and a carriage return', 'a\nb\tc\rd', 'a\\nb\\tc\\rd'],
    ['ESC (C0)', 'web\u001b[2K', 'web\\u001b[2K'],
    ['NUL and BEL', '\u0000\u0007', '\\u0000\\u0007'],
    ['DEL', 'x\u007f', 'x\\u007f'],
    ['C1: NEL and CSI', '\u0085\u009b31m', '\\u0085\\u009b31m'],
    ['bidi embeddings and overrides', '\u202a\u202b\u202c\u202d\u202e', '\\u202a\\u202b\\u202c\\u202d\\u202e'],
    ['bidi isolates', '\u2066\u2067\u2068\u2069', '\\u2066\\u2067\\u2068\\u2069'],
    ['line and paragraph separators', '\u2028\u2029', '\\u2028\\u2029'],
  ])('escapes %s', (_label, text, shown) => {
    expect(printable(text)).toBe(shown);
  });

  test('leaves every other character as it is', () => {
    const text = 'web:3 ✔ ✘ é 日本 🚀 \u00a0 \u200b\u2065\u206a ~';
    expect(printable(text)).toBe(text);
  });
});

/** What a raw control character or bidi control in the output would be. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The colours picocolors writes, the only escape sequences the output may hold. */
const SGR = /\u001b\[\d+m/g;

describe('a crafted task definition', () => {
  const fakePass = '\n✔ No failing finding at or above LOW severity.';
  const taskDefinition = {
    family: `web${fakePass}\u001b[2J`,
    containerDefinitions: [
      { name: 'app\u001b]0;owned\u0007', image: 'app:1', privileged: true, user: '0:\u009b2K\u202eroot' },
      { name: 'side\u202ecar', image: 'side:1', user: '1000', environment: [{ name: 'KEY\u2066\u0085', value: 'AKIAIOSFODNN7EXAMPLE' }] },
    ],
  };
  const tree = writeTree({
    [`evil\u001b[1A.json`]: taskDefinition,
    'plain.json': { family: 'plain', containerDefinitions: [{ name: 'app', image: 'app:1' }] },
    'suppressions.json': { suppressions: [{ id: 'ECS.9', resource: 'plain', reason: `accepted\u001b[32m${fakePass}\u202e` }] },
  });
  afterAll(() => tree.remove());

  const scan = (...argv: string[]) => runCli(['scan', '.', '--suppressions', 'suppressions.json', ...argv], { cwd: tree.dir });

  test.each([['table'], ['matrix'], ['junit']])('%s: every value escaped, no fake line', async (format) => {
    const run = await scan('--format', format, '--no-color');

    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout).not.toMatch(/\u001b/);
    expect(run.stdout).not.toMatch(/^✔ No failing finding/m);
    expect(run.stdout).toContain('web\\n✔ No failing finding at or above LOW severity.\\u001b[2J');
  });

  test('table: names, users, environment names, suppression reasons and file names each come out escaped', async () => {
    const { stdout } = await scan('--no-color');

    expect(stdout).toContain('evil\\u001b[1A.json');
    expect(stdout).toContain('app\\u001b]0;owned\\u0007');
    expect(stdout).toContain('user 0:\\u009b2K\\u202eroot');
    expect(stdout).toContain('KEY\\u2066\\u0085');
    expect(stdout).toContain('accepted\\u001b[32m\\n✔ No failing finding at or above LOW severity.\\u202e');
  });

  test('with colour, the only escape sequences are the colours', async () => {
    const run = await scan('--color');

    expect(run.stdout).toMatch(SGR);
    expect(run.stdout.replace(SGR, '')).not.toMatch(RAW_CONTROL);
  });

  test('the summary on standard error, and an unreadable file\'s name there, are escaped too', async () => {
    const broken = writeTree({ 'ok.json': taskDefinition, 'bad\u001b[2K\n✔ fine.json': '{ "family": "x", "containerDefinitions": [' });
    try {
      const run = await runCli(['scan', '.', '--format', 'sarif', '--output', 'report.sarif'], { cwd: broken.dir });

      expect(run.code).toBe(2);
      expect(run.stderr).toContain('bad\\u001b[2K\\n✔ fine.json:1: not valid JSON');
      expect(run.stderr).not.toMatch(RAW_CONTROL);
      expect(run.stderr).not.toMatch(/^✔/m);
    } finally {
      broken.remove();
    }
  });
});
