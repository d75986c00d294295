/**
 * Rule parameters. AWS Config delivers `ruleParameters` as a JSON object of strings
 * (https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html),
 * so every parameter has a string default and a parser that rejects bad values by name.
 */

export class InvalidParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidParameterError';
  }
}

export interface ParameterSpec<T> {
  /** The default, exactly as it goes into the rule's `InputParameters`. */
  readonly default: string;
  readonly description: string;
  /** Parses a raw value; throws `InvalidParameterError` with a reason (the name is added by the caller). */
  parse(raw: string): T;
}

export type ParameterValues<P> = { readonly [K in keyof P]: P[K] extends ParameterSpec<infer T> ? T : never };

/** A comma-separated list; spaces around names are ignored, empty entries dropped. */
export function stringListParameter(options: { default: string; description: string; maxItems?: number }): ParameterSpec<readonly string[]> {
  return {
    default: options.default,
    description: options.description,
    parse(raw) {
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
      if (items.length > (options.maxItems ?? Infinity)) {
        throw new InvalidParameterError(`takes at most ${options.maxItems} comma-separated values, got ${items.length}`);
      }
      return items;
    },
  };
}

export function booleanParameter(options: { default: 'true' | 'false'; description: string }): ParameterSpec<boolean> {
  return {
    default: options.default,
    description: options.description,
    parse(raw) {
      const value = raw.trim().toLowerCase();
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw new InvalidParameterError(`must be "true" or "false", got ${JSON.stringify(raw)}`);
    },
  };
}

/** A dotted version such as `1.4.0`, parsed into numeric parts for comparison. */
export function versionParameter(options: { default: string; description: string }): ParameterSpec<readonly number[]> {
  return {
    default: options.default,
    description: options.description,
    parse(raw) {
      const parts = parseVersion(raw.trim());
      if (!parts) throw new InvalidParameterError(`must be a version such as 1.4.0, got ${JSON.stringify(raw)}`);
      return parts;
    },
  };
}

/** `1.4.0` → [1, 4, 0]; undefined when it is not dotted digits. */
export function parseVersion(text: string): number[] | undefined {
  if (!/^\d+(\.\d+)*$/.test(text)) return undefined;
  return text.split('.').map(Number);
}

/** Compares dotted versions part by part, missing parts counting as 0 (`1.4` equals `1.4.0`). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  // Stryker disable next-line EqualityOperator: equivalent mutant (`<=` compares one more pair of missing parts, 0 and 0).
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** The default `InputParameters` of a control: every parameter with its default. */
export function defaultParameters(specs: Readonly<Record<string, ParameterSpec<unknown>>>): Record<string, string> {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.default]));
}

/**
 * Parses raw parameters over the defaults. Unknown names are rejected rather than ignored, so a
 * typo (`secretkeys`) is an error instead of a silently unused setting.
 */
export function resolveParameters<P extends Record<string, ParameterSpec<unknown>>>(
  specs: P,
  raw: Readonly<Record<string, unknown>>,
  controlId: string,
): ParameterValues<P> {
  // `for…in` over plain objects: this runs once per evaluation, and Object.keys/entries allocated arrays each time.
  for (const name in raw) {
    if (!Object.hasOwn(specs, name)) {
      const known = Object.keys(specs);
      throw new InvalidParameterError(
        `${controlId} has no parameter "${name}"${known.length ? ` (it takes: ${known.join(', ')})` : ' (it takes none)'}`,
      );
    }
  }
  const values: Record<string, unknown> = {};
  for (const name in specs) {
    const spec = specs[name];
    const value = raw[name] ?? spec.default;
    if (typeof value !== 'string') {
      throw new InvalidParameterError(`${controlId} parameter "${name}" must be a string, got ${typeof value}`);
    }
    try {
      values[name] = parseMemoized(spec, value);
    } catch (error) {
      if (error instanceof InvalidParameterError) {
        throw new InvalidParameterError(`${controlId} parameter "${name}" ${error.message}`);
      }
      throw error;
    }
  }
  return values as ParameterValues<P>;
}

/**
 * The last value each spec parsed, with its raw string: a rule or a scan evaluates resource after
 * resource with the same parameters, so parsing them once is enough. Parsed values are read-only.
 */
const lastParsed = new WeakMap<ParameterSpec<unknown>, { readonly raw: string; readonly value: unknown }>();

function parseMemoized(spec: ParameterSpec<unknown>, raw: string): unknown {
  const last = lastParsed.get(spec);
  if (last?.raw === raw) return last.value;
  const value = spec.parse(raw);
  lastParsed.set(spec, { raw, value });
  return value;
}
