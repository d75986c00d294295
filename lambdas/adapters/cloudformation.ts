/**
 * The CloudFormation adapter: the ECS resources of a parsed template (JSON, or YAML whose short-form
 * tags such as `!Ref` the caller has already turned into long form) into the model.
 *
 * Property names are read in CloudFormation's exact spelling only (`CLOUDFORMATION_SPELLINGS`): a key
 * in another case (`user`, Config's `EfsVolumeConfiguration`) is not the property, so it is
 * unreadable, never taken for it. Booleans may be written as "true"/"false" strings,
 * and a number or boolean where a String is expected is its text (`User: 0` is "0"), as CloudFormation
 * converts it.
 * A template has no status: it describes what will be registered, so task definitions count as ACTIVE.
 * A value that stays an intrinsic function (a parameter, an import, `Fn::If`) is unreadable: only the
 * controls that need it report "could not evaluate", naming the property.
 */
import { OperatingSystemFamily, PossibleOutcome, Resource, ResourceType, Unreadable, withOutcomes } from '../core/model';
import { isSupportedResourceType } from './config-item';
import {
  normalizeCapacityProvider,
  normalizeCluster,
  normalizeService,
  normalizeTaskDefinition,
  normalizeTaskSet,
  operatingSystemFamilyOf,
  tagsFromList,
} from './ecs-document';
import { abbreviated, DocumentReader, ExactKeys, findKey, isJsonObject, JsonObject } from './reader';
import { assignments, describeInputs, intrinsicName, isNoValue, resolveIntrinsics, TemplateContext, templateContext, templateInputs } from './template-outcomes';

export class MalformedTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedTemplateError';
  }
}

export interface TemplateResource {
  readonly logicalId: string;
  readonly resourceType: ResourceType;
  readonly resource: Resource;
}

/** "an unresolved intrinsic (Ref: ImageParam)", for the NOT_EVALUATED annotation. */
function describeIntrinsic(value: unknown): string | undefined {
  const name = intrinsicName(value);
  if (name === undefined) return undefined;
  const argument = (value as JsonObject)[name];
  const summary = typeof argument === 'string' ? argument : name === 'Fn::GetAtt' && Array.isArray(argument) ? argument.join('.') : JSON.stringify(argument);
  return `an unresolved intrinsic (${name}: ${abbreviated(summary)})`;
}

/**
 * The literal text inside an intrinsic: its string leaves, with `Ref`/`GetAtt` (whose arguments are
 * names, not text) as `${Name}` placeholders. A `!Sub` template keeps its own `${...}` placeholders.
 */
function literalTextOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(literalTextOf).filter((text) => text !== undefined).join(' ');
  const name = intrinsicName(value);
  if (name === undefined) return undefined;
  const argument = (value as JsonObject)[name];
  if (name === 'Ref') return `\${${String(argument)}}`;
  if (name === 'Fn::GetAtt') return `\${${Array.isArray(argument) ? argument.join('.') : String(argument)}}`;
  if (name === 'Fn::Join' && Array.isArray(argument) && typeof argument[0] === 'string' && Array.isArray(argument[1])) {
    return argument[1].map((part) => literalTextOf(part) ?? '').join(argument[0]);
  }
  return literalTextOf(argument);
}

/** Tags, `{Key, Value}` items, as every one of the five resources spells them. */
const TAGS = ['Tags', 'Key', 'Value'];

/**
 * Each property the shared builders read, as the resource's CloudFormation schema spells it (the
 * property pages under https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/AWS_ECS.html;
 * test/adapters/cloudformation-spellings.test.ts checks each against the CDK's L1 classes, which are
 * generated from those schemas). CloudFormation matches property names exactly, so a key in any other
 * case is extraneous: a registry resource type rejects it, and CloudFormation has also been known to
 * only warn and deploy without it (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1005).
 * Fields a template cannot set are null (read as absent): `Status` and `Revision` are not properties,
 * `TaskDefinitionArn` and a task set's `Id` are read-only return values.
 */
const CLOUDFORMATION_SPELLINGS: Readonly<Record<ResourceType, Readonly<Record<string, string | null>>>> = {
  'AWS::ECS::TaskDefinition': spellings(
    [
      ...TAGS,
      ...['Family', 'RuntimePlatform', 'OperatingSystemFamily', 'NetworkMode', 'PidMode', 'ContainerDefinitions', 'Name', 'User', 'Privileged'],
      ...['ReadonlyRootFilesystem', 'LogConfiguration', 'LogDriver', 'Environment', 'Volumes', 'EFSVolumeConfiguration', 'TransitEncryption'],
    ],
    ['TaskDefinitionArn', 'Revision', 'Status'],
  ),
  'AWS::ECS::Service': spellings([
    ...TAGS,
    ...['ServiceName', 'LaunchType', 'CapacityProviderStrategy', 'CapacityProvider', 'PlatformVersion', 'TaskDefinition'],
    ...['NetworkConfiguration', 'AwsvpcConfiguration', 'AssignPublicIp'],
  ]),
  'AWS::ECS::Cluster': spellings([...TAGS, 'ClusterName', 'ClusterSettings', 'Name']),
  'AWS::ECS::TaskSet': spellings([...TAGS, 'NetworkConfiguration', 'AwsVpcConfiguration', 'AssignPublicIp'], ['Id']),
  'AWS::ECS::CapacityProvider': spellings([...TAGS, 'Name', 'AutoScalingGroupProvider', 'ManagedTerminationProtection']),
};

function spellings(names: readonly string[], notSettable: readonly string[] = []): Readonly<Record<string, string | null>> {
  return Object.fromEntries([...names.map((name) => [name, name]), ...notSettable.map((name) => [name, null])]);
}

/** The spellings of one resource type's properties (exported for the test that checks them against CloudFormation's). */
export function cloudFormationSpellings(resourceType: ResourceType): Readonly<Record<string, string | null>> {
  return CLOUDFORMATION_SPELLINGS[resourceType];
}

/** The reader's `exactKeys` for a resource type; its reason names the schema (the URL would not fit a Config annotation's 256 characters). */
function exactKeysOf(resourceType: ResourceType): ExactKeys {
  return {
    spellings: new Map(Object.entries(CLOUDFORMATION_SPELLINGS[resourceType]).map(([name, spelling]) => [name.toLowerCase(), spelling])),
    reason: `CloudFormation matches property names exactly (the ${resourceType} resource schema)`,
  };
}

/** A template reader for each resource type: services and task sets spell their awsvpc block differently. */
const templateReaders = Object.fromEntries(
  (Object.keys(CLOUDFORMATION_SPELLINGS) as ResourceType[]).map((resourceType) => [
    resourceType,
    new DocumentReader({
      booleanStrings: true,
      scalarsAsStrings: true,
      describeUnresolved: (value) => {
        const intrinsic = describeIntrinsic(value);
        return intrinsic && `${intrinsic}, whose value is known only at deploy time`;
      },
      isAbsent: isNoValue,
      literalTextOf,
      exactKeys: exactKeysOf(resourceType),
    }),
  ]),
) as Readonly<Record<ResourceType, DocumentReader>>;

/**
 * Every resource of the five ECS types in `template`, in template order; other types are skipped.
 * Throws `MalformedTemplateError` when the template is not an object with a `Resources` map, or an
 * ECS resource's `Properties` is not an object.
 */
export function resourcesFromTemplate(template: unknown): TemplateResource[] {
  const resources = resourcesSection(template);
  const context = templateContext(template as JsonObject);
  const found: TemplateResource[] = [];
  for (const [logicalId, definition] of Object.entries(resources)) {
    const resourceType = typeOf(logicalId, definition);
    if (!isSupportedResourceType(resourceType)) continue;
    const properties = propertiesOf(logicalId, definition as JsonObject);
    found.push({ logicalId, resourceType, resource: resourceWithOutcomes(resourceType, properties, logicalId, resources, context) });
  }
  return found;
}

/**
 * The resource, or when its properties depend on finitely many deploy-time inputs (conditions,
 * parameters with AllowedValues, mappings), every outcome (lambdas/adapters/template-outcomes.ts).
 */
function resourceWithOutcomes(resourceType: ResourceType, properties: JsonObject, logicalId: string, resources: JsonObject, context: TemplateContext): Resource {
  const root = `Resources.${logicalId}.Properties`;
  const { inputs, needsResolving } = templateInputs([properties, ...referencedTaskDefinitionProperties(resourceType, properties, resources)], context);
  const possible = needsResolving ? assignments(inputs) : undefined;
  // Each outcome is read once its intrinsics are resolved: an `Fn::If` choosing a task definition or a capacity provider is followed in each.
  const outcome = (resolve: (value: unknown) => unknown): Resource => {
    const resolved = resolve(properties) as JsonObject;
    // Stryker disable next-line ConditionalExpression: equivalent mutant (`true`); only the service model reads a capacity provider strategy (a task set's is not in any control)
    const ownProperties = resourceType === 'AWS::ECS::Service' ? withTemplateCapacityProviderNames(resolved, resources) : resolved;
    return normalize(resourceType, ownProperties, root, logicalId, () => referencedOperatingSystemFamily(resolved, root, resources, resolve));
  };
  if (!possible) return outcome((value) => value);
  const outcomes = possible.map((assignment): PossibleOutcome => ({ assumption: assignment.description, resource: outcome((value) => resolveIntrinsics(value, assignment, context)) }));
  return outcomes.length === 1 ? outcomes[0].resource : withOutcomes(outcomes, describeInputs(inputs));
}

/**
 * A strategy item's `CapacityProvider: !Ref X`, X an `AWS::ECS::CapacityProvider` of this template:
 * the name is generated at deploy time, but it is never FARGATE or FARGATE_SPOT, because a capacity
 * provider's name cannot start with "fargate" (CloudFormation generates `Stack-Resource-Random`, or a
 * `cp-` name; https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-capacityprovider.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html). So the
 * reference reads as the placeholder `${X}`, a name that is not Fargate's.
 */
function withTemplateCapacityProviderNames(properties: JsonObject, resources: JsonObject): JsonObject {
  const strategyKey = findKey(properties, 'CapacityProviderStrategy');
  // Stryker disable next-line ConditionalExpression: equivalent mutant; without the key the next line returns before the strategy is used
  const strategy = strategyKey === undefined ? undefined : properties[strategyKey];
  // Stryker disable next-line ConditionalExpression: equivalent mutant (`false` for the key test); without the key the strategy is undefined, on which the Array.isArray test returns already
  if (strategyKey === undefined || !Array.isArray(strategy)) return properties;
  const named = strategy.map((item: unknown) => {
    const providerKey = isJsonObject(item) ? findKey(item, 'CapacityProvider') : undefined;
    if (providerKey === undefined) return item;
    const reference = (item as JsonObject)[providerKey];
    const targetId = intrinsicName(reference) === 'Ref' ? (reference as JsonObject).Ref : undefined;
    const target = typeof targetId === 'string' ? resources[targetId] : undefined;
    return isJsonObject(target) && target.Type === 'AWS::ECS::CapacityProvider' ? { ...(item as JsonObject), [providerKey]: `\${${targetId as string}}` } : item;
  });
  return { ...properties, [strategyKey]: named };
}

/**
 * Every task definition of the same template a service's `TaskDefinition` may name, in any outcome
 * (a direct reference, or references inside `Fn::If`): their OS families are part of the service's
 * outcomes.
 */
function referencedTaskDefinitionProperties(resourceType: ResourceType, properties: JsonObject, resources: JsonObject): unknown[] {
  // Stryker disable next-line ArrayDeclaration: equivalent mutant; a plain string among the scanned values holds no deploy-time input
  if (resourceType !== 'AWS::ECS::Service') return [];
  // Stryker disable next-line ArrayDeclaration: equivalent mutant, as above
  const platforms: unknown[] = [];
  const visit = (value: unknown): void => {
    const targetId = referencedLogicalId(value);
    const target = targetId === undefined ? undefined : resources[targetId];
    if (isJsonObject(target) && isJsonObject(target.Properties)) platforms.push(target.Properties.RuntimePlatform);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (isJsonObject(value)) for (const key in value) visit(value[key]);
  };
  visit(templateReaders[resourceType].valueAt(properties, 'TaskDefinition'));
  return platforms;
}

function resourcesSection(template: unknown): JsonObject {
  if (!isJsonObject(template)) {
    throw new MalformedTemplateError(`A CloudFormation template must be an object, got ${Array.isArray(template) ? 'a list' : template === null ? 'null' : typeof template}`);
  }
  const resources = template.Resources;
  if (!isJsonObject(resources)) {
    throw new MalformedTemplateError(`The template has no Resources map${resources === undefined ? '' : ` (Resources is ${Array.isArray(resources) ? 'a list' : typeof resources})`}`);
  }
  return resources;
}

function typeOf(logicalId: string, definition: unknown): string {
  const type = isJsonObject(definition) ? definition.Type : undefined;
  if (typeof type !== 'string' || type === '') throw new MalformedTemplateError(`Resources.${logicalId} has no Type`);
  return type;
}

/** `Properties` may be left out (a cluster with every default); otherwise it must be a plain object. */
function propertiesOf(logicalId: string, definition: JsonObject): JsonObject {
  const properties = definition.Properties;
  if (properties === undefined || properties === null) return {};
  if (!isJsonObject(properties) || intrinsicName(properties)) {
    throw new MalformedTemplateError(`Resources.${logicalId}.Properties must be an object of properties, got ${describeIntrinsic(properties) ?? typeof properties}`);
  }
  return properties;
}

/**
 * One resource's `Properties` as CloudFormation holds them when it provisions the resource (a Lambda
 * hook's `targetModel.resourceProperties`): intrinsics already resolved, so a service's task
 * definition is an ARN; `taskDefinitionOperatingSystemFamily` is what the caller looked up for it.
 */
export function resourceFromProperties(
  resourceType: ResourceType,
  properties: JsonObject,
  root: string,
  logicalId: string,
  taskDefinitionOperatingSystemFamily: OperatingSystemFamily | Unreadable,
): Resource {
  return normalize(resourceType, properties, root, logicalId, () => taskDefinitionOperatingSystemFamily);
}

function normalize(
  resourceType: ResourceType,
  properties: JsonObject,
  root: string,
  logicalId: string,
  taskDefinitionOperatingSystemFamily: () => OperatingSystemFamily | Unreadable,
): Resource {
  const reader = templateReaders[resourceType];
  const envelope = { fallbackName: logicalId, tags: tagsFromList(reader, properties, 'Tags', root) };
  switch (resourceType) {
    case 'AWS::ECS::TaskDefinition':
      return normalizeTaskDefinition(reader, properties, root, envelope);
    case 'AWS::ECS::Service':
      return normalizeService(reader, properties, root, {
        ...envelope,
        taskDefinitionOperatingSystemFamily: taskDefinitionOperatingSystemFamily(),
      });
    case 'AWS::ECS::Cluster':
      return normalizeCluster(reader, properties, root, envelope);
    case 'AWS::ECS::TaskSet':
      return normalizeTaskSet(reader, properties, root, envelope);
    case 'AWS::ECS::CapacityProvider':
      return normalizeCapacityProvider(reader, properties, root, envelope);
  }
}

/**
 * The logical id a `Ref` or `Fn::GetAtt [X, TaskDefinitionArn]` points to. Both return the task
 * definition's ARN (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-taskdefinition.html#aws-resource-ecs-taskdefinition-return-values).
 */
function referencedLogicalId(value: unknown): string | undefined {
  const name = intrinsicName(value);
  const argument = name === undefined ? undefined : (value as JsonObject)[name];
  if (name === 'Ref') return typeof argument === 'string' ? argument : undefined;
  if (name !== 'Fn::GetAtt') return undefined;
  // Fn::GetAtt is a [logicalId, attribute] list, or "logicalId.attribute" in its string form.
  // Stryker disable next-line ArrayDeclaration: equivalent mutant (the `[]` fallback); a list of one item has no attribute, so no logical id is returned
  const [logicalId, attribute] = Array.isArray(argument) ? argument : typeof argument === 'string' ? argument.split(/\.(.*)/) : [];
  return typeof logicalId === 'string' && attribute === 'TaskDefinitionArn' ? logicalId : undefined;
}

/**
 * A service's task definition OS family (ECS.10 needs it) when `TaskDefinition` refers to a task
 * definition in the same template: its `RuntimePlatform.OperatingSystemFamily`, unset meaning Linux.
 * A plain ARN, a parameter or an import cannot be followed: unreadable, naming the property.
 */
function referencedOperatingSystemFamily(properties: JsonObject, root: string, resources: JsonObject, resolve: (value: unknown) => unknown): OperatingSystemFamily | Unreadable {
  const { value, path } = templateReaders['AWS::ECS::Service'].locate(properties, 'TaskDefinition', root);
  if (value === undefined) return new Unreadable(path, 'the service names no task definition, so its OS family is unknown');
  const targetId = referencedLogicalId(value);
  const target = targetId === undefined ? undefined : resources[targetId];
  if (!isJsonObject(target) || target.Type !== 'AWS::ECS::TaskDefinition') {
    const what = typeof value === 'string' ? `a task definition outside this template (${value})` : (describeIntrinsic(value) ?? `${typeof value} ${JSON.stringify(value)}`);
    return new Unreadable(path, `${what}, so the task definition's OS family cannot be read here`);
  }
  const targetProperties = resolve(propertiesOf(targetId as string, target)) as JsonObject;
  return operatingSystemFamilyOf(templateReaders['AWS::ECS::TaskDefinition'], targetProperties, `Resources.${targetId}.Properties`);
}
