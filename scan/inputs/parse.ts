/**
 * Text → value, remembering where things are: every input the scanner reads (JSON or YAML) is parsed
 * here, so a syntax error names the file and line, and a finding can point at the line of its resource.
 */
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { findNodeAtLocation, Node as JsonNode, parse as parseJsonTolerantly, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { pathKey, shallowJsonLines } from './json-lines';
import { PathSegment } from './path';
import { parseYamlDocument, YamlOnlyFeature, YamlSyntaxError } from './yaml';

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

/** Reads a file the user named (`display` is how messages name it); failing is an input error. */
export function readInputText(path: string, display = path): string {
  try {
    return decode(readFileSync(path));
  } catch (error) {
    throw new InputError(`cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, display, undefined, { cause: error });
  }
}

/**
 * UTF-8 text; ASCII (most templates) decoded as Latin-1, which reads ASCII identically and skips
 * UTF-8 decoding: for the 13 MB of templates in `npm run bench:scan`'s corpus, 60–65 ms decoded as
 * UTF-8 against 3–5 ms checked with `isAscii` (SIMD) and read as Latin-1 (Node 20, best of 7).
 */
function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
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
    throw jsonSyntaxError(text, file, error);
  }
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
    if (!(error instanceof YamlSyntaxError)) throw error;
    throw new InputError(`not valid YAML: ${error.message}`, file, error.line, { cause: error });
  }
}
