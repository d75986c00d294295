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
  /**
   * Where the app's code created the resource (a cloud assembly's creation stack trace): where a
   * person fixes it, rather than the generated template.
   */
  readonly source?: { readonly file: string; readonly line: number };
  /** A live scan across accounts and Regions: the account and Region it was read in. */
  readonly account?: string;
  readonly region?: string;
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

/**
 * Where a person fixes the resource: the app's source line when the cloud assembly recorded the
 * construct's creation (so an annotation lands on `bin/app.ts`, not a generated `cdk.out` file),
 * else the file and line read.
 */
export function fixPlace(location: ResourceLocation): { readonly file?: string; readonly line?: number } {
  return location.source ?? { file: location.file, line: location.line };
}

/** `file:line LogicalId` (`, created at bin/app.ts:12` for a CDK app), `file`, or the ARN: where a person finds the resource. */
export function whereIs(target: ScanTarget): string {
  const { file, line, arn, logicalId } = target.location;
  if (file === undefined) return arn ?? target.name;
  const place = line === undefined ? file : `${file}:${line}`;
  const where = logicalId !== undefined && logicalId !== target.name ? `${place} ${logicalId}` : place;
  const { source } = target.location;
  return source ? `${where}, created at ${source.file}:${source.line}` : where;
}
