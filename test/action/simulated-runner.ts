/**
 * Runs action.yml's steps offline, as a GitHub runner would for one job: `${{ inputs.* }}` and
 * `${{ steps.<id>.outputs.* }}` filled in, each step's `if` evaluated, `run` steps executed by bash
 * with the runner's own flags, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files, and every log line
 * read for workflow commands the way the runner reads them (after leading blanks; `##[` anywhere,
 * the old syntax; nothing between `::stop-commands::<token>` and `::<token>::`). `uses` steps are
 * not run (no network): the result says which would have run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPOSITORY } from '../cli/run-cli';

export interface WorkflowCommand {
  readonly command: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly message: string;
}

export interface StepRun {
  readonly name: string;
  /** Undefined: skipped by its `if`. */
  readonly exitCode?: number;
  readonly log: string;
  /** A `uses` step whose `if` held: what it would run. */
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string>>;
}

export interface JobRun {
  readonly steps: readonly StepRun[];
  readonly outputs: Readonly<Record<string, string>>;
  readonly commands: readonly WorkflowCommand[];
  readonly summary: string;
  /** The job's result: the first failing step's exit code, else 0. */
  readonly exitCode: number;
}

interface Step {
  readonly name: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly with?: Readonly<Record<string, string>>;
}

/** `%25`, `%0D`, `%0A`, `%3A`, `%2C` back to their characters, as the runner decodes command values. */
function unescape(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

function parseProperties(text: string): Record<string, string> {
  if (text === '') return {};
  return Object.fromEntries(text.split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), unescape(pair.slice(pair.indexOf('=') + 1))]));
}

/** The commands of a log, with the runner's rules (actions/runner, ActionCommandManager). */
export function workflowCommands(log: string, state: { stopToken?: string } = {}): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of log.split('\n')) {
    const text = line.trimStart();
    if (state.stopToken !== undefined) {
      if (text.trimEnd() === `::${state.stopToken}::`) state.stopToken = undefined;
      continue;
    }
    const modern = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(text);
    if (modern) {
      const [, command, properties = '', message] = modern;
      if (command === 'stop-commands') state.stopToken = message;
      commands.push({ command, properties: parseProperties(properties), message: unescape(message) });
      continue;
    }
    const legacy = /##\[([A-Za-z-]+)(?: ([^\]]*))?\](.*)$/.exec(line);
    if (legacy) commands.push({ command: legacy[1], properties: {}, message: legacy[3] });
  }
  return commands;
}

type Outputs = Record<string, Record<string, string>>;

/** An operand of the expressions action.yml writes: `'literal'`, `inputs.<name>`, `steps.<id>.outputs.<name>`. */
function operand(text: string, inputs: Record<string, string>, outputs: Outputs): string {
  const literal = /^'(.*)'$/.exec(text);
  if (literal) return literal[1];
  const input = /^inputs\.([\w-]+)$/.exec(text);
  if (input) return inputs[input[1]] ?? '';
  const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(text);
  if (output) return outputs[output[1]]?.[output[2]] ?? '';
  throw new Error(`the simulated runner cannot evaluate ${text}`);
}

function interpolate(text: string, inputs: Record<string, string>, outputs: Outputs): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_match, inner: string) => operand(inner, inputs, outputs));
}

/**
 * An `if`: terms joined by `&&`, each `always()` or `a == b` / `a != b`, strings compared ignoring
 * case as GitHub does; without `always()`, a step runs only while no earlier step failed.
 */
function condition(text: string | undefined, inputs: Record<string, string>, outputs: Outputs, failed: boolean): boolean {
  if (text === undefined) return !failed;
  const inner = text.replace(/^\$\{\{\s*|\s*\}\}$/g, '');
  const holds = inner.split('&&').every((term) => {
    if (term.trim() === 'always()') return true;
    const comparison = /^\s*(.+?)\s*(==|!=)\s*(.+?)\s*$/.exec(term);
    if (!comparison) throw new Error(`the simulated runner cannot evaluate ${term}`);
    const equal = operand(comparison[1], inputs, outputs).toLowerCase() === operand(comparison[3], inputs, outputs).toLowerCase();
    return comparison[2] === '==' ? equal : !equal;
  });
  return holds && (/always\(\)/.test(inner) || !failed);
}

function readOutputs(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Runs the action in `workspace` with `inputs` (the rest take their defaults); `env` adds to the runner's (PATH, say). */
export function runAction(workspace: string, givenInputs: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = {}): JobRun {
  const action = parse(readFileSync(join(REPOSITORY, 'action.yml'), 'utf8'));
  const inputs: Record<string, string> = Object.fromEntries(Object.entries(action.inputs as Record<string, { default?: string }>).map(([name, spec]) => [name, givenInputs[name] ?? spec.default ?? '']));
  const scratch = mkdtempSync(join(tmpdir(), 'ecs-config-rules-runner-'));
  const outputs: Outputs = {};
  const steps: StepRun[] = [];
  const commands: WorkflowCommand[] = [];
  let summary = '';
  let jobExitCode = 0;
  for (const [index, step] of (action.runs.steps as Step[]).entries()) {
    if (!condition(step.if, inputs, outputs, jobExitCode !== 0)) {
      steps.push({ name: step.name, log: '' });
      continue;
    }
    if (step.uses !== undefined) {
      const given = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, interpolate(String(value), inputs, outputs)]));
      steps.push({ name: step.name, log: '', uses: step.uses, with: given });
      continue;
    }
    const outputFile = join(scratch, `output-${index}`);
    const summaryFile = join(scratch, `summary-${index}`);
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, interpolate(String(value), inputs, outputs)]));
    // `shell: bash` runs `bash --noprofile --norc -eo pipefail {0}` (GitHub's workflow syntax, jobs.<job_id>.steps[*].shell).
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run ?? ''], {
      cwd: workspace,
      env: { ...process.env, ...env, ...stepEnv, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_ACTION_PATH: REPOSITORY, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile },
      encoding: 'utf8',
    });
    // The runner reads both streams into one log; the script's own order is kept by printing standard error after.
    const log = `${result.stdout}${result.stderr}`;
    commands.push(...workflowCommands(log));
    summary += readFileSync(summaryFile, 'utf8');
    if (step.id !== undefined) outputs[step.id] = readOutputs(outputFile);
    const exitCode = result.status ?? 1;
    steps.push({ name: step.name, exitCode, log });
    if (exitCode !== 0 && jobExitCode === 0) jobExitCode = exitCode;
  }
  const jobOutputs = Object.fromEntries(Object.entries(action.outputs as Record<string, { value: string }>).map(([name, { value }]) => [name, interpolate(value, inputs, outputs)]));
  return { steps, outputs: jobOutputs, commands, summary, exitCode: jobExitCode };
}
