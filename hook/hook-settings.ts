/**
 * What the hook checks: the same settings as the rules and the CLI (controls, parameter overrides,
 * severity threshold), read by the scan engine's one settings parser. They reach the function as one
 * JSON environment variable the construct writes; the construct checks them with the same parser at
 * synth time, naming its props, so the function never meets settings it would reject.
 */
import { isJsonObject } from '../lambdas/adapters/reader';
import { Severity } from '../lambdas/core/control';
import { checkGateCanFail, ControlParameters, parseParameters, ScanSettings, selectControls, severityThreshold } from '../scan/settings';

export const HOOK_SETTINGS_VARIABLE = 'ECS_CONFIG_RULES_HOOK_SETTINGS';

/** The variable's JSON: every field optional, as the CLI's options are. */
export interface HookSettingsDocument {
  /** Control ids; all controls when absent. */
  readonly controls?: readonly string[];
  /** Overrides by control id, then name; values are strings, as AWS Config passes them. */
  readonly parameters?: ControlParameters;
  /** A failure below this severity is reported in the annotations but does not fail the hook. */
  readonly severityThreshold?: Severity;
  /** Allow a threshold no chosen control reaches (a hook that can refuse nothing); refused otherwise. */
  readonly allowEmptyGate?: boolean;
}

export type HookSettings = Omit<ScanSettings, 'today'>;

/** Checks a settings document; `name` says how messages name a field (a construct prop, the variable). */
export function hookSettings(document: Readonly<Record<string, unknown>>, name: (field: keyof HookSettingsDocument) => string): HookSettings {
  const controls = document.controls;
  if (controls !== undefined && !(Array.isArray(controls) && controls.every((id) => typeof id === 'string'))) {
    throw new Error(`${name('controls')} must be a list of control ids`);
  }
  const threshold = document.severityThreshold;
  if (threshold !== undefined && typeof threshold !== 'string') throw new Error(`${name('severityThreshold')} must be a severity`);
  const allowEmptyGate = document.allowEmptyGate;
  if (allowEmptyGate !== undefined && typeof allowEmptyGate !== 'boolean') throw new Error(`${name('allowEmptyGate')} must be true or false`);
  const settings = {
    controls: selectControls(controls, name('controls')),
    parameters: document.parameters === undefined ? {} : parseParameters(document.parameters, name('parameters')),
    threshold: severityThreshold(threshold, name('severityThreshold')),
    suppressions: [],
  };
  const gate = { threshold: name('severityThreshold'), ...(controls !== undefined && { controls: name('controls') }), allowEmptyGate: name('allowEmptyGate') };
  checkGateCanFail(settings, gate, allowEmptyGate);
  return settings;
}

/** Parses the variable's text; throws an error naming the variable and what is wrong. */
export function hookSettingsFrom(text: string | undefined): HookSettings {
  let document: unknown;
  try {
    document = text === undefined || text === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new Error(`${HOOK_SETTINGS_VARIABLE} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isJsonObject(document)) throw new Error(`${HOOK_SETTINGS_VARIABLE} must be a JSON object`);
  return hookSettings(document, (field) => `${HOOK_SETTINGS_VARIABLE} ${field}`);
}
