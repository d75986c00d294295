/**
 * The ECS API adapter: Amazon ECS API objects (camelCase, as the AWS CLI prints them and the SDK
 * returns them) into the model. Reads `describe-task-definition` output, a
 * `register-task-definition --cli-input-json` document, a bare task definition, and the service,
 * cluster, task set and capacity provider objects of the matching `describe-*` calls.
 *
 * Describe calls leave some fields out unless asked (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeClusters.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html): `tags`
 * only with `include TAGS`, cluster `settings` only with `include SETTINGS`. Absent there means "not
 * fetched", not "none", so the controls that need them cannot decide rather than guess. A
 * register-task-definition input is different: it is what will be registered, so no `tags` is none.
 */
import { CapacityProvider, Cluster, OperatingSystemFamily, Resource, ResourceType, Service, Tags, TaskDefinition, TaskSet, Unreadable } from '../core/model';
import {
  Envelope,
  normalizeCapacityProvider,
  normalizeCluster,
  normalizeService,
  normalizeTaskDefinition,
  normalizeTaskSet,
  tagsFromList,
} from './ecs-document';
import { DocumentReader, isJsonObject, JsonObject } from './reader';

export class MalformedEcsDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEcsDocumentError';
  }
}

/** The shapes `detectEcsApiDocument` recognizes. */
export type EcsApiDocumentKind =
  | 'describe-task-definition'
  | 'register-task-definition-input'
  | 'task-definition'
  | 'describe-services'
  | 'service'
  | 'describe-clusters'
  | 'cluster'
  | 'describe-task-sets'
  | 'task-set'
  | 'describe-capacity-providers'
  | 'capacity-provider';

export interface EcsApiOptions {
  /** Where the object sits in its document (`services[0]`), for the paths in "could not evaluate". */
  readonly path?: string;
  /** What to call the resource if the object has no name (the file name, say). */
  readonly fallbackName?: string;
}

export interface TaskDefinitionOptions extends EcsApiOptions {
  /** Tags fetched separately (ListTagsForResource); they take the place of the document's. */
  readonly taskDefinitionTags?: Tags;
}

export interface ServiceOptions extends EcsApiOptions {
  /**
   * OS family of the service's task definition (ECS.10 needs it): `runtimePlatform.operatingSystemFamily`
   * from DescribeTaskDefinition, undefined for Linux. Left out, it is unreadable.
   */
  readonly taskDefinitionOperatingSystemFamily?: OperatingSystemFamily | Unreadable;
}

const apiReader = new DocumentReader({ booleanStrings: false });

/** Which ECS API shape `json` is, or undefined when it is none of them. */
export function detectEcsApiDocument(json: unknown): EcsApiDocumentKind | undefined {
  if (!isJsonObject(json)) return undefined;
  if (isJsonObject(json.taskDefinition)) return 'describe-task-definition';
  if (Array.isArray(json.containerDefinitions)) return isRegistered(json) ? 'task-definition' : 'register-task-definition-input';
  if (typeof json.serviceArn === 'string' && typeof json.serviceName === 'string') return 'service';
  if (typeof json.taskSetArn === 'string') return 'task-set';
  if (typeof json.capacityProviderArn === 'string') return 'capacity-provider';
  if (typeof json.clusterArn === 'string' && typeof json.clusterName === 'string') return 'cluster';
  if (Array.isArray(json.services)) return 'describe-services';
  if (Array.isArray(json.clusters)) return 'describe-clusters';
  if (Array.isArray(json.taskSets)) return 'describe-task-sets';
  if (Array.isArray(json.capacityProviders)) return 'describe-capacity-providers';
  return undefined;
}

/** A registered task definition carries what ECS adds on registration; an input to register does not. */
function isRegistered(taskDefinition: JsonObject): boolean {
  return ['taskDefinitionArn', 'revision', 'status', 'registeredAt'].some((key) => key in taskDefinition);
}

function objectAt(value: unknown, path: string): JsonObject {
  if (!isJsonObject(value)) {
    throw new MalformedEcsDocumentError(`${path || 'The document'} must be an object, got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** `tags` of a describe call: `[{key, value}]`, unreadable when the call was made without `include TAGS`. */
function fetchedTags(document: JsonObject, root: string, call: string): Tags | Unreadable {
  const { value, path } = apiReader.locate(document, 'tags', root);
  if (value === undefined) return new Unreadable(path, `absent: ${call} returns tags only with --include TAGS`);
  return tagsFromList(apiReader, document, 'tags', root);
}

function envelope(root: string, options: EcsApiOptions, tags: Tags | Unreadable): Envelope {
  return { fallbackName: options.fallbackName ?? (root || 'unnamed'), tags };
}

/**
 * A task definition from `describe-task-definition` output (`{taskDefinition, tags}`), a bare
 * registered task definition, or a register-task-definition input (no status: it will be ACTIVE).
 */
export function taskDefinitionFromEcsApi(document: unknown, options: TaskDefinitionOptions = {}): TaskDefinition {
  const path = options.path ?? '';
  const json = objectAt(document, path);
  const described = isJsonObject(json.taskDefinition);
  const root = described ? (path ? `${path}.taskDefinition` : 'taskDefinition') : path;
  const taskDefinition = described ? (json.taskDefinition as JsonObject) : json;
  const tags =
    options.taskDefinitionTags ??
    (described || isRegistered(json) ? fetchedTags(json, path, 'describe-task-definition') : tagsFromList(apiReader, json, 'tags', path));
  return normalizeTaskDefinition(apiReader, taskDefinition, root, envelope(root, options, tags));
}

/** A service object of `describe-services`; the caller supplies its task definition's OS family. */
export function serviceFromEcsApi(service: unknown, options: ServiceOptions = {}): Service {
  const root = options.path ?? '';
  const json = objectAt(service, root);
  return normalizeService(apiReader, json, root, {
    ...envelope(root, options, fetchedTags(json, root, 'describe-services')),
    taskDefinitionOperatingSystemFamily:
      'taskDefinitionOperatingSystemFamily' in options
        ? options.taskDefinitionOperatingSystemFamily
        : new Unreadable(apiReader.locate(json, 'taskDefinition', root).path, "the task definition's OS family was not looked up"),
  });
}

/** A cluster object of `describe-clusters` (settings under `settings`, fetched with `--include SETTINGS`). */
export function clusterFromEcsApi(cluster: unknown, options: EcsApiOptions = {}): Cluster {
  const root = options.path ?? '';
  const json = objectAt(cluster, root);
  return normalizeCluster(apiReader, json, root, {
    ...envelope(root, options, fetchedTags(json, root, 'describe-clusters')),
    settingsKey: 'settings',
    absentSettings: new Unreadable(apiReader.locate(json, 'settings', root).path, 'absent: describe-clusters returns settings only with --include SETTINGS'),
  });
}

/** A task set object of `describe-task-sets` (or of a service's `taskSets`). */
export function taskSetFromEcsApi(taskSet: unknown, options: EcsApiOptions = {}): TaskSet {
  const root = options.path ?? '';
  const json = objectAt(taskSet, root);
  return normalizeTaskSet(apiReader, json, root, envelope(root, options, fetchedTags(json, root, 'describe-task-sets')));
}

/** A capacity provider object of `describe-capacity-providers`. */
export function capacityProviderFromEcsApi(capacityProvider: unknown, options: EcsApiOptions = {}): CapacityProvider {
  const root = options.path ?? '';
  const json = objectAt(capacityProvider, root);
  return normalizeCapacityProvider(apiReader, json, root, envelope(root, options, fetchedTags(json, root, 'describe-capacity-providers')));
}

export interface EcsApiResource {
  /** Where the resource sits in the document (`services[1]`; empty for the whole document). */
  readonly path: string;
  readonly resourceType: ResourceType;
  readonly resource: Resource;
}

export interface EcsApiDocumentOptions {
  readonly fallbackName?: string;
  /**
   * Looks up the OS family of a service's task definition (its ARN or family[:revision]). Without
   * it, ECS.10 cannot decide for a Fargate service pinned to a platform version.
   */
  readonly taskDefinitionOperatingSystemFamily?: (taskDefinition: string | undefined) => OperatingSystemFamily | Unreadable;
}

type ItemKind = 'service' | 'cluster' | 'task-set' | 'capacity-provider';

/** The list a describe response carries its items in. */
const RESPONSE_LISTS: Partial<Record<EcsApiDocumentKind, { readonly itemKind: ItemKind; readonly listKey: string }>> = {
  'describe-services': { itemKind: 'service', listKey: 'services' },
  'describe-clusters': { itemKind: 'cluster', listKey: 'clusters' },
  'describe-task-sets': { itemKind: 'task-set', listKey: 'taskSets' },
  'describe-capacity-providers': { itemKind: 'capacity-provider', listKey: 'capacityProviders' },
};

/**
 * Every resource in an ECS API document of any shape `detectEcsApiDocument` knows, including the
 * task sets a described service lists. Throws `MalformedEcsDocumentError` for any other document.
 */
export function resourcesFromEcsApiDocument(document: unknown, options: EcsApiDocumentOptions = {}): EcsApiResource[] {
  const kind = detectEcsApiDocument(document);
  if (kind === undefined) {
    throw new MalformedEcsDocumentError(
      'Not an ECS API document: expected describe-task-definition output, a task definition, or a describe-services/-clusters/-task-sets/-capacity-providers response or item',
    );
  }
  const json = document as JsonObject;
  if (kind === 'describe-task-definition' || kind === 'task-definition' || kind === 'register-task-definition-input') {
    return [{ path: '', resourceType: 'AWS::ECS::TaskDefinition', resource: taskDefinitionFromEcsApi(json, { fallbackName: options.fallbackName }) }];
  }
  const response = RESPONSE_LISTS[kind];
  if (response === undefined) return itemResources(kind as ItemKind, json, '', options);
  return (json[response.listKey] as unknown[]).flatMap((item, index) => itemResources(response.itemKind, item, `${response.listKey}[${index}]`, options));
}

function itemResources(kind: ItemKind, item: unknown, path: string, options: EcsApiDocumentOptions): EcsApiResource[] {
  const fallbackName = options.fallbackName;
  switch (kind) {
    case 'service':
      return serviceWithTaskSets(objectAt(item, path), path, options);
    case 'cluster':
      return [{ path, resourceType: 'AWS::ECS::Cluster', resource: clusterFromEcsApi(item, { path, fallbackName }) }];
    case 'task-set':
      return [{ path, resourceType: 'AWS::ECS::TaskSet', resource: taskSetFromEcsApi(item, { path, fallbackName }) }];
    case 'capacity-provider':
      return [{ path, resourceType: 'AWS::ECS::CapacityProvider', resource: capacityProviderFromEcsApi(item, { path, fallbackName }) }];
  }
}

function serviceWithTaskSets(service: JsonObject, path: string, options: EcsApiDocumentOptions): EcsApiResource[] {
  const lookup = options.taskDefinitionOperatingSystemFamily;
  const taskDefinition = typeof service.taskDefinition === 'string' ? service.taskDefinition : undefined;
  const resource = serviceFromEcsApi(service, { path, fallbackName: options.fallbackName, ...(lookup && { taskDefinitionOperatingSystemFamily: lookup(taskDefinition) }) });
  const taskSetsPath = path ? `${path}.taskSets` : 'taskSets';
  const taskSets = Array.isArray(service.taskSets) ? service.taskSets : [];
  return [
    { path, resourceType: 'AWS::ECS::Service', resource },
    ...taskSets.flatMap((taskSet, index) => itemResources('task-set', taskSet, `${taskSetsPath}[${index}]`, options)),
  ];
}
