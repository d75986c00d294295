/**
 * Suppressions: a decision, written down, that a finding is accepted for a reason (and perhaps until a
 * date). Two places hold them, with one entry shape:
 *
 * - a template resource's `Metadata`, which CDK users reach with `addMetadata`:
 *   `Metadata: { ecs-config-rules: { suppressions: [{ id: ECS.5, reason: ..., expires: 2027-01-31 }] } }`
 * - a suppressions file (YAML or JSON) whose entries also say which resources they cover:
 *   `suppressions: [{ id: ECS.5, resource: LegacyTaskDef, reason: ..., expires: 2027-01-31 }]`
 *
 * A reason is required; a suppressed finding is still reported, as suppressed; after its expiry date
 * a suppression no longer applies, and the finding fails again.
 */
import { resolve } from 'node:path';
import { controlById } from '../lambdas/controls';
import { isJsonObject, JsonObject } from '../lambdas/adapters/reader';
import { InputError, parseText, readInputText } from './inputs/parse';

/** The key under a resource's `Metadata` that this tool reads. */
export const METADATA_KEY = 'ecs-config-rules';

export interface Suppression {
  /** The control id, normalized (`ECS.5`). */
  readonly controlId: string;
  readonly reason: string;
  /** Last day the suppression applies (`YYYY-MM-DD`, UTC); none means it does not expire. */
  readonly expires?: string;
  /** `metadata`: written on the resource; `file`: from a suppressions file. */
  readonly origin: 'metadata' | 'file';
  /** Where the entry is written (`suppressions.yml:4`), for reports. */
  readonly where: string;
  /** File entries: the resources covered, `*` a wildcard, matched against logical id, name, construct path and ARN. */
  readonly resource?: string;
  /** File entries, optionally: the files covered, `*` a wildcard. */
  readonly file?: string;
}

const ENTRY_KEYS = { metadata: ['id', 'reason', 'expires'], file: ['id', 'reason', 'expires', 'resource', 'file'] } as const;

/**
 * Suppressions in a template resource's Metadata; throws `InputError` for a malformed entry.
 * `lineOf` gives the line of the resource (no index) or of its n-th entry.
 */
export function suppressionsFromMetadata(metadata: unknown, where: { file: string; logicalId: string; lineOf: (entry?: number) => number | undefined }): Suppression[] {
  if (!isJsonObject(metadata) || metadata[METADATA_KEY] === undefined) return [];
  const section = metadata[METADATA_KEY];
  const sectionPath = `Resources.${where.logicalId}.Metadata.${METADATA_KEY}`;
  if (!isJsonObject(section) || !Array.isArray(section.suppressions)) {
    throw new InputError(`${sectionPath} must be { suppressions: [ { id, reason, expires? } ] }`, where.file, where.lineOf());
  }
  return section.suppressions.map((entry, index) => {
    const line = where.lineOf(index) ?? where.lineOf();
    return suppressionFrom(entry, 'metadata', { path: `${sectionPath}.suppressions[${index}]`, file: where.file, line, where: line === undefined ? where.file : `${where.file}:${line}` });
  });
}

/** A suppressions file: `{ suppressions: [...] }` or a bare list, in YAML or JSON; `file` is read relative to `cwd`. */
export function loadSuppressionsFile(file: string, cwd = process.cwd()): Suppression[] {
  const parsed = parseText(readInputText(resolve(cwd, file), file), file);
  const listPath = Array.isArray(parsed.value) ? [] : ['suppressions'];
  const entries = Array.isArray(parsed.value) ? parsed.value : isJsonObject(parsed.value) ? parsed.value.suppressions : undefined;
  if (!Array.isArray(entries)) throw new InputError('a suppressions file must be { suppressions: [ { id, resource, reason, expires? } ] }', file, 1);
  return entries.map((entry, index) => {
    const line = parsed.lineOf([...listPath, index]);
    return suppressionFrom(entry, 'file', { path: `suppressions[${index}]`, file, line, where: line === undefined ? file : `${file}:${line}` });
  });
}

interface EntryContext {
  readonly path: string;
  readonly file: string;
  readonly line: number | undefined;
  readonly where: string;
}

function suppressionFrom(entry: unknown, origin: Suppression['origin'], context: EntryContext): Suppression {
  const fail = (problem: string) => new InputError(`${context.path}: ${problem}`, context.file, context.line);
  if (!isJsonObject(entry)) throw fail('a suppression must be an object { id, reason, expires? }');
  const unknown = Object.keys(entry).filter((key) => !(ENTRY_KEYS[origin] as readonly string[]).includes(key));
  if (unknown.length > 0) throw fail(`unknown key ${unknown.join(', ')} (a suppression takes ${ENTRY_KEYS[origin].join(', ')})`);
  const reason = typeof entry.reason === 'string' ? entry.reason.trim() : '';
  if (reason === '') throw fail('a suppression needs a reason: say why this finding is accepted');
  return {
    controlId: controlIdOf(entry, fail),
    reason,
    ...optionalText(entry, 'expires', fail, validDate),
    origin,
    where: context.where,
    ...(origin === 'file' && { resource: requiredPattern(entry, 'resource', fail) }),
    ...optionalText(entry, 'file', fail, (text) => text),
  };
}

function controlIdOf(entry: JsonObject, fail: (problem: string) => InputError): string {
  if (typeof entry.id !== 'string') throw fail('a suppression needs the id of the control it suppresses (e.g. ECS.5)');
  try {
    return controlById(entry.id).id;
  } catch (error) {
    throw fail((error as Error).message);
  }
}

function requiredPattern(entry: JsonObject, key: string, fail: (problem: string) => InputError): string {
  const value = entry[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw fail(`a file suppression needs "${key}": the logical id, name, construct path or ARN it covers (* matches anything)`);
  }
  return value.trim();
}

function optionalText<K extends string>(entry: JsonObject, key: K, fail: (problem: string) => InputError, check: (text: string) => string): Partial<Record<K, string>> {
  const value = entry[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') throw fail(`"${key}" must be a string`);
  try {
    return { [key]: check(value.trim()) } as Partial<Record<K, string>>;
  } catch (error) {
    throw fail((error as Error).message);
  }
}

/** `YYYY-MM-DD`, and a real calendar day. */
function validDate(text: string): string {
  const date = new Date(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    throw new Error(`"expires" must be a date written YYYY-MM-DD, got ${JSON.stringify(text)}`);
  }
  return text;
}

/** Today as `YYYY-MM-DD` (UTC), the form expiry dates are compared in. */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
