import { HeldElsewhere, Unreadable } from '../core/model';

/**
 * Typed, path-tracking reads over an untrusted JSON document. Every read either returns a value of
 * the expected type, `undefined` for an absent key, or an `Unreadable` naming the path and what was
 * wrong, so adapters never throw on hostile input and never guess.
 *
 * Keys are matched case-insensitively unless the consumer reads one spelling only (`exactKeys`): AWS
 * Config's resource schema, CloudFormation and the ECS API spell the same ECS fields
 * `EfsVolumeConfiguration`, `EFSVolumeConfiguration` and `efsVolumeConfiguration`; services use
 * `AwsvpcConfiguration`, task sets `AwsVpcConfiguration`
 * (https://github.com/awslabs/aws-config-resource-schema/tree/master/config/properties/resource-types).
 */

export type JsonObject = { readonly [key: string]: unknown };

export interface ReaderOptions {
  /**
   * CloudFormation accepts "true"/"false" (and "True"/"False") strings where a Boolean is expected,
   * as cfn-lint, the CloudFormation team's linter, also accepts (`BOOLEAN_STRINGS_TRUE` in
   * https://github.com/aws-cloudformation/cfn-lint/blob/main/src/cfnlint/helpers.py).
   */
  readonly booleanStrings: boolean;
  /**
   * CloudFormation turns a number or a boolean written where a String is expected into its text
   * (`User: 0` is the string "0"), as it does for a JSON template; the ECS API and AWS Config record
   * strings as strings, so there a number is a wrong type.
   */
  readonly scalarsAsStrings?: boolean;
  /** Why a non-JSON-scalar value (a CloudFormation intrinsic, say) cannot be read, as the whole reason; undefined = plain wrong type. */
  describeUnresolved?(value: unknown): string | undefined;
  /** Whether an unresolved value stands for a field another document holds (`HeldElsewhere`). */
  isHeldElsewhere?(value: unknown): boolean;
  /** Whether a value stands for "absent" (CloudFormation's `Ref: AWS::NoValue`). */
  isAbsent?(value: unknown): boolean;
  /**
   * The literal text an unresolved value is built from (a template's `!Sub "key=${Id}"` → `key=${Id}`),
   * for free-text fields whose check looks for literal content; undefined when there is none.
   */
  literalTextOf?(value: unknown): string | undefined;
  /**
   * Why a field whose key is spelled twice, in two cases (`User` and `user`), cannot be read: the
   * consumer folds case, so one of the two wins where this reader cannot tell which. Undefined when
   * the consumer reads keys as spelled, so the exact spelling is the one it takes.
   */
  readonly caseTwins?: string;
  /**
   * The one spelling the consumer reads of each key an adapter asks for (CloudFormation matches
   * property names exactly). Undefined = any casing, which is how AWS Config and the ECS API, which
   * write their own documents, are read.
   */
  readonly exactKeys?: ExactKeys;
}

export interface ExactKeys {
  /** The consumer's spelling of each key an adapter asks for, by the key lower-cased; null where the consumer has no such field, so none is read. */
  readonly spellings: ReadonlyMap<string, string | null>;
  /** Why a key written in another spelling is not read as the field, as the end of the reason. */
  readonly reason: string;
}

export interface Located<T> {
  readonly value: T;
  readonly path: string;
}

const BOOLEAN_STRINGS: Readonly<Record<string, boolean>> = { true: true, True: true, false: false, False: false };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A required, non-empty string field of an envelope (an event, an item) whose shape is fixed: a bad
 * one is not an unreadable field but a malformed input, which `fail` turns into its own error.
 */
export function requiredString(object: JsonObject, key: string, where: string, fail: (message: string) => Error): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') throw fail(`${where}.${key} must be a non-empty string, got ${value === undefined ? 'nothing' : describe(value)}`);
  return value;
}

/** An optional string field of an envelope: absent or null is undefined; another type is `fail`ed. */
export function optionalString(object: JsonObject, key: string, where: string, fail: (message: string) => Error): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw fail(`${where}.${key} must be a string, got ${typeof value}`);
  return value;
}

export class DocumentReader {
  constructor(private readonly options: ReaderOptions) {}

  /** The raw value under `key` (any casing, or see `exactKeys`) and its path; value undefined when absent, an `Unreadable` when spelled twice (see `caseTwins`) or wrongly. */
  locate(object: JsonObject, key: string, parentPath: string): Located<unknown> {
    const actualKey = this.keyOf(object, key);
    return { value: this.unreadableKey(object, key, actualKey, parentPath) ?? this.present(object, actualKey), path: joinPath(parentPath, actualKey ?? key) };
  }

  /** The raw value under `key` (any casing, or see `exactKeys`); undefined when absent, an `Unreadable` when spelled twice (see `caseTwins`) or wrongly. */
  valueAt(object: JsonObject, key: string, parentPath = ''): unknown {
    const actualKey = this.keyOf(object, key);
    return this.unreadableKey(object, key, actualKey, parentPath) ?? this.present(object, actualKey);
  }

  /** The key of `object` that holds `key`'s field: the consumer's own spelling when present, else any casing of it. */
  private keyOf(object: JsonObject, key: string): string | undefined {
    const spelling = this.spellingOf(key);
    return spelling === null ? undefined : findKey(object, spelling ?? key);
  }

  /** `key` as the consumer spells it (see `exactKeys`): undefined when any casing is read or the adapter's key has no known spelling, null when the consumer has no such field. */
  private spellingOf(key: string): string | null | undefined {
    return this.options.exactKeys?.spellings.get(key.toLowerCase());
  }

  /** Why the key as found cannot be read: spelled twice (see `caseTwins`), not as the consumer spells it, or with no known spelling (see `exactKeys`). */
  private unreadableKey(object: JsonObject, key: string, actualKey: string | undefined, parentPath: string): Unreadable | undefined {
    return this.twinned(object, actualKey, parentPath) ?? this.misspelled(key, actualKey, parentPath);
  }

  private misspelled(key: string, actualKey: string | undefined, parentPath: string): Unreadable | undefined {
    const exactKeys = this.options.exactKeys;
    if (exactKeys === undefined) return undefined;
    const spelling = this.spellingOf(key);
    // A key the adapter was not told how to spell could be a field the consumer reads: never taken as absent, whose default may pass.
    if (spelling === undefined) return new Unreadable(joinPath(parentPath, key), `no spelling of ${JSON.stringify(key)} is known to this reader, so it is not read`);
    if (actualKey === undefined || actualKey === spelling) return undefined;
    return new Unreadable(joinPath(parentPath, actualKey), `${JSON.stringify(actualKey)} is not ${JSON.stringify(spelling)}: ${exactKeys.reason}`);
  }

  /** The value under the key as found; absent, null and what the source calls absent (`AWS::NoValue`) read as undefined. */
  private present(object: JsonObject, actualKey: string | undefined): unknown {
    const value = actualKey === undefined ? undefined : object[actualKey];
    return value === null || this.options.isAbsent?.(value) ? undefined : value;
  }

  /** Why the key as found cannot be read when a consumer that folds case sees another spelling of it too; undefined otherwise. */
  private twinned(object: JsonObject, actualKey: string | undefined, parentPath: string): Unreadable | undefined {
    if (this.options.caseTwins === undefined || actualKey === undefined) return undefined;
    const twin = caseTwinOf(object, actualKey);
    return twin === undefined ? undefined : new Unreadable(joinPath(parentPath, actualKey), `${JSON.stringify(actualKey)} and ${JSON.stringify(twin)} both set: ${this.options.caseTwins}`);
  }

  // Scalar reads build their path only for an error: adapters read every field of every resource.
  string(object: JsonObject, key: string, parentPath: string): string | undefined | Unreadable {
    const value = this.valueAt(object, key, parentPath);
    if (value === undefined || typeof value === 'string') return value;
    return this.scalarText(value) ?? this.wrongType(value, this.pathOf(object, key, parentPath), 'a string');
  }

  /** A number or boolean as the string CloudFormation makes of it; undefined when not coerced. */
  private scalarText(value: unknown): string | undefined {
    if (!this.options.scalarsAsStrings) return undefined;
    // Stryker disable next-line ConditionalExpression: equivalent mutant; Number.isFinite is false for every non-number, so dropping the typeof test changes nothing
    if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
    return undefined;
  }

  /**
   * Free text: a string, or for an unresolved value the literal text it is built from — what was
   * typed into the template, so a pasted secret is still found; the resolved parts are placeholders.
   */
  literalText(object: JsonObject, key: string, parentPath: string): string | undefined | Unreadable {
    const value = this.valueAt(object, key, parentPath);
    if (value === undefined || typeof value === 'string') return value;
    return this.scalarText(value) ?? this.options.literalTextOf?.(value) ?? this.wrongType(value, this.pathOf(object, key, parentPath), 'a string');
  }

  boolean(object: JsonObject, key: string, parentPath: string): boolean | undefined | Unreadable {
    const value = this.valueAt(object, key, parentPath);
    if (value === undefined || typeof value === 'boolean') return value;
    if (this.options.booleanStrings && typeof value === 'string' && Object.hasOwn(BOOLEAN_STRINGS, value)) return BOOLEAN_STRINGS[value];
    return this.wrongType(value, this.pathOf(object, key, parentPath), 'a boolean');
  }

  object(object: JsonObject, key: string, parentPath: string): Located<JsonObject | undefined> | Unreadable {
    const located = this.locate(object, key, parentPath);
    if (located.value instanceof Unreadable) return located.value;
    // An intrinsic (`{"Fn::If": [...]}`) is a JSON object too, but not the block it stands for.
    if (located.value === undefined || (isJsonObject(located.value) && !this.options.describeUnresolved?.(located.value))) {
      return located as Located<JsonObject | undefined>;
    }
    return this.wrongType(located.value, located.path, 'an object');
  }

  /** A list of objects; absent means empty (Config records empty lists, other sources omit them). */
  objectList(object: JsonObject, key: string, parentPath: string): Located<JsonObject>[] | Unreadable {
    const { value, path } = this.locate(object, key, parentPath);
    if (value === undefined) return [];
    if (!Array.isArray(value)) return this.wrongType(value, path, 'a list');
    const items: Located<JsonObject>[] = [];
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const itemPath = `${path}[${index}]`;
      if (!isJsonObject(item) || this.options.describeUnresolved?.(item)) return this.wrongType(item, itemPath, 'an object');
      items.push({ value: item, path: itemPath });
    }
    return items;
  }

  /** A list of strings; absent means empty. */
  stringList(object: JsonObject, key: string, parentPath: string): string[] | Unreadable {
    const { value, path } = this.locate(object, key, parentPath);
    if (value === undefined) return [];
    if (!Array.isArray(value)) return this.wrongType(value, path, 'a list');
    const strings: string[] = [];
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const text = typeof item === 'string' ? item : this.scalarText(item);
      if (text === undefined) return this.wrongType(item, `${path}[${index}]`, 'a string');
      strings.push(text);
    }
    return strings;
  }

  /** The path of `key` under `parent`, spelled as the document spells the key. */
  private pathOf(object: JsonObject, key: string, parent: string): string {
    return joinPath(parent, this.keyOf(object, key) ?? key);
  }

  private wrongType(value: unknown, path: string, expected: string): Unreadable {
    // A key spelled twice (see `caseTwins`) is already unreadable, whatever its values.
    if (value instanceof Unreadable) return value;
    const unresolved = this.options.describeUnresolved?.(value);
    if (unresolved) return this.options.isHeldElsewhere?.(value) ? new HeldElsewhere(path, unresolved) : new Unreadable(path, unresolved);
    return new Unreadable(path, `expected ${expected}, got ${describe(value)}`);
  }
}

/**
 * Finds `key` in any casing: exact first (the common case, and fast), then case-insensitively.
 * A `for…in` walk instead of `Object.keys`: most lookups are of absent optional fields, and the
 * array `Object.keys` allocated for each was the scan's largest single allocation (35 of 335 MB
 * allocated by a 10,000-definition `npm run bench:scan`).
 */
export function findKey(object: JsonObject, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(object, key)) return key;
  let lower: string | undefined;
  for (const candidate in object) {
    // Comparing lengths first spares lower-casing almost every key when `key` is absent.
    // Stryker disable next-line ConditionalExpression: equivalent mutant; for the ASCII keys adapters look up, equal lower-case forms have equal lengths: the check only saves work
    if (candidate.length === key.length && candidate.toLowerCase() === (lower ??= key.toLowerCase())) return candidate;
  }
  return undefined;
}

/**
 * Another key of `object` naming the same field as `key` once case is folded as Go's encoding/json
 * folds it: Unicode simple folding, so `uſer` (long s) and `User` are `user` too
 * (https://pkg.go.dev/encoding/json#Unmarshal: "preferring an exact match but also accepting a
 * case-insensitive match"; `foldName` in encoding/json's fold.go). Undefined when there is none.
 */
function caseTwinOf(object: JsonObject, key: string): string | undefined {
  const folded = foldCase(key);
  for (const candidate in object) if (candidate !== key && foldCase(candidate) === folded) return candidate;
  return undefined;
}

/** Lower case, and U+017F LATIN SMALL LETTER LONG S as `s` (JavaScript lower-cases the Kelvin sign to `k` already). */
function foldCase(key: string): string {
  return key.toLowerCase().replace(/\u017f/g, 's');
}

function joinPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  // Keys, not JSON text: serializing a hostile, deeply nested object would overflow the stack.
  if (isJsonObject(value)) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}`;
  }
  // JSON has no NaN or Infinity (JSON.stringify writes null), but YAML does (`.nan`, `.inf`).
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return `${typeof value} ${abbreviated(text, 40)}`;
}

/** `text` as a message quotes it: its first `length` characters (60 unless said) and "…" when longer; a character is never split in two. */
export function abbreviated(text: string, length = 60): string {
  let end = 0;
  let characters = 0;
  for (const character of text) {
    if (characters === length) return `${text.slice(0, end)}…`;
    end += character.length;
    characters++;
  }
  return text;
}

/** A value, or the first `Unreadable` among several reads (for composite fields). */
export function firstUnreadable(...values: unknown[]): Unreadable | undefined {
  return values.find((value): value is Unreadable => value instanceof Unreadable);
}
