/**
 * Parsed documents → scan targets, through the project's adapters. This file recognizes a document's
 * shape and records where each resource sits; the adapters (lambdas/adapters/) do all the reading.
 *
 * A service's task definition OS family (ECS.10) is not in the service's own configuration. In a
 * template the CloudFormation adapter follows `Ref`/`GetAtt`; for ECS API documents and Config items
 * it is looked up among the task definitions of the same scan, which is why services are adapted last.
 */
import { basename, extname } from 'node:path';
import { MalformedTemplateError, resourcesFromTemplate } from '../../lambdas/adapters/cloudformation';
import {
  ConfigAdapterOptions,
  ConfigurationItem,
  configurationItemFromEvent,
  configurationItemFromHistory,
  isGone,
  isSupportedResourceType,
  MalformedConfigurationItemError,
  resourceFromConfigurationItem,
} from '../../lambdas/adapters/config-item';
import { familyFromArn, revisionFromArn } from '../../lambdas/adapters/ecs-document';
import { detectEcsApiDocument, EcsApiResource, holdsTaskDefinition, MalformedEcsDocumentError, resourcesFromEcsApiDocument } from '../../lambdas/adapters/ecs-api';
import { DocumentReader, isJsonObject, JsonObject } from '../../lambdas/adapters/reader';
import { detectTerraformDocument, isContainerDefinitionsList } from '../../lambdas/adapters/terraform';
import { UnreadableFieldError, OperatingSystemFamily, TaskDefinition, Unreadable } from '../../lambdas/core/model';
import { MalformedEventError, parseConfigEvent } from '../../lambdas/runtime/config-event';
import { METADATA_KEY, suppressionsFromMetadata } from '../suppressions';
import { ResourceLocation, ScanTarget } from '../target';
import { StackMetadata } from './assembly-metadata';
import { InputError, InputNotice, ParsedText } from './parse';
import { PathSegment } from './path';
import type { YamlOnlyFeature } from './yaml';
import { containerDefinitionsTargets, terraformTargets } from './terraform';

/** Where a document came from. */
export interface DocumentSource {
  /** As reports name it (relative path, `-` for standard input); none for a live scan. */
  readonly file?: string;
  /** The cloud assembly stack, for templates read from `cdk.out`. */
  readonly stack?: string;
  /**
   * A stack template the CDK synthesized: a template whatever its content, and one without resources
   * has no `Resources` section at all (only CDK's bootstrap-version parameter and rule).
   */
  readonly synthesized?: boolean;
  /** A cloud assembly stack's metadata: construct paths, creation stacks, acknowledgements. */
  readonly stackMetadata?: StackMetadata;
}

export type DocumentKind = 'cloudformation' | 'config-item' | 'config-history' | 'config-event' | 'ecs-api' | 'terraform' | 'container-definitions';

/** The shape of a parsed document, or undefined when it is none the scanner reads. */
export function documentKind(value: unknown): DocumentKind | undefined {
  if (isContainerDefinitionsList(value)) return 'container-definitions';
  if (!isJsonObject(value)) return undefined;
  if (detectTerraformDocument(value)) return 'terraform';
  if (isJsonObject(value.Resources) || typeof value.AWSTemplateFormatVersion === 'string') return 'cloudformation';
  if (typeof value.configurationItemStatus === 'string' && typeof value.resourceType === 'string') return 'config-item';
  if (Array.isArray(value.configurationItems)) return 'config-history';
  if (typeof value.invokingEvent === 'string') return 'config-event';
  return detectEcsApiDocument(value) ? 'ecs-api' : undefined;
}

/**
 * Task definitions by `family:revision` and by family (its highest revision seen), for the OS family
 * of a service's task definition.
 */
export class TaskDefinitionIndex {
  private readonly byRevision = new Map<string, TaskDefinition>();
  private readonly latestByFamily = new Map<string, TaskDefinition>();

  add(taskDefinition: TaskDefinition): void {
    if (taskDefinition.revision !== undefined) this.byRevision.set(`${taskDefinition.family}:${taskDefinition.revision}`, taskDefinition);
    const known = this.latestByFamily.get(taskDefinition.family);
    if (!known || (known.revision ?? 0) < (taskDefinition.revision ?? 0)) this.latestByFamily.set(taskDefinition.family, taskDefinition);
  }

  /** `reference` is an ARN, `family:revision` or a family (its latest revision), as a service names it. */
  operatingSystemFamily(reference: string | undefined, path: string): OperatingSystemFamily | Unreadable {
    if (reference === undefined) return new Unreadable(path, 'the service names no task definition, so its OS family is unknown');
    const family = familyFromArn(reference) ?? reference.replace(/:\d+$/, '');
    const revision = revisionFromArn(reference);
    const taskDefinition = revision === undefined ? this.latestByFamily.get(family) : this.byRevision.get(`${family}:${revision}`);
    if (!taskDefinition) return new Unreadable(path, `task definition ${reference} is not among the scanned inputs, so its OS family is unknown`);
    try {
      return taskDefinition.operatingSystemFamily;
    } catch (error) {
      if (error instanceof UnreadableFieldError) return new Unreadable(error.path, error.reason);
      throw error;
    }
  }
}

const configReader = new DocumentReader({ booleanStrings: false });

/** `services[1].taskSets[0]` → `['services', 1, 'taskSets', 0]`. */
function segmentsOf(path: string): PathSegment[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] === undefined ? match[1] : Number(match[2])));
}

const ARN_KEYS = ['taskDefinitionArn', 'serviceArn', 'taskSetArn', 'clusterArn', 'capacityProviderArn'];

function arnIn(document: unknown, segments: readonly PathSegment[]): string | undefined {
  let value: unknown = document;
  for (const segment of segments) value = (value as Record<PathSegment, unknown> | undefined)?.[segment];
  if (isJsonObject(value) && isJsonObject(value.taskDefinition)) value = value.taskDefinition;
  if (!isJsonObject(value)) return undefined;
  const key = ARN_KEYS.find((candidate) => typeof value[candidate] === 'string');
  return key === undefined ? undefined : (value[key] as string);
}

/** Adapter errors are input errors: they name what is wrong; the file (and line) is added here. */
function asInputError(error: unknown, source: DocumentSource, line?: number): unknown {
  const known = [MalformedTemplateError, MalformedConfigurationItemError, MalformedEcsDocumentError, MalformedEventError];
  return known.some((type) => error instanceof type) ? new InputError((error as Error).message, source.file, source.file === undefined ? undefined : line, { cause: error }) : error;
}

/**
 * Collects targets from documents, in input order. Task definitions are adapted at once (so the index
 * knows them); services of ECS API documents and Config items wait until `finish`, when every task
 * definition of the scan is known.
 */
export class TargetCollector {
  private readonly entries: (() => ScanTarget[])[] = [];
  private readonly index = new TaskDefinitionIndex();
  /** About documents that were read all the same, in input order. */
  readonly notices: InputNotice[] = [];

  /** Adds the document's resources; returns false when its shape is none the scanner reads. */
  addDocument(parsed: ParsedText, source: DocumentSource): boolean {
    const kind = source.synthesized ? 'cloudformation' : documentKind(parsed.value);
    switch (kind) {
      case 'cloudformation':
        this.addTemplate(parsed, source);
        return true;
      case 'config-item':
        this.addConfigurationItem(parsed.value, [], parsed, source, configurationItemFromEvent);
        return true;
      case 'config-history':
        ((parsed.value as JsonObject).configurationItems as unknown[]).forEach((item, index) =>
          this.addConfigurationItem(item, ['configurationItems', index], parsed, source, configurationItemFromHistory),
        );
        return true;
      case 'config-event':
        this.addConfigEvent(parsed, source);
        return true;
      case 'ecs-api':
        this.addEcsApiDocument(parsed.value, source, (segments) => parsed.lineOf(segments));
        return true;
      case 'terraform': {
        const targets = terraformTargets(parsed, source.file);
        this.entries.push(() => targets);
        return true;
      }
      case 'container-definitions': {
        const targets = containerDefinitionsTargets(parsed, source.file);
        this.entries.push(() => targets);
        return true;
      }
      case undefined:
        return false;
    }
  }

  /**
   * Adds every resource of an ECS API document (describe output, a task definition, a service…).
   * `lineOf` places each resource in its file; a live scan has none.
   */
  addEcsApiDocument(document: unknown, source: DocumentSource, lineOf: (segments: PathSegment[]) => number | undefined = () => undefined): void {
    const fallbackName = source.file === undefined ? undefined : basename(source.file, extname(source.file));
    const targetsOf = (resources: EcsApiResource[]): ScanTarget[] =>
      resources.map(({ path, resourceType, resource }) => {
        const segments = segmentsOf(path);
        const line = lineOf(segments);
        const arn = arnIn(document, segments);
        return { resourceType, name: resource.displayName, resource, location: { ...locationOf(source), ...(line !== undefined && { line }), ...(arn !== undefined && { arn }) }, suppressions: [] };
      });
    const adapt = (withLookup: boolean) => {
      try {
        return targetsOf(
          resourcesFromEcsApiDocument(document, {
            fallbackName,
            ...(withLookup && { taskDefinitionOperatingSystemFamily: (reference) => this.index.operatingSystemFamily(reference, 'taskDefinition') }),
          }),
        );
      } catch (error) {
        throw asInputError(error, source);
      }
    };
    const kind = detectEcsApiDocument(document);
    if (kind !== undefined && holdsTaskDefinition(kind)) {
      const targets = adapt(false);
      for (const { resource } of targets) this.index.add(resource as TaskDefinition);
      this.entries.push(() => targets);
    } else {
      this.entries.push(() => adapt(true));
    }
  }

  /** A task definition known only to answer a service's OS family (a live scan's older revision): not itself evaluated. */
  addReferencedTaskDefinition(taskDefinition: TaskDefinition): void {
    this.index.add(taskDefinition);
  }

  /** Every target, in input order. */
  finish(): ScanTarget[] {
    return this.entries.splice(0).flatMap((entry) => entry());
  }

  private addTemplate(parsed: ParsedText, source: DocumentSource): void {
    if (source.synthesized && isJsonObject(parsed.value) && parsed.value.Resources === undefined) return;
    let resources;
    try {
      resources = resourcesFromTemplate(parsed.value);
    } catch (error) {
      throw asInputError(error, source);
    }
    if (parsed.yamlOnly) this.notices.push(yamlOnlyNotice(parsed.yamlOnly, source));
    const definitions = (parsed.value as JsonObject).Resources as JsonObject;
    // A cloud assembly's nested stacks are followed by discovery (scan/inputs/cloud-assembly.ts); a
    // template read on its own names its nested stacks' templates only by URL.
    if (!source.synthesized) this.notices.push(...nestedStackNotices(definitions, parsed, source));
    const targets = resources.map(({ logicalId, resourceType, resource }): ScanTarget => {
      const line = parsed.lineOf(['Resources', logicalId]);
      const metadata = (definitions[logicalId] as JsonObject).Metadata;
      const templatePath = isJsonObject(metadata) && typeof metadata['aws:cdk:path'] === 'string' ? metadata['aws:cdk:path'] : undefined;
      const constructPath = templatePath ?? source.stackMetadata?.constructPathOf(logicalId);
      const appSource = constructPath === undefined ? undefined : source.stackMetadata?.sourceOf(constructPath);
      return {
        resourceType,
        name: resource.displayName,
        resource,
        location: { ...locationOf(source), ...(line !== undefined && { line }), logicalId, ...(constructPath !== undefined && { constructPath }), ...(appSource && { source: appSource }) },
        suppressions: [
          ...suppressionsFromMetadata(metadata, {
            file: source.file ?? '-',
            logicalId,
            lineOf: (entry) => (entry === undefined ? line : parsed.lineOf(['Resources', logicalId, 'Metadata', METADATA_KEY, 'suppressions', entry])),
          }),
          ...(constructPath === undefined ? [] : (source.stackMetadata?.acknowledgementsFor(constructPath) ?? [])),
        ],
      };
    });
    this.entries.push(() => targets);
  }

  private addConfigEvent(parsed: ParsedText, source: DocumentSource): void {
    let event;
    try {
      event = parseConfigEvent(parsed.value);
    } catch (error) {
      throw asInputError(error, source, 1);
    }
    if (event.messageType !== 'ConfigurationItemChangeNotification') {
      const why =
        event.messageType === 'OversizedConfigurationItemChangeNotification'
          ? 'an oversized change notification carries only a summary: scan the GetResourceConfigHistory response instead'
          : `a ${event.messageType} carries no configuration item`;
      throw new InputError(why, source.file, 1);
    }
    this.addConfigurationItem(event.configurationItem, [], parsed, source, configurationItemFromEvent, event.eventLeftScope);
  }

  private addConfigurationItem(
    raw: unknown,
    segments: PathSegment[],
    parsed: ParsedText,
    source: DocumentSource,
    envelope: (raw: unknown) => ConfigurationItem,
    leftScope = false,
  ): void {
    const line = parsed.lineOf(segments);
    let item: ConfigurationItem;
    try {
      item = envelope(raw);
    } catch (error) {
      throw asInputError(error, source, line);
    }
    // Items of other resource types (a Config snapshot holds every type) have no ECS control to run.
    if (!isSupportedResourceType(item.resourceType)) return;
    const location = { ...locationOf(source), ...(line !== undefined && { line }), ...(item.arn && { arn: item.arn }) };
    const target = { resourceType: item.resourceType, name: item.resourceName ?? item.resourceId, location, suppressions: [] };
    if (leftScope || isGone(item)) {
      const why = leftScope ? 'the event says the resource left the rule scope' : `AWS Config recorded it as ${item.status}`;
      this.entries.push(() => [{ ...target, resource: undefined, notApplicable: `${item.resourceType} ${item.resourceId}: ${why}.` }]);
      return;
    }
    const adapt = (options: ConfigAdapterOptions = {}) => {
      try {
        return [{ ...target, resource: resourceFromConfigurationItem(item, options) }];
      } catch (error) {
        throw asInputError(error, source, line);
      }
    };
    if (item.resourceType !== 'AWS::ECS::Service') {
      const targets = adapt();
      if (targets[0].resource.kind === 'AWS::ECS::TaskDefinition') this.index.add(targets[0].resource);
      this.entries.push(() => targets);
      return;
    }
    this.entries.push(() => {
      const taskDefinition = configReader.string(item.configuration ?? {}, 'TaskDefinition', 'configuration');
      const reference = typeof taskDefinition === 'string' ? taskDefinition : undefined;
      return adapt({ taskDefinitionOperatingSystemFamily: this.index.operatingSystemFamily(reference, 'configuration.TaskDefinition') });
    });
  }
}

/**
 * A template read with its aliases or merge keys expanded, as `aws cloudformation package` and `sam
 * deploy` expand them before CloudFormation sees the template (scan/inputs/yaml.ts has the sources):
 * the verdicts hold for what those deploy, but the file as written is refused by CloudFormation.
 */
function yamlOnlyNotice({ feature, line }: YamlOnlyFeature, source: DocumentSource): InputNotice {
  return {
    ...(source.file !== undefined && { file: source.file }),
    ...(source.file !== undefined && { line }),
    message: `${feature} (YAML anchors and merge keys), read expanded: CloudFormation itself refuses templates with YAML aliases and has no merge keys, so deploy it through \`aws cloudformation package\` or \`sam deploy\`, which expand them, or expand them in the file`,
  };
}

/** Resource types whose resources live in another template, which a template read on its own does not include. */
const NESTED_TEMPLATE_TYPES: Readonly<Record<string, string>> = { 'AWS::CloudFormation::Stack': 'TemplateURL', 'AWS::Serverless::Application': 'Location' };

function nestedStackNotices(definitions: JsonObject | undefined, parsed: ParsedText, source: DocumentSource): InputNotice[] {
  return Object.entries(definitions ?? {}).flatMap(([logicalId, definition]) => {
    const property = isJsonObject(definition) && typeof definition.Type === 'string' ? NESTED_TEMPLATE_TYPES[definition.Type] : undefined;
    if (property === undefined) return [];
    const line = parsed.lineOf(['Resources', logicalId]);
    return [
      {
        ...(source.file !== undefined && { file: source.file }),
        ...(source.file !== undefined && line !== undefined && { line }),
        message: `${logicalId} is a nested stack (${(definition as JsonObject).Type}): the resources of the template its ${property} names are not in this file and were not checked; scan that template too (or the cdk.out a CDK app synthesizes, where nested stacks are followed)`,
      },
    ];
  });
}

function locationOf(source: DocumentSource): ResourceLocation {
  return { ...(source.file !== undefined && { file: source.file }), ...(source.stack !== undefined && { stack: source.stack }) };
}
