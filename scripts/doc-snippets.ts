/**
 * The TypeScript snippets of README.md and docs/*.md that use the package, as files a consumer
 * project compiles and runs (scripts/consumer-test.sh: `tsx scripts/doc-snippets.ts <dir>`): each
 * snippet's imports stay at the top of its file, resolved through the installed package's `exports`
 * as an app's are; its statements run in the constructor of a Stack, where a snippet may use `this`
 * and `stack` (that Stack) and `legacyAgentTask` (an ECS task definition in it, with a privileged container). `run.ts` synthesizes each one
 * in its own App and fails on a warning. `tsc -p <dir>` compiles them to `<dir>/out`. test/docs/snippets.test.ts checks the same snippets in `npm test`, without a build.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..');

export interface Snippet {
  /** `README.md:120`: the document and the line of the opening fence. */
  readonly where: string;
  readonly code: string;
}

/** A snippet uses the package when it imports it or names one of its constructs. */
const NAMES_THE_PACKAGE = /ecs-config-rules|EcsControl|suppressEcsControls|ProactiveHook/;

export function documents(root = REPO_ROOT): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
}

/** A fenced block of a Markdown text: `start` and `end` are the offsets of its opening fence and after its closing one. */
export interface Fence {
  readonly language: string;
  readonly code: string;
  /** The line of the opening fence, from 1. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export function fences(text: string): Fence[] {
  return [...text.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((match) => ({
    language: match[1],
    code: match[2],
    line: text.slice(0, match.index).split('\n').length,
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** Every fenced block in `language` (and its aliases) of the documents, with where it starts. */
export function fencedBlocks(languages: readonly string[], root = REPO_ROOT): Snippet[] {
  return documents(root).flatMap((document) =>
    fences(readFileSync(join(root, document), 'utf8'))
      .filter((fence) => languages.includes(fence.language))
      .map((fence) => ({ where: `${document}:${fence.line}`, code: fence.code })),
  );
}

export function packageSnippets(root = REPO_ROOT): Snippet[] {
  return fencedBlocks(['ts', 'typescript'], root).filter((snippet) => NAMES_THE_PACKAGE.test(snippet.code));
}

/** `import … from '…';` lines, each on one line as the docs write them. */
export function importLines(code: string): string[] {
  return code.split('\n').filter((line) => /^import\s/.test(line));
}

/** The snippet as a module: its imports, then its statements inside a Stack's constructor. */
export function snippetModule(snippet: Snippet): string {
  const body = snippet.code
    .split('\n')
    .filter((line) => !/^import\s/.test(line))
    .map((line) => `      ${line}`)
    .join('\n');
  return [
    `// ${snippet.where}`,
    ...importLines(snippet.code),
    "import { Stack as SnippetStack } from 'aws-cdk-lib';",
    "import { ContainerImage as SnippetImage, Ec2TaskDefinition as SnippetTaskDefinition } from 'aws-cdk-lib/aws-ecs';",
    "import { Construct as SnippetConstruct } from 'constructs';",
    '',
    'export class Snippet extends SnippetStack {',
    '  constructor(scope: SnippetConstruct) {',
    "    super(scope, 'Snippet');",
    '    const stack = this;',
    "    const legacyAgentTask = new SnippetTaskDefinition(this, 'LegacyAgentTask');",
    "    legacyAgentTask.addContainer('agent', { image: SnippetImage.fromRegistry('agent:1'), memoryLimitMiB: 512, privileged: true });",
    '    {',
    body,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

function fileName(snippet: Snippet): string {
  return `${snippet.where.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.ts`;
}

/** Writes each snippet's module, `run.ts` (each in its own App, synthesized) and a tsconfig. */
export function writeSnippets(outDir: string, snippets: readonly Snippet[] = packageSnippets()): string[] {
  mkdirSync(outDir, { recursive: true });
  const files = snippets.map((snippet) => {
    writeFileSync(join(outDir, fileName(snippet)), snippetModule(snippet));
    return fileName(snippet);
  });
  const run = [
    "import { mkdtempSync } from 'node:fs';",
    "import { tmpdir } from 'node:os';",
    "import { join } from 'node:path';",
    "import { App } from 'aws-cdk-lib';",
    ...files.map((file, index) => `import { Snippet as Snippet${index} } from './${file.replace(/\.ts$/, '')}';`),
    '',
    `const snippets = [${snippets.map((snippet, index) => `['${snippet.where}', Snippet${index}]`).join(', ')}] as const;`,
    'for (const [where, Snippet] of snippets) {',
    "  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'snippet-')) });",
    '  new Snippet(app);',
    '  // A snippet that makes the synth warn (a parameter for a control it leaves out, say) is wrong too.',
    "  const warnings = app.synth().stacks.flatMap((stack) => stack.messages.filter((message) => message.level !== 'info').map((message) => `${message.id}: ${String(message.entry.data)}`));",
    '  if (warnings.length > 0) throw new Error(`${where}: the synth warned: ${warnings.join(\'; \')}`);',
    '  console.log(`  ran ${where}`);',
    '}',
    '',
  ].join('\n');
  writeFileSync(join(outDir, 'run.ts'), run);
  // The app's own settings (cdk init's), compiled to out/ so plain node runs them (no ts-node or tsx needed).
  const compilerOptions = { outDir: 'out', noUnusedLocals: false, declaration: false, inlineSourceMap: false, inlineSources: false };
  writeFileSync(join(outDir, 'tsconfig.json'), `${JSON.stringify({ extends: '../tsconfig.json', compilerOptions, include: ['*.ts'] }, null, 2)}\n`);
  return files;
}

if (require.main === module) {
  const [outDir] = process.argv.slice(2);
  if (!outDir) {
    console.error('usage: tsx scripts/doc-snippets.ts <directory>');
    process.exitCode = 2;
  } else {
    const files = writeSnippets(outDir);
    console.log(`${files.length} documented snippets written to ${outDir}`);
  }
}
