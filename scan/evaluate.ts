/**
 * Targets × controls → findings: the registry's `evaluate`, then the gate's view of each verdict
 * (suppressed? at or above the threshold?). Nothing here knows a source format or an output format.
 */
import { Control, notApplicable, Outcome, Verdict } from '../lambdas/core/control';
import { ScanSettings, severityRank } from './settings';
import { AppliedSuppression, findSuppression } from './suppression-match';
import { ScanTarget } from './target';

/**
 * - `failed`: NON_COMPLIANT, not suppressed (or its suppression expired);
 * - `notEvaluated`: the control could not decide (an unresolved intrinsic, a field not fetched): an
 *   error, never a pass;
 * - `suppressed`: either of those, accepted by an active suppression; still reported;
 * - `passed`, `notApplicable`: as the control said.
 */
export type FindingStatus = 'failed' | 'notEvaluated' | 'suppressed' | 'passed' | 'notApplicable';

export interface Finding {
  readonly control: Control;
  readonly target: ScanTarget;
  readonly outcome: Outcome;
  /** The control's annotation: what is wrong, where, and the fix. */
  readonly annotation: string;
  readonly status: FindingStatus;
  /** Whether this finding fails the gate: failed or not evaluated, at or above the threshold. */
  readonly gating: boolean;
  readonly suppression?: AppliedSuppression;
}

function statusOf(outcome: Outcome, suppression: AppliedSuppression | undefined): FindingStatus {
  if (outcome === 'COMPLIANT') return 'passed';
  if (outcome === 'NOT_APPLICABLE') return 'notApplicable';
  if (suppression && !suppression.expired) return 'suppressed';
  return outcome === 'NON_COMPLIANT' ? 'failed' : 'notEvaluated';
}

function verdictFor(control: Control, target: ScanTarget, settings: ScanSettings): Verdict {
  if (!target.resource) return notApplicable(target.notApplicable ?? `${target.name} has no configuration to evaluate.`);
  return control.evaluate(target.resource, settings.parameters[control.id]);
}

/** Every chosen control of the target's resource type; controls for other types do not apply and are not listed. */
export function evaluateTarget(target: ScanTarget, settings: ScanSettings): Finding[] {
  const findings: Finding[] = [];
  const thresholdRank = severityRank(settings.threshold);
  for (const control of settings.controls) {
    if (control.resourceType !== target.resourceType) continue;
    const verdict = verdictFor(control, target, settings);
    const suppression = verdict.compliance === 'NON_COMPLIANT' || verdict.compliance === 'NOT_EVALUATED' ? findSuppression(target, control, settings.suppressions, settings.today) : undefined;
    const status = statusOf(verdict.compliance, suppression);
    findings.push({
      control,
      target,
      outcome: verdict.compliance,
      annotation: verdict.annotation,
      status,
      gating: (status === 'failed' || status === 'notEvaluated') && severityRank(control.severity) >= thresholdRank,
      ...(suppression && { suppression }),
    });
  }
  return findings;
}

export function evaluateTargets(targets: readonly ScanTarget[], settings: ScanSettings): Finding[] {
  return targets.flatMap((target) => evaluateTarget(target, settings));
}

export type StatusCounts = Record<FindingStatus, number> & { gating: number };

export function countStatuses(findings: readonly Finding[]): StatusCounts {
  const counts: StatusCounts = { failed: 0, notEvaluated: 0, suppressed: 0, passed: 0, notApplicable: 0, gating: 0 };
  for (const finding of findings) {
    counts[finding.status]++;
    if (finding.gating) counts.gating++;
  }
  return counts;
}

/**
 * The annotation without the control's remediation at its end (reports print the fix on its own);
 * unchanged when the annotation does not end with it (it was cut to 256 characters, say).
 */
export function reasonOf(finding: Finding): string {
  const { annotation, control } = finding;
  return annotation.endsWith(control.remediation) ? annotation.slice(0, -control.remediation.length).trim() : annotation;
}
