/** What the scanner evaluates: one adapted resource and where it came from. */
import { Resource, ResourceType } from '../lambdas/core/model';
import { Suppression } from './suppressions';

export interface ResourceLocation {
  /** The file as the user named it (relative to the working directory); `-` for standard input; none for a live scan. */
  readonly file?: string;
  /** 1-based line of the resource in `file`, when the format records one. */
  readonly line?: number;
  /** The template's logical id. */
  readonly logicalId?: string;
  /** The CDK construct path (`aws:cdk:path` metadata). */
  readonly constructPath?: string;
  /** The cloud assembly stack the template belongs to. */
  readonly stack?: string;
  /** The resource's ARN, when the source names it (live scans, Config items). */
  readonly arn?: string;
}

export interface ScanTarget {
  readonly resourceType: ResourceType;
  /** What people call it: the resource's name (a template resource without a literal name: its logical id). */
  readonly name: string;
  readonly location: ResourceLocation;
  /** The adapted model; undefined when the source says the resource is gone (see `notApplicable`). */
  readonly resource: Resource | undefined;
  /** Why every control is NOT_APPLICABLE to this resource (a deleted Config item). */
  readonly notApplicable?: string;
  /** Suppressions written on the resource itself (template `Metadata`). */
  readonly suppressions: readonly Suppression[];
}

/** `file:line LogicalId`, `file`, or the ARN: where a person finds the resource. */
export function whereIs(target: ScanTarget): string {
  const { file, line, arn, logicalId } = target.location;
  if (file === undefined) return arn ?? target.name;
  const place = line === undefined ? file : `${file}:${line}`;
  return logicalId !== undefined && logicalId !== target.name ? `${place} ${logicalId}` : place;
}
