/**
 * The repository's settings for the gate, `.ecs-config-rules.yml` (or `.yaml`) in the working
 * directory, found without a flag so every run (CI, pre-commit, a laptop) checks the same way:
 *
 *   controls: [ECS.4, ECS.5, ECS.20]        # or "ECS.4,ECS.20"; default all
 *   severityThreshold: high                 # default low
 *   parameters: { ECS.8: { secretKeys: "AWS_SECRET_ACCESS_KEY,DB_PASSWORD" } }
 *   baseline: .ecs-config-rules-baseline.json
 *   allowEmptyGate: true                    # only to run a threshold no selected control reaches (see checkGateCanFail)
 *   suppressions:                           # as in a suppressions file
 *     - { id: ECS.5, resource: Shop/Legacy*, reason: "...", expires: 2027-06-30 }
 *
 * Command-line flags win over the file; the file's suppressions and a `--suppressions` file both apply.
 * Being a suppressions file too, it can be the CDK plugin's `suppressionsFile`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isJsonObject } from '../lambdas/adapters/reader';
import { InputError, parseText, readInputText } from './inputs/parse';
import { commaSeparated, ControlParameters, parseParameters, SETTING } from './settings';
import { loadSuppressionsFile, Suppression } from './suppressions';

export const CONFIG_FILE_NAMES = ['.ecs-config-rules.yml', '.ecs-config-rules.yaml'];
const KEYS = ['controls', 'severityThreshold', 'parameters', 'baseline', 'allowEmptyGate', 'suppressions'];

export interface ConfigFile {
  /** As messages name it. */
  readonly file: string;
  readonly controls?: readonly string[];
  readonly severityThreshold?: string;
  readonly parameters?: ControlParameters;
  /** Relative to the working directory, like a flag's value. */
  readonly baseline?: string;
  readonly allowEmptyGate?: boolean;
  readonly suppressions: readonly Suppression[];
  /** `.ecs-config-rules.yml:2: severityThreshold`: how a message names one of its keys. */
  readonly setting: (key: string) => string;
}

/** The config file in `cwd`, if there is one. */
export function findConfigFile(cwd: string): string | undefined {
  return CONFIG_FILE_NAMES.find((name) => existsSync(join(cwd, name)));
}

/** Reads and checks a config file; every error names the file, the line and the key. */
export function loadConfigFile(file: string, cwd: string): ConfigFile {
  const parsed = parseText(readInputText(resolve(cwd, file), file), file);
  const document = parsed.value ?? {};
  if (!isJsonObject(document)) throw new InputError(`a config file is a mapping of ${KEYS.join(', ')}`, file, 1);
  const fail = (key: string, problem: string) => new InputError(`${key}: ${problem}`, file, parsed.lineOf([key]));
  const unknown = Object.keys(document).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) throw fail(unknown[0], `unknown key (a config file takes ${KEYS.join(', ')})`);
  const { controls, severityThreshold, parameters, baseline, allowEmptyGate } = document;
  return {
    file,
    setting: (key) => `${file}:${parsed.lineOf([key]) ?? 1}: ${key}`,
    ...(controls !== undefined && { controls: controlList(controls, (problem) => fail('controls', problem)) }),
    ...(severityThreshold !== undefined && { severityThreshold: text(severityThreshold, (problem) => fail('severityThreshold', problem)) }),
    ...(parameters !== undefined && { parameters: atLine(() => parseParameters(parameters, SETTING.prop('parameters')), file, parsed.lineOf(['parameters'])) }),
    ...(baseline !== undefined && { baseline: text(baseline, (problem) => fail('baseline', problem)) }),
    ...(allowEmptyGate !== undefined && { allowEmptyGate: boolean(allowEmptyGate, (problem) => fail('allowEmptyGate', problem)) }),
    suppressions: document.suppressions === undefined ? [] : loadSuppressionsFile(file, cwd),
  };
}

function controlList(value: unknown, fail: (problem: string) => InputError): string[] {
  if (typeof value === 'string') return commaSeparated(value);
  if (Array.isArray(value) && value.every((id) => typeof id === 'string')) return value;
  throw fail('a list of control ids, or a comma-separated string of them');
}

function text(value: unknown, fail: (problem: string) => InputError): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw fail('must be a string');
}

function boolean(value: unknown, fail: (problem: string) => InputError): boolean {
  if (typeof value === 'boolean') return value;
  throw fail(`must be true or false, got ${JSON.stringify(value)}`);
}

function atLine<T>(read: () => T, file: string, line: number | undefined): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InputError) || error.file !== undefined) throw error;
    throw new InputError(error.message, file, line, { cause: error });
  }
}
