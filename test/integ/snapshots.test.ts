/**
 * Offline half of the integ tests: every case synthesizes exactly to its committed snapshot, so what
 * `npm run integ` deploys is what was reviewed, and a change that alters it fails here until the
 * snapshot is regenerated (`npm run integ -- --update-snapshots`, docs/integ.md). The hook case's
 * stack templates are checked by the scanner itself: the privileged one fails ECS.4, the hardened
 * one passes every control, so the live run's expectations hold offline.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONTROLS, evaluateTargets, loadInputs, today } from '../../lib/scan-api';
import { capturingOutput } from '../capture-output';
import { HOOK_STACKS } from './integ.proactive-hook';
import { parseArguments } from './run';
import { INTEG_CASES, changedSnapshotFiles, readSnapshotFiles, snapshotDirectory, synthesizeCase, writeSnapshot } from './snapshot';

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-snapshots-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe.each(INTEG_CASES.map((integCase) => [integCase.name, integCase] as const))('%s', (_name, integCase) => {
  let assemblyDir: string;
  let printed: string;
  beforeAll(() => {
    ({ result: assemblyDir, printed } = capturingOutput(() => synthesizeCase(integCase, path.join(scratch, integCase.name))));
  });

  test('synthesizes exactly to its committed snapshot', () => {
    expect(changedSnapshotFiles(integCase, assemblyDir)).toEqual([]);
  });

  test('synthesizes without a warning (only the bundling lines are printed)', () => {
    const lines = printed.split('\n').filter((line) => line.trim() !== '');
    expect(lines.filter((line) => !line.startsWith('Bundling asset '))).toEqual([]);
  });

  test('its snapshot has every stack template, the assertion stack and integ.json', () => {
    const files = Object.keys(readSnapshotFiles(snapshotDirectory(integCase)));
    const integ = readSnapshotFiles(assemblyDir)['integ.json'] as { testCases: Record<string, { stacks: string[]; assertionStackName: string }> };
    const stacks = Object.values(integ.testCases).flatMap((testCase) => [...testCase.stacks, testCase.assertionStackName]);
    expect(stacks.length).toBeGreaterThan(1);
    for (const stack of stacks) expect(files).toContain(`${stack}.template.json`);
    expect(files).toContain('integ.json');
  });
});

test('a synth that differs from the snapshot is reported by file', () => {
  const [integCase] = INTEG_CASES;
  const changed = path.join(scratch, 'changed');
  fs.mkdirSync(changed);
  for (const [file, content] of Object.entries(readSnapshotFiles(snapshotDirectory(integCase)))) fs.writeFileSync(path.join(changed, file), JSON.stringify(content));
  const template = fs.readdirSync(changed).find((file) => file.endsWith('.template.json'))!;
  const body = JSON.parse(fs.readFileSync(path.join(changed, template), 'utf8'));
  fs.writeFileSync(path.join(changed, template), JSON.stringify({ ...body, Description: 'changed' }));
  fs.rmSync(path.join(changed, 'integ.json'));
  expect(changedSnapshotFiles(integCase, changed)).toEqual(['integ.json', template].sort());
});

test('writing a snapshot keeps only the snapshot files', () => {
  const assembly = path.join(scratch, 'assembly');
  fs.mkdirSync(path.join(assembly, 'asset.0123'), { recursive: true });
  for (const file of ['A.template.json', 'A.assets.json', 'manifest.json', 'integ.json', 'tree.json']) fs.writeFileSync(path.join(assembly, file), '{"k": 1}');
  const fakeCase = { name: `scratch-${process.pid}`, build: () => undefined };
  try {
    writeSnapshot(fakeCase, assembly);
    expect(fs.readdirSync(snapshotDirectory(fakeCase)).sort()).toEqual(['A.assets.json', 'A.template.json', 'integ.json', 'manifest.json']);
  } finally {
    fs.rmSync(snapshotDirectory(fakeCase), { recursive: true, force: true });
  }
});

describe('the hook case’s stacks, as the scanner sees them', () => {
  // The hook's defaults (lib/proactive-hook.ts): every control, default parameters, threshold LOW.
  const findingsOf = (template: string) => {
    const { targets } = loadInputs([template], { cwd: process.cwd(), readStdin: () => '' });
    return evaluateTargets(targets, { controls: CONTROLS, parameters: {}, threshold: 'LOW', suppressions: [], today: today() });
  };

  test('the privileged stack fails ECS.4 (the control the live run expects the hook to name)', () => {
    const failed = findingsOf(HOOK_STACKS.privileged.template).filter((finding) => finding.status === 'failed').map((finding) => finding.control.id);
    expect(failed).toContain('ECS.4');
  });

  test('the hardened stack fails no control and leaves none unevaluated', () => {
    const statuses = new Set(findingsOf(HOOK_STACKS.hardened.template).map((finding) => finding.status));
    expect([...statuses].sort()).toEqual(['notApplicable', 'passed']);
  });
});

describe('npm run integ’s arguments', () => {
  test('no case named runs every case, deploying', () => {
    expect(parseArguments([])).toEqual({ cases: INTEG_CASES, updateSnapshotsOnly: false });
  });

  test('named cases run alone; --update-snapshots deploys nothing', () => {
    expect(parseArguments(['integ.proactive-hook', '--update-snapshots'])).toEqual({
      cases: INTEG_CASES.filter((integCase) => integCase.name === 'integ.proactive-hook'),
      updateSnapshotsOnly: true,
    });
  });

  test('an unknown case or option is refused, naming it and what exists', () => {
    expect(() => parseArguments(['integ.account'])).toThrow('npm run integ: no integ case integ.account; the cases are integ.account-mode, integ.proactive-hook');
    expect(() => parseArguments(['--dry-run'])).toThrow('npm run integ: unknown option --dry-run (only --update-snapshots)');
  });
});
