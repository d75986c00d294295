/**
 * The layers of .dependency-cruiser.js hold over the whole repository (no cycle, no upward import),
 * and each rule bites: a small tree that breaks every rule once is reported rule by rule.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPOSITORY, writeTree } from '../cli/run-cli';

const CRUISER = join(REPOSITORY, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = join(REPOSITORY, '.dependency-cruiser.js');
const FOLDERS = ['lambdas', 'scan', 'lib', 'cli', 'bin', 'bench', 'scripts', 'dev-support', 'test'];

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
  readonly cycle?: readonly { readonly name: string }[];
}

interface CruiseResult {
  readonly modules: readonly { readonly source: string }[];
  readonly summary: { readonly violations: readonly Violation[] };
}

function cruise(cwd: string, folders: readonly string[]): CruiseResult {
  const run = spawnSync(process.execPath, [CRUISER, '--config', CONFIG, '--output-type', 'json', ...folders], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  // The cruiser exits with the number of errors; its JSON is complete either way.
  if (run.stdout === '') throw new Error(`dependency-cruiser failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as CruiseResult;
}

const described = (violation: Violation) => `${violation.rule.name}: ${violation.from} → ${violation.cycle ? violation.cycle.map((step) => step.name).join(' → ') : violation.to}`;

test('the repository has no cycle and no import against the layers', () => {
  const result = cruise(REPOSITORY, FOLDERS);

  expect(result.summary.violations.map(described)).toEqual([]);
  // Every folder was read: a cruise that found nothing could not find a violation either.
  const cruised = new Set(result.modules.map((module) => module.source.split('/')[0]));
  expect(FOLDERS.filter((folder) => !cruised.has(folder))).toEqual([]);
});

test('each rule reports the import that breaks it', () => {
  const tree = writeTree({
    'tsconfig.json': { compilerOptions: { module: 'commonjs', strict: true } },
    'lambdas/core/model.ts': "import { engine } from '../../scan/engine';\nexport const model = engine;\n",
    'lambdas/core/control.ts': "import { reader } from '../adapters/reader';\nexport const control = reader;\n",
    'lambdas/adapters/reader.ts': 'export const reader = 1;\n',
    'lambdas/controls/ecs-1.ts': "import { handler } from '../handlers/ecs-1';\nexport const control = handler;\n",
    'lambdas/handlers/ecs-1.ts': 'export const handler = 1;\n',
    'scan/engine.ts': "import { program } from '../cli/program';\nexport const engine = program;\n",
    'scan/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
    'scan/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    'lib/construct.ts': "import { program } from '../cli/program';\nimport { loopback } from '../dev-support/loopback';\nexport const construct = [program, loopback];\n",
    'cli/program.ts': "import { construct } from '../lib/construct';\nexport const program = construct;\n",
    'dev-support/loopback.ts': 'export const loopback = 1;\n',
    'bench/run.ts': "import { helper } from '../test/helper';\nexport const run = helper;\n",
    'test/helper.ts': "import { missing } from './no-such-file';\nexport const helper = missing;\n",
  });
  try {
    const reported = cruise(tree.dir, FOLDERS.filter((folder) => folder !== 'bin' && folder !== 'scripts')).summary.violations.map(described);

    expect(reported).toEqual(
      expect.arrayContaining([
        'lambdas-import-nothing-above: lambdas/core/model.ts → scan/engine.ts',
        'core-imports-only-core: lambdas/core/control.ts → lambdas/adapters/reader.ts',
        'controls-and-adapters-import-only-core: lambdas/controls/ecs-1.ts → lambdas/handlers/ecs-1.ts',
        'scan-below-the-edges: scan/engine.ts → cli/program.ts',
        'lib-never-cli: lib/construct.ts → cli/program.ts',
        'cli-never-lib: cli/program.ts → lib/construct.ts',
        'product-never-dev-code: lib/construct.ts → dev-support/loopback.ts',
        'tooling-never-tests: bench/run.ts → test/helper.ts',
        'not-to-unresolvable: test/helper.ts → ./no-such-file',
      ]),
    );
    expect(reported.filter((line) => line.startsWith('no-circular: scan/'))).not.toEqual([]);
  } finally {
    tree.remove();
  }
});
