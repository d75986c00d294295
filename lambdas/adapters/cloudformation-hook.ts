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
  readonly targetType: 'RESOURCE';
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

/**
 * A stack-operation or change-set-operation request (the guide's "Evaluating stack operations" and
 * "Evaluating change set operations"): no `targetModel`, but a `payload`, an Amazon S3 presigned URL
 * of a JSON object holding the template (and, for a change set, the changed resources).
 */
export interface TemplateHookRequest {
  readonly targetType: TemplateTargetType;
  readonly clientRequestToken: string | undefined;
  /** The guide's change-set input shape has none; its example has one. */
  readonly invocationPoint: InvocationPoint | undefined;
  readonly stackId: string | undefined;
  /** The stack name (STACK) or the change set ARN (CHANGE_SET). */
  readonly logicalId: string;
  readonly payloadUrl: string;
}

export type TemplateTargetType = 'STACK' | 'CHANGE_SET';
const TEMPLATE_TARGET_TYPES: readonly string[] = ['STACK', 'CHANGE_SET'];

function isTemplateTargetType(value: unknown): value is TemplateTargetType {
  return (TEMPLATE_TARGET_TYPES as readonly unknown[]).includes(value);
}

/**
 * Reads a resource-, stack- or change-set-operation request; throws `MalformedHookRequestError`
 * naming the first field that is wrong. A request is a stack or change set request when its
 * `requestData.targetType` says so (`targetName` is then the same word); every other request is a
 * resource request, whose `targetType` is the resource type or `RESOURCE` (Cloud Control API).
 */
export function parseHookRequest(event: unknown): HookRequest | TemplateHookRequest {
  if (!isJsonObject(event)) throw new MalformedHookRequestError(`the request must be a JSON object, got ${kindOf(event)}`);
  const requestData = event.requestData;
  if (!isJsonObject(requestData)) throw new MalformedHookRequestError(`requestData must be an object, got ${kindOf(requestData)}`);
  if (isTemplateTargetType(requestData.targetType)) return parseTemplateRequest(event, requestData, requestData.targetType);
  const invocationPoint = requiredInvocationPoint(event);
  const targetName = requiredString(requestData, 'targetName');
  const logicalId = requiredString(requestData, 'targetLogicalId');
  const targetModel = requestData.targetModel;
  if (!isJsonObject(targetModel)) throw new MalformedHookRequestError(`requestData.targetModel must be an object, got ${kindOf(targetModel)}`);
  return {
    targetType: 'RESOURCE',
    clientRequestToken: clientRequestTokenOf(event),
    invocationPoint,
    stackId: stackIdOf(event),
    targetName,
    logicalId,
    resourceProperties: proposedProperties(targetModel, invocationPoint),
  };
}

function parseTemplateRequest(event: JsonObject, requestData: JsonObject, targetType: TemplateTargetType): TemplateHookRequest {
  if (requestData.targetName !== targetType) throw new MalformedHookRequestError(`requestData.targetName must be ${targetType} in a ${targetType} request, got ${kindOf(requestData.targetName)}`);
  return {
    targetType,
    clientRequestToken: clientRequestTokenOf(event),
    // The guide's change-set input shape has no actionInvocationPoint (its example has one).
    invocationPoint: targetType === 'CHANGE_SET' && event.actionInvocationPoint === undefined ? undefined : requiredInvocationPoint(event),
    stackId: stackIdOf(event),
    logicalId: requiredString(requestData, 'targetLogicalId'),
    payloadUrl: payloadUrlOf(requestData),
  };
}

function requiredInvocationPoint(event: JsonObject): InvocationPoint {
  const invocationPoint = event.actionInvocationPoint;
  if (!isInvocationPoint(invocationPoint)) {
    throw new MalformedHookRequestError(`actionInvocationPoint must be one of ${INVOCATION_POINTS.join(', ')}, got ${kindOf(invocationPoint)}`);
  }
  return invocationPoint;
}

function stackIdOf(event: JsonObject): string | undefined {
  return typeof event.stackId === 'string' && event.stackId !== '' ? event.stackId : undefined;
}

/** The presigned URL, which must be one: the hook fetches nothing but an HTTP(S) address. */
function payloadUrlOf(requestData: JsonObject): string {
  const payload = requiredString(requestData, 'payload');
  let url: URL;
  try {
    url = new URL(payload);
  } catch {
    throw new MalformedHookRequestError(`requestData.payload must be a URL, got ${kindOf(payload)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MalformedHookRequestError(`requestData.payload must be an http(s) URL, got ${kindOf(payload)}`);
  return payload;
}

/** What a stack request's payload holds: the template as written (JSON or YAML); empty when the stack is being deleted. */
export function stackTemplateOf(payload: unknown): string | undefined {
  if (!isJsonObject(payload)) throw new MalformedHookRequestError(`the payload must be a JSON object, got ${kindOf(payload)}`);
  const template = payload.template;
  if (template === undefined || template === null || template === '') return undefined;
  if (typeof template !== 'string') throw new MalformedHookRequestError(`the payload's template must be a string, got ${kindOf(template)}`);
  return template;
}

/** One resource a change set creates or updates, with the properties it will have (strings for booleans and numbers, as in a resource request). */
export interface ChangedResource {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly properties: JsonObject;
  /** Where annotations say a property sits: `changedResources[2].afterContext.Properties`. */
  readonly root: string;
}

const CHANGE_ACTIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE'];

/** The resources a change set's payload creates or updates; deletions have nothing to evaluate. */
export function changedResourcesOf(payload: unknown): ChangedResource[] {
  if (!isJsonObject(payload)) throw new MalformedHookRequestError(`the payload must be a JSON object, got ${kindOf(payload)}`);
  const changes = payload.changedResources;
  if (!Array.isArray(changes)) throw new MalformedHookRequestError(`the payload's changedResources must be a list, got ${kindOf(changes)}`);
  return changes.flatMap((change, index) => changedResource(change, `changedResources[${index}]`));
}

function changedResource(change: unknown, where: string): ChangedResource[] {
  if (!isJsonObject(change)) throw new MalformedHookRequestError(`${where} must be an object, got ${kindOf(change)}`);
  const action = change.action;
  if (typeof action !== 'string' || !CHANGE_ACTIONS.includes(action)) throw new MalformedHookRequestError(`${where}.action must be one of ${CHANGE_ACTIONS.join(', ')}, got ${kindOf(action)}`);
  const logicalId = requiredString(change, 'logicalResourceId', where);
  const resourceType = requiredString(change, 'resourceType', where);
  if (action === 'DELETE') return [];
  const afterContext = change.afterContext;
  if (typeof afterContext !== 'string') throw new MalformedHookRequestError(`${where}.afterContext must be a JSON string for a ${action}, got ${kindOf(afterContext)}`);
  let after: unknown;
  try {
    after = JSON.parse(afterContext);
  } catch (error) {
    throw new MalformedHookRequestError(`${where}.afterContext is not JSON (${(error as Error).message})`);
  }
  if (!isJsonObject(after)) throw new MalformedHookRequestError(`${where}.afterContext must hold an object, got ${kindOf(after)}`);
  const properties = after.Properties ?? {};
  if (!isJsonObject(properties)) throw new MalformedHookRequestError(`${where}.afterContext.Properties must be an object, got ${kindOf(properties)}`);
  return [{ logicalId, resourceType, properties, root: `${where}.afterContext.Properties` }];
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

function requiredString(object: JsonObject, key: string, where = 'requestData'): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') throw new MalformedHookRequestError(`${where}.${key} must be a non-empty string, got ${kindOf(value)}`);
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

/** A resource CloudFormation is about to create or update, with its resolved properties. */
export interface ProposedResource {
  readonly resourceType: ResourceType;
  readonly logicalId: string;
  readonly properties: JsonObject;
  /** Where annotations say a property sits: `resourceProperties`, `changedResources[2].afterContext.Properties`. */
  readonly root: string;
}

/** A resource request's proposal; a deletion proposes nothing. */
export function proposedResourceOf(request: HookRequest & { targetName: ResourceType }): ProposedResource {
  if (request.resourceProperties === undefined) throw new MalformedHookRequestError(`a ${request.invocationPoint} request proposes no properties to evaluate`);
  return { resourceType: request.targetName, logicalId: request.logicalId, properties: request.resourceProperties, root: PROPERTIES_ROOT };
}

/**
 * A service's `TaskDefinition` as CloudFormation resolved it (an ARN, or the `family[:revision]`
 * written in the template); undefined when absent or not a string.
 */
export function serviceTaskDefinitionOf(request: HookRequest): string | undefined {
  return request.resourceProperties === undefined ? undefined : taskDefinitionIn(request.resourceProperties);
}

export function taskDefinitionIn(properties: JsonObject): string | undefined {
  const value = properties.TaskDefinition;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The model of the resource the request proposes. `taskDefinitionOperatingSystemFamily` is what the
 * edge looked up for a service (ECS.10): a service's properties name its task definition only by ARN.
 */
export function resourceFromHookRequest(request: HookRequest & { targetName: ResourceType }, taskDefinitionOperatingSystemFamily: OperatingSystemFamily | Unreadable): Resource {
  return resourceFromProposed(proposedResourceOf(request), taskDefinitionOperatingSystemFamily);
}

export function resourceFromProposed(proposed: ProposedResource, taskDefinitionOperatingSystemFamily: OperatingSystemFamily | Unreadable): Resource {
  return resourceFromProperties(proposed.resourceType, proposed.properties, proposed.root, proposed.logicalId, taskDefinitionOperatingSystemFamily);
}

/** The path annotations use for a service's task definition property. */
export function taskDefinitionPath(proposed: Pick<ProposedResource, 'root'>): string {
  return `${proposed.root}.TaskDefinition`;
}

/** The path annotations use for the service's task definition property in a resource request. */
export const TASK_DEFINITION_PATH = taskDefinitionPath({ root: PROPERTIES_ROOT });
