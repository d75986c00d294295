/**
 * Paths → the files to read: a file as named, a directory recursively, a CDK cloud assembly
 * (`cdk.out`, found by its `manifest.json`) as the templates of its stacks.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isJsonObject } from '../../lambdas/adapters/reader';
import { InputError, parseText, readInputText } from './parse';

export interface InputFile {
  /** Absolute path, to read. */
  readonly path: string;
  /** As reports show it: relative to the working directory when inside it. */
  readonly display: string;
  /**
   * Named by the user or listed by a cloud assembly: it must be something the scanner reads. Files
   * found by walking a directory may be anything (package.json) and are skipped when they are not.
   */
  readonly explicit: boolean;
  /** The cloud assembly stack a template belongs to (set only for the templates of a `cdk.out`). */
  readonly stack?: string;
}

/** The extensions a directory walk reads; a file named explicitly is read whatever its name. */
const SCANNED_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template']);
/** Never worth walking into: dependencies and tool state, not infrastructure. */
const SKIPPED_DIRECTORIES = new Set(['node_modules']);

export function displayPath(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  const shown = fromCwd === '' ? '.' : fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd;
  return shown.split(sep).join('/');
}

export function discoverFiles(paths: readonly string[], cwd: string): InputFile[] {
  return paths.flatMap((path) => {
    const absolute = resolve(cwd, path);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch (error) {
      throw new InputError(`cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, path, undefined, { cause: error });
    }
    if (isDirectory) return cloudAssemblyManifest(absolute) ? assemblyTemplates(absolute, cwd) : walk(absolute, cwd);
    if (basename(absolute) === 'manifest.json' && cloudAssemblyManifest(join(absolute, '..'))) return assemblyTemplates(join(absolute, '..'), cwd);
    return [{ path: absolute, display: displayPath(absolute, cwd), explicit: true }];
  });
}

function walk(directory: string, cwd: string): InputFile[] {
  const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  return entries.flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) return [];
      return cloudAssemblyManifest(path) ? assemblyTemplates(path, cwd) : walk(path, cwd);
    }
    if (!entry.isFile() || !SCANNED_EXTENSIONS.has(extname(entry.name).toLowerCase())) return [];
    return [{ path, display: displayPath(path, cwd), explicit: false }];
  });
}

interface AssemblyManifest {
  readonly artifacts: Record<string, unknown>;
}

/** The parsed `manifest.json` when `directory` is a cloud assembly, else undefined. */
function cloudAssemblyManifest(directory: string): AssemblyManifest | undefined {
  const path = join(directory, 'manifest.json');
  if (!existsSync(path)) return undefined;
  const { value: manifest } = parseText(readInputText(path), path, 'json');
  return isJsonObject(manifest) && typeof manifest.version === 'string' && isJsonObject(manifest.artifacts) ? (manifest as unknown as AssemblyManifest) : undefined;
}

/**
 * The template of every stack in the assembly, nested assemblies (CDK stages) included
 * (the @aws-cdk/cloud-assembly-schema package's `ArtifactType`: `aws:cloudformation:stack` with
 * `properties.templateFile`, `cdk:cloud-assembly` with `properties.directoryName`).
 */
function assemblyTemplates(directory: string, cwd: string): InputFile[] {
  const manifest = cloudAssemblyManifest(directory);
  if (!manifest) throw new InputError('not a cloud assembly manifest', join(directory, 'manifest.json'));
  return Object.entries(manifest.artifacts).flatMap(([id, artifact]) => {
    if (!isJsonObject(artifact) || !isJsonObject(artifact.properties)) return [];
    const { type, properties, displayName } = artifact;
    if (type === 'aws:cloudformation:stack' && typeof properties.templateFile === 'string') {
      const path = join(directory, properties.templateFile);
      return [{ path, display: displayPath(path, cwd), explicit: true, stack: typeof displayName === 'string' ? displayName : id }];
    }
    if (type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') return assemblyTemplates(join(directory, properties.directoryName), cwd);
    return [];
  });
}
