/**
 * A CDK cloud assembly (`cdk.out`, found by its `manifest.json`) → the templates to read: every
 * stack's, the stacks of nested assemblies (CDK stages), and every nested stack's, at any depth.
 *
 * The manifest's artifacts are those of the @aws-cdk/cloud-assembly-schema package's `ArtifactType`:
 * `aws:cloudformation:stack` (`properties.templateFile`), `cdk:cloud-assembly`
 * (`properties.directoryName`) and `cdk:asset-manifest` (`properties.file`). A nested stack has no
 * artifact: it is an `AWS::CloudFormation::Stack` resource of its parent's template, and its template
 * a file asset of the stack. The resource's `aws:asset:path` metadata names that file when the CDK
 * CLI asks for asset metadata (`cdk synth` does: aws-cdk-lib NestedStack `addResourceMetadata`);
 * otherwise the asset manifest does, under the object key that ends the resource's `TemplateURL`.
 *
 * Whatever is listed but cannot be followed (a path leaving the assembly, an assembly or template
 * containing itself, a nested stack whose template is only in S3) is an unread input naming the file
 * that lists it: never skipped, never followed forever.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { isJsonObject, JsonObject } from '../../lambdas/adapters/reader';
import { readStackMetadata } from './assembly-metadata';
import { Discovery, displayPath, InputFile, inside } from './input-file';
import { InputError, parseText, ParsedText, readInputText } from './parse';

/** A template of a cloud assembly stack, or of one of its nested stacks. */
type StackTemplate = InputFile & { readonly stack: string };

const STACK_ARTIFACT = 'aws:cloudformation:stack';
const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';
/** aws-cdk-lib cx-api `ASSET_RESOURCE_METADATA_PATH_KEY`: the asset's path, relative to the assembly. */
const ASSET_PATH_METADATA = 'aws:asset:path';

interface AssemblyManifest {
  readonly artifacts: Record<string, unknown>;
}

/** The parsed `manifest.json` when `directory` is a cloud assembly, else undefined. */
function readManifest(directory: string, cwd: string): AssemblyManifest | undefined {
  const path = join(directory, 'manifest.json');
  if (!existsSync(path)) return undefined;
  const display = displayPath(path, cwd);
  const { value: manifest } = parseText(readInputText(path, display), display, 'json');
  return isJsonObject(manifest) && typeof manifest.version === 'string' && isJsonObject(manifest.artifacts) ? (manifest as unknown as AssemblyManifest) : undefined;
}

/** Whether `directory` holds a cloud assembly; a `manifest.json` that cannot be read is listed as unread. */
export function isCloudAssembly(directory: string, discovery: Discovery): boolean {
  try {
    return readManifest(directory, discovery.cwd) !== undefined;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    discovery.unread.push(error);
    return false;
  }
}

/** One assembly being read: its directory and manifest, and the file assets its stacks list. */
class Assembly {
  private assets: ReadonlyMap<string, string> | undefined;

  constructor(
    readonly directory: string,
    readonly manifest: AssemblyManifest,
    readonly discovery: Discovery,
  ) {}

  display(path: string): string {
    return displayPath(path, this.discovery.cwd);
  }

  /** Lists something the manifest names as not read, naming the manifest. */
  unread(reason: string): void {
    this.discovery.unread.push(new InputError(reason, this.display(join(this.directory, 'manifest.json'))));
  }

  /** Object key → the file (relative to the assembly) of every file asset, read on first use. */
  assetFiles(): ReadonlyMap<string, string> {
    this.assets ??= new Map(this.assetManifests().flatMap((path) => this.fileAssetsIn(path)));
    return this.assets;
  }

  private assetManifests(): string[] {
    return Object.values(this.manifest.artifacts).flatMap((artifact) => {
      if (!isJsonObject(artifact) || artifact.type !== 'cdk:asset-manifest' || !isJsonObject(artifact.properties)) return [];
      const path = typeof artifact.properties.file === 'string' ? inside(this.directory, artifact.properties.file) : undefined;
      return path === undefined ? [] : [path];
    });
  }

  /** `files.<hash>.source.path` by each destination's `objectKey` (the cdk-assets manifest format). */
  private fileAssetsIn(path: string): [string, string][] {
    const files = this.readJson(path, (value) => (isJsonObject(value) ? value.files : undefined));
    if (!isJsonObject(files)) return [];
    return Object.values(files).flatMap((asset) => {
      if (!isJsonObject(asset) || !isJsonObject(asset.source) || typeof asset.source.path !== 'string' || !isJsonObject(asset.destinations)) return [];
      const source = asset.source.path;
      return Object.values(asset.destinations).flatMap((destination) => (isJsonObject(destination) && typeof destination.objectKey === 'string' ? [[destination.objectKey, source] as [string, string]] : []));
    });
  }

  /** `pick` of the parsed file, or undefined (the file listed as unread) when it cannot be read. */
  readJson<T>(path: string, pick: (value: unknown) => T): T | undefined {
    const display = this.display(path);
    return this.attempt(() => pick(parseText(readInputText(path, display), display, 'json').value));
  }

  /** `read()`, or undefined when it throws an input error, which is listed as unread. */
  attempt<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.discovery.unread.push(error);
      return undefined;
    }
  }
}

/**
 * The templates of every stack in the assembly at `directory` and its nested assemblies, each
 * followed by its nested stacks' templates. `enclosing` are the real paths of the assemblies that
 * list this one, so an assembly listing itself (or one that lists it) is read once.
 */
export function assemblyTemplates(directory: string, discovery: Discovery, enclosing: readonly string[] = []): InputFile[] {
  const manifest = readManifest(directory, discovery.cwd);
  if (!manifest) throw new InputError('not a cloud assembly manifest', displayPath(join(directory, 'manifest.json'), discovery.cwd));
  const assembly = new Assembly(directory, manifest, discovery);
  const lineage = [...enclosing, realpathSync(directory)];
  return Object.entries(manifest.artifacts).flatMap(([id, artifact]) => {
    if (!isJsonObject(artifact)) return [];
    if (artifact.type === STACK_ARTIFACT) return stackTemplates(id, artifact, assembly);
    if (artifact.type === 'cdk:cloud-assembly') return nestedAssemblyTemplates(id, artifact, assembly, lineage);
    return [];
  });
}

/** A property of an artifact, when it is a string. */
function stringProperty(artifact: JsonObject, name: string): string | undefined {
  const value = isJsonObject(artifact.properties) ? artifact.properties[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function nestedAssemblyTemplates(id: string, artifact: JsonObject, assembly: Assembly, lineage: readonly string[]): InputFile[] {
  const directoryName = stringProperty(artifact, 'directoryName');
  if (directoryName === undefined) {
    assembly.unread(`nested assembly ${id} has no properties.directoryName, so its stacks were not read`);
    return [];
  }
  const directory = inside(assembly.directory, directoryName);
  if (directory === undefined) {
    assembly.unread(`nested assembly ${id}: its directory ${directoryName} is outside the assembly, so its stacks were not read`);
    return [];
  }
  if (!existsSync(join(directory, 'manifest.json'))) {
    assembly.unread(`nested assembly ${id}: ${directoryName} holds no manifest.json, so its stacks were not read`);
    return [];
  }
  if (lineage.includes(realpathSync(directory))) {
    assembly.unread(`nested assembly ${id}: ${directoryName} is this assembly or one that lists it, so it was not read again`);
    return [];
  }
  return assembly.attempt(() => assemblyTemplates(directory, assembly.discovery, lineage)) ?? [];
}

/** A stack's template, then its nested stacks' templates. */
function stackTemplates(id: string, artifact: JsonObject, assembly: Assembly): InputFile[] {
  const templateFile = stringProperty(artifact, 'templateFile');
  if (templateFile === undefined) {
    assembly.unread(`stack ${id} has no properties.templateFile, so its template was not read`);
    return [];
  }
  const path = inside(assembly.directory, templateFile);
  if (path === undefined) {
    assembly.unread(`stack ${id}: its templateFile ${templateFile} is outside the assembly, so it was not read`);
    return [];
  }
  // Metadata that cannot be read is listed; the template is read all the same, without it.
  const stackMetadata = assembly.attempt(() => readStackMetadata(artifact, relative(assembly.directory, path), assembly.directory, assembly.discovery.cwd, (file) => assembly.display(file)));
  const stack: StackTemplate = { path, display: assembly.display(path), explicit: true, stack: typeof artifact.displayName === 'string' ? artifact.displayName : id, ...(stackMetadata && { stackMetadata }) };
  return withNestedStacks(stack, assembly, [path]);
}

/** A nested stack not followed: the resource that declares it, so the CDK plugin can name its construct. */
export class NestedStackNotRead extends InputError {
  constructor(
    message: string,
    file: string,
    line: number | undefined,
    readonly logicalId: string,
  ) {
    super(message, file, line);
    this.name = 'NestedStackNotRead';
  }
}

/**
 * `file`, then the templates of the nested stacks it declares, each followed by its own. `lineage`
 * are the templates from the stack down to `file`, so a template that nests itself is read once. A
 * template parsed here to find its nested stacks carries the parse, so loading does not repeat it.
 */
function withNestedStacks(file: StackTemplate, assembly: Assembly, lineage: readonly string[]): StackTemplate[] {
  const template = templateDeclaringNestedStacks(file);
  return template ? [{ ...file, parsed: template }, ...nestedStackTemplates(file, template, assembly, lineage)] : [file];
}

function nestedStackTemplates(parent: StackTemplate, template: ParsedText, assembly: Assembly, lineage: readonly string[]): StackTemplate[] {
  return nestedStacksIn(template.value).flatMap(([logicalId, resource]) => {
    const notRead = (reason: string): StackTemplate[] => {
      assembly.discovery.unread.push(new NestedStackNotRead(`nested stack ${logicalId}: ${reason}`, parent.display, template.lineOf(['Resources', logicalId]), logicalId));
      return [];
    };
    const templateFile = nestedTemplateFile(resource, assembly);
    if (templateFile === undefined) return notRead('its TemplateURL is no template of the cloud assembly (no aws:asset:path metadata, no file asset with its object key), so its resources were not read');
    const path = inside(assembly.directory, templateFile);
    if (path === undefined) return notRead(`its template ${templateFile} is outside the assembly, so it was not read`);
    if (lineage.includes(path)) return notRead(`its template ${assembly.display(path)} is this template or one that nests it, so it was not read again`);
    const stackMetadata = parent.stackMetadata?.forNestedTemplate(relative(assembly.directory, path));
    // Without recorded template files (an older CDK), the nested stack is named by its parent and logical id.
    const nested: StackTemplate = { path, display: assembly.display(path), explicit: true, stack: stackMetadata?.stackPath ?? `${parent.stack}/${logicalId}`, ...(stackMetadata && { stackMetadata }) };
    return withNestedStacks(nested, assembly, [...lineage, path]);
  });
}

/**
 * The parsed template when it mentions a nested stack. A template that cannot be read or parsed is
 * undefined here: it is listed for loading all the same, and the loader reports why.
 */
function templateDeclaringNestedStacks(file: InputFile): ParsedText | undefined {
  try {
    const text = readInputText(file.path, file.display);
    return text.includes(NESTED_STACK_TYPE) ? parseText(text, file.display) : undefined;
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

function nestedStacksIn(template: unknown): [string, JsonObject][] {
  const resources = isJsonObject(template) ? template.Resources : undefined;
  if (!isJsonObject(resources)) return [];
  return Object.entries(resources).filter((entry): entry is [string, JsonObject] => isJsonObject(entry[1]) && entry[1].Type === NESTED_STACK_TYPE);
}

/** The nested stack's template file, relative to the assembly, when the assembly has it. */
function nestedTemplateFile(resource: JsonObject, assembly: Assembly): string | undefined {
  const assetPath = isJsonObject(resource.Metadata) ? resource.Metadata[ASSET_PATH_METADATA] : undefined;
  if (typeof assetPath === 'string') return assetPath;
  const url = isJsonObject(resource.Properties) ? resource.Properties.TemplateURL : undefined;
  // The CDK's synthesizers join the URL from the bucket and the object key, a literal part (`/<hash>.json`).
  const literals = stringsIn(url);
  for (const [objectKey, file] of assembly.assetFiles()) {
    if (literals.some((literal) => literal === objectKey || literal.endsWith(`/${objectKey}`))) return file;
  }
  return undefined;
}

/** Every string in a JSON value, iteratively: a hostile, deeply nested TemplateURL cannot overflow the stack. */
function stringsIn(value: unknown): string[] {
  const found: string[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') found.push(next);
    else if (Array.isArray(next)) for (const item of next) pending.push(item);
    else if (isJsonObject(next)) for (const item of Object.values(next)) pending.push(item);
  }
  return found;
}

/**
 * A stack template the CDK hands a validation plugin, then its nested stacks' templates: the CDK hands
 * plugins only top-level templates (aws/aws-cdk#23951), and the nested ones are beside them, in the
 * assembly the CDK has written by then. A template its assembly's manifest does not list is read as
 * the stack `stack` (else named by its path), its nested stacks found through `aws:asset:path`
 * metadata alone.
 */
export function stackTemplateFiles(templateFile: string, stack: string | undefined, discovery: Discovery): InputFile[] {
  const templatePath = resolve(templateFile);
  const directory = dirname(templatePath);
  const manifest = readManifest(directory, discovery.cwd) ?? { artifacts: {} };
  const assembly = new Assembly(directory, manifest, discovery);
  for (const [id, artifact] of Object.entries(manifest.artifacts)) {
    if (!isJsonObject(artifact) || artifact.type !== STACK_ARTIFACT) continue;
    const listedFile = stringProperty(artifact, 'templateFile');
    if (listedFile !== undefined && inside(directory, listedFile) === templatePath) return stackTemplates(id, artifact, assembly);
  }
  const display = assembly.display(templatePath);
  const template: StackTemplate = { path: templatePath, display, explicit: true, stack: stack ?? display };
  return withNestedStacks(template, assembly, [templatePath]);
}
