/**
 * `npm run compat` (scripts/jsii-compat.sh): jsii-diff between the previous release's assembly and
 * this build's fails on an API break Python, Java, .NET and Go users would hit, and says plainly when
 * there is nothing released to compare with. Uses the build's `.jsii` (npm ci builds it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY } from '../cli/run-cli';

const SCRIPT = join(REPOSITORY, 'scripts', 'jsii-compat.sh');
const work = mkdtempSync(join(tmpdir(), 'jsii-compat-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function compat(script: string, ...args: string[]): { readonly status: number | null; readonly output: string } {
  const run = spawnSync(script, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** A "previous release" assembly: this build's, with `edit` applied, beside the packages it references. */
function previousAssembly(name: string, edit: (types: Record<string, { properties?: unknown[] }>) => void): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const assembly = JSON.parse(readFileSync(join(REPOSITORY, '.jsii'), 'utf8'));
  edit(assembly.types);
  writeFileSync(join(dir, '.jsii'), JSON.stringify(assembly));
  copyFileSync(join(REPOSITORY, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(REPOSITORY, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

test('the same API passes', () => {
  expect(compat(SCRIPT, '--against', previousAssembly('same', () => undefined))).toMatchObject({ status: 0 });
}, 60000);

test('a prop the previous release had and this build lacks fails, naming it and its suppression key', () => {
  const previous = previousAssembly('removed-prop', (types) => {
    types['ecs-config-rules.EcsControlChecksProps'].properties?.push({ name: 'retiredOption', optional: true, immutable: true, abstract: true, type: { primitive: 'string' }, docs: { stability: 'stable' } });
  });
  const { status, output } = compat(SCRIPT, '--against', previous);
  expect(status).toBe(1);
  expect(output).toContain('PROP ecs-config-rules.EcsControlChecksProps.retiredOption: has been removed [removed:ecs-config-rules.EcsControlChecksProps.retiredOption]');
}, 60000);

test('without an earlier release tag, or with one from before jsii, there is nothing to compare with, and it says so', () => {
  const clone = join(work, 'clone');
  execFileSync('git', ['clone', '--quiet', '--no-local', REPOSITORY, clone]);
  copyFileSync(join(REPOSITORY, '.jsii'), join(clone, '.jsii'));
  const script = join(clone, 'scripts', 'jsii-compat.sh');
  expect(compat(script)).toEqual({ status: 0, output: 'compat: no earlier release tag (v*.*.*) in this clone: nothing released to compare with\n' });
  const firstCommit = execFileSync('git', ['-C', clone, 'rev-list', '--max-parents=0', 'HEAD'], { encoding: 'utf8' }).trim();
  execFileSync('git', ['-C', clone, 'tag', 'v0.0.1', firstCommit]);
  expect(compat(script)).toEqual({ status: 0, output: 'compat: v0.0.1 predates the jsii assembly (no `npm run jsii` there): nothing to compare with\n' });
}, 60000);
