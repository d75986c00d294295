/**
 * What `fix` changes, as data: every change is an edit at a path, so the same list gives the fixed
 * document, a JSON Patch for a template (RFC 6902, https://www.rfc-editor.org/rfc/rfc6902) and the
 * per-container diff. Nothing outside an edit's path is touched.
 */
import { isJsonObject } from '../../lambdas/adapters/reader';
import type { PathSegment } from '../inputs/path';

/** `-` appends to a list, as in JSON Patch. */
export type EditPath = readonly (PathSegment | '-')[];

export interface Edit {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: EditPath;
  /** The new value (add, replace). */
  readonly value?: unknown;
  /** The value replaced or removed, for the diff. */
  readonly previous?: unknown;
  /** The control the edit fixes; `register` for the describe-only fields dropped. */
  readonly control: string;
  /** The container (or volume) the edit belongs to, for the per-container diff; none for the task definition itself. */
  readonly container?: string;
}

/** A deep copy of `document` with `edits` applied in order; `document` is left as it was. */
export function applyEdits<T>(document: T, edits: readonly Edit[]): T {
  const result = structuredClone(document);
  for (const edit of edits) applyEdit(result, edit);
  return result;
}

/** Applies one edit to `document` in place. */
export function applyEdit(document: unknown, edit: Edit): void {
  const parent = edit.path.slice(0, -1).reduce<unknown>((value, segment) => (value as Record<PathSegment, unknown>)[segment], document);
  const last = edit.path[edit.path.length - 1];
  if (Array.isArray(parent)) {
    if (edit.op === 'remove') parent.splice(last as number, 1);
    else if (last === '-') parent.push(structuredClone(edit.value));
    else parent[last as number] = structuredClone(edit.value);
    return;
  }
  if (!isJsonObject(parent)) throw new Error(`fix: cannot edit ${pointerOf(edit.path)}: its parent is not an object or a list`);
  const object = parent as Record<string, unknown>;
  if (edit.op === 'remove') delete object[last];
  else object[last] = structuredClone(edit.value);
}

/** `['Resources', 'Web', 'Properties']` → `/Resources/Web/Properties` (RFC 6901 escaping). */
export function pointerOf(path: EditPath): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The edits as an RFC 6902 JSON Patch document. */
export function jsonPatch(edits: readonly Edit[]): { op: string; path: string; value?: unknown }[] {
  return edits.map((edit) => ({ op: edit.op, path: pointerOf(edit.path), ...(edit.op !== 'remove' && { value: edit.value }) }));
}
