/**
 * What a scan checks: which controls, with which parameters, how severe a failure must be to fail the
 * gate, and which findings are suppressed. One parser for every interface: the `EcsControlRules`
 * construct and the CDK validation plugin (props), the CDK app (context keys) and the CLI (flags) all
 * read their settings here, and every message names the setting as the user wrote it (see `SETTING`).
 */
import { resolve } from 'node:path';
import { isJsonObject } from '../lambdas/adapters/reader';
import { Control, Severity } from '../lambdas/core/control';
import { resolveParameters } from '../lambdas/core/parameters';
import { CONTROLS, controlById } from '../lambdas/controls';
import { InputError, parseText, readInputText } from './inputs/parse';
import { Suppression } from './suppressions';

/** Rule parameter overrides by control id (`ECS.8`), then parameter name; strings, as AWS Config delivers `InputParameters`. */
export type ControlParameters = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface ScanSettings {
  /** In registry order. */
  readonly controls: readonly Control[];
  readonly parameters: ControlParameters;
  /** A failure at or above this severity fails the gate. */
  readonly threshold: Severity;
  /** From a suppressions file (template suppressions travel with their resources). */
  readonly suppressions: readonly Suppression[];
  /** `YYYY-MM-DD`: suppressions that expired before this day no longer apply. */
  readonly today: string;
}

/** How a message names a setting: as the interface the user set it through spells it. */
export const SETTING = {
  /** A construct or plugin prop: `` `controls` ``. */
  prop: (name: string) => `\`${name}\``,
  /** A CDK context key (`-c controls=…` or cdk.json): ``Context `controls` ``. */
  context: (key: string) => `Context \`${key}\``,
  /** A CLI flag, as typed: `--controls`. */
  flag: (flag: string) => flag,
} as const;

/** Runs the reading of one setting; its error, which explains the bad value, gets the setting's name. */
export function named<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new InputError(`${name}: ${(error as Error).message}`, undefined, undefined, { cause: error });
  }
}

/** `ECS.4, ECS.20` → `['ECS.4', 'ECS.20']`: the form a flag or a `-c` context value gives a list in. */
export function commaSeparated(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * The controls named (`ECS.4`, `ecs-4` accepted), in registry order; all when none are named.
 * Naming none, an unknown control or one twice is an error.
 */
export function selectControls(ids: readonly string[] | undefined, name: string): Control[] {
  if (ids === undefined) return [...CONTROLS];
  if (ids.length === 0) throw new InputError(`${name} must name at least one control (omit it for all).`);
  const chosen = new Set<Control>();
  for (const id of ids) {
    const control = named(name, () => controlById(id));
    if (chosen.has(control)) throw new InputError(`${name} lists ${control.id} more than once.`);
    chosen.add(control);
  }
  return CONTROLS.filter((control) => chosen.has(control));
}

export const SEVERITIES: readonly Severity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** A severity in any case (`high`, `HIGH`); `LOW` when none is given. */
export function severityThreshold(value: string | undefined, name: string): Severity {
  if (value === undefined) return 'LOW';
  const severity = value.trim().toUpperCase() as Severity;
  if (!SEVERITIES.includes(severity)) throw new InputError(`${name} must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(value)}.`);
  return severity;
}

/** No selected control is at or above the threshold (no control is CRITICAL, say): such a gate fails nothing. */
export function gateCannotFail(settings: Pick<ScanSettings, 'controls' | 'threshold'>): boolean {
  return settings.controls.every((control) => severityRank(control.severity) < severityRank(settings.threshold));
}

/** How the settings that make up the gate were named where the user set them. */
export interface GateSettingNames {
  readonly threshold: string;
  /** Only when the controls were chosen (not all of them). */
  readonly controls?: string;
  /** The switch that allows a gate that cannot fail, as this interface spells it. */
  readonly allowEmptyGate: string;
}

/**
 * Refuses a threshold above every selected control's severity: the scan would report failures and
 * still pass, which reads as a gate but is none. Allowed only when asked for by name; the report then
 * says that the gate cannot fail. Every edge (CLI, config file, CDK plugin) calls this one check.
 */
export function checkGateCanFail(settings: Pick<ScanSettings, 'controls' | 'threshold'>, names: GateSettingNames, allowed: boolean | undefined): void {
  if (allowed === true || !gateCannotFail(settings)) return;
  throw new InputError(`${whyGateCannotFail(settings, names)}. Set ${names.allowEmptyGate} to run a gate that cannot fail.`);
}

function whyGateCannotFail({ controls, threshold }: Pick<ScanSettings, 'controls' | 'threshold'>, names: GateSettingNames): string {
  if (controls.length === 0) return `no control is selected${names.controls === undefined ? '' : ` (${names.controls})`}: the gate can fail nothing`;
  const highest = SEVERITIES[Math.max(...controls.map((control) => severityRank(control.severity)))];
  const selection = names.controls === undefined ? 'no control' : `none of the controls selected by ${names.controls} (${controls.map((control) => control.id).join(', ')})`;
  return `${names.threshold} ${threshold} can fail nothing: ${selection} is ${threshold} or above, the most severe being ${highest}; lower the threshold`;
}

const PARAMETERS_SHAPE = 'a JSON object of parameter objects by control id, e.g. {"ECS.8":{"detectCredentialValues":"false"}}';

/**
 * Parameter overrides (`{ "ECS.8": { "secretKeys": "A,B" } }`) checked as the rules will parse them,
 * so a typo or a bad value is an error before anything is deployed or scanned. Control ids come out
 * normalized (`ecs-8` → `ECS.8`).
 */
export function parseParameters(overrides: unknown, name: string): ControlParameters {
  if (!isJsonObject(overrides) || !Object.values(overrides).every(isJsonObject)) {
    throw new InputError(`${name} must be ${PARAMETERS_SHAPE}; got ${abbreviated(overrides)}.`);
  }
  const parsed: Record<string, Record<string, string>> = {};
  for (const [id, values] of Object.entries(overrides as Record<string, Record<string, unknown>>)) {
    const control = named(name, () => controlById(id));
    if (parsed[control.id]) throw new InputError(`${name} lists ${control.id} more than once.`);
    for (const [parameter, value] of Object.entries(values)) {
      if (typeof value !== 'string') {
        throw new InputError(`${name}: ${control.id}.${parameter}: parameter values are strings, as AWS Config passes them; quote ${JSON.stringify(value)}`);
      }
    }
    named(name, () => resolveParameters(control.parameters, values, control.id));
    parsed[control.id] = values as Record<string, string>;
  }
  return parsed;
}

function abbreviated(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/**
 * The CLI's parameter overrides: a file, then `--parameter ECS.8.secretKeys=A,B` pairs (later wins).
 * The file is `{ "ECS.8": { "secretKeys": "A,B" } }` in JSON or YAML, or a `cdk.json` whose
 * `context.parameters` has that shape, so the gate checks with the parameters the rules are deployed with.
 */
export function parametersFromFlags(pairs: readonly string[], file?: string, cwd = process.cwd()): ControlParameters {
  const merged: Record<string, Record<string, string>> = file === undefined ? {} : { ...parseParameters(parametersFileContent(file, cwd), file) };
  for (const pair of pairs) {
    const match = /^(.+)\.([^.=]+)=(.*)$/s.exec(pair);
    if (!match) throw new InputError(`--parameter takes CONTROL.NAME=VALUE (e.g. ECS.8.secretKeys=AWS_SECRET_ACCESS_KEY), got "${pair}"`);
    for (const [id, values] of Object.entries(parseParameters({ [match[1]]: { [match[2]]: match[3] } }, `--parameter ${pair}`))) {
      merged[id] = { ...merged[id], ...values };
    }
  }
  return merged;
}

function parametersFileContent(file: string, cwd: string): Record<string, unknown> {
  const { value } = parseText(readInputText(resolve(cwd, file), file), file);
  const cdkContext = isJsonObject(value) && isJsonObject(value.context) ? value.context.parameters : undefined;
  const parameters = cdkContext ?? value;
  if (!isJsonObject(parameters)) throw new InputError('a parameters file is { "ECS.8": { "secretKeys": "..." } }, or a cdk.json with context.parameters', file);
  return parameters;
}
