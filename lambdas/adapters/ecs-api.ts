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
  Naming,
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

/** The shapes `detectEcsApiDocument` recognizes (see `SHAPES`). */
export type EcsApiDocumentKind =
  | 'describe-task-definition'
  | 'register-task-definition-input'
  | 'task-definition'
  | 'describe-services'
  | 'service'
  | 'service-response'
  | 'create-service-input'
  | 'describe-clusters'
  | 'cluster'
  | 'cluster-response'
  | 'create-cluster-input'
  | 'describe-task-sets'
  | 'task-set'
  | 'task-set-response'
  | 'create-task-set-input'
  | 'describe-capacity-providers'
  | 'capacity-provider'
  | 'capacity-provider-response'
  | 'create-capacity-provider-input';

export interface EcsApiOptions {
  /** Where the object sits in its document (`services[0]`), for the paths in "could not evaluate". */
  readonly path?: string;
  /**
   * An input to a create call (`aws ecs create-service --cli-input-json`): what will be created, so
   * absent tags or settings are none, not "not fetched" as in describe output.
   */
  readonly input?: boolean;
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

const apiReader = new DocumentReader({
  booleanStrings: false,
  // A create or register input is sent by a client that reads members by their exact camelCase names
  // (the AWS CLI refuses an unknown "User", the SDK for JavaScript drops it), so with `User` and `user`
  // both written the one that deploys is not the one a case-insensitive reader may take. ECS itself
  // writes describe outputs, which never hold both.
  caseTwins: 'an AWS client sends only the exact camelCase key (the AWS CLI refuses the other, the SDK for JavaScript drops it)',
});

type ItemKind = 'task-definition' | 'service' | 'cluster' | 'task-set' | 'capacity-provider';

/**
 * Every ECS API document shape the scanner reads, tried in order (a create-cluster input's
 * `capacityProviders` is a list of names, so the describe responses' lists come last): how to recognize it, what it
 * holds, and where (the document itself, one object of a create/update response, or each item of a
 * describe response's list). Adding a shape is adding a row. Shapes from the ECS API reference:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (and
 * CreateCluster, CreateTaskSet, CreateCapacityProvider, their responses, and the Describe* calls).
 */
interface DocumentShape {
  readonly kind: EcsApiDocumentKind;
  readonly item: ItemKind;
  readonly matches: (json: JsonObject) => boolean;
  readonly at?: { readonly list: string } | { readonly object: string };
  readonly input?: boolean;
}

const hasString = (json: JsonObject, key: string) => typeof json[key] === 'string';
const holds = (key: string, arnKey: string) => (json: JsonObject) => isJsonObject(json[key]) && hasString(json[key] as JsonObject, arnKey);

/**
 * UpdateService's own request fields (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html).
 * An update-service input also names a `service`, a `cluster` and a `taskDefinition`, but it changes
 * only the fields it names: it is no task set, and no whole service either.
 */
const UPDATE_SERVICE_ONLY = ['desiredCount', 'forceNewDeployment', 'deploymentConfiguration', 'deploymentController', 'placementConstraints', 'placementStrategy', 'healthCheckGracePeriodSeconds', 'enableExecuteCommand', 'enableECSManagedTags', 'propagateTags', 'serviceConnectConfiguration', 'volumeConfigurations', 'availabilityZoneRebalancing', 'vpcLatticeConfigurations'];

/** CreateTaskSet requires `service`, `cluster` and `taskDefinition` (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateTaskSet.html). */
function isCreateTaskSetInput(json: JsonObject): boolean {
  return hasString(json, 'service') && hasString(json, 'cluster') && hasString(json, 'taskDefinition') && !UPDATE_SERVICE_ONLY.some((key) => key in json);
}

const SHAPES: readonly DocumentShape[] = [
  { kind: 'describe-task-definition', item: 'task-definition', matches: (json) => isJsonObject(json.taskDefinition) },
  { kind: 'task-definition', item: 'task-definition', matches: (json) => Array.isArray(json.containerDefinitions) && isRegistered(json) },
  { kind: 'register-task-definition-input', item: 'task-definition', matches: (json) => Array.isArray(json.containerDefinitions) },
  { kind: 'service', item: 'service', matches: (json) => hasString(json, 'serviceArn') && hasString(json, 'serviceName') },
  { kind: 'task-set', item: 'task-set', matches: (json) => hasString(json, 'taskSetArn') },
  { kind: 'capacity-provider', item: 'capacity-provider', matches: (json) => hasString(json, 'capacityProviderArn') },
  { kind: 'cluster', item: 'cluster', matches: (json) => hasString(json, 'clusterArn') && hasString(json, 'clusterName') },
  { kind: 'service-response', item: 'service', matches: holds('service', 'serviceArn'), at: { object: 'service' } },
  { kind: 'cluster-response', item: 'cluster', matches: holds('cluster', 'clusterArn'), at: { object: 'cluster' } },
  { kind: 'task-set-response', item: 'task-set', matches: holds('taskSet', 'taskSetArn'), at: { object: 'taskSet' } },
  { kind: 'capacity-provider-response', item: 'capacity-provider', matches: holds('capacityProvider', 'capacityProviderArn'), at: { object: 'capacityProvider' } },
  // CreateService needs a task definition unless the deployment controller is EXTERNAL (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html).
  { kind: 'create-service-input', item: 'service', input: true, matches: (json) => hasString(json, 'serviceName') && (hasString(json, 'taskDefinition') || isJsonObject(json.deploymentController)) },
  { kind: 'create-cluster-input', item: 'cluster', input: true, matches: (json) => hasString(json, 'clusterName') },
  { kind: 'create-task-set-input', item: 'task-set', input: true, matches: isCreateTaskSetInput },
  { kind: 'create-capacity-provider-input', item: 'capacity-provider', input: true, matches: (json) => hasString(json, 'name') && isJsonObject(json.autoScalingGroupProvider) },
  { kind: 'describe-services', item: 'service', matches: (json) => Array.isArray(json.services), at: { list: 'services' } },
  { kind: 'describe-clusters', item: 'cluster', matches: (json) => Array.isArray(json.clusters), at: { list: 'clusters' } },
  { kind: 'describe-task-sets', item: 'task-set', matches: (json) => Array.isArray(json.taskSets), at: { list: 'taskSets' } },
  { kind: 'describe-capacity-providers', item: 'capacity-provider', matches: (json) => Array.isArray(json.capacityProviders), at: { list: 'capacityProviders' } },
];

function shapeOf(json: unknown): DocumentShape | undefined {
  return isJsonObject(json) ? SHAPES.find((shape) => shape.matches(json)) : undefined;
}

/** Which ECS API shape `json` is, or undefined when it is none of them. */
export function detectEcsApiDocument(json: unknown): EcsApiDocumentKind | undefined {
  return shapeOf(json)?.kind;
}

/** Whether a document of this kind holds a task definition (which services of the same scan may refer to). */
export function holdsTaskDefinition(kind: EcsApiDocumentKind): boolean {
  return SHAPES.some((shape) => shape.kind === kind && shape.item === 'task-definition');
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

/** Tags of an item: a create input's as written (absent: none), a described item's as fetched. */
function itemTags(document: JsonObject, root: string, options: EcsApiOptions, call: string): Tags | Unreadable {
  return options.input ? tagsFromList(apiReader, document, 'tags', root) : fetchedTags(document, root, call);
}

function naming(root: string, options: EcsApiOptions): Naming {
  return { fallbackName: options.fallbackName ?? (root || 'unnamed') };
}

function envelope(root: string, options: EcsApiOptions, tags: Tags | Unreadable): Envelope {
  return { ...naming(root, options), tags };
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
    ...envelope(root, options, itemTags(json, root, options, 'describe-services')),
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
    ...envelope(root, options, itemTags(json, root, options, 'describe-clusters')),
    settingsKey: 'settings',
    ...(!options.input && { absentSettings: new Unreadable(apiReader.locate(json, 'settings', root).path, 'absent: describe-clusters returns settings only with --include SETTINGS') }),
  });
}

/** A task set object of `describe-task-sets` (or of a service's `taskSets`). */
export function taskSetFromEcsApi(taskSet: unknown, options: EcsApiOptions = {}): TaskSet {
  const root = options.path ?? '';
  const json = objectAt(taskSet, root);
  return normalizeTaskSet(apiReader, json, root, naming(root, options));
}

/** A capacity provider object of `describe-capacity-providers`. */
export function capacityProviderFromEcsApi(capacityProvider: unknown, options: EcsApiOptions = {}): CapacityProvider {
  const root = options.path ?? '';
  const json = objectAt(capacityProvider, root);
  return normalizeCapacityProvider(apiReader, json, root, naming(root, options));
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

/**
 * Every resource in an ECS API document of any shape `detectEcsApiDocument` knows, including the
 * task sets a described service lists. Throws `MalformedEcsDocumentError` for any other document.
 */
export function resourcesFromEcsApiDocument(document: unknown, options: EcsApiDocumentOptions = {}): EcsApiResource[] {
  const shape = shapeOf(document);
  if (shape === undefined) {
    throw new MalformedEcsDocumentError(
      'Not an ECS API document: expected describe-task-definition output, a task definition, a create-service/-cluster/-task-set/-capacity-provider input or response, or a describe-services/-clusters/-task-sets/-capacity-providers response or item',
    );
  }
  const json = document as JsonObject;
  const { at, item, input = false } = shape;
  if (at !== undefined && 'list' in at) return (json[at.list] as unknown[]).flatMap((entry, index) => itemResources(item, entry, `${at.list}[${index}]`, options, input));
  return at === undefined ? itemResources(item, json, '', options, input) : itemResources(item, json[at.object], at.object, options, input);
}

function itemResources(kind: ItemKind, item: unknown, path: string, options: EcsApiDocumentOptions, input: boolean): EcsApiResource[] {
  const itemOptions = { path, fallbackName: options.fallbackName, input };
  switch (kind) {
    case 'task-definition':
      return [{ path, resourceType: 'AWS::ECS::TaskDefinition', resource: taskDefinitionFromEcsApi(item, { fallbackName: options.fallbackName }) }];
    case 'service':
      return serviceWithTaskSets(objectAt(item, path), path, options, input);
    case 'cluster':
      return [{ path, resourceType: 'AWS::ECS::Cluster', resource: clusterFromEcsApi(item, itemOptions) }];
    case 'task-set':
      return [{ path, resourceType: 'AWS::ECS::TaskSet', resource: taskSetFromEcsApi(item, itemOptions) }];
    case 'capacity-provider':
      return [{ path, resourceType: 'AWS::ECS::CapacityProvider', resource: capacityProviderFromEcsApi(item, itemOptions) }];
  }
}

function serviceWithTaskSets(service: JsonObject, path: string, options: EcsApiDocumentOptions, input: boolean): EcsApiResource[] {
  const lookup = options.taskDefinitionOperatingSystemFamily;
  const taskDefinition = typeof service.taskDefinition === 'string' ? service.taskDefinition : undefined;
  const resource = serviceFromEcsApi(service, { path, fallbackName: options.fallbackName, input, ...(lookup && { taskDefinitionOperatingSystemFamily: lookup(taskDefinition) }) });
  const taskSetsPath = path ? `${path}.taskSets` : 'taskSets';
  const taskSets = Array.isArray(service.taskSets) ? service.taskSets : [];
  return [
    { path, resourceType: 'AWS::ECS::Service', resource },
    // Stryker disable next-line BooleanLiteral: equivalent mutant; `input` only decides what absent tags mean, and a task set's model has no tags
    ...taskSets.flatMap((taskSet, index) => itemResources('task-set', taskSet, `${taskSetsPath}[${index}]`, options, false)),
  ];
}
