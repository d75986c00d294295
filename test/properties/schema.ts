/**
 * The fields of AWS Config's ECS configuration items that the adapters read, as a small schema:
 * enough to generate well-formed items, to enumerate every place a value can sit (present or
 * not), to list representative valid values for each place, and to corrupt it.
 *
 * "Malformed" is defined here once, for every property test:
 * - a value of the wrong JSON type (`Privileged: "true"`, `User: 0`, `Environment: {}`), a list item
 *   that is not an object, or a tag map with a non-string value;
 * - a required field that is missing: `ContainerDefinitions` absent, `null` or empty (ECS registers
 *   no task definition without a container, so such an item is truncated, not a real resource).
 * For optional fields `null` means unset, like absence: AWS JSON uses both for "no value", and
 * CONTROLS.md says unset optional fields are absent.
 */
import fc from 'fast-check';
import { ResourceType } from '../../lambdas/core/model';

export type FieldSpec = ScalarSpec | ObjectSpec | ListSpec;

export interface ScalarSpec {
  readonly kind: 'boolean' | 'string';
  /** Representative valid values, chosen around the controls' decision boundaries. */
  readonly values?: readonly string[];
}

export interface ObjectSpec {
  readonly kind: 'object';
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Keys that must be present (the adapter cannot read the object without them). */
  readonly required?: readonly string[];
}

export interface ListSpec {
  readonly kind: 'list';
  readonly item: ObjectSpec;
  /** Must be present with at least one item. */
  readonly requiredNonEmpty?: boolean;
  readonly maxLength?: number;
}

const string = (...values: string[]): ScalarSpec => ({ kind: 'string', values });
const boolean: ScalarSpec = { kind: 'boolean' };
const object = (fields: Record<string, FieldSpec>, required: string[] = []): ObjectSpec => ({ kind: 'object', fields, required });
const list = (item: ObjectSpec, options: Omit<ListSpec, 'kind' | 'item'> = {}): ListSpec => ({ kind: 'list', item, ...options });

/** Names appear in annotations: unicode (emoji, right-to-left, combining marks) must survive fitting. */
const NAMES = ['app', 'log-sidecar', 'приложение', '🚀-launcher', 'שלום', 'e\u0301te\u0301', 'x'.repeat(300)];

const CONTAINER = object({
  Name: string(...NAMES),
  User: string('root', '0', '0:0', '00', '1000', '1000:0', '', 'ContainerAdministrator', 'ContainerUser'),
  Privileged: boolean,
  ReadonlyRootFilesystem: boolean,
  LogConfiguration: object({ LogDriver: string('awslogs', 'splunk') }),
  Environment: list(object({ Name: string('AWS_ACCESS_KEY_ID', 'ECS_ENGINE_AUTH_DATA', 'LOG_LEVEL'), Value: string('info', 'AKIAIOSFODNN7EXAMPLE') }), { maxLength: 3 }),
});

export const SCHEMAS: Readonly<Record<ResourceType, ObjectSpec>> = {
  'AWS::ECS::TaskDefinition': object({
    Family: string('web', 'checkout-api'),
    Status: string('ACTIVE', 'INACTIVE'),
    NetworkMode: string('awsvpc', 'host', 'bridge'),
    PidMode: string('host', 'task'),
    RuntimePlatform: object({ OperatingSystemFamily: string('LINUX', 'WINDOWS_SERVER_2019_CORE') }),
    ContainerDefinitions: list(CONTAINER, { requiredNonEmpty: true, maxLength: 4 }),
    Volumes: list(object({ Name: string(...NAMES), EfsVolumeConfiguration: object({ FileSystemId: string('fs-1'), TransitEncryption: string('ENABLED', 'DISABLED') }) }), { maxLength: 3 }),
  }),
  'AWS::ECS::Service': object({
    ServiceName: string(...NAMES),
    LaunchType: string('FARGATE', 'EC2'),
    CapacityProviderStrategy: list(object({ CapacityProvider: string('FARGATE', 'FARGATE_SPOT', 'my-asg') }, ['CapacityProvider']), { maxLength: 2 }),
    PlatformVersion: string('LATEST', '1.3.0', '1.4.0'),
    NetworkConfiguration: object({ AwsvpcConfiguration: object({ AssignPublicIp: string('ENABLED', 'DISABLED') }) }),
    TaskDefinition: string('arn:aws:ecs:us-east-1:123456789012:task-definition/web:3'),
  }),
  'AWS::ECS::Cluster': object({
    ClusterName: string(...NAMES),
    ClusterSettings: list(object({ Name: string('containerInsights', 'other'), Value: string('enabled', 'enhanced', 'disabled') }), { maxLength: 2 }),
  }),
  'AWS::ECS::TaskSet': object({
    Id: string(...NAMES),
    NetworkConfiguration: object({ AwsVpcConfiguration: object({ AssignPublicIp: string('ENABLED', 'DISABLED') }) }),
  }),
  'AWS::ECS::CapacityProvider': object({
    Name: string(...NAMES),
    AutoScalingGroupProvider: object({ ManagedTerminationProtection: string('ENABLED', 'DISABLED') }),
  }),
};

// ---------------------------------------------------------------------------------------------
// Well-formed documents.

type Json = Record<string, unknown>;

/** A well-formed document for `spec`: every optional field may be left out. */
export function wellFormed(spec: FieldSpec): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case 'boolean':
      return fc.boolean();
    case 'string':
      return fc.constantFrom(...(spec.values ?? ['x']));
    case 'list':
      return fc.array(wellFormed(spec.item), { minLength: spec.requiredNonEmpty ? 1 : 0, maxLength: spec.maxLength ?? 3 });
    case 'object': {
      const fields = Object.fromEntries(Object.entries(spec.fields).map(([key, field]) => [key, wellFormed(field)]));
      return fc.record(fields, { requiredKeys: requiredKeys(spec) as never[] });
    }
  }
}

/** Tags as Config records them: a map of strings, `aws:` system tags included. */
export const TAGS = fc.dictionary(fc.constantFrom('team', 'owner', 'aws:cloudformation:stack-name', '🏷️'), fc.constantFrom('payments', '', 'ünïcødé'), { maxKeys: 3 });

// ---------------------------------------------------------------------------------------------
// Places, valid alternatives, corruptions.

export type Path = readonly (string | number)[];

/** A place a value can sit in a document: present, or an optional key of a present object. */
export interface Site {
  readonly path: Path;
  readonly spec: FieldSpec;
  /** A required key, or an item of a list: leaving it out is not valid. */
  readonly required: boolean;
}

/** Keys of an object spec that must be present: its `required` ones and its non-empty lists. */
function requiredKeys(spec: ObjectSpec): string[] {
  return Object.entries(spec.fields)
    .filter(([key, field]) => spec.required?.includes(key) || (field.kind === 'list' && field.requiredNonEmpty))
    .map(([key]) => key);
}

/** Every site of `document` under `spec`, absent optional keys of present objects included. */
export function sitesOf(document: unknown, spec: FieldSpec, path: Path = [], required = true): Site[] {
  const here: Site[] = path.length > 0 ? [{ path, spec, required }] : [];
  if (spec.kind === 'object' && isObject(document)) {
    const mustHave = requiredKeys(spec);
    return [...here, ...Object.entries(spec.fields).flatMap(([key, field]) => sitesOf(document[key], field, [...path, key], mustHave.includes(key)))];
  }
  if (spec.kind === 'list' && Array.isArray(document)) {
    return [...here, ...document.flatMap((item, index) => sitesOf(item, spec.item, [...path, index], true))];
  }
  return here;
}

/** Stands for "leave the key out". */
export const ABSENT = Symbol('absent');
export type Value = unknown | typeof ABSENT;

/**
 * Valid values for a site, spanning what the controls decide on: for a boolean true, false and
 * unset; for a string each representative value and unset; for an object or list, unset, empty, and
 * one variant per valid value of each of its fields. A required site is never unset or empty.
 */
export function alternatives({ spec, required }: Pick<Site, 'spec' | 'required'>): Value[] {
  return valuesOf(spec, 0).filter((value) => !required || (value !== ABSENT && !(Array.isArray(value) && value.length === 0)));
}

function valuesOf(spec: FieldSpec, depth: number): Value[] {
  switch (spec.kind) {
    case 'boolean':
      return [true, false, ABSENT];
    case 'string':
      return [...(spec.values ?? ['x']), ABSENT];
    case 'object': {
      const mustHave = requiredKeys(spec);
      const base = Object.fromEntries(mustHave.map((key) => [key, presentValues(spec.fields[key], depth)[0]]));
      const variants = depth > 2 ? [] : Object.entries(spec.fields).flatMap(([key, field]) => presentValues(field, depth).map((value) => ({ ...base, [key]: value })));
      return [ABSENT, base, ...variants];
    }
    case 'list':
      return [ABSENT, [], ...presentValues(spec.item, depth).map((item) => [item])];
  }
}

function presentValues(spec: FieldSpec, depth: number): unknown[] {
  return valuesOf(spec, depth + 1).filter((value) => value !== ABSENT && !(Array.isArray(value) && value.length === 0));
}

/** Deeply nested JSON, as a hostile or broken producer could send: objects in objects, or lists in lists. */
export function nested(depth: number, shape: 'object' | 'list'): unknown {
  let value: unknown = 'x';
  for (let level = 0; level < depth; level++) value = shape === 'object' ? { a: value } : [value];
  return value;
}

/** Values of the wrong JSON type for a site; for a required site also its missing forms. */
export function corruptions({ spec, required }: Pick<Site, 'spec' | 'required'>): fc.Arbitrary<Value> {
  // Where an object belongs, nested objects would be a valid (if odd) object: nest lists there.
  const deep = fc.integer({ min: 1, max: 10_000 }).map((depth) => nested(depth, spec.kind === 'object' ? 'list' : 'object'));
  const missing = required ? [fc.constantFrom<Value>(ABSENT, null, ...(spec.kind === 'list' ? [[]] : []))] : [];
  const common = [deep, fc.constantFrom(0, 1, -1, 1.5), ...missing];
  switch (spec.kind) {
    case 'boolean':
      return fc.oneof(...common, fc.constantFrom('true', 'false', 'yes', '', [], {}, [true], { value: true }));
    case 'string':
      return fc.oneof(...common, fc.constantFrom(true, false, [], {}, ['root'], { Ref: 'User' }));
    case 'object':
      return fc.oneof(...common, fc.constantFrom('x', true, [], [{}], 'awslogs'));
    case 'list':
      return fc.oneof(...common, fc.constantFrom('x', true, {}, { Name: 'x' }, ['x'], [0], [null], [[]], [true]));
  }
}

/** A copy of `document` with the value at `path` replaced (or removed, for ABSENT). */
export function withValue(document: Json, path: Path, value: Value): Json {
  const copy = structuredClone(document);
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path[path.length - 1];
  if (value === ABSENT) delete parent[last];
  else parent[last] = value;
  return copy;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `ContainerDefinitions[1].Privileged`: how the adapters name a path. */
export function pathText(path: Path): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}
