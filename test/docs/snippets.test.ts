/**
 * The documented ways in, held to the package, in `npm test` and without a build: each TypeScript
 * snippet that uses the package imports only what its `exports` map offers and names only what
 * those entry points export; each shell command line of the CLI uses its subcommands, options and
 * formats; each workflow that uses the action passes only its inputs. scripts/consumer-test.sh then
 * compiles and runs the same snippets against the packed package (scripts/doc-snippets.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { FORMATS } from '../../cli/scan';
import { fencedBlocks, importLines, packageSnippets, snippetModule } from '../../scripts/doc-snippets';
import { REPOSITORY, runCli } from '../cli/run-cli';

const packageJson = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8'));
const PACKAGE = packageJson.name as string;

/** The names a module exports, types included, following `export * from`: read from the source's syntax. */
function exportedNames(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const from = join(file, '..', `${statement.moduleSpecifier.text}.ts`);
    if (statement.exportClause && ts.isNamedExports(statement.exportClause)) statement.exportClause.elements.forEach((element) => names.add(element.name.text));
    else for (const name of exportedNames(from)) names.add(name);
  }
  return names;
}

/** `ecs-config-rules/scan` → the source its `exports` entry is compiled from (`./dist/lib/scan-api.js` → lib/scan-api.ts). */
function entrySource(specifier: string): string | undefined {
  const entry = packageJson.exports[specifier === PACKAGE ? '.' : `.${specifier.slice(PACKAGE.length)}`];
  return entry === undefined ? undefined : join(REPOSITORY, entry.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
}

/** `[specifier, names]` of each import of the package in a snippet. */
function packageImports(code: string): [string, string[]][] {
  return importLines(code)
    .map((line) => /^import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && (match[2] === PACKAGE || match[2].startsWith(`${PACKAGE}/`)))
    .map((match) => [match[2], match[1].split(',').map((name) => name.trim().replace(/^type\s+/, '')).filter(Boolean)]);
}

const snippets = packageSnippets();

test('the documents hold the snippets this test checks (README, install, pipeline, organization)', () => {
  const documents = new Set(snippets.map((snippet) => snippet.where.split(':')[0]));
  expect(documents).toEqual(new Set(['README.md', 'docs/install.md', 'docs/organization.md', 'docs/pipeline.md']));
  expect(snippets.length).toBeGreaterThanOrEqual(9);
});

test.each(snippets.map((snippet) => [snippet.where, snippet] as const))('%s imports only what the package exports', (_where, snippet) => {
  const problems = packageImports(snippet.code).flatMap(([specifier, names]) => {
    const source = entrySource(specifier);
    if (source === undefined) return [`${specifier} is not in package.json "exports" (${Object.keys(packageJson.exports).join(', ')})`];
    const exported = exportedNames(source);
    return names.filter((name) => !exported.has(name)).map((name) => `${specifier} exports no ${name}`);
  });
  expect(problems).toEqual([]);
});

test('a snippet that uses a package name imports it (the consumer test compiles them; this says which name is missing first)', () => {
  const missing = snippets.flatMap((snippet) => {
    const imported = new Set(packageImports(snippet.code).flatMap(([, names]) => names));
    const used = [...snippet.code.matchAll(/\b(EcsControlRules|EcsControlRulesStack|EcsControlChecks|suppressEcsControls|ProactiveHook)\b/g)].map((match) => match[1]);
    return [...new Set(used)].filter((name) => !imported.has(name)).map((name) => `${snippet.where}: ${name}`);
  });
  expect(missing).toEqual([]);
});

test('a snippet becomes a module: its imports first, its statements in a Stack where this, stack and legacyAgentTask exist', () => {
  const module = snippetModule({ where: 'README.md:1', code: "import { EcsControlRules } from 'ecs-config-rules';\n\nnew EcsControlRules(this, 'Rules');\n" });
  expect(module.split('\n').slice(0, 2)).toEqual(['// README.md:1', "import { EcsControlRules } from 'ecs-config-rules';"]);
  const body = module.slice(module.indexOf('constructor('));
  expect(body).toMatch(/^constructor\(scope: SnippetConstruct\) \{\n\s+super\(scope, 'Snippet'\);\n\s+const stack = this;\n\s+const legacyAgentTask = new SnippetTaskDefinition\(this, 'LegacyAgentTask'\);\n.*addContainer.*\n\s+\{\n\s*\n\s+new EcsControlRules\(this, 'Rules'\);/);
});

/** `npx ecs-config-rules scan a b --format sarif …` command lines of the shell blocks: the subcommand and its options. */
function cliCommands(): { where: string; line: string; subcommand: string; options: string[]; format?: string }[] {
  return fencedBlocks(['sh', 'bash', 'yaml']).flatMap((block) =>
    block.code
      .replace(/\s*\\\n\s*|\n\s{10,}(?=--)/g, ' ')
      .split('\n')
      .flatMap((line) => [...line.matchAll(/(?:npx(?: --no-install)?|node \S+) ecs-config-rules ([a-z]+)([^|#&;]*)/g)].map((match) => ({ line, match })))
      .map(({ line, match }) => ({
        where: block.where,
        line: line.trim(),
        subcommand: match[1],
        options: [...match[2].matchAll(/(?:^|\s)(--?[a-z][a-z-]*)/g)].map((option) => option[1]),
        format: /(?:--format|-f) (\S+)/.exec(match[2])?.[1],
      })),
  );
}

test('every documented command line of the CLI uses a subcommand, options and a format it has', async () => {
  const commands = cliCommands();
  const help = new Map<string, string>();
  for (const subcommand of new Set(commands.map((command) => command.subcommand))) help.set(subcommand, (await runCli([subcommand, '--help'])).stdout);
  const problems = commands.flatMap((command) => {
    const text = help.get(command.subcommand) ?? '';
    if (!text.includes('Usage:')) return [`${command.where}: no subcommand ${command.subcommand}: ${command.line}`];
    const unknown = command.options.filter((option) => !new RegExp(`(^|[\\s,])${option}([\\s,]|$)`, 'm').test(text)).map((option) => `${command.where}: ${command.subcommand} has no ${option}: ${command.line}`);
    const format = command.format !== undefined && !(command.format in FORMATS) ? [`${command.where}: no format ${command.format}`] : [];
    return [...unknown, ...format];
  });
  expect(commands.length).toBeGreaterThan(20);
  expect(problems).toEqual([]);
});

test('a documented command that runs the CLI file directly names the package’s bin', () => {
  const direct = fencedBlocks(['sh', 'bash', 'yaml']).flatMap((block) => [...block.code.matchAll(/node (\S*ecs-config-rules\S*\.c?js)/g)].map((match) => `${block.where}: ${match[1]}`));
  const bin = Object.values(packageJson.bin as Record<string, string>);
  expect(direct.filter((reference) => !bin.some((path) => reference.endsWith(path)) && !reference.endsWith('dist-action/ecs-config-rules.cjs'))).toEqual([]);
});

test('every documented use of the action passes only inputs action.yml declares', () => {
  const inputs = Object.keys(parse(readFileSync(join(REPOSITORY, 'action.yml'), 'utf8')).inputs);
  const uses = fencedBlocks(['yaml']).flatMap((block) => {
    const steps = JSON.stringify(parse(block.code));
    return [...steps.matchAll(/"uses":"[^"]*ecs-config-rules@[^"]*"(?:,"with":(\{[^}]*\}))?/g)].map((match) => ({ where: block.where, given: Object.keys(match[1] ? JSON.parse(match[1]) : {}) }));
  });
  expect(uses.length).toBeGreaterThanOrEqual(2);
  expect(uses.flatMap(({ where, given }) => given.filter((name) => !inputs.includes(name)).map((name) => `${where}: ${name}`))).toEqual([]);
});
