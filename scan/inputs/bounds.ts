/**
 * The bounds every input is held to right after parsing, before any reader walks it: how deep it may
 * nest, and how far YAML aliases may expand it. Beyond either, the file is an unread input (exit 2)
 * naming the file and line, never a hang, an out-of-memory or a crash that reports nothing. The
 * numbers, and why, are in docs/templates.md ("Bounds on every input").
 */
import { dottedPath, PathSegment } from './path';

/**
 * How many mappings and lists may nest inside each other. The deepest real documents measured: 15 in
 * this project's corpus (a `cdk synth` template), 31 among the 348 JSON files over 2 KB in
 * node_modules (an SSM document JSON schema). The readers recurse on nesting (the CloudFormation
 * adapter overflowed Node 20's default stack between 3,000 and 5,000 levels), so 100 is three times
 * the deepest real document and thirty times below the first overflow. It is also js-yaml's own
 * default `maxDepth`.
 */
export const NESTING_LIMIT = 100;

/**
 * YAML aliases reuse one value wherever they appear, so a few hundred bytes can stand for billions of
 * nodes ("billion laughs"); whatever walks the value afterwards (an adapter, a message describing a
 * wrong value) pays for every one. A file may expand to at most ten times the nodes it has written
 * (each alias counted as one) or 100,000 nodes, whichever is more. The scanner reads 7,000–15,000
 * task definitions a second (docs/performance.md), of about 55 nodes each as `npm run bench:scan`
 * writes them: 400,000–800,000 nodes a second, so the floor costs a small file at most about a
 * quarter of a second, and a large one at most ten times what it would cost written out. Real use
 * (a logging block or an environment list shared by every task definition) stays far below either.
 */
export const EXPANSION_FLOOR = 100_000;
export const EXPANSION_RATIO = 10;

/** The most nodes a YAML file that has written `writtenNodes` may expand to. */
export function expansionLimit(writtenNodes: number): number {
  return Math.max(EXPANSION_FLOOR, EXPANSION_RATIO * writtenNodes);
}

/** Why an input nested deeper than `NESTING_LIMIT` is not read; `path` is where it crossed, when known. */
export function nestedTooDeep(path?: readonly PathSegment[]): string {
  const where = path === undefined ? '' : ` (at ${dottedPath(path.slice(0, SHOWN_SEGMENTS))}${path.length > SHOWN_SEGMENTS ? '…' : ''})`;
  return `nested deeper than ${NESTING_LIMIT} levels${where}: no real template or document nests that deep, so it is not read`;
}

/** How much of a long path a message shows. */
const SHOWN_SEGMENTS = 8;

/**
 * How many mappings and lists nest on the deepest path of `root`, by an iterative walk (no recursion,
 * whatever the depth) that keeps no record of what it has seen: 0.5 ms for a 1.4 MB template
 * (`for…in` and an index loop; `Object.values` took twice as long). Only for a tree (JSON.parse's
 * value, YAML without aliases): a value whose parts are shared would be walked once per path to
 * them, and one holding itself forever. scan/inputs/yaml.ts measures those.
 */
export function nestingDepth(root: unknown): number {
  if (!isCollection(root)) return 0;
  const pending: Collection[] = [root];
  const depths: number[] = [1];
  let deepest = 0;
  const visit = (child: unknown, depth: number) => {
    if (!isCollection(child)) return;
    pending.push(child);
    depths.push(depth + 1);
  };
  while (pending.length > 0) {
    const value = pending.pop() as Collection;
    const depth = depths.pop() as number;
    if (depth > deepest) deepest = depth;
    if (Array.isArray(value)) for (const item of value) visit(item, depth);
    else for (const key in value) visit(value[key], depth);
  }
  return deepest;
}

/** A mapping or a list of a parsed document, indexed by a path segment. */
export type Collection = Record<PathSegment, unknown>;

export const isCollection = (value: unknown): value is Collection => typeof value === 'object' && value !== null;
