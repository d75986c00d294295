/**
 * What a cloud assembly records about a stack beyond its template, in the stack artifact's
 * `metadata` (inline in manifest.json) and its `additionalMetadataFile` (`<stack>.metadata.json`),
 * both keyed by construct path (`/Stack/Task/Resource`):
 *
 * - `aws:cdk:logicalId`: the resource's logical id, so a finding names its construct path even when
 *   the template carries no `aws:cdk:path` (path metadata is written only when the CDK CLI asks);
 * - `aws:cdk:creationStack`: where the construct was created, so a finding points at `bin/app.ts:12`;
 * - `aws:cdk:acknowledged-rules`: `Validations.of(scope).acknowledge(...)`, recorded as
 *   `{ "<plugin>::<rule>": reason }` (aws-cdk-lib's `Validations.ACKNOWLEDGED_RULES_METADATA_KEY`).
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

export class StackMetadata {
  private readonly pathByLogicalId = new Map<string, string>();
  private readonly entriesByPath = new Map<string, MetadataEntry[]>();

  constructor(
    byPath: Readonly<Record<string, readonly MetadataEntry[]>>,
    /** Source paths are reported relative to this directory (the CLI's working directory). */
    private readonly cwd: string,
    /** Where the metadata was read, for suppressions' `where`. */
    private readonly file: string,
  ) {
    for (const [path, entries] of Object.entries(byPath)) {
      const constructPath = path.replace(/^\//, '');
      this.entriesByPath.set(constructPath, [...entries]);
      const logicalId = entries.find((entry) => entry.type === 'aws:cdk:logicalId')?.data;
      if (typeof logicalId === 'string') this.pathByLogicalId.set(logicalId, constructPath);
    }
  }

  /** `Stack/Task/Resource` for a logical id of the stack's template. */
  constructPathOf(logicalId: string): string | undefined {
    return this.pathByLogicalId.get(logicalId);
  }

  /** The first frame of the construct's creation stack in the app's own code, when the assembly recorded one. */
  sourceOf(constructPath: string): SourceLocation | undefined {
    const trace = this.entriesAt(constructPath).find((entry) => entry.type === 'aws:cdk:creationStack');
    const frames = Array.isArray(trace?.data) ? trace.data : [];
    return firstUserFrame(frames, this.cwd);
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
          const at = firstUserFrame(entry.trace ?? [], this.cwd);
          found.set(controlId, { controlId, reason, origin: 'acknowledgement', where: `${at ? `${at.file}:${at.line}` : this.file} (acknowledged on ${path})` });
        }
      }
    }
    return [...found.values()];
  }

  private entriesAt(constructPath: string): readonly MetadataEntry[] {
    return this.entriesByPath.get(constructPath) ?? [];
  }
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
 * A stack artifact's metadata: inline `metadata` and the `additionalMetadataFile` merged (an
 * assembly may use either). Undefined when the artifact records none.
 */
export function readStackMetadata(artifact: Readonly<Record<string, unknown>>, directory: string, cwd: string, display: (path: string) => string): StackMetadata | undefined {
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
  return new StackMetadata(byPath, cwd, file ?? display(`${directory}/manifest.json`));
}

function addEntries(byPath: Record<string, MetadataEntry[]>, metadata: Readonly<Record<string, unknown>>, file: string): void {
  for (const [path, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) throw new InputError(`metadata for ${path} must be a list of entries`, file);
    const valid = entries.filter((entry): entry is MetadataEntry => isJsonObject(entry) && typeof entry.type === 'string');
    (byPath[path] ??= []).push(...valid);
  }
}
