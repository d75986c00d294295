/**
 * The one YAML reading path: js-yaml builds the value and, through its node listener, records where
 * every node starts, so a single pass gives both (no second parser, no line guessed from indentation).
 * Why js-yaml and not the `yaml` library's syntax tree: on a 1,000-task-definition template (600 KB)
 * js-yaml loaded in 110–280 ms, the `yaml` library's parseDocument took 1,700–2,400 ms (its lexer
 * alone ~230–470 ms), which would cap a YAML-heavy scan far below 10,000 definitions/s. The listener
 * costs ~1.3–1.6× a bare js-yaml load (measured on a shared, loaded machine); JSON is unaffected.
 *
 * CloudFormation's short forms (`!Ref X`, `!GetAtt A.B`, `!Sub [...]`) become the long form
 * (`{ Ref: X }`, `{ "Fn::GetAtt": [A, B] }`), the only form the CloudFormation adapter reads
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html).
 * Any other tag is an error naming the tag and its line. YAML 1.2's core schema: no timestamps, and
 * YAML 1.1 spellings (`yes`, `on`) stay strings.
 *
 * Anchors, aliases and merge keys (`<<: *base`): the CloudFormation service refuses aliases
 * ("Template error: YAML aliases are not allowed in CloudFormation templates",
 * https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/613) and has no merge
 * keys (cfn-lint's W1100: merge keys work only through the AWS CLI,
 * https://github.com/aws-cloudformation/cfn-lint/pull/4028); `aws cloudformation package` and the
 * AWS CLI's `--cli-input-yaml` expand both (https://github.com/aws/aws-cli/pull/3827), and so does
 * `sam deploy` (https://github.com/aws/aws-sam-cli/pull/566). So the value here has them expanded, as
 * those tools deploy such files, and `yamlOnly` records the first of them, for the notice a template
 * with one gets. An anchor alone changes nothing.
 *
 * An alias reuses its anchor's value (js-yaml does not copy it), so parsing stays as cheap as the text
 * is long, however far the aliases expand: the cost is paid by whatever walks the value afterwards.
 * Right after parsing, one walk measures each distinct mapping and list once (scan/inputs/bounds.ts):
 * a value that expands past the bound, nests past the limit, or holds itself (`&a [*a]`, which js-yaml
 * builds as a cycle) is refused there, naming the line, before any reader walks it.
 */
import { CORE_SCHEMA, load, LoadOptions, Type, YAMLException } from 'js-yaml';
import { Collection, EXPANSION_FLOOR, EXPANSION_RATIO, expansionLimit, isCollection, NESTING_LIMIT, nestedTooDeep, nestingDepth } from './bounds';
import type { PathSegment } from './path';

/** Short-form name → long-form key; each may be written on a scalar, a sequence or a mapping. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!FindInMap': 'Fn::FindInMap',
  '!GetAtt': 'Fn::GetAtt',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!Sub': 'Fn::Sub',
  '!Transform': 'Fn::Transform',
  '!And': 'Fn::And',
  '!Equals': 'Fn::Equals',
  '!If': 'Fn::If',
  '!Not': 'Fn::Not',
  '!Or': 'Fn::Or',
  // Rules-section functions (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/rules-section-structure.html).
  '!Contains': 'Fn::Contains',
  '!EachMemberEquals': 'Fn::EachMemberEquals',
  '!EachMemberIn': 'Fn::EachMemberIn',
  '!RefAll': 'Fn::RefAll',
  '!ValueOf': 'Fn::ValueOf',
  '!ValueOfAll': 'Fn::ValueOfAll',
  // AWS::LanguageExtensions transform functions.
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
};

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/**
 * `!GetAtt Resource.Attribute` is the string form; CloudFormation splits it at the first dot, so
 * `!GetAtt Db.Endpoint.Address` is `[Db, Endpoint.Address]`.
 */
function scalarArgument(longForm: string, value: string): unknown {
  if (longForm !== 'Fn::GetAtt') return value;
  const dot = value.indexOf('.');
  return dot < 0 ? value : [value.slice(0, dot), value.slice(dot + 1)];
}

const KINDS = ['scalar', 'sequence', 'mapping'] as const;

const SHORT_FORM_TYPES = Object.entries(SHORT_FORMS).flatMap(([tag, longForm]) =>
  KINDS.map(
    (kind) =>
      new Type(tag, {
        kind,
        // js-yaml gives a scalar's text, or the sequence/mapping already constructed (nested short forms included).
        construct: (data: unknown) => ({ [longForm]: kind === 'scalar' ? scalarArgument(longForm, (data as string | null) ?? '') : data }),
      }),
  ),
);

/** YAML 1.1's merge key (https://yaml.org/type/merge.html), as js-yaml's default schema defines it. */
const MERGE_TYPE = new Type(MERGE_TAG, { kind: 'scalar', resolve: (data: unknown) => data === '<<' || data === null });

/** The core schema, CloudFormation's short forms, and merge keys (expanded, then refused for templates). */
const SCHEMA = CORE_SCHEMA.extend({ implicit: [MERGE_TYPE], explicit: SHORT_FORM_TYPES });

export class YamlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = 'YamlSyntaxError';
  }
}

/** Valid YAML past one of the bounds every input is held to (scan/inputs/bounds.ts). */
export class YamlLimitError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = 'YamlLimitError';
  }
}

/** A YAML feature the AWS CLI expands but CloudFormation refuses, and where it first appears. */
export interface YamlOnlyFeature {
  readonly feature: 'an alias' | 'a merge key';
  readonly line: number;
}

export interface ParsedYaml {
  readonly value: unknown;
  readonly yamlOnly: YamlOnlyFeature | undefined;
  /** The 1-based line of the key (or list item) at `path`, in long-form path segments. */
  lineOf(path: readonly PathSegment[]): number | undefined;
}

/** A node as the listener saw it: where it starts, what it became, the nodes read inside it. */
interface NodeRecord {
  readonly line: number;
  children: NodeRecord[] | undefined;
  kind: string | null;
  result: unknown;
  tag: string | null;
  /** Whether the node is a mapping key: a `:` follows it. */
  isKey: boolean;
  /** Whether nodes inside it were read but not recorded (below the recorded depth). */
  truncated: boolean;
  /** A mapping's keys → the key's line and the value's record, built on first lookup. */
  keys?: Map<string, { readonly line: number; readonly value: NodeRecord | undefined }>;
}

/** js-yaml's loader state, as its listener receives it (https://github.com/nodeca/js-yaml: `listener` option). */
interface LoaderState {
  readonly line: number;
  readonly position: number;
  readonly kind: string | null;
  readonly result: unknown;
  readonly tag: string | null;
}

/**
 * How many nested nodes the first pass records: `Resources.<id>` and `configurationItems[<n>]`, the
 * lines every finding needs, sit at depth 3 (the root mapping, the key, the entry), and one more level
 * absorbs js-yaml's wrapper nodes. Recording depth 8 instead made a 1.2 MB template's read 1.5–1.9×
 * slower (median 160 ms against 100 ms, `npm run bench:scan`'s YAML template); a deeper path (a
 * suppression entry) reads the text again, fully recorded.
 */
const RECORDED_DEPTH = 4;

/**
 * Parses one YAML document; throws `YamlSyntaxError` naming the problem and its line, or
 * `YamlLimitError` for a document past the bounds.
 */
export function parseYamlDocument(text: string, file: string): ParsedYaml {
  const shallow = readYaml(text, file, RECORDED_DEPTH);
  let full: NodeRecord | undefined;
  const parsed: ParsedYaml = {
    value: shallow.value,
    yamlOnly: shallow.yamlOnly,
    lineOf(path) {
      const line = lineOf(shallow.root, path);
      if (line !== DEEPER) return line;
      full ??= readYaml(text, file, Infinity).root;
      return lineOf(full, path) as number | undefined;
    },
  };
  checkBounds(parsed, shallow.aliased);
  return parsed;
}

/**
 * js-yaml's own bounds, which it checks while parsing: the recursion of its parser (nesting as
 * written: the value's nesting is checked after parsing, against `NESTING_LIMIT`; js-yaml counts a
 * node more for some flow and compact collections, so it is given twice the limit and never speaks
 * first for a value within it), and the keys merge keys copy in all (`<<: *big` repeated copies
 * every key each time, work done while parsing, so it must stop there; the same number as the
 * expansion floor).
 */
const PARSER_BOUNDS = { maxDepth: 2 * NESTING_LIMIT + 2, maxTotalMergeKeys: EXPANSION_FLOOR };

interface ReadYaml {
  readonly value: unknown;
  readonly root: NodeRecord | undefined;
  readonly yamlOnly: YamlOnlyFeature | undefined;
  /** Whether an alias was read: only then can parts of the value be shared. */
  readonly aliased: boolean;
}

function readYaml(text: string, file: string, maxDepth: number): ReadYaml {
  // `null` stands for a node below the recorded depth: it is read, not recorded.
  const stack: (NodeRecord | null)[] = [];
  let root: NodeRecord | undefined;
  let yamlOnly: YamlOnlyFeature | undefined;
  let aliased = false;
  const listener = (event: 'open' | 'close', state: LoaderState) => {
    if (event === 'open') {
      stack.push(stack.length >= maxDepth ? null : { line: state.line + 1, children: undefined, kind: null, result: null, tag: null, isKey: false, truncated: false });
      return;
    }
    const node = stack.pop() as NodeRecord | null;
    // An alias reads no node of its own: js-yaml leaves the kind unset, the result is the anchor's value.
    if (state.kind === null && state.result !== null) {
      aliased = true;
      yamlOnly ??= { feature: 'an alias', line: node?.line ?? state.line + 1 };
    }
    if (state.tag === MERGE_TAG) yamlOnly ??= { feature: 'a merge key', line: node?.line ?? state.line + 1 };
    const parent = stack[stack.length - 1];
    if (node === null) {
      if (parent) parent.truncated = true;
      return;
    }
    node.kind = state.kind;
    node.result = state.result;
    node.tag = state.tag;
    node.isKey = followedByColon(text, state.position);
    // js-yaml may read a collection inside a node of its own that becomes the very same value: skip the wrapper.
    const [only] = node.children ?? [];
    if (node.children?.length === 1 && only.result === state.result && state.kind !== null && !node.truncated) {
      node.children = only.children;
      node.truncated = only.truncated;
    }
    if (parent) (parent.children ??= []).push(node);
    else root ??= node;
  };
  try {
    const value = load(text, { schema: SCHEMA, filename: file, listener, ...PARSER_BOUNDS } as unknown as LoadOptions);
    return { value, root, yamlOnly, aliased };
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const line = error.mark ? error.mark.line + 1 : undefined;
    if (error.reason.startsWith('nesting exceeded maxDepth')) throw new YamlLimitError(nestedTooDeep(), line);
    if (error.reason.startsWith('merge keys exceeded maxTotalMergeKeys')) {
      throw new YamlLimitError(`merge keys (<<) copy more than ${EXPANSION_FLOOR.toLocaleString('en-US')} keys in all: refused before the copying takes the scan's time and memory`, line);
    }
    throw new YamlSyntaxError(readableReason(error.reason), line);
  }
}

/** js-yaml names an unknown tag in its verbatim form (`!<!Reff>`); people wrote `!Reff`. */
function readableReason(reason: string): string {
  const unknownTag = /^unknown tag !<(.*)>$/.exec(reason);
  if (!unknownTag) return reason;
  return `unknown tag "${unknownTag[1]}": CloudFormation's short forms are !Ref, !Sub, !GetAtt, !If and the other intrinsic function names`;
}

/** Whether the next character after `position`, spaces and tabs skipped, is `:`. */
function followedByColon(text: string, position: number): boolean {
  let index = position;
  while (text.charCodeAt(index) === 0x20 || text.charCodeAt(index) === 0x09) index++;
  return text.charCodeAt(index) === 0x3a;
}

/** A mapping node's children are each key, then its value unless the value is empty (`key:` alone reads no node). */
function keyRecords(node: NodeRecord): Map<string, { readonly line: number; readonly value: NodeRecord | undefined }> {
  if (node.keys) return node.keys;
  const keys = new Map<string, { readonly line: number; readonly value: NodeRecord | undefined }>();
  const children = node.children ?? [];
  for (let index = 0; index < children.length; index++) {
    const child = children[index];
    if (!child.isKey) continue;
    const next = children[index + 1];
    const value = next && !next.isKey ? next : undefined;
    const key = String(child.result);
    if (!keys.has(key)) keys.set(key, { line: child.line, value });
  }
  node.keys = keys;
  return keys;
}

/** What `lineOf` answers when the path goes below the recorded depth. */
const DEEPER = Symbol('deeper');

/**
 * The line of the key (or list item) at `path`. A short form's long-form key (`Fn::If`) is the tagged
 * node itself. Content reached through an alias has no line of its own: undefined.
 */
function lineOf(root: NodeRecord | undefined, path: readonly PathSegment[]): number | undefined | typeof DEEPER {
  let node = root;
  let line = root?.line;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'string' && node.tag !== null && SHORT_FORMS[node.tag] === segment) continue;
    if (node.truncated) return DEEPER;
    if (node.kind === 'sequence' && typeof segment === 'number') {
      node = node.children?.[segment];
      line = node?.line;
    } else if (node.kind === 'mapping') {
      const entry = keyRecords(node).get(String(segment));
      if (!entry) return undefined;
      line = entry.line;
      node = entry.value;
    } else {
      return undefined;
    }
  }
  return line;
}

// ---- Bounds: expansion, nesting and cycles, checked once right after parsing --------------------

/** A distinct mapping or list, measured once however many aliases reuse it. */
interface Extent {
  /** Its nodes with every alias inside it expanded, itself included. */
  readonly nodes: number;
  /** How many mappings and lists nest on its deepest path, itself included. */
  readonly levels: number;
}

/** A scalar: one node, no level. */
const SCALAR: Extent = { nodes: 1, levels: 0 };

/** The value of a parsed document, measured: every distinct collection's extent, and the nodes as written. */
interface Measurement {
  readonly extents: Map<Collection, Extent>;
  /** Nodes of the value as written: a shared collection once, each alias to it one node more. */
  readonly written: number;
}

/** A collection being measured: its keys (none for a list, whose indexes are counted), the next to visit, the sums so far. */
interface Frame {
  readonly value: Collection;
  /** How its parent reaches it. */
  readonly segment: PathSegment | undefined;
  readonly keys: readonly string[] | undefined;
  readonly size: number;
  next: number;
  nodes: number;
  levels: number;
}

function frameOf(value: Collection, segment: PathSegment | undefined): Frame {
  const keys = Array.isArray(value) ? undefined : Object.keys(value);
  return { value, segment, keys, size: keys?.length ?? (value as unknown as unknown[]).length, next: 0, nodes: 1, levels: 0 };
}

class CycleFound {
  constructor(readonly path: readonly PathSegment[]) {}
}

/**
 * One iterative post-order walk (no recursion, whatever the nesting) that visits each distinct
 * collection once, so it costs what the text is long, not what the aliases expand to. Throws
 * `CycleFound` at an alias to a collection that contains it.
 */
function measure(root: unknown): Measurement {
  const extents = new Map<Collection, Extent>();
  let written = 1;
  if (!isCollection(root)) return { extents, written };
  const open = new Set<Collection>([root]);
  const stack = [frameOf(root, undefined)];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next < frame.size) {
      const segment = frame.keys ? frame.keys[frame.next] : frame.next;
      frame.next++;
      const child = frame.value[segment];
      written++;
      const known = isCollection(child) ? extents.get(child) : SCALAR;
      if (known) {
        include(frame, known);
      } else if (open.has(child as Collection)) {
        throw new CycleFound([...stack.slice(1).map((open) => open.segment as PathSegment), segment]);
      } else {
        open.add(child as Collection);
        stack.push(frameOf(child as Collection, segment));
      }
      continue;
    }
    stack.pop();
    open.delete(frame.value);
    const extent = { nodes: frame.nodes, levels: frame.levels + 1 };
    extents.set(frame.value, extent);
    if (stack.length > 0) include(stack[stack.length - 1], extent);
  }
  return { extents, written };
}

function include(frame: Frame, child: Extent): void {
  frame.nodes += child.nodes;
  frame.levels = Math.max(frame.levels, child.levels);
}

/**
 * A value without aliases is a tree: it can neither expand nor hold itself, so only its nesting is
 * checked, by the walk that keeps no record (0.5–2 ms for a 1.2 MB template, against 6–14 ms for
 * `measure`, which then runs only to name where it crossed).
 */
function checkBounds(parsed: ParsedYaml, aliased: boolean): void {
  if (!aliased && nestingDepth(parsed.value) <= NESTING_LIMIT) return;
  let measurement: Measurement;
  try {
    measurement = measure(parsed.value);
  } catch (error) {
    if (!(error instanceof CycleFound)) throw error;
    throw new YamlLimitError('an alias inside the very node it refers to (a cycle): no reader could walk it to its end', nearestLine(parsed, error.path));
  }
  const { extents, written } = measurement;
  const root = isCollection(parsed.value) ? extents.get(parsed.value) : undefined;
  if (!root) return;
  const limit = expansionLimit(written);
  if (root.nodes > limit) {
    throw new YamlLimitError(
      `aliases expand it to more than ${limit.toLocaleString('en-US')} nodes (at most ${EXPANSION_RATIO} times the ${written.toLocaleString('en-US')} it writes, or ${EXPANSION_FLOOR.toLocaleString('en-US')}): refused before anything walks it, as an alias bomb would be`,
      nearestLine(parsed, expansionCrossingPath(parsed.value as Collection, extents, limit)),
    );
  }
  if (root.levels > NESTING_LIMIT) {
    const path = nestingCrossingPath(parsed.value as Collection, extents);
    throw new YamlLimitError(nestedTooDeep(path), nearestLine(parsed, path));
  }
}

const extentOf = (value: unknown, extents: Map<Collection, Extent>): Extent => (isCollection(value) ? (extents.get(value) as Extent) : SCALAR);

function segmentsOf(value: Collection): PathSegment[] {
  return Array.isArray(value) ? value.map((_item, index) => index) : Object.keys(value);
}

/**
 * The path to the node at which, counting nodes in document order with aliases expanded, the count
 * passes `limit`: whole children are skipped while they fit, so this costs the depth times the width.
 */
function expansionCrossingPath(root: Collection, extents: Map<Collection, Extent>, limit: number): PathSegment[] {
  const path: PathSegment[] = [];
  let remaining = limit - 1;
  let value: unknown = root;
  while (isCollection(value)) {
    const parent: Collection = value;
    const segment = segmentsOf(parent).find((candidate) => {
      const { nodes } = extentOf(parent[candidate], extents);
      const fits = nodes <= remaining;
      if (fits) remaining -= nodes;
      return !fits;
    });
    if (segment === undefined) break;
    path.push(segment);
    value = parent[segment];
    remaining -= 1;
  }
  return path;
}

/** The path of the first collection `NESTING_LIMIT + 1` levels deep, down the deepest branch. */
function nestingCrossingPath(root: Collection, extents: Map<Collection, Extent>): PathSegment[] {
  const path: PathSegment[] = [];
  let value = root;
  while (path.length < NESTING_LIMIT) {
    const parent = value;
    const levels = extentOf(parent, extents).levels;
    const segment = segmentsOf(parent).find((candidate) => extentOf(parent[candidate], extents).levels === levels - 1) as PathSegment;
    path.push(segment);
    value = parent[segment] as Collection;
  }
  return path;
}

/** The line of `path`, or of its longest part that has one (content reached through an alias has none). */
function nearestLine(parsed: ParsedYaml, path: readonly PathSegment[]): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const line = parsed.lineOf(path.slice(0, length));
    if (line !== undefined) return line;
  }
  return undefined;
}
