/**
 * What a scan checks: which controls, with which parameters, how severe a failure must be to fail the
 * gate, and which findings are suppressed. Shared by the CLI and the CDK validation plugin.
 */
import { resolve } from 'node:path';
import { isJsonObject } from '../lambdas/adapters/reader';
import { Control, Severity } from '../lambdas/core/control';
import { resolveParameters } from '../lambdas/core/parameters';
import { CONTROLS, controlById } from '../lambdas/controls';
import { InputError, parseText, readInputText } from './inputs/parse';
import { Suppression } from './suppressions';

/** Parameter overrides by control id, then name; strings, as AWS Config delivers `InputParameters`. */
export type ParametersByControl = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface ScanSettings {
  /** In registry order. */
  readonly controls: readonly Control[];
  readonly parameters: ParametersByControl;
  /** A failure at or above this severity fails the gate. */
  readonly threshold: Severity;
  /** From a suppressions file (template suppressions travel with their resources). */
  readonly suppressions: readonly Suppression[];
  /** `YYYY-MM-DD`: suppressions that expired before this day no longer apply. */
  readonly today: string;
}

export const SEVERITIES: readonly Severity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function parseSeverity(text: string): Severity {
  const severity = text.trim().toUpperCase() as Severity;
  if (!SEVERITIES.includes(severity)) {
    throw new InputError(`unknown severity "${text}": use one of ${SEVERITIES.map((known) => known.toLowerCase()).join(', ')}`);
  }
  return severity;
}

/** The controls named (`ECS.4,ECS.20`, `ecs-4` accepted), in registry order; all when none are named. */
export function selectControls(ids: readonly string[] | undefined): Control[] {
  if (ids === undefined) return [...CONTROLS];
  const named = ids.map((id) => id.trim()).filter((id) => id !== '');
  if (named.length === 0) throw new InputError('--controls names no control');
  const chosen = new Set(
    named.map((id) => {
      try {
        return controlById(id);
      } catch (error) {
        throw new InputError((error as Error).message, undefined, undefined, { cause: error });
      }
    }),
  );
  return CONTROLS.filter((control) => chosen.has(control));
}

/**
 * Parameter overrides from a file and then `--parameter ECS.8.secretKeys=A,B` pairs (later wins).
 * The file is `{ "ECS.8": { "secretKeys": "A,B" } }` in JSON or YAML, or a `cdk.json` whose
 * `context.parameters` has that shape, so the gate checks with the parameters the rules are deployed with.
 */
export function parametersFrom(pairs: readonly string[], file?: string, cwd = process.cwd()): ParametersByControl {
  const merged = file === undefined ? {} : parametersOf(parametersFileContent(file, cwd), file);
  for (const pair of pairs) {
    const match = /^(.+)\.([^.=]+)=(.*)$/s.exec(pair);
    if (!match) throw new InputError(`--parameter takes CONTROL.NAME=VALUE (e.g. ECS.8.secretKeys=AWS_SECRET_ACCESS_KEY), got "${pair}"`);
    addParameter(merged, match[1], match[2], match[3], `--parameter ${pair}`);
  }
  return merged;
}

/** Overrides as an object by control id, then name (a file's content, the plugin's `parameters`); `where` names their source. */
export function parametersOf(overrides: Readonly<Record<string, unknown>>, where: string): Record<string, Record<string, string>> {
  const merged: Record<string, Record<string, string>> = {};
  for (const [controlId, values] of Object.entries(overrides)) {
    if (!isJsonObject(values)) throw new InputError(`${where}: parameters for ${controlId} must be an object of name: value`);
    for (const [name, value] of Object.entries(values)) addParameter(merged, controlId, name, value, `${where}: ${controlId}.${name}`);
  }
  return merged;
}

function addParameter(merged: Record<string, Record<string, string>>, controlId: string, name: string, value: unknown, where: string): void {
  if (typeof value !== 'string') throw new InputError(`${where}: parameter values are strings, as AWS Config passes them; quote ${JSON.stringify(value)}`);
  const id = controlOf(controlId, where).id;
  merged[id] = { ...merged[id], [name]: value };
}

function parametersFileContent(file: string, cwd: string): Record<string, unknown> {
  const { value } = parseText(readInputText(resolve(cwd, file), file), file);
  const cdkContext = isJsonObject(value) && isJsonObject(value.context) ? value.context.parameters : undefined;
  const parameters = cdkContext ?? value;
  if (!isJsonObject(parameters)) throw new InputError('a parameters file is { "ECS.8": { "secretKeys": "..." } }, or a cdk.json with context.parameters', file);
  return parameters;
}

function controlOf(id: string, where: string): Control {
  try {
    return controlById(id);
  } catch (error) {
    throw new InputError(`${where}: ${(error as Error).message}`, undefined, undefined, { cause: error });
  }
}

/** Parses every override as the rule would, so a bad value is a usage error before anything is scanned. */
export function checkParameters(parameters: ParametersByControl): void {
  for (const [id, values] of Object.entries(parameters)) {
    const control = controlById(id);
    try {
      resolveParameters(control.parameters, values, control.id);
    } catch (error) {
      throw new InputError((error as Error).message, undefined, undefined, { cause: error });
    }
  }
}
