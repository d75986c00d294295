/**
 * Normalizes an ECS resource document into the model. AWS Config's `configuration`, the ECS API's
 * response objects and CloudFormation's `Properties` use the same ECS field names in different
 * casings, so the three adapters share this code and differ only in the envelope: where the
 * document sits, how tags and status are carried, what counts as unresolved.
 */
import {
  CapacityProvider,
  Cluster,
  ContainerDefinition,
  EnvironmentVariable,
  OperatingSystemFamily,
  sealModel,
  Service,
  Tags,
  TaskDefinition,
  TaskSet,
  Unreadable,
  Volume,
} from '../core/model';
import { DocumentReader, firstUnreadable, JsonObject, Located } from './reader';

export interface Envelope {
  /** What to call the resource when the document has no name (a template's logical id, say). */
  readonly fallbackName: string;
  /** What to call the resource whatever its document says (a Terraform resource address). */
  readonly displayName?: string;
  readonly tags: Tags | Unreadable;
}

/** What names a resource whose model has no tags (task sets, capacity providers). */
export type Naming = Omit<Envelope, 'tags'>;

export interface ServiceEnvelope extends Envelope {
  /** OS family of the service's task definition, resolved by the edge. */
  readonly taskDefinitionOperatingSystemFamily: OperatingSystemFamily | Unreadable;
}

/** Tags as a list of `{Key, Value}` (CloudFormation, ECS API, Config's `configuration.Tags`). */
export function tagsFromList(reader: DocumentReader, document: JsonObject, key: string, root: string): Tags | Unreadable {
  const entries = reader.objectList(document, key, root);
  if (entries instanceof Unreadable) return entries;
  const tags: Record<string, string> = {};
  for (const entry of entries) {
    const tagKey = reader.string(entry.value, 'Key', entry.path);
    if (tagKey instanceof Unreadable) return tagKey;
    if (tagKey === undefined) return new Unreadable(`${entry.path}.Key`, 'a tag without a key');
    tags[tagKey] = tagValueText(reader.literalText(entry.value, 'Value', entry.path));
  }
  return tags;
}

/**
 * A tag's value as text. The tagging controls decide on keys alone, so a value that cannot be read
 * (a template's `!GetAtt`, say) stays a placeholder naming why instead of making the keys unreadable.
 */
function tagValueText(value: string | undefined | Unreadable): string {
  if (value instanceof Unreadable) return `(unreadable: ${value.reason})`;
  return value ?? '';
}

/** The revision is the number after the last `:` of a task definition ARN. */
export function revisionFromArn(arn: string | undefined): number | undefined {
  const match = arn ? /:(\d+)$/.exec(arn) : null;
  return match ? Number(match[1]) : undefined;
}

/** The family is what follows `task-definition/` in an ARN, before the revision. */
export function familyFromArn(arn: string | undefined): string | undefined {
  const match = arn ? /task-definition\/([^:]+)/.exec(arn) : null;
  return match ? match[1] : undefined;
}

function plain<T>(value: T | Unreadable, fallback: T): T {
  return value instanceof Unreadable ? fallback : value;
}

export function normalizeTaskDefinition(reader: DocumentReader, document: JsonObject, root: string, envelope: Envelope): TaskDefinition {
  const arn = plain(reader.string(document, 'TaskDefinitionArn', root), undefined);
  const family = plain(reader.string(document, 'Family', root), undefined) ?? familyFromArn(arn) ?? envelope.fallbackName;
  const revisionField = reader.locate(document, 'Revision', root).value;
  const revision = typeof revisionField === 'number' ? revisionField : revisionFromArn(arn);
  return sealModel<TaskDefinition>({
    kind: 'AWS::ECS::TaskDefinition',
    displayName: envelope.displayName ?? (revision === undefined ? family : `${family}:${revision}`),
    family,
    revision,
    status: reader.string(document, 'Status', root),
    operatingSystemFamily: operatingSystemFamilyOf(reader, document, root),
    networkMode: reader.string(document, 'NetworkMode', root),
    pidMode: reader.string(document, 'PidMode', root),
    containers: mapList(containerDefinitions(reader, document, root), (item, index) => normalizeContainer(reader, item, index)),
    volumes: mapList(reader.objectList(document, 'Volumes', root), (item, index) => normalizeVolume(reader, item, index)),
    tags: envelope.tags,
  });
}

/**
 * ECS registers no task definition without a container
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html), so a
 * document with none (absent, null or empty) is incomplete: a container check over it would pass
 * vacuously, so it is unreadable instead.
 */
function containerDefinitions(reader: DocumentReader, document: JsonObject, root: string): Located<JsonObject>[] | Unreadable {
  const containers = reader.objectList(document, 'ContainerDefinitions', root);
  if (containers instanceof Unreadable || containers.length > 0) return containers;
  return new Unreadable(reader.locate(document, 'ContainerDefinitions', root).path, 'no container definitions, though every task definition has at least one');
}

/** `RuntimePlatform.OperatingSystemFamily` of a task definition document; undefined when unset. */
export function operatingSystemFamilyOf(reader: DocumentReader, document: JsonObject, root: string): OperatingSystemFamily | Unreadable {
  return withObject(reader.object(document, 'RuntimePlatform', root), (platform, path) => reader.string(platform, 'OperatingSystemFamily', path));
}

function mapList<T>(items: Located<JsonObject>[] | Unreadable, normalize: (item: Located<JsonObject>, index: number) => T | Unreadable): T[] | Unreadable {
  if (items instanceof Unreadable) return items;
  const normalized: T[] = [];
  for (let index = 0; index < items.length; index++) {
    const value = normalize(items[index], index);
    if (value instanceof Unreadable) return value;
    normalized.push(value);
  }
  return normalized;
}

function normalizeContainer(reader: DocumentReader, { value, path }: Located<JsonObject>, index: number): ContainerDefinition {
  return sealModel<ContainerDefinition>({
    name: plain(reader.string(value, 'Name', path), undefined) ?? `container[${index}]`,
    user: reader.string(value, 'User', path),
    privileged: orDefault(reader.boolean(value, 'Privileged', path), false),
    readonlyRootFilesystem: reader.boolean(value, 'ReadonlyRootFilesystem', path),
    logConfiguration: withObject(reader.object(value, 'LogConfiguration', path), (logConfiguration, logPath) =>
      optionalField(reader.string(logConfiguration, 'LogDriver', logPath), (logDriver) => ({ logDriver })),
    ),
    environment: mapList(reader.objectList(value, 'Environment', path), (item) => normalizeVariable(reader, item)),
  });
}

/**
 * An unreadable value is sealed per variable: only a check that reads values can fail to decide, not
 * ECS.8's name check. A template value built by intrinsics (`!Ref Table`) is read as its literal text.
 */
function normalizeVariable(reader: DocumentReader, { value, path }: Located<JsonObject>): EnvironmentVariable | Unreadable {
  const name = reader.string(value, 'Name', path);
  if (name instanceof Unreadable) return name;
  return sealModel<EnvironmentVariable>({ name: name ?? '', value: reader.literalText(value, 'Value', path) });
}

function normalizeVolume(reader: DocumentReader, { value, path }: Located<JsonObject>, index: number): Volume | Unreadable {
  const efs = withObject(reader.object(value, 'EfsVolumeConfiguration', path), (efsConfiguration, efsPath) =>
    optionalField(reader.string(efsConfiguration, 'TransitEncryption', efsPath), (transitEncryption) => ({ transitEncryption })),
  );
  if (efs instanceof Unreadable) return efs;
  return { name: plain(reader.string(value, 'Name', path), undefined) ?? `volume[${index}]`, efs };
}

/** Reads inside an optional nested object: undefined when it is absent, its own `Unreadable` when malformed. */
function withObject<R>(located: Located<JsonObject | undefined> | Unreadable, read: (object: JsonObject, path: string) => R | Unreadable): R | undefined | Unreadable {
  if (located instanceof Unreadable) return located;
  return located.value === undefined ? undefined : read(located.value, located.path);
}

function orDefault<T>(value: T | undefined | Unreadable, fallback: T): T | Unreadable {
  return value === undefined ? fallback : value;
}

function optionalField<T, R>(value: T | Unreadable, build: (value: T) => R): R | Unreadable {
  return value instanceof Unreadable ? value : build(value);
}

/** `AssignPublicIp` inside `NetworkConfiguration.<awsvpcKey>`; undefined when there is no awsvpc block. */
function awsvpcBlock(reader: DocumentReader, document: JsonObject, root: string): { assignPublicIp: string | undefined } | undefined | Unreadable {
  return withObject(reader.object(document, 'NetworkConfiguration', root), (network, networkPath) =>
    withObject(reader.object(network, 'AwsvpcConfiguration', networkPath), (awsvpc, awsvpcPath) =>
      optionalField(reader.string(awsvpc, 'AssignPublicIp', awsvpcPath), (assignPublicIp) => ({ assignPublicIp })),
    ),
  ) as { assignPublicIp: string | undefined } | undefined | Unreadable;
}

export function normalizeService(reader: DocumentReader, document: JsonObject, root: string, envelope: ServiceEnvelope): Service {
  const strategy = mapList(reader.objectList(document, 'CapacityProviderStrategy', root), (item) => {
    const provider = reader.string(item.value, 'CapacityProvider', item.path);
    return provider ?? new Unreadable(`${item.path}.CapacityProvider`, 'a strategy item without a capacity provider');
  });
  return sealModel<Service>({
    kind: 'AWS::ECS::Service',
    displayName: envelope.displayName ?? plain(reader.string(document, 'ServiceName', root), undefined) ?? envelope.fallbackName,
    launchType: reader.string(document, 'LaunchType', root),
    capacityProviders: strategy,
    platformVersion: reader.string(document, 'PlatformVersion', root),
    awsvpc: awsvpcBlock(reader, document, root),
    taskDefinition: reader.string(document, 'TaskDefinition', root),
    taskDefinitionOperatingSystemFamily: envelope.taskDefinitionOperatingSystemFamily,
    tags: envelope.tags,
  });
}

export interface ClusterEnvelope extends Envelope {
  /** `ClusterSettings` in Config and CloudFormation (the default), `settings` in the ECS API. */
  readonly settingsKey?: string;
  /** What an absent settings list means when it is not "no settings" (DescribeClusters leaves them out unless asked). */
  readonly absentSettings?: Unreadable;
}

export function normalizeCluster(reader: DocumentReader, document: JsonObject, root: string, envelope: ClusterEnvelope): Cluster {
  const settingsKey = envelope.settingsKey ?? 'ClusterSettings';
  const absent = envelope.absentSettings && reader.locate(document, settingsKey, root).value === undefined;
  const settings = absent ? envelope.absentSettings : mapList(reader.objectList(document, settingsKey, root), (item) => {
    const name = reader.string(item.value, 'Name', item.path);
    const value = reader.string(item.value, 'Value', item.path);
    return firstUnreadable(name, value) ?? { name: (name as string | undefined) ?? '', value: value as string | undefined };
  });
  return sealModel<Cluster>({
    kind: 'AWS::ECS::Cluster',
    displayName: envelope.displayName ?? plain(reader.string(document, 'ClusterName', root), undefined) ?? envelope.fallbackName,
    settings,
    tags: envelope.tags,
  });
}

export function normalizeTaskSet(reader: DocumentReader, document: JsonObject, root: string, envelope: Naming): TaskSet {
  return sealModel<TaskSet>({
    kind: 'AWS::ECS::TaskSet',
    displayName: envelope.displayName ?? plain(reader.string(document, 'Id', root), undefined) ?? envelope.fallbackName,
    awsVpc: awsvpcBlock(reader, document, root),
  });
}

export function normalizeCapacityProvider(reader: DocumentReader, document: JsonObject, root: string, envelope: Naming): CapacityProvider {
  return sealModel<CapacityProvider>({
    kind: 'AWS::ECS::CapacityProvider',
    displayName: envelope.displayName ?? plain(reader.string(document, 'Name', root), undefined) ?? envelope.fallbackName,
    autoScalingGroupProvider: withObject(reader.object(document, 'AutoScalingGroupProvider', root), (provider, path) =>
      optionalField(reader.string(provider, 'ManagedTerminationProtection', path), (managedTerminationProtection) => ({ managedTerminationProtection })),
    ),
  });
}
