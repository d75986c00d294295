/**
 * Parses the event AWS Config sends a custom Lambda rule
 * (https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html):
 * `invokingEvent` and `ruleParameters` are JSON strings; change notifications carry the item,
 * oversized ones only a summary that must be inflated from GetResourceConfigHistory.
 */
import { isJsonObject, JsonObject, optionalString as optionalEnvelopeString, requiredString as requiredEnvelopeString } from '../adapters/reader';

/** The event as Lambda receives it. */
export interface ConfigRuleEvent {
  readonly invokingEvent: string;
  readonly ruleParameters?: string;
  readonly resultToken: string;
  readonly eventLeftScope?: boolean;
  readonly executionRoleArn?: string;
  readonly configRuleArn?: string;
  readonly configRuleName?: string;
  readonly accountId?: string;
}

export class MalformedEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MalformedEventError';
  }
}

/** What the handler needs from the event, validated. */
export type ParsedEvent = ItemEvent | ScheduledEvent;
/** A notification about one resource. */
export type ItemEvent = ChangeEvent | OversizedChangeEvent;

interface EventCommon {
  readonly resultToken: string;
  readonly eventLeftScope: boolean;
  readonly ruleParameters: Readonly<Record<string, unknown>>;
  readonly executionRoleArn: string | undefined;
  /** The account whose resource changed (the rule's account for a single-account rule). */
  readonly accountId: string | undefined;
  readonly configRuleName: string | undefined;
}

export interface ChangeEvent extends EventCommon {
  readonly messageType: 'ConfigurationItemChangeNotification';
  /** The raw configuration item; the config-item adapter validates it. */
  readonly configurationItem: unknown;
}

export interface OversizedChangeEvent extends EventCommon {
  readonly messageType: 'OversizedConfigurationItemChangeNotification';
  readonly summary: ItemSummary;
}

/** What an oversized notification says about its item: enough to fetch it, and to check the one fetched. */
export interface ItemSummary {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly status: string;
  readonly captureTime: Date;
  readonly accountId: string | undefined;
  readonly region: string | undefined;
}

/** A periodic trigger (the rule's `MaximumExecutionFrequency`): no item, the whole scope is re-evaluated. */
export interface ScheduledEvent extends EventCommon {
  readonly messageType: 'ScheduledNotification';
  /** Periodic results are listed per rule by name (GetComplianceDetailsByConfigRule), so it is required. */
  readonly configRuleName: string;
  /** When AWS Config triggered the evaluation: the results' `OrderingTimestamp`. */
  readonly notificationTime: Date;
}

export function parseConfigEvent(event: unknown): ParsedEvent {
  if (!isJsonObject(event)) throw new MalformedEventError('the event is not an object');
  const invokingEvent = parseJsonField(event, 'invokingEvent', true);
  const common: EventCommon = {
    resultToken: requiredString(event, 'resultToken', 'event'),
    eventLeftScope: event.eventLeftScope === true,
    ruleParameters: parseJsonField(event, 'ruleParameters', false) ?? {},
    executionRoleArn: optionalString(event, 'executionRoleArn', 'event'),
    accountId: optionalString(event, 'accountId', 'event'),
    configRuleName: optionalString(event, 'configRuleName', 'event'),
  };
  const messageType = invokingEvent?.messageType;
  switch (messageType) {
    case 'ConfigurationItemChangeNotification':
      if (!isJsonObject(invokingEvent?.configurationItem)) {
        throw new MalformedEventError('invokingEvent.configurationItem must be an object in a ConfigurationItemChangeNotification');
      }
      return { ...common, messageType, configurationItem: invokingEvent?.configurationItem };
    case 'OversizedConfigurationItemChangeNotification':
      return { ...common, messageType, summary: summaryOf(invokingEvent?.configurationItemSummary) };
    case 'ScheduledNotification':
      return {
        ...common,
        messageType,
        configRuleName: requiredString(event, 'configRuleName', 'event'),
        notificationTime: timeOf(invokingEvent as JsonObject, 'notificationCreationTime', 'invokingEvent'),
      };
    default:
      throw new MalformedEventError(
        `invokingEvent.messageType ${JSON.stringify(messageType) ?? 'is missing'}: this rule handles ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification and ScheduledNotification`,
      );
  }
}

function parseJsonField(event: JsonObject, key: string, required: boolean): JsonObject | undefined {
  const raw = event[key];
  if (raw === undefined || raw === null || raw === '') {
    if (required) throw new MalformedEventError(`event.${key} is missing`);
    return undefined;
  }
  if (typeof raw !== 'string') throw new MalformedEventError(`event.${key} must be a JSON string, got ${typeof raw}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new MalformedEventError(`event.${key} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isJsonObject(parsed)) throw new MalformedEventError(`event.${key} must encode a JSON object`);
  return parsed;
}

function summaryOf(raw: unknown): ItemSummary {
  const where = 'invokingEvent.configurationItemSummary';
  if (!isJsonObject(raw)) throw new MalformedEventError(`${where} must be an object in an OversizedConfigurationItemChangeNotification`);
  return {
    resourceType: requiredString(raw, 'resourceType', where),
    resourceId: requiredString(raw, 'resourceId', where),
    status: requiredString(raw, 'configurationItemStatus', where),
    captureTime: timeOf(raw, 'configurationItemCaptureTime', where),
    accountId: optionalString(raw, 'awsAccountId', where),
    region: optionalString(raw, 'awsRegion', where),
  };
}

function timeOf(object: JsonObject, key: string, where: string): Date {
  const time = new Date(requiredString(object, key, where));
  if (Number.isNaN(time.getTime())) throw new MalformedEventError(`${where}.${key} is not a time: ${JSON.stringify(object[key])}`);
  return time;
}

/** Malformed-event errors name the field: the shared envelope readers with this edge's error. */
const malformed = (message: string): Error => new MalformedEventError(message);
const requiredString = (object: JsonObject, key: string, where: string): string => requiredEnvelopeString(object, key, where, malformed);
const optionalString = (object: JsonObject, key: string, where: string): string | undefined => optionalEnvelopeString(object, key, where, malformed);
