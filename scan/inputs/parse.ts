/**
 * Text → value, remembering where things are: every input the scanner reads (JSON or YAML) is parsed
 * here, so a syntax error names the file and line, and a finding can point at the line of its resource.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { findNodeAtLocation, Node as JsonNode, parse as parseJsonTolerantly, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { NESTING_LIMIT, nestedTooDeep, nestingDepth } from './bounds';
import { nestingCrossing, pathKey, shallowJsonLines } from './json-lines';
import { PathSegment } from './path';
import { parseYamlDocument, YamlLimitError, YamlOnlyFeature, YamlSyntaxError } from './yaml';

/** A usage or input problem: the CLI exits 2 and prints the message, which names the file and line. */
export class InputError extends Error {
  /** The message without the file and line in front of it. */
  readonly reason: string;

  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(file === undefined ? message : `${file}${line === undefined ? '' : `:${line}`}: ${message}`, options);
    this.name = 'InputError';
    this.reason = message;
  }
}

/**
 * Something a person must know about an input that was read all the same (a YAML alias that
 * CloudFormation itself refuses, say): listed by every format, never failing the gate by itself.
 */
export interface InputNotice {
  readonly file?: string;
  readonly line?: number;
  readonly message: string;
}

/** Reads a file the user named (`display` is how messages name it); failing, or text that is not UTF-8, is an input error. */
export function readInputText(path: string, display = path): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, display, undefined, { cause: error });
  }
  return decodeInput(bytes, display);
}

/**
 * UTF-8 text; ASCII (most templates) decoded as Latin-1, which reads ASCII identically and skips
 * UTF-8 decoding: for the 13 MB of templates in `npm run bench:scan`'s corpus, 60–65 ms decoded as
 * UTF-8 against 3–5 ms checked with `isAscii` (SIMD) and read as Latin-1 (Node 20, best of 7).
 *
 * Bytes that are not UTF-8 are refused, never replaced by U+FFFD: a replaced byte can turn a value a
 * control decides on (`user "\xFF0"`) into one that passes, though the text read is then not the
 * text written (JSON exchanged between systems "MUST be encoded using UTF-8", RFC 8259 section 8.1).
 * The whole file, not just the verdicts reading the bad value: a replaced byte cannot be told from a
 * U+FFFD written on purpose, so which values changed is unknowable.
 */
export function decodeInput(bytes: Buffer, display: string): string {
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (isUtf8(bytes)) return bytes.toString('utf8');
  throw notUtf8(bytes, display);
}

const REPLACEMENT_CHARACTER = '\ufffd';
const REPLACEMENT_BYTES = Buffer.from(REPLACEMENT_CHARACTER, 'utf8');

/**
 * Names the first byte that is not UTF-8, with its line. Node's decoder replaces the first ill-formed
 * sequence with the first U+FFFD not written as such; every character before it is well-formed, so
 * its byte offset is the UTF-8 length of the text before it.
 */
function notUtf8(bytes: Buffer, display: string): InputError {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return new InputError('not UTF-8 but UTF-16 (it starts with a UTF-16 byte order mark): save it as UTF-8', display, 1);
  }
  const text = bytes.toString('utf8');
  let offset = 0;
  for (let index = text.indexOf(REPLACEMENT_CHARACTER); index >= 0; index = text.indexOf(REPLACEMENT_CHARACTER, index + 1)) {
    offset = Buffer.byteLength(text.slice(0, index));
    if (!bytes.subarray(offset, offset + REPLACEMENT_BYTES.length).equals(REPLACEMENT_BYTES)) break;
  }
  const hex = bytes[offset].toString(16).toUpperCase().padStart(2, '0');
  return new InputError(
    `not valid UTF-8: byte 0x${hex} at byte offset ${offset} is not part of a UTF-8 character; the file is not read rather than read with the byte replaced, which could change a value a control decides on`,
    display,
    lineOfByte(bytes, offset),
  );
}

/** The 1-based line of the byte at `offset`. */
function lineOfByte(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let index = bytes.indexOf(0x0a); index >= 0 && index < offset; index = bytes.indexOf(0x0a, index + 1)) line++;
  return line;
}

export interface ParsedText {
  readonly value: unknown;
  /** The 1-based line where the value at `path` is written (its key, for a mapping entry). */
  lineOf(path: readonly PathSegment[]): number | undefined;
  /** YAML that the AWS CLI expands but CloudFormation refuses (an alias, a merge key); JSON has none. */
  readonly yamlOnly?: YamlOnlyFeature;
}

export type Syntax = 'json' | 'yaml';

/** By extension; otherwise JSON when the text starts like JSON (a `.template` file, standard input). */
export function syntaxOf(file: string, text: string): Syntax {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

export function parseText(text: string, file: string, syntax: Syntax = syntaxOf(file, text)): ParsedText {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return syntax === 'json' ? parseJson(withoutBom, file) : parseYaml(withoutBom, file);
}

/** Offsets → 1-based lines, by binary search over line starts computed once. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

/**
 * JSON.parse for the value (fast); line numbers only when asked for: the shallow paths every finding
 * needs (`Resources.X`, `services[1]`) from one pass that skips deeper content, anything deeper from
 * a full syntax tree. A tolerant re-parse runs only to locate a syntax error.
 */
function parseJson(text: string, file: string): ParsedText {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // jsonc-parser, which locates the error, recurses: a text too deep for it is refused as such.
    throw tooDeepJson(text, file) ?? jsonSyntaxError(text, file, error);
  }
  if (nestingDepth(value) > NESTING_LIMIT) throw tooDeepJson(text, file) as InputError;
  let shallowLines: Map<string, number> | undefined;
  let tree: JsonNode | undefined;
  let lineAt: ((offset: number) => number) | undefined;
  return {
    value,
    lineOf(path) {
      if (path.length <= SHALLOW_DEPTH) return (shallowLines ??= shallowJsonLines(text, SHALLOW_DEPTH)).get(pathKey(path));
      tree ??= parseTree(text);
      lineAt ??= lineIndex(text);
      const node = tree && findNodeAtLocation(tree, [...path]);
      if (!node) return undefined;
      return lineAt(node.parent?.type === 'property' ? node.parent.offset : node.offset);
    },
  };
}

/** JSON nested past `NESTING_LIMIT`, named at the line of the first bracket past it (a scan of the text: no recursion). */
function tooDeepJson(text: string, file: string): InputError | undefined {
  const crossing = nestingCrossing(text, NESTING_LIMIT);
  return crossing < 0 ? undefined : new InputError(nestedTooDeep(), file, lineIndex(text)(crossing));
}

/** How deep the shallow pass records: two levels, `Resources.<logicalId>` and `services[<n>]`. */
const SHALLOW_DEPTH = 2;

function jsonSyntaxError(text: string, file: string, cause: unknown): InputError {
  const errors: ParseError[] = [];
  parseJsonTolerantly(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const [first] = errors;
  if (!first) return new InputError(`not valid JSON (${(cause as Error).message})`, file, undefined, { cause });
  const words = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return new InputError(`not valid JSON: ${words}`, file, lineIndex(text)(first.offset), { cause });
}

/** js-yaml with its node listener (scan/inputs/yaml.ts): the value and every line from one parse. */
function parseYaml(text: string, file: string): ParsedText {
  try {
    return parseYamlDocument(text, file);
  } catch (error) {
    if (error instanceof YamlLimitError) throw new InputError(error.message, file, error.line, { cause: error });
    if (!(error instanceof YamlSyntaxError)) throw error;
    throw new InputError(`not valid YAML: ${error.message}`, file, error.line, { cause: error });
  }
}
