/**
 * README's Python examples are jsii-rosetta's translations of the TypeScript examples beside them,
 * each TypeScript example type-checks against the package's own API, and each Python block is valid
 * Python 3. The assembly is compiled once for this file (staging copy), rosetta runs twice on it
 * (README as it is, then with a TypeScript example broken): about 35 s on two cores.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCompiledAssembly } from '../../dev-support/staged-assembly';
import { type ExampleProblem, examplePairs, exampleProblems, IN_THE_TYPESCRIPT, pythonCompileError, type ReadmeTranslations, translateReadme, withPython } from '../../scripts/readme-python';

/** A prop the plugin's props do not have: the example no longer type-checks. */
const MISSPELT = { from: "new EcsControlChecks({ severityThreshold: 'HIGH' })", to: "new EcsControlChecks({ severityThreshhold: 'HIGH' })" };

/** Puts `edit` into the README the assembly in `staged` carries, where rosetta reads the examples. */
function editAssemblyReadme(staged: string, edit: { readonly from: string; readonly to: string }): void {
  const path = join(staged, '.jsii');
  const assembly = JSON.parse(readFileSync(path, 'utf8')) as { readme: { markdown: string } };
  expect(assembly.readme.markdown).toContain(edit.from);
  assembly.readme.markdown = assembly.readme.markdown.replace(edit.from, edit.to);
  writeFileSync(path, JSON.stringify(assembly));
}

let current: ReadmeTranslations;
let misspelt: ReadmeTranslations;
beforeAll(async () => {
  await withCompiledAssembly((staged) => {
    current = translateReadme(staged);
    editAssemblyReadme(staged, MISSPELT);
    misspelt = translateReadme(staged);
  });
}, 150_000);

const messages = (problems: readonly ExampleProblem[]): string[] => problems.map((problem) => problem.message);

describe('README.md as committed', () => {
  test('the construct and the plugin examples each type-check against the package and have rosetta\'s Python translation beside them', () => {
    expect(examplePairs(current.readme).map(({ typescript }) => typescript.code)).toEqual([
      expect.stringContaining('new EcsControlRules(this,'),
      expect.stringContaining('Validations.of(app).addPlugins(new EcsControlChecks('),
    ]);
    expect(messages(exampleProblems(current))).toEqual([]);
  });

  test('each Python block compiles as Python 3', () => {
    const pythons = examplePairs(current.readme).flatMap(({ python }) => (python ? [python] : []));
    expect(pythons.map((python) => pythonCompileError(python.code, `README.md:${python.line}`))).toEqual(pythons.map(() => undefined));
    expect(pythons).toHaveLength(examplePairs(current.readme).length);
  });
});

test('a TypeScript example that does not type-check against the package is reported at its README line, with rosetta\'s diagnostic', () => {
  const [construct, plugin] = examplePairs(misspelt.readme);
  const problems = exampleProblems(misspelt).filter((problem) => problem.message.startsWith(`README.md:${plugin.typescript.line}:`));
  expect(problems.map((problem) => problem.kind)).toEqual(['typescript-does-not-compile']);
  expect(problems[0].message).toMatch(new RegExp(`^README\\.md:${plugin.typescript.line}: the TypeScript example does not compile against the package's API`));
  expect(problems[0].message).toContain('severityThreshhold');
  expect(IN_THE_TYPESCRIPT.has(problems[0].kind)).toBe(true);
  expect(misspelt.byLine.get(construct.typescript.line)?.didCompile).toBe(true);
});

describe('the checks and the rewrite, on examples of this file', () => {
  const TYPESCRIPT = "```ts\nimport { EcsControlChecks } from 'ecs-config-rules';\n\nnew EcsControlChecks({ failOn: 'x' });\n```";
  const OTHER_TYPESCRIPT = "```ts\nimport { App } from 'aws-cdk-lib';\n\nnew App();\n```";
  const PYTHON = 'from ecs_config_rules import EcsControlChecks\n\nEcsControlChecks(fail_on="x")';
  const readmeOf = (...parts: string[]): string => `# Title\n\n${parts.join('\n\nSome prose.\n\n')}\n\nThe end.\n`;
  /** Rosetta's output for TYPESCRIPT (third line of every readme here: after "# Title" and a blank line). */
  const translated = (readme: string, python = PYTHON, didCompile = true): ReadmeTranslations => ({ readme, byLine: new Map([[3, { didCompile, python }]]), diagnostics: 'error TS2353: …' });

  test('a missing Python block is reported at the TypeScript fence; the rewrite inserts it right after, and then nothing is reported', () => {
    const readme = readmeOf(TYPESCRIPT, OTHER_TYPESCRIPT);
    expect(messages(exampleProblems(translated(readme)))).toEqual(["README.md:3: the TypeScript example imports ecs-config-rules and has no ```python block after it: run `npm run docs:python`"]);
    const rewritten = withPython(translated(readme));
    expect(rewritten).toBe(readmeOf(`${TYPESCRIPT}\n\n\`\`\`python\n${PYTHON}\n\`\`\``, OTHER_TYPESCRIPT));
    expect(exampleProblems(translated(rewritten))).toEqual([]);
  });

  test('a Python block that is not the current translation is reported at its own line and replaced in place', () => {
    const stale = readmeOf(`${TYPESCRIPT}\n\n\`\`\`python\nEcsControlChecks(old=1)\n\`\`\``);
    expect(messages(exampleProblems(translated(stale)))).toEqual([
      "README.md:9: the Python block is not jsii-rosetta's translation of the TypeScript example at README.md:3: run `npm run docs:python`",
    ]);
    expect(withPython(translated(stale))).toBe(readmeOf(`${TYPESCRIPT}\n\n\`\`\`python\n${PYTHON}\n\`\`\``));
  });

  test('a Python block after prose is not beside the example: it is reported missing and a block is inserted after the fence', () => {
    const apart = readmeOf(TYPESCRIPT, `\`\`\`python\n${PYTHON}\n\`\`\``);
    expect(exampleProblems(translated(apart)).map((problem) => problem.kind)).toEqual(['python-missing']);
    expect(withPython(translated(apart))).toBe(readmeOf(`${TYPESCRIPT}\n\n\`\`\`python\n${PYTHON}\n\`\`\``, `\`\`\`python\n${PYTHON}\n\`\`\``));
  });

  test('an example rosetta could not compile is reported with its diagnostics, before anything about its Python', () => {
    const problems = exampleProblems(translated(readmeOf(TYPESCRIPT), PYTHON, false));
    expect(messages(problems)).toEqual(["README.md:3: the TypeScript example does not compile against the package's API (jsii-rosetta):\nerror TS2353: …"]);
  });

  test('a map key rosetta renamed (an unquoted key in the TypeScript) is reported as a change to the TypeScript', () => {
    const example = "```ts\nimport { EcsControlRules } from 'ecs-config-rules';\n\nnew EcsControlRules(this, 'R', { parameters: { 'ECS.8': { detectCredentialValues: 'false' } } });\n```";
    const renamed = 'EcsControlRules(self, "R", parameters={"ECS.8": {"detect_credential_values": "false"}})';
    const problems = exampleProblems(translated(readmeOf(example), renamed));
    expect(problems.map((problem) => [problem.kind, IN_THE_TYPESCRIPT.has(problem.kind)])).toEqual([['python-renames-a-key', true]]);
    expect(problems[0].message).toMatch(/^README\.md:3: jsii-rosetta's Python writes the map key\(s\) "detect_credential_values", which the TypeScript example does not have: quote the key/);
  });

  test('a TypeScript example rosetta did not translate is an error naming its line, not a silent pass', () => {
    expect(() => exampleProblems({ readme: readmeOf(TYPESCRIPT), byLine: new Map(), diagnostics: '' })).toThrow('README.md:3: jsii-rosetta did not translate this TypeScript example');
  });

  test('python3 rejects a block that is not Python, naming where it is', () => {
    expect(pythonCompileError('EcsControlChecks(fail_on="x"', 'README.md:9')).toMatch(/File "README\.md:9", line 1[\s\S]*SyntaxError/);
    expect(pythonCompileError(PYTHON, 'README.md:9')).toBeUndefined();
  });
});
