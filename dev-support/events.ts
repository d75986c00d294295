/** Builds Config rule events from the recorded-shape fixtures in ./events, varying only what a test needs. */
import changeEvent from './events/change-task-definition.json';
import oversizedEvent from './events/oversized-task-definition.json';
import historyReply from './events/history-task-definition.json';

type Json = Record<string, any>;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** The recorded task-definition item (checkout-api:7), for tests to modify. */
export function taskDefinitionItem(): Json {
  return clone(JSON.parse(changeEvent.invokingEvent).configurationItem);
}

/** A ConfigurationItemChangeNotification event carrying `item`. */
export function changeEventFor(item: Json, overrides: Json = {}): Json {
  const invokingEvent = JSON.parse(changeEvent.invokingEvent);
  invokingEvent.configurationItem = item;
  return { ...clone(changeEvent), invokingEvent: JSON.stringify(invokingEvent), ...overrides };
}

/** The recorded OversizedConfigurationItemChangeNotification, with its summary optionally changed. */
export function oversizedEventWith(summaryChanges: Json = {}): Json {
  const invokingEvent = JSON.parse(oversizedEvent.invokingEvent);
  Object.assign(invokingEvent.configurationItemSummary, summaryChanges);
  return { ...clone(oversizedEvent), invokingEvent: JSON.stringify(invokingEvent) };
}

/** The recorded GetResourceConfigHistory reply (configuration as a JSON string, epoch-second times). */
export function recordedHistoryReply(): Json {
  return clone(historyReply);
}

/** A service item as AWS Config records it (PascalCase configuration; resourceId is the service ARN). */
export function serviceItem(configuration: Json): Json {
  const arn = 'arn:aws:ecs:us-east-1:123456789012:service/prod/checkout-api';
  return {
    ...taskDefinitionItem(),
    configuration: { ServiceName: 'checkout-api', ServiceArn: arn, Cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', ...configuration },
    resourceType: 'AWS::ECS::Service',
    resourceId: arn,
    resourceName: 'checkout-api',
    ARN: arn,
  };
}

/** A cluster item as AWS Config records it. */
export function clusterItem(configuration: Json, tags: Record<string, string> = {}): Json {
  const arn = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
  return { ...taskDefinitionItem(), configuration: { ClusterName: 'prod', Arn: arn, ...configuration }, tags, resourceType: 'AWS::ECS::Cluster', resourceId: 'prod', resourceName: 'prod', ARN: arn };
}

export const TASK_DEFINITION_ARN = (family: string, revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;

/** An event-shaped item as GetResourceConfigHistory returns it: history names, `configuration` as JSON text, epoch-second times. */
export function asHistoryItem(item: Json): Json {
  return {
    version: '1.3',
    accountId: item.awsAccountId,
    configurationItemCaptureTime: Date.parse(item.configurationItemCaptureTime) / 1000,
    configurationItemStatus: item.configurationItemStatus,
    arn: item.ARN,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    awsRegion: 'us-east-1',
    configuration: JSON.stringify(item.configuration),
    supplementaryConfiguration: {},
    tags: item.tags,
  };
}
