/**
 * Which suppression applies to a finding: the resource's own (template `Metadata`) first, then a
 * suppressions file's entries that cover the resource, active ones before expired ones.
 */
import { Control } from '../lambdas/core/control';
import { Suppression } from './suppressions';
import { ScanTarget } from './target';

/** A suppression matched to a finding; `expired` ones no longer hide the failure. */
export interface AppliedSuppression extends Suppression {
  readonly expired: boolean;
}

const compiledPatterns = new Map<string, RegExp>();

/** `*` matches any run of characters; everything else literally. Compiled once per pattern. */
function wildcard(pattern: string): RegExp {
  let compiled = compiledPatterns.get(pattern);
  if (!compiled) {
    compiled = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

function coversTarget(suppression: Suppression, target: ScanTarget): boolean {
  if (suppression.origin === 'metadata') return true;
  const { logicalId, constructPath, arn, file } = target.location;
  if (suppression.file !== undefined && (file === undefined || !wildcard(suppression.file).test(file))) return false;
  const resource = wildcard(suppression.resource ?? '*');
  return [logicalId, target.name, constructPath, arn].some((name) => name !== undefined && resource.test(name));
}

/**
 * The suppression that applies to `control` on `target`: the resource's own first, then the file's.
 * An active one wins over an expired one; an expired one is still returned, so the report can say so.
 */
export function findSuppression(target: ScanTarget, control: Control, fileSuppressions: readonly Suppression[], day: string): AppliedSuppression | undefined {
  let expired: AppliedSuppression | undefined;
  for (const suppression of [...target.suppressions, ...fileSuppressions]) {
    if (suppression.controlId !== control.id || !coversTarget(suppression, target)) continue;
    const applied = { ...suppression, expired: suppression.expires !== undefined && suppression.expires < day };
    if (!applied.expired) return applied;
    expired ??= applied;
  }
  return expired;
}
