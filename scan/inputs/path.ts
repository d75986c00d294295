/** A step into a parsed document: a mapping key or a list index. */
export type PathSegment = string | number;

/** `['Resources', 'A', 'Properties', 0]` → `Resources.A.Properties[0]`, as messages name a place in a document. */
export function dottedPath(path: readonly PathSegment[]): string {
  return path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('').replace(/^\./, '');
}
