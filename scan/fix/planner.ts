/**
 * Plans edits on a working copy of the document being fixed, so each step sees the steps before it
 * (a volume list the previous container created, an index shifted by a removal). Key names follow
 * the document: camelCase for ECS API documents, PascalCase for CloudFormation; an existing key is
 * found in any casing (CloudFormation's `EFSVolumeConfiguration` is the ECS API's `efsVolumeConfiguration`).
 */
import { isDeepStrictEqual } from 'node:util';
import { findKey, isJsonObject, JsonObject } from '../../lambdas/adapters/reader';
import { applyEdit, Edit, EditPath } from './edits';

export type KeyStyle = 'ecs-api' | 'cloudformation';

/** Something a person must decide or check; `subject` is a container, a volume or the task definition. */
export interface Note {
  readonly control: string;
  readonly subject: string;
  readonly message: string;
}

export interface Owner {
  readonly control: string;
  /** The container (or volume) for the per-container diff. */
  readonly container?: string;
}

export class Planner {
  readonly edits: Edit[] = [];
  readonly needsInput: Note[] = [];
  readonly checks: Note[] = [];
  private readonly working: unknown;

  constructor(
    document: unknown,
    readonly style: KeyStyle,
  ) {
    this.working = structuredClone(document);
  }

  /** `user` → `User` in a template. */
  key(camelName: string): string {
    return this.style === 'cloudformation' ? camelName[0].toUpperCase() + camelName.slice(1) : camelName;
  }

  /** An object of this shape's keys: `{ name: 'tmp' }` → `{ Name: 'tmp' }` in a template. */
  shaped(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(fields).map(([name, value]) => [this.key(name), value]));
  }

  /** The value at `path` in the document as edited so far. */
  at(path: EditPath): unknown {
    return path.reduce<unknown>((value, segment) => (isJsonObject(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[segment] : undefined), this.working);
  }

  /** The value of `camelName` (any casing) in the object at `path`, and the key it is under. */
  field(path: EditPath, camelName: string): { key: string; value: unknown } {
    const object = this.objectAt(path);
    const existing = findKey(object, camelName);
    return existing === undefined ? { key: this.key(camelName), value: undefined } : { key: existing, value: object[existing] };
  }

  /** The `itemKey` of every object in the list `listName` of the object at `path` (volume names, mount paths…). */
  valuesIn(path: EditPath, listName: string, itemKey: string): Set<string> {
    const list = this.field(path, listName).value;
    const values = (Array.isArray(list) ? list : []).filter(isJsonObject).map((item) => item[findKey(item, itemKey) ?? itemKey]);
    return new Set(values.filter((value): value is string => typeof value === 'string'));
  }

  /** Sets `camelName` in the object at `path`; nothing when it already holds `value`. */
  set(path: EditPath, camelName: string, value: unknown, owner: Owner): void {
    const object = this.objectAt(path);
    const existing = findKey(object, camelName);
    if (existing === undefined) this.push({ op: 'add', path: [...path, this.key(camelName)], value, ...owner });
    else if (!isDeepStrictEqual(object[existing], value)) this.push({ op: 'replace', path: [...path, existing], value, previous: object[existing], ...owner });
  }

  /** Removes `camelName` from the object at `path`, when present. */
  remove(path: EditPath, camelName: string, owner: Owner): void {
    const object = this.objectAt(path);
    const existing = findKey(object, camelName);
    if (existing !== undefined) this.push({ op: 'remove', path: [...path, existing], previous: object[existing], ...owner });
  }

  removeItem(listPath: EditPath, index: number, owner: Owner): void {
    this.push({ op: 'remove', path: [...listPath, index], previous: (this.at(listPath) as unknown[])[index], ...owner });
  }

  /**
   * Appends `item` to the list `camelName` of the object at `path`, creating the list when absent.
   * Returns false, changing nothing, when the field holds something else (a template intrinsic).
   */
  append(path: EditPath, camelName: string, item: unknown, owner: Owner): boolean {
    const { key, value } = this.field(path, camelName);
    if (value === undefined) this.push({ op: 'add', path: [...path, key], value: [item], ...owner });
    else if (Array.isArray(value)) this.push({ op: 'add', path: [...path, key, '-'], value: item, ...owner });
    else return false;
    return true;
  }

  /** The document with every edit so far. */
  result(): unknown {
    return structuredClone(this.working);
  }

  private objectAt(path: EditPath): JsonObject {
    const object = this.at(path);
    if (!isJsonObject(object)) throw new Error(`fix: expected an object at ${path.join('.')}`);
    return object;
  }

  private push(edit: Edit): void {
    this.edits.push(edit);
    applyEdit(this.working, edit);
  }
}
