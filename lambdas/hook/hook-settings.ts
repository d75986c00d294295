/**
 * What the hook checks: the same settings as the rules and the CLI (controls, parameter overrides,
 * severity threshold), carried to the function as one JSON environment variable the construct
 * writes. The construct parses them with this code at synth time, so the function never meets
 * settings it would reject.
 */
import { ParametersByControl, ScanSettings, checkParameters, parametersOf, parseSeverity, selectControls } from '../../cli/settings';
import { isJsonObject } from '../adapters/reader';
import { Severity } from '../core/control';

export const HOOK_SETTINGS_VARIABLE = 'ECS_CONFIG_RULES_HOOK_SETTINGS';

/** The variable's JSON: every field optional, as the CLI's options are. */
export interface HookSettingsDocument {
  /** Control ids; all controls when absent. */
  readonly controls?: readonly string[];
  /** Overrides by control id, then name; values are strings, as AWS Config passes them. */
  readonly parameters?: ParametersByControl;
  /** A failure below this severity is reported in the annotations but does not fail the hook. */
  readonly severityThreshold?: Severity;
}

export type HookSettings = Omit<ScanSettings, 'today'>;

/** Parses the variable's text; throws an error naming the variable and what is wrong. */
export function hookSettingsFrom(text: string | undefined): HookSettings {
  try {
    const document: unknown = text === undefined || text === '' ? {} : JSON.parse(text);
    if (!isJsonObject(document)) throw new Error('expected a JSON object');
    if (document.parameters !== undefined && !isJsonObject(document.parameters)) throw new Error('parameters must be an object by control id');
    const parameters = parametersOf(document.parameters ?? {}, 'parameters');
    checkParameters(parameters);
    return {
      controls: selectControls(stringList(document.controls)),
      parameters,
      threshold: document.severityThreshold === undefined ? 'LOW' : parseSeverity(String(document.severityThreshold)),
      suppressions: [],
    };
  } catch (error) {
    throw new Error(`${HOOK_SETTINGS_VARIABLE}: ${(error as Error).message}`, { cause: error });
  }
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new Error('controls must be a list of control ids');
}
