/**
 * Where the shallow parts of a JSON text are written: the line of every key, and of every object or
 * array that is an array item, down to a depth (`Resources.<logicalId>`, `services[<n>]`: the lines
 * every finding needs). Deeper containers are scanned past.
 *
 * Hand-written because it is on every JSON file's path: the text has already passed `JSON.parse`, so
 * this only follows strings, nesting and line breaks. On the `npm run bench:scan` corpus's 1.4 MB
 * template (900 task definitions) jsonc-parser's `visit` with the same skipping took 50–110 ms against
 * JSON.parse's 8 ms, about half of the whole scan's time; this takes 4–6 ms. A property test
 * (test/properties/json-lines.property.test.ts) pins that it agrees with jsonc-parser's visitor.
 */
import { PathSegment } from './path';

/** A path as one string: each segment after a character JSON keys written by people do not hold, so `[]` and `['']` differ. */
export const pathKey = (path: readonly PathSegment[]): string => path.reduce<string>(childKey, '');

const childKey = (parentKey: string, segment: PathSegment): string => `${parentKey}\u0000${segment}`;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/** `pathKey(path)` → 1-based line; `text` must be valid JSON. */
export function shallowJsonLines(text: string, depth: number): Map<string, number> {
  return new ShallowScanner(text, depth).scan();
}

/**
 * The offset of the first `{` or `[` that opens a container `limit` levels deep, or -1 when none does.
 * A scan of the text, not of a parsed value: it runs before any parser that recurses (jsonc-parser,
 * which locates a syntax error), on invalid JSON too, where it counts the brackets outside strings.
 */
export function nestingCrossing(text: string, limit: number): number {
  let depth = 0;
  for (let position = 0; position < text.length; position++) {
    const code = text.charCodeAt(position);
    if (code === QUOTE) {
      position = stringEnd(text, position);
      if (position < 0) return -1; // an unterminated string: no bracket after it counts
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (++depth > limit) return position;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth--;
    }
  }
  return -1;
}

/** The offset of the quote closing the string that opens at `start` (-1 when none does). JSON strings hold no raw line break. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end >= 0 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
  return end;
}

/** Whether an odd number of backslashes precede `offset`. */
function isEscaped(text: string, offset: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(offset - 1 - backslashes) === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

class ShallowScanner {
  private readonly lines = new Map<string, number>();
  private position = 0;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly depth: number,
  ) {}

  scan(): Map<string, number> {
    this.value(pathKey([]), 0, true);
    return this.lines;
  }

  /** The value at the path whose key is `key`, `depth` segments deep; the root and array items record their own line. */
  private value(key: string, depth: number, recordsLine: boolean): void {
    this.skipWhitespace();
    const code = this.text.charCodeAt(this.position);
    if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (recordsLine) this.lines.set(key, this.line);
      if (depth >= this.depth) this.skipContainer();
      else if (code === OPEN_OBJECT) this.object(key, depth);
      else this.array(key, depth);
    } else if (code === QUOTE) {
      this.position = stringEnd(this.text, this.position) + 1;
    } else {
      this.skipLiteral();
    }
  }

  private object(key: string, depth: number): void {
    this.position++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.position) === CLOSE_OBJECT) {
      this.position++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      const propertyKey = childKey(key, this.readKey());
      this.lines.set(propertyKey, this.line);
      this.skipWhitespace();
      this.position++; // the colon
      this.value(propertyKey, depth + 1, false);
      if (this.endOfItem(CLOSE_OBJECT)) return;
    }
  }

  private array(key: string, depth: number): void {
    this.position++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.position) === CLOSE_ARRAY) {
      this.position++;
      return;
    }
    for (let index = 0; ; index++) {
      this.value(childKey(key, index), depth + 1, true);
      if (this.endOfItem(CLOSE_ARRAY)) return;
    }
  }

  /** After an item: true at the container's end (consumed), false at a comma (consumed). */
  private endOfItem(close: number): boolean {
    this.skipWhitespace();
    const code = this.text.charCodeAt(this.position++);
    if (code === COMMA) return false;
    if (code === close) return true;
    throw new Error(`shallowJsonLines: unexpected character at offset ${this.position - 1} (the text must be valid JSON)`);
  }

  private readKey(): string {
    const start = this.position;
    const end = stringEnd(this.text, start);
    this.position = end + 1;
    const raw = this.text.slice(start + 1, end);
    return raw.includes('\\') ? (JSON.parse(this.text.slice(start, end + 1)) as string) : raw;
  }

  /** Past a container whose content is not recorded: counts nesting and line breaks, steps over strings. */
  private skipContainer(): void {
    let nesting = 0;
    do {
      const code = this.text.charCodeAt(this.position);
      if (code === QUOTE) this.position = stringEnd(this.text, this.position);
      else if (code === OPEN_OBJECT || code === OPEN_ARRAY) nesting++;
      else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) nesting--;
      else if (this.isLineBreak(code)) this.line++;
      this.position++;
    } while (nesting > 0);
  }

  /** A number, true, false or null: up to the next delimiter. */
  private skipLiteral(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.position);
      if (code === COMMA || code === CLOSE_OBJECT || code === CLOSE_ARRAY || code <= 0x20 || Number.isNaN(code)) return;
      this.position++;
    }
  }

  /** LF, CRLF (counted at its LF) or a lone CR, as jsonc-parser and editors count lines. */
  private isLineBreak(code: number): boolean {
    return code === NEWLINE || (code === CARRIAGE_RETURN && this.text.charCodeAt(this.position + 1) !== NEWLINE);
  }

  private skipWhitespace(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.position);
      if (this.isLineBreak(code)) this.line++;
      else if (code !== 0x20 && code !== 0x09 && code !== CARRIAGE_RETURN) return;
      this.position++;
    }
  }
}
