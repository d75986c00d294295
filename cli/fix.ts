/**
 * `ecs-config-rules fix`: the CLI edge of scan/fix. Reads one input, prints the hardened task
 * definition (or a template's JSON Patch) on standard output, and on standard error what changed,
 * what a person must still decide and what to check. Exit codes: 0 ready to register, 1 printed but
 * needs input (listed), 2 usage or input error, or refused: the result still fails a selected control.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MalformedTemplateError } from '../lambdas/adapters/cloudformation';
import { MalformedEcsDocumentError } from '../lambdas/adapters/ecs-api';
import { InvalidParameterError } from '../lambdas/core/parameters';
import { Edit } from '../scan/fix/edits';
import { blockingFindings, fix, FixResult } from '../scan/fix/fix';
import { Note } from '../scan/fix/planner';
import { FixChoices } from '../scan/fix/task-definition';
import { reasonOf } from '../scan/evaluate';
import { STDIN } from '../scan/inputs/load';
import { InputError, parseText, readInputText } from '../scan/inputs/parse';
import { commaSeparated, parametersFromFlags, ScanSettings, selectControls, SETTING } from '../scan/settings';
import { today } from '../scan/suppressions';
import { whereIs } from '../scan/target';
import { CommandIo } from './scan';

export const FIX_EXIT = { ready: 0, needsInput: 1, refused: 2 } as const;

export interface FixCommandOptions {
  readonly path: string;
  readonly controls?: string;
  readonly parameter?: readonly string[];
  readonly parametersFile?: string;
  readonly user?: readonly string[];
  readonly writable?: readonly string[];
  readonly secretArn?: readonly string[];
  readonly tag?: readonly string[];
  readonly logGroup?: string;
  readonly logRegion?: string;
  readonly networkMode: string;
  readonly diff?: boolean;
  readonly output?: string;
}

/** `NAME=VALUE` → [NAME, VALUE]; `option` names the flag in the error. */
function pair(text: string, option: string, shape: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new InputError(`${option} takes ${shape}, got "${text}"`);
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}

/** `[CONTAINER=]VALUE`: a value for one container, or for every container (`*`). */
function perContainer<T>(values: readonly string[], parse: (value: string) => T): Map<string, T> {
  return new Map(
    values.map((text) => {
      const at = text.indexOf('=');
      return at > 0 ? [text.slice(0, at).trim(), parse(text.slice(at + 1).trim())] : ['*', parse(text.trim())];
    }),
  );
}

function writablePaths(text: string): string[] {
  if (text === 'none') return [];
  const paths = text.split(',').map((path) => path.trim()).filter((path) => path !== '');
  const relative = paths.find((path) => !path.startsWith('/'));
  if (relative !== undefined || paths.length === 0) throw new InputError(`--writable takes absolute container paths (/tmp,/var/cache) or none, got "${text}"`);
  return paths;
}

export function fixChoices(options: FixCommandOptions): FixChoices {
  if (options.networkMode !== 'awsvpc' && options.networkMode !== 'bridge') throw new InputError(`--network-mode is awsvpc or bridge, got "${options.networkMode}"`);
  return {
    users: perContainer(options.user ?? [], (user) => user),
    writable: perContainer(options.writable ?? [], writablePaths),
    secretArns: new Map((options.secretArn ?? []).map((text) => pair(text, '--secret-arn', 'NAME=ARN'))),
    tags: new Map((options.tag ?? []).map((text) => pair(text, '--tag', 'KEY=VALUE'))),
    networkMode: options.networkMode,
    ...(options.logGroup !== undefined && { logGroup: options.logGroup }),
    ...(options.logRegion !== undefined && { logRegion: options.logRegion }),
  };
}

function compact(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}

/** The path below the container, volume or task definition the edit belongs to: `readonlyRootFilesystem`, `mountPoints[]`. */
function fieldOf(edit: Edit): string {
  const list = edit.container === undefined ? undefined : edit.container.startsWith('volume ') ? 'volumes' : 'containerdefinitions';
  const listAt = list === undefined ? -1 : edit.path.findIndex((segment) => typeof segment === 'string' && segment.toLowerCase() === list);
  const start = listAt >= 0 ? listAt + 2 : edit.path.indexOf('Properties') + 1;
  return edit.path
    .slice(start)
    .map((segment) => (segment === '-' ? '[]' : typeof segment === 'number' ? `[${segment}]` : `.${segment}`))
    .join('')
    .replace(/^\./, '');
}

function diffLine(edit: Edit): string {
  const field = fieldOf(edit);
  const change = edit.op === 'add' ? `+ ${field}: ${compact(edit.value)}` : edit.op === 'remove' ? `- ${field}: ${compact(edit.previous)}` : `~ ${field}: ${compact(edit.previous)} → ${compact(edit.value)}`;
  return `    ${change}  (${edit.control})`;
}

/** The edits grouped by template resource and container: what `--diff` prints. */
export function formatDiff(result: FixResult): string {
  const groups = new Map<string, string[]>();
  for (const edit of result.edits) {
    const resource = result.kind === 'template-patch' ? `${String(edit.path[1])}: ` : '';
    const heading = `${resource}${edit.container === undefined ? 'task definition' : edit.container.startsWith('volume ') ? edit.container : `container ${edit.container}`}`;
    groups.set(heading, [...(groups.get(heading) ?? []), diffLine(edit)]);
  }
  if (result.dropped.length > 0) {
    groups.set('task definition', [...(groups.get('task definition') ?? []), `    - ${result.dropped.join(', ')}  (describe-only: register-task-definition rejects them)`]);
  }
  const lines = [...groups].flatMap(([heading, changes]) => [`  ${heading}`, ...changes]);
  return lines.length === 0 ? 'No change: it already passes every selected control.\n' : `Changes:\n${lines.join('\n')}\n`;
}

function noteLines(title: string, notes: readonly Note[]): string {
  if (notes.length === 0) return '';
  return `${title}\n${notes.map((note) => `  - ${note.subject} (${note.control}): ${note.message}`).join('\n')}\n`;
}

function summary(result: FixResult): string {
  const controls = [...new Set(result.edits.map((edit) => edit.control))].sort();
  const changed = result.edits.length === 0 ? 'no change needed' : `${result.edits.length} change${result.edits.length === 1 ? '' : 's'} (${controls.join(', ')})`;
  const printed = result.kind === 'template-patch' ? 'a JSON Patch (RFC 6902) for the template; the file itself is unchanged' : 'a register-task-definition input (aws ecs register-task-definition --cli-input-json file://…)';
  const notFixed = result.notFixed.map((finding) => `  - ${finding.target.name} ${finding.control.id}: ${reasonOf(finding)}`);
  return [
    `Fixed: ${changed}. Printed ${printed}; it passes every selected control.`,
    ...(notFixed.length > 0 ? ['Not fixed by `fix` (resources other than task definitions; see docs/fix.md):', ...notFixed] : []),
    '',
  ].join('\n');
}

export async function runFix(options: FixCommandOptions, io: CommandIo): Promise<number> {
  try {
    // Every failing control is fixed whatever its severity; suppressions do not apply to what is printed.
    const settings: ScanSettings = {
      controls: selectControls(options.controls === undefined ? undefined : commaSeparated(options.controls), SETTING.flag('--controls')),
      parameters: parametersFromFlags(options.parameter ?? [], options.parametersFile, io.cwd),
      threshold: 'LOW',
      suppressions: [],
      today: today(io.now?.()),
    };
    const text = options.path === STDIN ? io.readStdin() : readInputText(resolve(io.cwd, options.path), options.path);
    const result = fix({ parsed: parseText(text, options.path), file: options.path, settings, choices: fixChoices(options) });
    const diff = options.diff ? formatDiff(result) : '';
    const blocking = blockingFindings(result);
    if (blocking.length > 0) {
      const reasons = blocking.map((finding) => `  - ${whereIs(finding.target)} ${finding.control.id}: ${reasonOf(finding)}`);
      io.stderr.write(`${diff}ecs-config-rules: not printed: the fixed task definition would still fail:\n${reasons.join('\n')}\n${noteLines('Needs your input:', result.needsInput)}`);
      return FIX_EXIT.refused;
    }
    const printed = `${JSON.stringify(result.output, null, 2)}\n`;
    if (options.output === undefined) io.stdout.write(printed);
    else writeFileSync(resolve(io.cwd, options.output), printed);
    io.stderr.write(`${diff}${summary(result)}${noteLines('Needs your input before registering:', result.needsInput)}${noteLines('Check before deploying:', result.checks)}`);
    return result.needsInput.length > 0 ? FIX_EXIT.needsInput : FIX_EXIT.ready;
  } catch (error) {
    if ([InputError, InvalidParameterError, MalformedTemplateError, MalformedEcsDocumentError].some((type) => error instanceof type)) {
      io.stderr.write(`ecs-config-rules: ${(error as Error).message}\n`);
      return FIX_EXIT.refused;
    }
    throw error;
  }
}
