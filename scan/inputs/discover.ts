/**
 * Paths → the files to read: a file as named, a directory recursively, a CDK cloud assembly
 * (`cdk.out`, found by its `manifest.json`) as the templates of its stacks and nested stacks
 * (./cloud-assembly.ts). What cannot be read is listed beside the files that can: nothing found is
 * skipped in silence.
 *
 * A directory walk follows symbolic links that stay inside the directory named (a file reached
 * twice is read once); a link leaving it, a link to a directory that contains it (a loop) and a
 * link to nothing are listed as not read, not followed.
 */
import { Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { assemblyTemplates, isCloudAssembly } from './cloud-assembly';
import { Discovery, displayPath, inside, InputFile } from './input-file';
import { InputError } from './parse';

export type { InputFile } from './input-file';

/** The files to read, and what was found but cannot be read (with the file and why). */
export interface DiscoveredFiles {
  readonly files: InputFile[];
  readonly unread: InputError[];
}

/** The extensions a directory walk reads; a file named explicitly is read whatever its name. */
const SCANNED_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template']);
/** Never worth walking into: dependencies and tool state, not infrastructure. */
const SKIPPED_DIRECTORIES = new Set(['node_modules']);

export function discoverFiles(paths: readonly string[], cwd: string): DiscoveredFiles {
  const discovery: Discovery = { cwd, unread: [] };
  const files = paths.flatMap((path) => filesAt(path, discovery));
  return { files, unread: discovery.unread };
}

function filesAt(path: string, discovery: Discovery): InputFile[] {
  const absolute = resolve(discovery.cwd, path);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(absolute).isDirectory();
  } catch (error) {
    discovery.unread.push(cannotRead(error, path));
    return [];
  }
  if (isDirectory) return new Walk(absolute, discovery).files();
  // A named manifest that cannot be parsed is read as the file it is, and the loader says why.
  if (basename(absolute) === 'manifest.json' && isCloudAssembly(dirname(absolute), { cwd: discovery.cwd, unread: [] })) return assemblyTemplates(dirname(absolute), discovery);
  return [{ path: absolute, display: displayPath(absolute, discovery.cwd), explicit: true }];
}

function cannotRead(error: unknown, file: string): InputError {
  return new InputError(`cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, file, undefined, { cause: error });
}

/** Whether a walk reads an entry of this name: a directory unless skipped, a file of a scanned extension. */
function walkReads(name: string, isDirectory: boolean): boolean {
  return isDirectory ? !name.startsWith('.') && !SKIPPED_DIRECTORIES.has(name) : SCANNED_EXTENSIONS.has(extname(name).toLowerCase());
}

/** One directory walk: the real paths it has read, so that no link loops or reads a file twice. */
class Walk {
  private readonly root: string;
  private readonly read = new Set<string>();

  constructor(
    private readonly directory: string,
    private readonly discovery: Discovery,
  ) {
    this.root = realpathSync(directory);
  }

  files(): InputFile[] {
    return this.directoryAt(this.directory, this.root, []);
  }

  /** `real` is the directory's real path; `enclosing` are the real paths of the directories above it. */
  private directoryAt(path: string, real: string, enclosing: readonly string[]): InputFile[] {
    this.read.add(real);
    if (isCloudAssembly(path, this.discovery)) return assemblyTemplates(path, this.discovery);
    const lineage = [...enclosing, real];
    return this.entriesOf(path).flatMap((entry) => {
      const entryPath = join(path, entry.name);
      if (entry.isSymbolicLink()) return this.linked(entryPath, lineage);
      if (!walkReads(entry.name, entry.isDirectory())) return [];
      if (entry.isDirectory()) return this.directoryAt(entryPath, join(real, entry.name), lineage);
      return entry.isFile() ? this.file(entryPath, join(real, entry.name)) : [];
    });
  }

  private entriesOf(directory: string): Dirent[] {
    try {
      return readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch (error) {
      this.discovery.unread.push(cannotRead(error, displayPath(directory, this.discovery.cwd)));
      return [];
    }
  }

  private linked(path: string, lineage: readonly string[]): InputFile[] {
    const name = basename(path);
    let target: string;
    let isDirectory: boolean;
    try {
      target = realpathSync(path);
      isDirectory = statSync(target).isDirectory();
    } catch (error) {
      // A dangling link to a directory has no extension to tell it from a file: only named files are listed.
      if (walkReads(name, false)) this.notRead(path, `a symbolic link to nothing readable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return [];
    }
    if (!walkReads(name, isDirectory)) return [];
    if (inside(this.root, target) === undefined) return this.notRead(path, `a symbolic link to ${displayPath(target, this.discovery.cwd)}, outside the scanned directory ${displayPath(this.directory, this.discovery.cwd)}: not followed`);
    if (!isDirectory) return this.file(path, target);
    if (lineage.includes(target)) return this.notRead(path, `a symbolic link to ${displayPath(target, this.discovery.cwd)}, a directory that contains it (a loop): not followed`);
    // A directory reached before, through another link or its own name, has been read.
    return this.read.has(target) ? [] : this.directoryAt(path, target, lineage);
  }

  private file(path: string, real: string): InputFile[] {
    if (this.read.has(real)) return [];
    this.read.add(real);
    return [{ path, display: displayPath(path, this.discovery.cwd), explicit: false }];
  }

  private notRead(path: string, reason: string): InputFile[] {
    this.discovery.unread.push(new InputError(reason, displayPath(path, this.discovery.cwd)));
    return [];
  }
}
