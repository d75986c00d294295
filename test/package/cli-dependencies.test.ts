/**
 * The CLI never loads aws-cdk-lib or constructs: they are optional peer dependencies, absent from a
 * CLI-only install. Checked twice: on the CLI's whole import graph (static and dynamic imports, as
 * esbuild resolves it), and in a real scan's loaded modules. And what the installed package needs
 * at run time is in the tarball: the CLI as one bundled file, the library's parsers as bundled packages.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleCli } from '../../scripts/cli-bundle';

const REPOSITORY = join(__dirname, '..', '..');
const CLI_ENTRY = join(REPOSITORY, 'bin', 'ecs-config-rules.ts');
const CDK_PACKAGE = /(^|[/\\])node_modules[/\\](aws-cdk-lib|constructs)[/\\]|^(aws-cdk-lib|constructs)(\/|$)/;

test("no import the CLI can reach, static or dynamic, is aws-cdk-lib's or constructs'", async () => {
  const result = await build({ entryPoints: [CLI_ENTRY], bundle: true, write: false, platform: 'node', packages: 'external', metafile: true, logLevel: 'silent' });
  const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((imported) => imported.path));

  expect(imports).toContain('commander');
  expect(imports.filter((path) => CDK_PACKAGE.test(path))).toEqual([]);
});

test('a scan of the examples loads neither aws-cdk-lib nor constructs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-modules-'));
  const modulesFile = join(dir, 'modules.json');
  try {
    // Written at exit: every module the process required, the CLI's own and its dependencies'.
    const recordModules = `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(modulesFile)}, JSON.stringify(Object.keys(require.cache))))`;
    const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', '--eval', `${recordModules}; process.argv.splice(1, 0, 'cli'); require(${JSON.stringify(CLI_ENTRY)})`, 'scan', 'examples/', '--format', 'json'], {
      cwd: REPOSITORY,
      encoding: 'utf8',
    });
    const loaded = JSON.parse(readFileSync(modulesFile, 'utf8')) as string[];

    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).summary.failed).toBeGreaterThan(0);
    expect(loaded.some((path) => path.includes(`node_modules${'/'}commander`))).toBe(true);
    expect(loaded.filter((path) => CDK_PACKAGE.test(path))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageName = (path: string): string => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/');

test.each([
  ['the library entry', join(REPOSITORY, 'lib', 'index.ts')],
  ['the scan API', join(REPOSITORY, 'lib', 'scan-api.ts')],
])('every package %s can reach is a peer or a dependency the tarball bundles (jsii admits no other: docs/jsii.md)', async (_name, entry) => {
  const manifest = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8'));
  const bundled: string[] = manifest.bundledDependencies;
  expect(Object.keys(manifest.dependencies).sort()).toEqual([...bundled].sort());
  const installed = new Set([...bundled, ...Object.keys(manifest.peerDependencies ?? {})]);
  const result = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'node', packages: 'external', metafile: true, logLevel: 'silent' });
  const packages = new Set(
    Object.values(result.metafile.inputs)
      // Bare specifiers only: relative ones (`..`, the package's own files) ship with it.
      .flatMap((input) => input.imports.filter((imported) => imported.external && /^[@a-z]/i.test(imported.path)).map((imported) => packageName(imported.path)))
      .filter((name) => !name.startsWith('node:') && !builtinModules.includes(name)),
  );

  expect([...packages].filter((name) => !installed.has(name))).toEqual([]);
});

test("the package's CLI is one file that requires only Node.js built-ins: its commander, AWS SDK and the rest are inside", async () => {
  const { text, inputs } = await bundleCli({ banner: '' });
  const required = new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]));
  // Not a call: the SDK's error text for SigV4a tells users to `require("@aws-sdk/signature-v4-crt")`.
  expect([...required].filter((name) => !builtinModules.includes(name.replace(/^node:/, '')))).toEqual(['@aws-sdk/signature-v4-crt']);
  expect(inputs.some((input) => input.includes('node_modules/@aws-sdk/client-securityhub/'))).toBe(true);
  expect(inputs.some((input) => input.includes('node_modules/commander/'))).toBe(true);
});
