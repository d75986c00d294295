/**
 * README.md's Python examples: beside each TypeScript example that imports the package, a ```python
 * block that is jsii-rosetta's translation of it, the one Construct Hub and the generated Python
 * docstrings use. Rosetta reads the examples from the assembly jsii writes for the current sources
 * (a staging copy: dev-support/staged-assembly.ts), compiles each against the package's own API, in
 * rosetta/default.ts-fixture (statements in a Stack's constructor, so `this` is a Stack), and
 * translates it. `npm run docs:python` rewrites the Python blocks; test/jsii/readme-python.test.ts
 * fails when one is not the current translation, does not compile, or is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CURRENT_SCHEMA_VERSION, TargetLanguage, TranslatedSnippet } from 'jsii-rosetta';
import { REPOSITORY, withCompiledAssembly } from '../dev-support/staged-assembly';
import { type Fence, fences, importLines } from './doc-snippets';

export const README = 'README.md';

const ROSETTA = join(REPOSITORY, 'node_modules', 'jsii-rosetta', 'bin', 'jsii-rosetta');

/** jsii's Node.js 20 banners, which rosetta prints too (docs/jsii.md, Versions). */
const ROSETTA_ENV = { JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', NO_COLOR: '1' };

/** A README TypeScript example as rosetta compiled and translated it. */
export interface ExampleTranslation {
  readonly didCompile: boolean;
  readonly python: string;
}

export interface ReadmeTranslations {
  /** The README the assembly carries (jsii embeds README.md as it is): the text the lines refer to. */
  readonly readme: string;
  /** Keyed by the line of the example's opening fence. */
  readonly byLine: ReadonlyMap<number, ExampleTranslation>;
  /** Rosetta's diagnostics (compile errors name the snippet's README line). */
  readonly diagnostics: string;
}

/** A TypeScript example that imports the package, and the ```python block right after it, if any. */
export interface ExamplePair {
  readonly typescript: Fence;
  readonly python?: Fence;
}

/**
 * The directory rosetta compiles the examples in: `ecs-config-rules` is the staged package (its
 * types are jsii's output in dist/), its peers the installed ones. Rosetta otherwise builds this
 * closure with `npm install`, which needs the registry (jsii-rosetta's README, Dependencies).
 */
function compilationDirectory(staged: string): string {
  const directory = mkdtempSync(join(staged, '.rosetta-compile-'));
  const modules = join(directory, 'node_modules');
  mkdirSync(modules);
  symlinkSync(staged, join(modules, 'ecs-config-rules'));
  const { peerDependencies = {} } = JSON.parse(readFileSync(join(staged, 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string> };
  Object.keys(peerDependencies).forEach((peer) => symlinkSync(join(staged, 'node_modules', peer), join(modules, peer)));
  return directory;
}

/** The README jsii put in the assembly, the text rosetta's line numbers refer to. */
function assemblyReadme(staged: string): string {
  const { readme } = JSON.parse(readFileSync(join(staged, '.jsii'), 'utf8')) as { readme?: { markdown?: string } };
  if (readme?.markdown === undefined) throw new Error(`${join(staged, '.jsii')}: the assembly carries no README (readme.markdown)`);
  return readme.markdown;
}

/**
 * Rosetta's diagnostics without its noise: on a `--directory` it always warns that packages are
 * missing and lists none (jsii-rosetta 5.9.68, `validateAvailableDependencies` flat-maps promises).
 */
function rosettaDiagnostics(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !/packages necessary to compile examples missing from supplied directory: [, ]*$/.test(line))
    .join('\n');
}

function readmeLine(translated: TranslatedSnippet): number | undefined {
  const { api, field } = translated.snippet.location;
  return api.api === 'moduleReadme' && field?.field === 'markdown' ? field.line : undefined;
}

/**
 * The snippets of a tablet rosetta wrote. Parsed here rather than with `LanguageTablet.fromFile`,
 * whose streaming JSON reader is loaded by a dynamic `import()` that jest's module sandbox refuses.
 */
function readTablet(path: string): TranslatedSnippet[] {
  const tablet = JSON.parse(readFileSync(path, 'utf8')) as { version?: string; snippets?: Record<string, Parameters<typeof TranslatedSnippet.fromSchema>[0]> };
  if (tablet.version !== CURRENT_SCHEMA_VERSION) throw new Error(`${path}: tablet schema version ${tablet.version}, expected ${CURRENT_SCHEMA_VERSION}`);
  return Object.values(tablet.snippets ?? {}).map((snippet) => TranslatedSnippet.fromSchema(snippet));
}

/** `jsii-rosetta extract --compile` over the assembly compiled in `staged`: each README example's Python. */
export function translateReadme(staged: string): ReadmeTranslations {
  const tablet = join(mkdtempSync(join(staged, '.rosetta-tablet-')), 'tablet.json');
  const run = spawnSync(process.execPath, [ROSETTA, 'extract', '--compile', '--directory', compilationDirectory(staged), '--output', tablet, staged], {
    cwd: staged,
    encoding: 'utf8',
    env: { ...process.env, ...ROSETTA_ENV },
  });
  const diagnostics = rosettaDiagnostics(`${run.stdout}${run.stderr}`);
  if (run.status !== 0) throw new Error(`jsii-rosetta extract failed (exit ${run.status}):\n${diagnostics}`);
  const byLine = new Map<number, ExampleTranslation>();
  for (const translated of readTablet(tablet)) {
    const line = readmeLine(translated);
    const python = translated.get(TargetLanguage.PYTHON)?.source;
    if (line !== undefined && python !== undefined) byLine.set(line, { didCompile: translated.snippet.didCompile === true, python });
  }
  return { readme: assemblyReadme(staged), byLine, diagnostics };
}

const importsThePackage = (fence: Fence): boolean => importLines(fence.code).some((line) => /from 'ecs-config-rules';/.test(line));

/** README's TypeScript examples that import the package, each with the Python block that follows it (only blank lines between). */
export function examplePairs(readme: string): ExamplePair[] {
  const all = fences(readme);
  return all.flatMap((fence, index) => {
    if (!['ts', 'typescript'].includes(fence.language) || !importsThePackage(fence)) return [];
    const next = all[index + 1];
    const beside = next?.language === 'python' && readme.slice(fence.end, next.start).trim() === '';
    return [{ typescript: fence, python: beside ? next : undefined }];
  });
}

/** The block a translation is written as (`code` of its fence: the source and a final newline). */
const pythonCode = (translation: ExampleTranslation): string => `${translation.python.trimEnd()}\n`;

function translationOf(translations: ReadmeTranslations, typescript: Fence): ExampleTranslation {
  const translation = translations.byLine.get(typescript.line);
  if (!translation) throw new Error(`${README}:${typescript.line}: jsii-rosetta did not translate this TypeScript example (is it in the assembly's README?)`);
  return translation;
}

/** Why a README example is wrong: it does not compile against the package, or its Python block is missing or stale. */
export interface ExampleProblem {
  readonly kind: 'typescript-does-not-compile' | 'python-renames-a-key' | 'python-missing' | 'python-stale';
  /** Names README's line and what to do. */
  readonly message: string;
}

/** Problems `npm run docs:python` cannot fix: the TypeScript example has to change. */
export const IN_THE_TYPESCRIPT: ReadonlySet<ExampleProblem['kind']> = new Set(['typescript-does-not-compile', 'python-renames-a-key']);

/**
 * Dictionary keys of rosetta's Python that the TypeScript example does not have. jsii-rosetta 5.9's
 * Python translator keeps a map literal's quoted keys (aws/jsii#3448) but renames an unquoted one as
 * if it were a keyword argument (`{ detectCredentialValues: 'false' }` becomes
 * `{"detect_credential_values": "false"}`), which changes the data the construct is given.
 */
function renamedKeys(typescript: string, python: string): string[] {
  return [...python.matchAll(/"([^"\\]+)":/g)].map((match) => match[1]).filter((key) => !typescript.includes(key));
}

export function exampleProblems(translations: ReadmeTranslations): ExampleProblem[] {
  return examplePairs(translations.readme).flatMap(({ typescript, python }): ExampleProblem[] => {
    const translation = translationOf(translations, typescript);
    const at = `${README}:${typescript.line}`;
    if (!translation.didCompile) {
      return [{ kind: 'typescript-does-not-compile', message: `${at}: the TypeScript example does not compile against the package's API (jsii-rosetta):\n${translations.diagnostics}` }];
    }
    const renamed = renamedKeys(typescript.code, translation.python);
    if (renamed.length > 0) {
      const keys = renamed.map((key) => `"${key}"`).join(', ');
      return [{ kind: 'python-renames-a-key', message: `${at}: jsii-rosetta's Python writes the map key(s) ${keys}, which the TypeScript example does not have: quote the key in the TypeScript example (\`{ 'someKey': … }\`), rosetta renames unquoted ones` }];
    }
    if (!python) return [{ kind: 'python-missing', message: `${at}: the TypeScript example imports ecs-config-rules and has no \`\`\`python block after it: run \`npm run docs:python\`` }];
    if (python.code !== pythonCode(translation)) {
      return [{ kind: 'python-stale', message: `${README}:${python.line}: the Python block is not jsii-rosetta's translation of the TypeScript example at ${at}: run \`npm run docs:python\`` }];
    }
    return [];
  });
}

/** README with each example's Python block replaced by, or (when absent) inserted as, rosetta's translation. */
export function withPython(translations: ReadmeTranslations): string {
  const { readme } = translations;
  let rewritten = '';
  let copied = 0;
  for (const { typescript, python } of examplePairs(readme)) {
    const block = `\`\`\`python\n${pythonCode(translationOf(translations, typescript))}\`\`\``;
    rewritten += python ? `${readme.slice(copied, python.start)}${block}` : `${readme.slice(copied, typescript.end)}\n\n${block}`;
    copied = python ? python.end : typescript.end;
  }
  return rewritten + readme.slice(copied);
}

/** Why `code`, README's block at `where`, is not valid Python 3 (python3's `compile()`), or undefined. */
export function pythonCompileError(code: string, where: string): string | undefined {
  const run = spawnSync('python3', ['-c', 'import sys; compile(sys.stdin.read(), sys.argv[1], "exec")', where], { input: code, encoding: 'utf8' });
  if (run.error) throw new Error(`python3 could not be run to compile ${where}: ${run.error.message}`);
  return run.status === 0 ? undefined : run.stderr.trim();
}

async function main(): Promise<void> {
  const translations = await withCompiledAssembly(translateReadme);
  const unfixable = exampleProblems(translations).filter((problem) => IN_THE_TYPESCRIPT.has(problem.kind));
  if (unfixable.length > 0) throw new Error(unfixable.map((problem) => problem.message).join('\n'));
  const rewritten = withPython(translations);
  const broken = examplePairs(rewritten).flatMap(({ python }) => (python ? (pythonCompileError(python.code, `${README}:${python.line}`) ?? []) : []));
  if (broken.length > 0) throw new Error(`jsii-rosetta's Python does not compile:\n${broken.join('\n')}`);
  const path = join(REPOSITORY, README);
  if (readFileSync(path, 'utf8') !== translations.readme) throw new Error(`${README} changed while rosetta translated it: run \`npm run docs:python\` again`);
  writeFileSync(path, rewritten);
  process.stdout.write(`${path}: ${examplePairs(rewritten).length} Python examples written from jsii-rosetta's translations.\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
