/**
 * The Terraform/OpenTofu adapter: the ECS resources of `terraform show -json` (or `tofu show -json`)
 * output into the model, read per Terraform's JSON Output Format
 * (https://developer.hashicorp.com/terraform/internals/json-format):
 * - a plan: `resource_changes[]`, each with `address`, `module_address`, `mode`, `type`, `name` and
 *   `change.{actions, after, after_unknown}`; `configuration` tells a value set in the code from one
 *   the provider fills in;
 * - a state: `values.root_module.resources[]`, modules nested in `child_modules[]`, each resource's
 *   attributes in `values`.
 * A plan is judged as it will be once applied: the `after` value. A deleted (or forgotten) resource
 * is not evaluated (NOT_APPLICABLE, as AWS Config does for a deleted resource).
 *
 * Attribute names are the AWS provider's (https://registry.terraform.io/providers/hashicorp/aws/latest/docs,
 * resources `ecs_task_definition`, `ecs_service`, `ecs_cluster`, `ecs_task_set`,
 * `ecs_capacity_provider`): nested blocks are lists (`runtime_platform[0].operating_system_family`,
 * `volume[].efs_volume_configuration[0].transit_encryption`, `setting[]` of `{name, value}`,
 * `auto_scaling_group_provider[0].managed_termination_protection`); a service's or task set's
 * `network_configuration` is the ECS awsvpc configuration, with `assign_public_ip` a boolean;
 * `container_definitions` is the ECS API's container definition list as a JSON string; `tags_all`
 * holds `tags` plus the provider's `default_tags`, as AWS will. They are rewritten into the ECS
 * document shape the shared normalizers read, so every format gets the same verdicts.
 *
 * A value Terraform knows only after apply (`after_unknown`) is unreadable, naming the attribute, when
 * the code sets it (`image = aws_ecr_repository.app.repository_url` makes `container_definitions`
 * unknown); an attribute the code leaves out is computed by the provider from AWS's own default, which
 * is what an unset field already means to the controls.
 */
import { HeldElsewhere, OperatingSystemFamily, Resource, ResourceType, Tags, Unreadable } from '../core/model';
import {
  Envelope,
  normalizeCapacityProvider,
  normalizeCluster,
  normalizeService,
  normalizeTaskDefinition,
  normalizeTaskSet,
  familyFromArn,
  operatingSystemFamilyOf,
} from './ecs-document';
import { DocumentReader, isJsonObject, JsonObject } from './reader';

export class MalformedTerraformError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedTerraformError';
  }
}

/** Terraform resource types and the ECS resource types they manage. */
const RESOURCE_TYPES: Readonly<Record<string, ResourceType>> = {
  aws_ecs_task_definition: 'AWS::ECS::TaskDefinition',
  aws_ecs_service: 'AWS::ECS::Service',
  aws_ecs_cluster: 'AWS::ECS::Cluster',
  aws_ecs_task_set: 'AWS::ECS::TaskSet',
  aws_ecs_capacity_provider: 'AWS::ECS::CapacityProvider',
};

function isEcsType(type: unknown): type is string {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(RESOURCE_TYPES, type);
}

export type PathSegment = string | number;

export interface TerraformResource {
  /** The resource instance address, e.g. `module.api.aws_ecs_service.web`. */
  readonly address: string;
  readonly resourceType: ResourceType;
  /** Where the resource sits in the document (`['resource_changes', 3]`), to find its line. */
  readonly documentPath: readonly PathSegment[];
  /** Undefined when the plan deletes the resource: see `notApplicable`. */
  readonly resource: Resource | undefined;
  /** Why no control applies (the plan deletes the resource). */
  readonly notApplicable?: string;
}

export type TerraformDocumentKind = 'plan' | 'state';

/**
 * `terraform show -json` output: a plan when it has `planned_values` or `resource_changes`, a state
 * when it has `values` (or nothing yet); both carry `format_version`.
 */
export function detectTerraformDocument(json: unknown): TerraformDocumentKind | undefined {
  if (!isJsonObject(json) || typeof json.format_version !== 'string') return undefined;
  if ('planned_values' in json || 'resource_changes' in json) return 'plan';
  // `terraform show -json` of an empty state (a new workspace, everything destroyed) is `{"format_version":"1.0"}` alone.
  if ('values' in json || typeof json.terraform_version === 'string' || Object.keys(json).every((key) => key === 'format_version')) return 'state';
  return undefined;
}

/** A value this document cannot give: one Terraform knows only after apply, or one another document sets. */
class Unresolved {
  constructor(
    readonly description: string,
    readonly heldElsewhere = false,
  ) {}
}

const terraformReader = new DocumentReader({
  booleanStrings: false,
  describeUnresolved: (value) => (value instanceof Unresolved ? value.description : undefined),
  isHeldElsewhere: (value) => value instanceof Unresolved && value.heldElsewhere,
  // expandContainerDefinitions in the provider's internal/service/ecs/container_definitions.go decodes
  // into the AWS SDK's ContainerDefinition struct with encoding/json (internal/json/decode.go).
  caseTwins: "the AWS provider decodes container definitions case-insensitively (Go's encoding/json) and keeps the last",
});

/**
 * Nested block types the AWS provider computes when the code leaves them out (Optional and Computed in
 * its schema), and what AWS then applies: the cluster's `setting` takes the account's
 * `containerInsights` setting, "off unless the containerInsights account setting is turned on"
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterSetting.html; PutAccountSetting
 * sets it), which no plan shows. Any other block type unknown in a plan comes from the code, even when
 * the configuration does not show it.
 */
const PROVIDER_COMPUTED_BLOCKS: Readonly<Record<string, string>> = {
  setting: "the configuration sets no setting block, so ECS applies the account's containerInsights setting (PutAccountSetting), which a plan does not show: set containerInsights on the cluster",
};

const knownAfterApply = (attribute: string) => new Unresolved(`a value Terraform knows only after apply (${attribute})`);

/**
 * The attributes of one resource (or nested block) as the plan will leave them: `after`, with
 * `after_unknown` marking values known only after apply, and the configuration's expressions
 * telling whether the code sets an unknown value or leaves it to the provider.
 */
class Attributes {
  constructor(
    private readonly values: JsonObject,
    private readonly unknown: unknown,
    /** The block's expressions in every matching configuration block; undefined when the configuration is not known. */
    private readonly expressions: readonly JsonObject[] | undefined,
    /** The Terraform attribute path of this block (`network_configuration[0]`); empty at the top. */
    private readonly path: string,
  ) {}

  private attributePath(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  private unknownOf(name: string): unknown {
    return isJsonObject(this.unknown) ? this.unknown[name] : undefined;
  }

  /** Whether the code sets `name` (a state has no configuration: any value may be set). */
  private configured(name: string): boolean {
    return this.expressions === undefined || this.expressions.some((block) => block[name] !== undefined);
  }

  /**
   * The expressions of a nested block type in the code. None while the plan has blocks means the code
   * does not describe them one by one (a `dynamic` block): then nothing is taken as left out.
   */
  private nestedExpressions(name: string): JsonObject[] | undefined {
    const nested = this.expressions?.flatMap((block) => (Array.isArray(block[name]) ? (block[name] as unknown[]).filter(isJsonObject) : []));
    return nested && nested.length > 0 ? nested : undefined;
  }

  /**
   * The keys of a map attribute whose values are known only after apply: a plan leaves them out of
   * `after`, and `after_unknown` holds them (as `true`) and only them: "all known leaf values omitted"
   * (https://developer.hashicorp.com/terraform/internals/json-format#change-representation).
   */
  unknownKeys(name: string): string[] {
    const unknown = this.unknownOf(name);
    return isJsonObject(unknown) ? Object.keys(unknown) : [];
  }

  /** Whether the whole attribute is known only after apply. */
  isUnknown(name: string): boolean {
    return this.unknownOf(name) === true;
  }

  /**
   * The value of an attribute; unresolved when known only after apply; undefined when unset. The
   * AWS provider's ECS resources (Terraform Plugin SDK v2) record an unset string as `""` and cannot
   * tell it from an empty one (https://github.com/hashicorp/terraform-plugin-sdk/issues/741), and no
   * ECS field read here has `""` as a value: it is unset too (`platform_version = ""` is LATEST).
   */
  value(name: string): unknown {
    if (this.unknownOf(name) === true) return this.configured(name) ? knownAfterApply(this.attributePath(name)) : undefined;
    const value = this.values[name];
    return value === null || value === '' ? undefined : value;
  }

  /** The blocks of a nested block type (empty when none), or why they cannot be read. */
  blocks(name: string): Attributes[] | Unresolved {
    const path = this.attributePath(name);
    const unknown = this.unknownOf(name);
    // Known only after apply: blocks the code sets, or a `dynamic` block makes (the configuration's JSON
    // leaves dynamic blocks out), may be anything; a block type the provider computes takes AWS's default.
    if (unknown === true) return !this.configured(name) && Object.hasOwn(PROVIDER_COMPUTED_BLOCKS, name) ? new Unresolved(PROVIDER_COMPUTED_BLOCKS[name]) : knownAfterApply(path);
    const list = this.values[name];
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) return new Unresolved(`${path} is not a list of blocks`);
    const expressions = this.nestedExpressions(name);
    const blocks: Attributes[] = [];
    for (let index = 0; index < list.length; index++) {
      const item: unknown = list[index];
      const itemUnknown = Array.isArray(unknown) ? unknown[index] : undefined;
      if (itemUnknown === true) return knownAfterApply(`${path}[${index}]`);
      if (!isJsonObject(item)) return new Unresolved(`${path}[${index}] is not a block`);
      blocks.push(new Attributes(item, itemUnknown, expressions, `${path}[${index}]`));
    }
    return blocks;
  }

  /** A block type the provider allows once (`runtime_platform`): its block, undefined when absent. */
  block<T>(name: string, build: (block: Attributes) => T): T | undefined | Unresolved {
    const blocks = this.blocks(name);
    if (blocks instanceof Unresolved) return blocks;
    return blocks.length === 0 ? undefined : build(blocks[0]);
  }

  /** Every block of a block type, each rewritten by `build`. */
  eachBlock<T>(name: string, build: (block: Attributes) => T): T[] | Unresolved {
    const blocks = this.blocks(name);
    return blocks instanceof Unresolved ? blocks : blocks.map(build);
  }
}

/**
 * `container_definitions`: the ECS API's list of container definitions as a JSON string
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition#container_definitions).
 */
function containerDefinitions(value: unknown, attribute: string): unknown {
  if (typeof value !== 'string') return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    return new Unresolved(`${attribute} is not valid JSON (${(error as Error).message})`);
  }
  return Array.isArray(parsed) ? parsed : new Unresolved(`${attribute} must be a JSON list of container definitions`);
}

/** `assign_public_ip` is a boolean in Terraform, `ENABLED`/`DISABLED` in ECS (unset = DISABLED). */
function assignPublicIp(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 'ENABLED' : 'DISABLED') : value;
}

/** A service's or task set's `network_configuration` block is ECS's `awsvpcConfiguration`. */
function networkConfiguration(attributes: Attributes): unknown {
  return attributes.block('network_configuration', (network) => ({ AwsvpcConfiguration: { AssignPublicIp: assignPublicIp(network.value('assign_public_ip')) } }));
}

function runtimePlatform(attributes: Attributes): unknown {
  return attributes.block('runtime_platform', (platform) => ({ OperatingSystemFamily: platform.value('operating_system_family') }));
}

function taskDefinitionDocument(attributes: Attributes): JsonObject {
  return {
    Family: attributes.value('family'),
    Revision: attributes.value('revision'),
    NetworkMode: attributes.value('network_mode'),
    PidMode: attributes.value('pid_mode'),
    RuntimePlatform: runtimePlatform(attributes),
    Volumes: attributes.eachBlock('volume', (volume) => ({
      Name: volume.value('name'),
      EfsVolumeConfiguration: volume.block('efs_volume_configuration', (efs) => ({ TransitEncryption: efs.value('transit_encryption') })),
    })),
    ContainerDefinitions: containerDefinitions(attributes.value('container_definitions'), 'container_definitions'),
  };
}

function serviceDocument(attributes: Attributes): JsonObject {
  return {
    LaunchType: attributes.value('launch_type'),
    PlatformVersion: attributes.value('platform_version'),
    CapacityProviderStrategy: attributes.eachBlock('capacity_provider_strategy', (strategy) => ({ CapacityProvider: strategy.value('capacity_provider') })),
    NetworkConfiguration: networkConfiguration(attributes),
    TaskDefinition: attributes.value('task_definition'),
  };
}

function clusterDocument(attributes: Attributes): JsonObject {
  return { ClusterSettings: attributes.eachBlock('setting', (setting) => ({ Name: setting.value('name'), Value: setting.value('value') })) };
}

function taskSetDocument(attributes: Attributes): JsonObject {
  return { NetworkConfiguration: networkConfiguration(attributes) };
}

function capacityProviderDocument(attributes: Attributes): JsonObject {
  return {
    AutoScalingGroupProvider: attributes.block('auto_scaling_group_provider', (provider) => ({
      ManagedTerminationProtection: provider.value('managed_termination_protection'),
    })),
  };
}

/**
 * `tags_all` is what AWS will hold (`tags` merged with the provider's `default_tags`); `tags` when
 * the state predates `tags_all`. Tag controls read keys only, so an unknown tag value does not matter,
 * but unknown keys do: the code never sets `tags_all`, so its being unknown is not a default. When it
 * is unknown, `tags` merged with `defaultTags` is the answer, if the plan's configuration shows them.
 */
function tagsOf(attributes: Attributes, address: string, defaultTags: DefaultTags): Tags | Unreadable {
  if (attributes.isUnknown('tags_all')) {
    if (defaultTags instanceof Unresolved) return new Unreadable(`${address}.tags_all`, `${knownAfterApply('tags_all').description}, and ${defaultTags.description}`);
    const tags = tagMap(attributes, 'tags', address);
    return tags instanceof Unreadable ? tags : { ...defaultTags, ...tags };
  }
  return tagMap(attributes, attributes.value('tags_all') === undefined ? 'tags' : 'tags_all', address);
}

/** A map attribute of tags (`tags`, `tags_all`); unset is none. */
function tagMap(attributes: Attributes, source: string, address: string): Record<string, string> | Unreadable {
  const tags = attributes.value(source) ?? {};
  if (tags instanceof Unresolved) return new Unreadable(`${address}.${source}`, tags.description);
  if (!isJsonObject(tags)) return new Unreadable(`${address}.${source}`, 'expected a map of tags');
  const known: Record<string, string> = Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, typeof value === 'string' ? value : '']));
  // A tag whose value is known only after apply is left out of `after` but keeps its key in `after_unknown`.
  for (const key of attributes.unknownKeys(source)) known[key] ??= '';
  return known;
}

/**
 * The tags a resource's provider configuration adds to it (`default_tags { tags = {…} }`): none when
 * the provider block has no `default_tags`, or why the plan does not show them.
 */
type DefaultTags = Readonly<Record<string, string>> | Unresolved;

/** One resource instance of the document, before it is normalized. */
interface Instance {
  readonly address: string;
  /** `module.api` (empty at the root): what a reference inside the module is relative to. */
  readonly moduleAddress: string;
  readonly type: string;
  readonly name: string;
  readonly documentPath: readonly PathSegment[];
  readonly attributes: Attributes;
  /** What the code's `task_definition` expression refers to (a plan's configuration). */
  readonly taskDefinitionReferences?: readonly string[];
  /** Why the resource is not evaluated (the plan deletes it); undefined when it is. */
  readonly skipped?: string;
  /** The provider configuration's `default_tags` for the resource (a plan's configuration; a state's values are all known). */
  readonly defaultTags?: DefaultTags;
}

/**
 * Every resource of the five ECS types in a `terraform show -json` document, in document order.
 * Throws `MalformedTerraformError` when the document is not one, or reports a format version this
 * adapter does not know (the format's rule: reject an unsupported major version).
 */
export function resourcesFromTerraform(document: unknown): TerraformResource[] {
  const kind = detectTerraformDocument(document);
  if (kind === undefined) throw new MalformedTerraformError('Not `terraform show -json` output: expected an object with format_version and planned_values, resource_changes or values');
  const json = document as JsonObject;
  checkFormatVersion(json.format_version as string);
  if (json.errored === true) throw new MalformedTerraformError('The plan is marked errored: Terraform could not finish planning, so it does not say what will be applied');
  const instances = kind === 'plan' ? planInstances(json) : stateInstances(json);
  const taskDefinitions = new TaskDefinitions(instances.filter((instance) => instance.type === 'aws_ecs_task_definition' && instance.skipped === undefined));
  return instances.map((instance) => toResource(instance, taskDefinitions));
}

/** 0.x (Terraform 0.12 to 1.0) and 1.x read the same way; a new major version may not. */
function checkFormatVersion(version: string): void {
  if (!/^[01]\.\d+$/.test(version)) {
    throw new MalformedTerraformError(`format_version ${JSON.stringify(version)} is not supported: this scanner reads the 0.x and 1.x JSON output formats of Terraform 0.12+ and OpenTofu`);
  }
}

function toResource(instance: Instance, taskDefinitions: TaskDefinitions): TerraformResource {
  const resourceType = RESOURCE_TYPES[instance.type];
  const base = { address: instance.address, resourceType, documentPath: instance.documentPath };
  if (instance.skipped !== undefined) return { ...base, resource: undefined, notApplicable: instance.skipped };
  const { attributes, address } = instance;
  const envelope: Envelope = { fallbackName: address, displayName: address, tags: tagsOf(attributes, address, instance.defaultTags ?? NO_PROVIDER_CONFIGURATION) };
  switch (resourceType) {
    case 'AWS::ECS::TaskDefinition':
      return { ...base, resource: normalizeTaskDefinition(terraformReader, taskDefinitionDocument(attributes), address, envelope) };
    case 'AWS::ECS::Service': {
      const document = serviceDocument(attributes);
      const taskDefinitionOperatingSystemFamily = referencedOperatingSystemFamily(instance, document.TaskDefinition, taskDefinitions);
      return { ...base, resource: normalizeService(terraformReader, document, address, { ...envelope, taskDefinitionOperatingSystemFamily }) };
    }
    case 'AWS::ECS::Cluster':
      return { ...base, resource: normalizeCluster(terraformReader, clusterDocument(attributes), address, envelope) };
    case 'AWS::ECS::TaskSet':
      return { ...base, resource: normalizeTaskSet(terraformReader, taskSetDocument(attributes), address, envelope) };
    case 'AWS::ECS::CapacityProvider':
      return { ...base, resource: normalizeCapacityProvider(terraformReader, capacityProviderDocument(attributes), address, envelope) };
  }
}

// ---- Plans ----------------------------------------------------------------------------------------

/**
 * A plan's `resource_changes`: every resource instance, including unchanged ones (`no-op`). Actions
 * (https://developer.hashicorp.com/terraform/internals/json-format#change-representation) are
 * `no-op`, `create`, `read`, `update`, `delete`, a replacement (`delete` and `create` in either
 * order), or `forget` (Terraform 1.7+, removed from state but kept in AWS).
 */
function planInstances(plan: JsonObject): Instance[] {
  // Stryker disable next-line ArrayDeclaration: equivalent mutant; the placeholder change is no object and is skipped like any other
  const changes = plan.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new MalformedTerraformError('resource_changes must be a list');
  const configuration = new ConfigurationIndex(plan.configuration);
  const instances: Instance[] = [];
  changes.forEach((change: unknown, index) => {
    if (!isJsonObject(change) || change.mode !== 'managed' || !isEcsType(change.type)) return;
    const path = `resource_changes[${index}]`;
    const address = requiredString(change, 'address', path);
    const moduleAddress = typeof change.module_address === 'string' ? change.module_address : '';
    const name = requiredString(change, 'name', path);
    const body = isJsonObject(change.change) ? change.change : undefined;
    const actions = body && Array.isArray(body.actions) ? body.actions : undefined;
    if (!body || !actions) throw new MalformedTerraformError(`${path} (${address}) has no change.actions`);
    const documentPath = ['resource_changes', index];
    const skipped = notEvaluated(actions, change.deposed);
    if (skipped !== undefined) {
      // Stryker disable next-line StringLiteral: equivalent mutant; a skipped instance's attributes are never read (the resource is not evaluated)
      instances.push({ address, moduleAddress, type: change.type, name, documentPath, attributes: new Attributes({}, undefined, undefined, ''), skipped: `The plan ${skipped} ${address}: it is not evaluated.` });
      return;
    }
    if (!isJsonObject(body.after)) throw new MalformedTerraformError(`${path} (${address}) has no change.after object`);
    const expressions = configuration.expressionsOf(moduleAddress, change.type, name);
    instances.push({
      address,
      moduleAddress,
      type: change.type,
      name,
      documentPath,
      attributes: new Attributes(body.after, body.after_unknown, expressions && [expressions], ''),
      taskDefinitionReferences: configuration.referencesOf(moduleAddress, change.type, name, 'task_definition'),
      defaultTags: configuration.defaultTagsOf(moduleAddress, change.type, name),
    });
  });
  return instances;
}

/** What the plan does instead of leaving the resource in AWS ("deletes"), or undefined when it stays. */
function notEvaluated(actions: readonly unknown[], deposed: unknown): string | undefined {
  // A deposed object is the old copy a create_before_destroy replacement leaves behind, to be deleted.
  if (typeof deposed === 'string') return `deletes deposed object ${deposed} of`;
  if (actions.includes('create') || actions.includes('update') || actions.includes('no-op')) return undefined;
  if (actions.includes('delete')) return 'deletes';
  if (actions.includes('forget')) return 'forgets (removes from state without destroying)';
  return `has action ${actions.join(', ')} for`;
}

function requiredString(object: JsonObject, key: string, path: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') throw new MalformedTerraformError(`${path} has no ${key}`);
  return value;
}

/**
 * The plan's `configuration`: resources by module path and address, for their `expressions`
 * (https://developer.hashicorp.com/terraform/internals/json-format#configuration-representation).
 * Module calls nest under `module_calls.<name>.module`; a configuration address has no instance keys.
 */
class ConfigurationIndex {
  private readonly resources = new Map<string, JsonObject>();
  private readonly modulePaths = new Map<string, string[]>();
  private readonly providers: JsonObject = {};

  constructor(configuration: unknown) {
    if (!isJsonObject(configuration)) return;
    this.addModule(configuration.root_module, []);
    if (isJsonObject(configuration.provider_config)) this.providers = configuration.provider_config;
  }

  private addModule(module: unknown, modulePath: readonly string[]): void {
    if (!isJsonObject(module)) return;
    // Stryker disable next-line ArrayDeclaration: equivalent mutant; the placeholder item is no object and is skipped like any other
    for (const resource of Array.isArray(module.resources) ? module.resources : []) {
      if (isJsonObject(resource) && resource.mode === 'managed' && typeof resource.type === 'string' && typeof resource.name === 'string') {
        this.resources.set(configurationKey(modulePath, resource.type, resource.name), resource);
      }
    }
    if (!isJsonObject(module.module_calls)) return;
    for (const [name, call] of Object.entries(module.module_calls)) {
      if (isJsonObject(call)) this.addModule(call.module, [...modulePath, name]);
    }
  }

  /** `moduleNames`, once per module instance: a plan has many resources in few modules. */
  private modulePath(moduleAddress: string): string[] {
    let names = this.modulePaths.get(moduleAddress);
    // Stryker disable next-line ConditionalExpression: equivalent mutant; `true` only recomputes the cached module path, to the same value
    if (!names) this.modulePaths.set(moduleAddress, (names = moduleNames(moduleAddress)));
    return names;
  }

  /** The resource's configuration expressions; undefined when the configuration does not have it. */
  expressionsOf(moduleAddress: string, type: string, name: string): JsonObject | undefined {
    const expressions = this.resources.get(configurationKey(this.modulePath(moduleAddress), type, name))?.expressions;
    return isJsonObject(expressions) ? expressions : undefined;
  }

  /**
   * The `default_tags` of the provider configuration the resource uses: its `provider_config_key` names
   * an entry of `provider_config` (a provider passed into a module keeps its original key), whose
   * `expressions` hold the provider block's arguments and blocks, a block as a list of objects
   * (https://developer.hashicorp.com/terraform/internals/json-format#configuration-representation).
   * Tags only a constant can say: `default_tags { tags = var.tags }` is known only after apply.
   */
  defaultTagsOf(moduleAddress: string, type: string, name: string): DefaultTags {
    const providerKey = this.resources.get(configurationKey(this.modulePath(moduleAddress), type, name))?.provider_config_key;
    const provider = typeof providerKey === 'string' ? this.providers[providerKey] : undefined;
    if (!isJsonObject(provider)) return NO_PROVIDER_CONFIGURATION;
    const blocks = isJsonObject(provider.expressions) ? provider.expressions.default_tags : undefined;
    if (blocks === undefined) return {};
    const tags: Record<string, string> = {};
    for (const block of Array.isArray(blocks) ? blocks : [blocks]) {
      const expression = isJsonObject(block) ? block.tags : undefined;
      if (expression === undefined) continue;
      const constant = isJsonObject(expression) ? expression.constant_value : undefined;
      if (!isJsonObject(constant)) return new Unresolved(`provider configuration ${providerKey}'s default_tags are not a constant`);
      for (const [key, value] of Object.entries(constant)) tags[key] = typeof value === 'string' ? value : '';
    }
    return tags;
  }

  /** The addresses an attribute's expression refers to (`aws_ecs_task_definition.app.arn`, …). */
  referencesOf(moduleAddress: string, type: string, name: string, attribute: string): string[] {
    const expression = this.expressionsOf(moduleAddress, type, name)?.[attribute];
    const references = isJsonObject(expression) ? expression.references : undefined;
    // Stryker disable next-line ArrayDeclaration: equivalent mutant; the placeholder reference does not start with aws_ecs_task_definition., so it finds nothing, as none does
    return Array.isArray(references) ? references.filter((reference): reference is string => typeof reference === 'string') : [];
  }
}

const NO_PROVIDER_CONFIGURATION = new Unresolved("the plan's configuration does not show the resource's provider configuration, so not its default_tags");

const configurationKey = (modulePath: readonly string[], type: string, name: string) => [...modulePath, `${type}.${name}`].join('\u0000');

/** `module.api["eu"].module.db[0]` → `['api', 'db']`: module instance keys dropped. */
function moduleNames(moduleAddress: string): string[] {
  return [...moduleAddress.matchAll(/(?:^|\.)module\.([^.[\]]+)(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?/g)].map((match) => match[1]);
}

// ---- States ---------------------------------------------------------------------------------------

/** A state's `values.root_module` and its `child_modules`, depth first, in document order. */
function stateInstances(state: JsonObject): Instance[] {
  const values = state.values;
  if (values === undefined || values === null) return [];
  if (!isJsonObject(values)) throw new MalformedTerraformError('values must be an object');
  const instances: Instance[] = [];
  addStateModule(values.root_module, ['values', 'root_module'], instances);
  return instances;
}

function addStateModule(module: unknown, modulePath: readonly PathSegment[], instances: Instance[]): void {
  if (module === undefined || module === null) return;
  if (!isJsonObject(module)) throw new MalformedTerraformError(`${dotted(modulePath)} must be an object`);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: equivalent mutant; a state's module address is read only by byReference, which only a plan's services reach (a state knows every task_definition)
  const moduleAddress = typeof module.address === 'string' ? module.address : '';
  // Stryker disable next-line ArrayDeclaration: equivalent mutant; the placeholder item is no object and is skipped like any other
  (Array.isArray(module.resources) ? module.resources : []).forEach((resource: unknown, index) => {
    if (!isJsonObject(resource) || resource.mode !== 'managed' || !isEcsType(resource.type)) return;
    const documentPath = [...modulePath, 'resources', index];
    const path = dotted(documentPath);
    const address = requiredString(resource, 'address', path);
    if (!isJsonObject(resource.values)) throw new MalformedTerraformError(`${path} (${address}) has no values object`);
    instances.push({ address, moduleAddress, type: resource.type, name: requiredString(resource, 'name', path), documentPath, attributes: new Attributes(resource.values, undefined, undefined, '') });
  });
  (Array.isArray(module.child_modules) ? module.child_modules : []).forEach((child: unknown, index) => addStateModule(child, [...modulePath, 'child_modules', index], instances));
}

function dotted(path: readonly PathSegment[]): string {
  return path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('').slice(1);
}

// ---- A service's task definition --------------------------------------------------------------------

/**
 * The OS family of a service's task definition (ECS.10 needs it), found in the same document: by the
 * family a known `task_definition` names (an ARN or `family[:revision]`), or, when the value is known
 * only after apply (a task definition created or replaced by this plan), by the resource the code's
 * expression refers to (`task_definition = aws_ecs_task_definition.app.arn`), in the service's module.
 */
function referencedOperatingSystemFamily(service: Instance, taskDefinition: unknown, taskDefinitions: TaskDefinitions): OperatingSystemFamily | Unreadable {
  const path = `${service.address}.task_definition`;
  if (taskDefinition === undefined) return new Unreadable(path, 'the service names no task definition, so its OS family is unknown');
  if (typeof taskDefinition !== 'string' && !(taskDefinition instanceof Unresolved)) return new Unreadable(path, 'expected a string');
  const candidates = typeof taskDefinition === 'string' ? taskDefinitions.byFamily(taskDefinition) : taskDefinitions.byReference(service);
  if (candidates.length === 0) {
    const what = typeof taskDefinition === 'string' ? `task definition ${taskDefinition} is not in this document` : `${taskDefinition.description}, and refers to no aws_ecs_task_definition of this plan`;
    return new Unreadable(path, `${what}, so its OS family is unknown`);
  }
  const families = candidates.map((candidate) => operatingSystemFamilyOf(terraformReader, { RuntimePlatform: runtimePlatform(candidate.attributes) }, candidate.address));
  const unreadable = families.find((family): family is Unreadable => family instanceof Unreadable);
  if (unreadable) return unreadable;
  // No runtime platform is ECS's default, LINUX (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html): the same family.
  if (new Set(families.map((family) => family ?? 'LINUX')).size > 1) {
    return new Unreadable(path, `it may be any of ${candidates.map((candidate) => candidate.address).join(', ')}, whose OS families differ`);
  }
  return families[0];
}

/** The task definitions of the document, by family and by module and name, for services to find theirs. */
class TaskDefinitions {
  private readonly families = new Map<string, Instance[]>();
  private readonly resources = new Map<string, Instance[]>();

  constructor(taskDefinitions: readonly Instance[]) {
    for (const taskDefinition of taskDefinitions) {
      const family = taskDefinition.attributes.value('family');
      // Stryker disable next-line ConditionalExpression: equivalent mutant; a family that is not a string is filed under a key byFamily never looks up (it looks up strings only)
      if (typeof family === 'string') append(this.families, family, taskDefinition);
      append(this.resources, resourceKey(taskDefinition.moduleAddress, taskDefinition.name), taskDefinition);
    }
  }

  /** The task definitions of the family an ARN or `family[:revision]` names. */
  byFamily(reference: string): Instance[] {
    return this.families.get(familyFromArn(reference) ?? reference.replace(/:\d+$/, '')) ?? [];
  }

  /** The task definitions of the service's module its `task_definition` expression refers to (every instance of a counted one). */
  byReference(service: Instance): Instance[] {
    const names = new Set(
      // Stryker disable next-line ArrayDeclaration: equivalent mutant; only a plan's services reach byReference, and they always carry their references; the placeholder would match no task definition anyway
      (service.taskDefinitionReferences ?? []).flatMap((reference) => {
        const match = /^aws_ecs_task_definition\.([^.[\]]+)/.exec(reference);
        // Stryker disable next-line ArrayDeclaration: equivalent mutant; a logical name has no space, so the placeholder item names no task definition either
        return match ? [match[1]] : [];
      }),
    );
    return [...names].flatMap((name) => this.resources.get(resourceKey(service.moduleAddress, name)) ?? []);
  }
}

const resourceKey = (moduleAddress: string, name: string) => `${moduleAddress}\u0000${name}`;

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// ---- A bare container definitions file ------------------------------------------------------------

/**
 * A JSON list of container definitions, each with a `name` and an `image` (ECS requires both,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html): the file
 * of `container_definitions = file("containers.json")`.
 */
export function isContainerDefinitionsList(json: unknown): json is unknown[] {
  return Array.isArray(json) && json.length > 0 && json.every((item) => isJsonObject(item) && typeof item.name === 'string' && typeof item.image === 'string');
}

/** Why a container definitions file cannot answer a task-level question: the resource holds the answer. */
const setOnTheResource = (attribute: string) =>
  new Unresolved(`${attribute} is an argument of the aws_ecs_task_definition resource, not of its container definitions file: scan the plan (terraform show -json) to check it`, true);

/**
 * A container definitions file as a task definition's containers. The container controls (ECS.4,
 * ECS.5, ECS.8, ECS.9, ECS.20, ECS.21) evaluate them; what the file cannot say (network and PID mode,
 * volumes, tags) is held elsewhere, naming the resource argument: the controls on it do not apply to
 * the file (NOT_APPLICABLE), they apply to the plan. The OS family is read as not configured,
 * which Security Hub evaluates under both ECS.20 and ECS.21 (decision: the stricter reading; a Windows
 * task definition's containers are judged right in its plan).
 */
export function taskDefinitionFromContainerDefinitions(containers: readonly unknown[], name: string): Resource {
  const document: JsonObject = {
    NetworkMode: setOnTheResource('network_mode'),
    PidMode: setOnTheResource('pid_mode'),
    Volumes: setOnTheResource('volume'),
    ContainerDefinitions: containers,
  };
  const tags = new HeldElsewhere('tags', setOnTheResource('tags').description);
  return normalizeTaskDefinition(terraformReader, document, '', { fallbackName: name, tags });
}
