/**
 * What a cloud assembly records about a stack beyond its template, in the stack artifact's
 * `metadata` (inline in manifest.json) and its `additionalMetadataFile` (`<stack>.metadata.json`),
 * both keyed by construct path (`/Stack/Task/Resource`):
 *
 * - `aws:cdk:logicalId`: the resource's logical id, so a finding names its construct path even when
 *   the template carries no `aws:cdk:path` (path metadata is written only when the CDK CLI asks);
 * - `aws:cdk:creationStack`: where the construct was created, so a finding points at `bin/app.ts:12`;
 * - `aws:cdk:acknowledged-rules`: `Validations.of(scope).acknowledge(...)`, recorded as
 *   `{ "<plugin>::<rule>": reason }` (aws-cdk-lib's `Validations.ACKNOWLEDGED_RULES_METADATA_KEY`);
 * - `aws:cdk:templateFile`: on the stack and on each of its nested stacks (`/Stack/Outer/Inner`), the
 *   template that stack synthesized to. A nested stack's resources are recorded in the top-level
 *   stack's metadata, and their logical ids are unique only within their own template, so a logical
 *   id is looked up among the resources of the template being read.
 *
 * The CDK validation framework applies an acknowledgement of `ecs-config-rules::ECS.4` to the
 * violations of the plugin named `ecs-config-rules` on that construct and everything under it, the
 * closest acknowledgement winning (aws-cdk-lib core/lib/private/synthesis-validation.js,
 * `collectSuppressions`); this module applies the same rule, so the CLI suppresses exactly what the
 * plugin suppressed.
 */
import { isAbsolute, relative } from 'node:path';
import { isJsonObject } from '../../lambdas/adapters/reader';
import { CONTROLS } from '../../lambdas/controls';
import { Suppression } from '../suppressions';
import { InputError, parseText, readInputText } from './parse';

/** The namespace the CDK gives the plugin's rules: its name, `TOOL.name`. */
export const ACKNOWLEDGEMENT_NAMESPACE = 'ecs-config-rules';
const ACKNOWLEDGED_RULES = 'aws:cdk:acknowledged-rules';
const TEMPLATE_FILE = 'aws:cdk:templateFile';
const CONTROL_IDS = new Set(CONTROLS.map((control) => control.id));

/** A place in the app's source: `bin/app.ts`, line 12. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
  readonly trace?: readonly string[];
}

/** What one stack artifact's metadata records, shared by the views of its templates. */
interface RecordedMetadata {
  readonly entriesByPath: ReadonlyMap<string, readonly MetadataEntry[]>;
  /** Logical id → construct path, by the template the construct synthesized to (undefined: not recorded). */
  readonly pathsByTemplate: ReadonlyMap<string | undefined, ReadonlyMap<string, string>>;
  /** Template file (relative to the assembly) → the construct path of the stack it belongs to. */
  readonly stackPathByTemplate: ReadonlyMap<string, string>;
  /** Source paths are reported relative to this directory (the CLI's working directory). */
  readonly cwd: string;
  /** Where the metadata was read, for suppressions' `where`. */
  readonly file: string;
}

/** A stack's metadata, as seen from one of its templates: the stack's own, or a nested stack's. */
export class StackMetadata {
  private constructor(
    private readonly recorded: RecordedMetadata,
    /** The template being read, relative to the assembly. */
    private readonly templateFile: string,
    private readonly nested: boolean,
  ) {}

  static of(byPath: Readonly<Record<string, readonly MetadataEntry[]>>, cwd: string, file: string, templateFile: string): StackMetadata {
    const entriesByPath = new Map(Object.entries(byPath).map(([path, entries]) => [path.replace(/^\//, ''), [...entries]]));
    const stackPathByTemplate = new Map<string, string>();
    for (const [path, entries] of entriesByPath) {
      const template = entries.find((entry) => entry.type === TEMPLATE_FILE)?.data;
      if (typeof template === 'string') stackPathByTemplate.set(template, path);
    }
    const templateByStackPath = new Map([...stackPathByTemplate].map(([template, path]) => [path, template]));
    const pathsByTemplate = new Map<string | undefined, Map<string, string>>();
    for (const [path, entries] of entriesByPath) {
      const logicalId = entries.find((entry) => entry.type === 'aws:cdk:logicalId')?.data;
      if (typeof logicalId !== 'string') continue;
      const template = owningTemplate(path, templateByStackPath);
      if (!pathsByTemplate.has(template)) pathsByTemplate.set(template, new Map());
      pathsByTemplate.get(template)?.set(logicalId, path);
    }
    return new StackMetadata({ entriesByPath, pathsByTemplate, stackPathByTemplate, cwd, file }, templateFile, false);
  }

  /** The view from a nested stack's template (`templateFile` relative to the assembly). */
  forNestedTemplate(templateFile: string): StackMetadata {
    return new StackMetadata(this.recorded, templateFile, true);
  }

  /** The construct path of the stack that synthesized this template (`Stack/Outer/Inner`), when recorded. */
  get stackPath(): string | undefined {
    return this.recorded.stackPathByTemplate.get(this.templateFile);
  }

  /**
   * `Stack/Task/Resource` for a logical id of this template. An assembly that records no template
   * files (an older CDK) cannot tell a nested stack's logical ids from the stack's own: they are
   * then looked up only for the stack's own template.
   */
  constructPathOf(logicalId: string): string | undefined {
    const { pathsByTemplate, stackPathByTemplate } = this.recorded;
    const scoped = stackPathByTemplate.size > 0;
    if (!scoped && this.nested) return undefined;
    return pathsByTemplate.get(scoped ? this.templateFile : undefined)?.get(logicalId);
  }

  /** The first frame of the construct's creation stack in the app's own code, when the assembly recorded one. */
  sourceOf(constructPath: string): SourceLocation | undefined {
    const trace = this.entriesAt(constructPath).find((entry) => entry.type === 'aws:cdk:creationStack');
    const frames = Array.isArray(trace?.data) ? trace.data : [];
    return firstUserFrame(frames, this.recorded.cwd);
  }

  /**
   * The controls acknowledged for the construct at `constructPath`: for each control, the
   * acknowledgement on the construct itself or its closest ancestor, as the CDK applies it.
   */
  acknowledgementsFor(constructPath: string): Suppression[] {
    const found = new Map<string, Suppression>();
    for (let path: string | undefined = constructPath; path !== undefined; path = parentOf(path)) {
      for (const entry of this.entriesAt(path)) {
        if (entry.type !== ACKNOWLEDGED_RULES || !isJsonObject(entry.data)) continue;
        for (const [id, reason] of Object.entries(entry.data)) {
          const controlId = acknowledgedControl(id);
          if (controlId === undefined || found.has(controlId) || typeof reason !== 'string') continue;
          const at = firstUserFrame(entry.trace ?? [], this.recorded.cwd);
          found.set(controlId, { controlId, reason, origin: 'acknowledgement', where: `${at ? `${at.file}:${at.line}` : this.recorded.file} (acknowledged on ${path})` });
        }
      }
    }
    return [...found.values()];
  }

  private entriesAt(constructPath: string): readonly MetadataEntry[] {
    return this.recorded.entriesByPath.get(constructPath) ?? [];
  }
}

/** The template of the closest stack at or above `path`, when the assembly records stacks' templates. */
function owningTemplate(path: string, templateByStackPath: ReadonlyMap<string, string>): string | undefined {
  for (let at: string | undefined = path; at !== undefined; at = parentOf(at)) {
    const template = templateByStackPath.get(at);
    if (template !== undefined) return template;
  }
  return undefined;
}

/** `ecs-config-rules::ECS.4` → `ECS.4`; other plugins' and unknown rules → undefined. */
function acknowledgedControl(id: string): string | undefined {
  const prefix = `${ACKNOWLEDGEMENT_NAMESPACE}::`;
  if (!id.startsWith(prefix)) return undefined;
  const controlId = id.slice(prefix.length);
  return CONTROL_IDS.has(controlId) ? controlId : undefined;
}

function parentOf(path: string): string | undefined {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? undefined : path.slice(0, slash);
}

/**
 * Frames read `new Stack (/app/bin/app.ts:12:5)`, `<anonymous> (/app/bin/app.ts:12:5)` or
 * `at /app/bin/app.ts:12:5`; the CDK already folds library frames into `...aws-cdk-lib...`.
 * A frame under node_modules is never the app's own code.
 */
const FRAME = /(?:\(|at |^)((?:\/|[A-Za-z]:[\\/]|file:\/\/)[^()]*?):(\d+):\d+\)?\s*$/;

function firstUserFrame(frames: readonly unknown[], cwd: string): SourceLocation | undefined {
  for (const frame of frames) {
    if (typeof frame !== 'string') continue;
    const match = FRAME.exec(frame.trim());
    if (!match) continue;
    const absolute = match[1].replace(/^file:\/\//, '');
    if (/[\\/]node_modules[\\/]/.test(absolute)) continue;
    return { file: isAbsolute(absolute) ? relative(cwd, absolute) || absolute : absolute, line: Number(match[2]) };
  }
  return undefined;
}

/**
 * A stack artifact's metadata, seen from its template (`templateFile`, relative to the assembly):
 * inline `metadata` and the `additionalMetadataFile` merged (an assembly may use either). Undefined
 * when the artifact records none.
 */
export function readStackMetadata(artifact: Readonly<Record<string, unknown>>, templateFile: string, directory: string, cwd: string, display: (path: string) => string): StackMetadata | undefined {
  const byPath: Record<string, MetadataEntry[]> = {};
  let file: string | undefined;
  if (isJsonObject(artifact.metadata)) addEntries(byPath, artifact.metadata, 'manifest.json');
  if (typeof artifact.additionalMetadataFile === 'string') {
    const path = `${directory}/${artifact.additionalMetadataFile}`;
    file = display(path);
    const { value } = parseText(readInputText(path, file), file, 'json');
    if (!isJsonObject(value)) throw new InputError('a stack metadata file must be an object keyed by construct path', file);
    addEntries(byPath, value, file);
  }
  if (Object.keys(byPath).length === 0) return undefined;
  return StackMetadata.of(byPath, cwd, file ?? display(`${directory}/manifest.json`), templateFile);
}

function addEntries(byPath: Record<string, MetadataEntry[]>, metadata: Readonly<Record<string, unknown>>, file: string): void {
  for (const [path, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) throw new InputError(`metadata for ${path} must be a list of entries`, file);
    const valid = entries.filter((entry): entry is MetadataEntry => isJsonObject(entry) && typeof entry.type === 'string');
    (byPath[path] ??= []).push(...valid);
  }
}
