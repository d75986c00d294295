/**
 * A baseline: the findings a repository already has, written down once (`--write-baseline FILE`),
 * so a gate run with `--baseline FILE` fails only on findings that are new. A baselined finding is
 * still reported, as suppressed ("in the baseline"); one that disappears simply drops out.
 *
 * An entry names the control and the resource as a person would find it again: its construct path
 * (stable across `cdk.out` directories), else its logical id, ARN or name, with the file it was read
 * from when that is what identifies it. Entries are matched exactly, never as patterns.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isJsonObject } from '../lambdas/adapters/reader';
import { controlById } from '../lambdas/controls';
import type { Finding } from './evaluate';
import { InputError, parseText, readInputText } from './inputs/parse';
import { Suppression } from './suppressions';
import { BaselineResource, baselineResource } from './suppression-match';

export const BASELINE_VERSION = 1;

export interface BaselineEntry extends BaselineResource {
  readonly controlId: string;
}

/** Failed and could-not-evaluate findings (what a gate fails on), whatever their severity. */
export function baselineEntries(findings: readonly Finding[]): BaselineEntry[] {
  const entries = findings
    .filter((finding) => finding.status === 'failed' || finding.status === 'notEvaluated')
    .map((finding) => ({ controlId: finding.control.id, ...baselineResource(finding.target) }));
  const unique = new Map(entries.map((entry) => [JSON.stringify(entry), entry]));
  return [...unique.values()].sort((a, b) => `${a.resource}\0${a.controlId}`.localeCompare(`${b.resource}\0${b.controlId}`));
}

export function writeBaseline(findings: readonly Finding[], file: string, cwd: string): number {
  const findingsToKeep = baselineEntries(findings);
  writeFileSync(resolve(cwd, file), `${JSON.stringify({ version: BASELINE_VERSION, findings: findingsToKeep }, null, 2)}\n`);
  return findingsToKeep.length;
}

/** A baseline file's entries, as suppressions the engine matches exactly; throws `InputError` naming the file and line. */
export function loadBaseline(file: string, cwd: string): Suppression[] {
  const parsed = parseText(readInputText(resolve(cwd, file), file), file, 'json');
  const document = parsed.value;
  if (!isJsonObject(document) || document.version !== BASELINE_VERSION || !Array.isArray(document.findings)) {
    throw new InputError(`a baseline is { "version": ${BASELINE_VERSION}, "findings": [...] }, as --write-baseline writes it`, file, 1);
  }
  return document.findings.map((entry, index) => {
    const line = parsed.lineOf(['findings', index]);
    const fail = (problem: string) => new InputError(`findings[${index}]: ${problem}`, file, line);
    if (!isJsonObject(entry) || typeof entry.controlId !== 'string' || typeof entry.resource !== 'string' || (entry.file !== undefined && typeof entry.file !== 'string')) {
      throw fail('an entry is { "controlId", "resource", "file"? }');
    }
    let controlId: string;
    try {
      controlId = controlById(entry.controlId).id;
    } catch (error) {
      throw fail((error as Error).message);
    }
    return {
      controlId,
      reason: 'in the baseline',
      origin: 'baseline',
      where: line === undefined ? file : `${file}:${line}`,
      resource: entry.resource,
      ...(entry.file !== undefined && { file: entry.file }),
    };
  });
}
