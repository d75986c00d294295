/** A file the scanner will read, and the run's record of what it could not. */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { StackMetadata } from './assembly-metadata';
import { InputError, ParsedText } from './parse';

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
  /**
   * The cloud assembly stack a template belongs to (set only for the templates of a `cdk.out`): the
   * stack's name, or a nested stack's construct path (`Web/Outer/Inner`).
   */
  readonly stack?: string;
  /** The stack's assembly metadata (construct paths, creation stacks, acknowledgements), when recorded. */
  readonly stackMetadata?: StackMetadata;
  /** The template, when discovery already parsed it (to find its nested stacks): not read again. */
  readonly parsed?: ParsedText;
}

/** Finding the files of a run: where paths are relative to, and what could not be read (listed, never a pass). */
export interface Discovery {
  readonly cwd: string;
  readonly unread: InputError[];
}

export function displayPath(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  const shown = fromCwd === '' ? '.' : fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd;
  return shown.split(sep).join('/');
}

/** `path` resolved against `directory` when it stays inside it, else undefined. */
export function inside(directory: string, path: string): string | undefined {
  const absolute = resolve(directory, path);
  const fromDirectory = relative(directory, absolute);
  return fromDirectory === '..' || fromDirectory.startsWith(`..${sep}`) || isAbsolute(fromDirectory) ? undefined : absolute;
}
