/**
 * The CDK surface stays within jsii's type model (docs/jsii.md), so Python, Java, .NET and Go can be
 * given the same construct and plugin. Until the package itself compiles with jsii (rows 1 and 2 of
 * docs/jsii.md: its CLI dependencies and the scan API's root re-export), jsii compiles a staging copy
 * that stands in for exactly those two rows and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY } from '../cli/run-cli';

const JSII = join(REPOSITORY, 'node_modules', 'jsii', 'bin', 'jsii');
/** What `lib/index.ts` and its imports load at run time (esbuild over the entry lists no other package). */
const CDK_RUNTIME_PACKAGES = ['js-yaml', 'jsonc-parser', 'yaml'];
/** Row 2 of docs/jsii.md: the scan API stays TypeScript-only. */
const SCAN_REEXPORT = "export * from './scan-api';\n";
const COPIED = ['lib', 'lambdas', 'scan', 'hook', 'tsconfig.jsii.json', 'README.md'];

interface Assembly {
  readonly types: Record<string, { readonly kind: string; readonly initializer?: unknown; readonly properties?: readonly { readonly name: string; readonly type: unknown }[] }>;
}

const staged: string[] = [];
afterAll(() => staged.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the CDK surface with rows 1 and 2 stood in for; `edit` changes one of its files first. */
function stage(edit?: { readonly file: string; readonly from: string; readonly to: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'jsii-stage-'));
  staged.push(dir);
  COPIED.forEach((entry) => cpSync(join(REPOSITORY, entry), join(dir, entry), { recursive: true }));
  symlinkSync(join(REPOSITORY, 'node_modules'), join(dir, 'node_modules'));
  const index = readFileSync(join(dir, 'lib/index.ts'), 'utf8');
  expect(index).toContain(SCAN_REEXPORT);
  writeFileSync(join(dir, 'lib/index.ts'), index.replace(SCAN_REEXPORT, ''));
  if (edit) {
    const source = readFileSync(join(dir, edit.file), 'utf8');
    expect(source).toContain(edit.from);
    writeFileSync(join(dir, edit.file), source.replace(edit.from, edit.to));
  }
  const pkg = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8'));
  const dependencies = Object.fromEntries(CDK_RUNTIME_PACKAGES.map((name) => [name, pkg.dependencies[name]]));
  const stagedPackage = { ...pkg, dependencies, bundledDependencies: CDK_RUNTIME_PACKAGES, repository: { type: 'git', url: 'https://example.com/ecs-config-rules.git' }, author: { name: 'ecs-config-rules', organization: false } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(stagedPackage, null, 2));
  return dir;
}

function compile(dir: string): { readonly status: number | null; readonly output: string } {
  const run = spawnSync(process.execPath, [JSII, '--tsconfig', 'tsconfig.jsii.json', '--validate-tsconfig', 'minimal'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', NO_COLOR: '1' },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('jsii writes the assembly of the construct, its stack, the hook and the plugin, with props every language can set', () => {
  const dir = stage();
  const { status, output } = compile(dir);
  expect({ status, errors: output.split('\n').filter((line) => line.includes('error')) }).toEqual({ status: 0, errors: [] });
  const { types } = JSON.parse(readFileSync(join(dir, '.jsii'), 'utf8')) as Assembly;
  for (const construct of ['EcsControlRules', 'EcsControlRulesStack', 'ProactiveHook']) expect(types[`ecs-config-rules.${construct}`].initializer).toBeDefined();
  expect(types['ecs-config-rules.EcsControlChecks'].kind).toBe('class');
  const props = new Map(types['ecs-config-rules.EcsControlRulesProps'].properties?.map((prop) => [prop.name, prop.type]));
  expect(props.get('controls')).toEqual({ collection: { kind: 'array', elementtype: { primitive: 'string' } } });
  expect(props.get('parameters')).toEqual({ collection: { kind: 'map', elementtype: { collection: { kind: 'map', elementtype: { primitive: 'string' } } } } });
  expect(props.get('proactive')).toEqual({ fqn: 'ecs-config-rules.ProactiveOptions' });
  // Built by the fleet only: no initializer for other languages.
  expect(types['ecs-config-rules.ControlRule'].initializer).toBeUndefined();
}, 120000);

test('a prop jsii cannot carry fails the compile, naming the file and the type', () => {
  const dir = stage({ file: 'lib/validation/ecs-control-checks.ts', from: '  readonly controls?: string[];', to: '  readonly controls?: readonly string[];' });
  const { status, output } = compile(dir);
  expect(status).not.toBe(0);
  expect(output).toMatch(/lib\/validation\/ecs-control-checks\.ts:\d+:\d+ - error JSII3001: Type "ReadonlyArray" cannot be used/);
}, 120000);
