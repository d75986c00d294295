/**
 * The CloudFormation Lambda hook adapter: a hook's resource-operation request into the model.
 *
 * The request is documented in the CloudFormation Hooks user guide
 * (https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html):
 * `actionInvocationPoint`, and under `requestData` the `targetName` (the resource type, also for
 * Cloud Control API requests, whose `targetType` is `RESOURCE`), `targetLogicalId` and
 * `targetModel.resourceProperties` / `previousResourceProperties`. The properties are the resolved
 * ones CloudFormation is about to provision, so no intrinsic is left, and booleans and numbers arrive
 * as strings (`"true"`, `"1000"`): the CloudFormation adapter reads them exactly as CloudFormation
 * coerces them (lambdas/adapters/reader.ts).
 */
import { OperatingSystemFamily, Resource, RESOURCE_TYPES, ResourceType, Unreadable } from '../core/model';
import { resourceFromProperties } from './cloudformation';
import { abbreviated, isJsonObject, JsonObject } from './reader';

export class MalformedHookRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedHookRequestError';
  }
}

export type InvocationPoint = 'CREATE_PRE_PROVISION' | 'UPDATE_PRE_PROVISION' | 'DELETE_PRE_PROVISION';
const INVOCATION_POINTS: readonly string[] = ['CREATE_PRE_PROVISION', 'UPDATE_PRE_PROVISION', 'DELETE_PRE_PROVISION'];

function isInvocationPoint(value: unknown): value is InvocationPoint {
  return (INVOCATION_POINTS as readonly unknown[]).includes(value);
}

/** The parts of a resource-operation request the hook reads. */
export interface HookRequest {
  /** Echoed in the response. The guide's resource example omits it, so a request without one is still answered. */
  readonly clientRequestToken: string | undefined;
  readonly invocationPoint: InvocationPoint;
  /** Empty for Cloud Control API requests. */
  readonly stackId: string | undefined;
  /** The resource type, e.g. `AWS::ECS::TaskDefinition`. */
  readonly targetName: string;
  /** The template's logical id (a constructed value for Cloud Control API requests). */
  readonly logicalId: string;
  /** The proposed properties; undefined for a deletion, which has none. */
  readonly resourceProperties: JsonObject | undefined;
}

/** Where annotations say a property sits: `resourceProperties.ContainerDefinitions[0].Privileged`. */
const PROPERTIES_ROOT = 'resourceProperties';

/** The token of any object-shaped request, so even a malformed request's answer carries it. */
export function clientRequestTokenOf(event: unknown): string | undefined {
  return isJsonObject(event) && typeof event.clientRequestToken === 'string' ? event.clientRequestToken : undefined;
}

/** Reads a resource-operation request; throws `MalformedHookRequestError` naming the first field that is wrong. */
export function parseHookRequest(event: unknown): HookRequest {
  if (!isJsonObject(event)) throw new MalformedHookRequestError(`the request must be a JSON object, got ${kindOf(event)}`);
  const invocationPoint = event.actionInvocationPoint;
  if (!isInvocationPoint(invocationPoint)) {
    throw new MalformedHookRequestError(`actionInvocationPoint must be one of ${INVOCATION_POINTS.join(', ')}, got ${kindOf(invocationPoint)}`);
  }
  const requestData = event.requestData;
  if (!isJsonObject(requestData)) throw new MalformedHookRequestError(`requestData must be an object, got ${kindOf(requestData)}`);
  const targetName = requiredString(requestData, 'targetName');
  const logicalId = requiredString(requestData, 'targetLogicalId');
  const targetModel = requestData.targetModel;
  if (!isJsonObject(targetModel)) throw new MalformedHookRequestError(`requestData.targetModel must be an object, got ${kindOf(targetModel)}`);
  return {
    clientRequestToken: clientRequestTokenOf(event),
    invocationPoint,
    stackId: typeof event.stackId === 'string' && event.stackId !== '' ? event.stackId : undefined,
    targetName,
    logicalId,
    resourceProperties: proposedProperties(targetModel, invocationPoint),
  };
}

/**
 * A creation or update carries the proposed properties; a resource whose every property is left
 * at its default may have none at all (an empty cluster), which reads as an empty object.
 */
function proposedProperties(targetModel: JsonObject, invocationPoint: InvocationPoint): JsonObject | undefined {
  const properties = targetModel.resourceProperties;
  if (invocationPoint === 'DELETE_PRE_PROVISION') return undefined;
  if (properties === undefined || properties === null) return {};
  if (!isJsonObject(properties)) throw new MalformedHookRequestError(`requestData.targetModel.resourceProperties must be an object, got ${kindOf(properties)}`);
  return properties;
}

function requiredString(requestData: JsonObject, key: string): string {
  const value = requestData[key];
  if (typeof value !== 'string' || value === '') throw new MalformedHookRequestError(`requestData.${key} must be a non-empty string, got ${kindOf(value)}`);
  return value;
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(abbreviated(value));
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Whether the request is about one of the resource types the controls cover. */
export function isCoveredType(targetName: string): targetName is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(targetName);
}

/**
 * A service's `TaskDefinition` as CloudFormation resolved it (an ARN, or the `family[:revision]`
 * written in the template); undefined when absent or not a string.
 */
export function serviceTaskDefinitionOf(request: HookRequest): string | undefined {
  const value = request.resourceProperties?.TaskDefinition;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The model of the resource the request proposes. `taskDefinitionOperatingSystemFamily` is what the
 * edge looked up for a service (ECS.10): a service's properties name its task definition only by ARN.
 */
export function resourceFromHookRequest(request: HookRequest & { targetName: ResourceType }, taskDefinitionOperatingSystemFamily: OperatingSystemFamily | Unreadable): Resource {
  if (request.resourceProperties === undefined) throw new MalformedHookRequestError(`a ${request.invocationPoint} request proposes no properties to evaluate`);
  return resourceFromProperties(request.targetName, request.resourceProperties, PROPERTIES_ROOT, request.logicalId, taskDefinitionOperatingSystemFamily);
}

/** The path annotations use for the service's task definition property. */
export const TASK_DEFINITION_PATH = `${PROPERTIES_ROOT}.TaskDefinition`;
