/**
 * The AWS Config adapter: configuration items, as a custom rule's event carries them and as
 * GetResourceConfigHistory returns them, into the model.
 *
 * Shapes (https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html,
 * https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationItem.html): in the event the
 * item's `configuration` is an object; from the history API it is a JSON string, and top-level names
 * differ (`accountId`/`awsAccountId`, `arn`/`ARN`). Keys inside `configuration` are read
 * case-insensitively, with a camelCase fallback, since Config's schema is not CloudFormation's everywhere.
 */
import { OperatingSystemFamily, Resource, ResourceType, RESOURCE_TYPES, Tags, Unreadable } from '../core/model';
import {
  normalizeCapacityProvider,
  normalizeCluster,
  normalizeService,
  normalizeTaskDefinition,
  normalizeTaskSet,
} from './ecs-document';
import { DocumentReader, isJsonObject, JsonObject, optionalString, requiredString } from './reader';

export class MalformedConfigurationItemError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MalformedConfigurationItemError';
  }
}

/** The item's envelope, in one shape whichever API delivered it. */
export interface ConfigurationItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName: string | undefined;
  readonly status: string;
  /** `configurationItemCaptureTime`: the evaluation's `OrderingTimestamp`. */
  readonly captureTime: Date;
  readonly accountId: string | undefined;
  /** `awsRegion`, the same name in both shapes. */
  readonly region: string | undefined;
  readonly arn: string | undefined;
  /** Undefined for deleted or not-recorded resources, whose configuration Config leaves out. */
  readonly configuration: JsonObject | undefined;
  readonly tags: Tags | Unreadable;
}

/** Statuses for which Config has no current configuration: the result is NOT_APPLICABLE. */
const GONE_STATUSES = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded']);

export function isGone(item: Pick<ConfigurationItem, 'status'>): boolean {
  return GONE_STATUSES.has(item.status);
}

const configReader = new DocumentReader({ booleanStrings: false });

const malformed = (message: string) => new MalformedConfigurationItemError(message);

/** An item from a `ConfigurationItemChangeNotification` (`invokingEvent.configurationItem`). */
export function configurationItemFromEvent(raw: unknown): ConfigurationItem {
  return envelopeOf(raw, 'configurationItem', { accountId: 'awsAccountId', arn: 'ARN' });
}

/**
 * An item from GetResourceConfigHistory. The SDK turns `configurationItemCaptureTime` into a Date;
 * the raw wire JSON has epoch seconds: both are accepted.
 */
export function configurationItemFromHistory(raw: unknown): ConfigurationItem {
  return envelopeOf(raw, 'configurationItems[0]', { accountId: 'accountId', arn: 'arn' });
}

function envelopeOf(raw: unknown, where: string, names: { accountId: string; arn: string }): ConfigurationItem {
  if (!isJsonObject(raw)) throw new MalformedConfigurationItemError(`${where} is not an object`);
  const status = requiredString(raw, 'configurationItemStatus', where, malformed);
  return {
    resourceType: requiredString(raw, 'resourceType', where, malformed),
    resourceId: requiredString(raw, 'resourceId', where, malformed),
    resourceName: optionalString(raw, 'resourceName', where, malformed),
    status,
    captureTime: captureTimeOf(raw.configurationItemCaptureTime, where),
    accountId: optionalString(raw, names.accountId, where, malformed),
    region: optionalString(raw, 'awsRegion', where, malformed),
    arn: optionalString(raw, names.arn, where, malformed),
    configuration: GONE_STATUSES.has(status) ? undefined : configurationOf(raw.configuration, where),
    tags: tagsOf(raw.tags, where),
  };
}

function captureTimeOf(value: unknown, where: string): Date {
  const time = value instanceof Date ? value : typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  if (!time || Number.isNaN(time.getTime())) {
    throw new MalformedConfigurationItemError(`${where}.configurationItemCaptureTime is not a time: ${JSON.stringify(value) ?? 'nothing'}`);
  }
  return time;
}

function configurationOf(value: unknown, where: string): JsonObject {
  let configuration = value;
  if (typeof value === 'string') {
    try {
      configuration = JSON.parse(value);
    } catch (error) {
      throw new MalformedConfigurationItemError(`${where}.configuration is a string but not JSON`, { cause: error });
    }
  }
  if (!isJsonObject(configuration)) {
    throw new MalformedConfigurationItemError(`${where}.configuration must be an object, got ${configuration === null ? 'null' : Array.isArray(configuration) ? 'a list' : typeof configuration}`);
  }
  return configuration;
}

/** Config's top-level `tags` map; a malformed one makes only the tag controls unable to decide. */
function tagsOf(value: unknown, where: string): Tags | Unreadable {
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value) || Object.values(value).some((tagValue) => typeof tagValue !== 'string')) {
    return new Unreadable(`${where}.tags`, 'expected a map of strings');
  }
  return value as Tags;
}

export function isSupportedResourceType(resourceType: string): resourceType is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(resourceType);
}

export interface ConfigAdapterOptions {
  /** OS family of a service's task definition, looked up by the edge (ECS.10); unresolved otherwise. */
  readonly taskDefinitionOperatingSystemFamily?: OperatingSystemFamily | Unreadable;
}

/** The model for an item whose configuration is present (callers handle gone resources first). */
export function resourceFromConfigurationItem(item: ConfigurationItem, options: ConfigAdapterOptions = {}): Resource {
  if (!item.configuration) throw new MalformedConfigurationItemError(`${item.resourceType} ${item.resourceId} has no configuration`);
  if (!isSupportedResourceType(item.resourceType)) {
    throw new MalformedConfigurationItemError(`${item.resourceType} is not an ECS resource type this project evaluates`);
  }
  const envelope = { fallbackName: item.resourceName ?? item.resourceId, tags: item.tags };
  const document = item.configuration;
  switch (item.resourceType) {
    case 'AWS::ECS::TaskDefinition':
      return normalizeTaskDefinition(configReader, document, 'configuration', envelope);
    case 'AWS::ECS::Service':
      return normalizeService(configReader, document, 'configuration', {
        ...envelope,
        taskDefinitionOperatingSystemFamily:
          'taskDefinitionOperatingSystemFamily' in options
            ? options.taskDefinitionOperatingSystemFamily
            : new Unreadable('configuration.TaskDefinition', "the task definition's OS family was not looked up"),
      });
    case 'AWS::ECS::Cluster':
      return normalizeCluster(configReader, document, 'configuration', envelope);
    case 'AWS::ECS::TaskSet':
      return normalizeTaskSet(configReader, document, 'configuration', envelope);
    case 'AWS::ECS::CapacityProvider':
      return normalizeCapacityProvider(configReader, document, 'configuration', envelope);
  }
}
