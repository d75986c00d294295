/**
 * The package's jsii assembly compiled from a staging copy of its sources, never from the working
 * tree: `npm run build` owns dist/ and `.jsii` (other tests read them while it runs), and a `.jsii`
 * left over from an older build would describe an older API. The API reference (`npm run docs:api`)
 * and README's Python examples (`npm run docs:python`) are generated from this copy, and their tests
 * compile it once per file (docs/jsii.md).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPOSITORY = join(__dirname, '..');

/** What jsii reads: the sources `tsconfig.jsii.json` compiles, the manifest, the README it embeds and rosetta's fixtures. */
const STAGED = ['lib', 'lambdas', 'scan', 'hook', 'tsconfig.jsii.json', 'README.md', 'package.json', 'rosetta'];

const JSII = join(REPOSITORY, 'node_modules', 'jsii', 'bin', 'jsii');

/** jsii's banners on Node.js 20 (docs/jsii.md, Versions), silenced as `npm run jsii` does. */
const JSII_ENV = { JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', NO_COLOR: '1' };

/** One change to a staged file: `from` must occur in it. */
export interface StagedEdit {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

export interface JsiiCompile {
  readonly status: number | null;
  /** jsii's stdout and stderr: diagnostics name file, line and column. */
  readonly output: string;
}

/** A fresh copy of what jsii compiles (node_modules linked), `edits` applied; the caller removes it. */
export function stageSources(edits: readonly StagedEdit[] = []): string {
  const directory = mkdtempSync(join(tmpdir(), 'jsii-stage-'));
  STAGED.forEach((entry) => cpSync(join(REPOSITORY, entry), join(directory, entry), { recursive: true }));
  symlinkSync(join(REPOSITORY, 'node_modules'), join(directory, 'node_modules'));
  edits.forEach((edit) => applyEdit(directory, edit));
  return directory;
}

function applyEdit(directory: string, { file, from, to }: StagedEdit): void {
  const path = join(directory, file);
  const source = readFileSync(path, 'utf8');
  if (!source.includes(from)) throw new Error(`${file}: the staged edit's text is not in the file: ${JSON.stringify(from)}`);
  writeFileSync(path, source.replace(from, to));
}

/** `npm run jsii` in `directory`: writes `directory/.jsii` and `directory/dist` when it succeeds. */
export function compileWithJsii(directory: string): JsiiCompile {
  const run = spawnSync(process.execPath, [JSII, '--tsconfig', 'tsconfig.jsii.json', '--validate-tsconfig', 'minimal'], {
    cwd: directory,
    encoding: 'utf8',
    env: { ...process.env, ...JSII_ENV },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Runs `use` on a staged copy compiled by jsii, then removes the copy; throws with jsii's diagnostics when it does not compile. */
export async function withCompiledAssembly<T>(use: (directory: string) => Promise<T> | T): Promise<T> {
  const directory = stageSources();
  try {
    const { status, output } = compileWithJsii(directory);
    if (status !== 0) throw new Error(`jsii could not compile the package (exit ${status}):\n${output}`);
    return await use(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
