import { outcomesOf, Resource, ResourceOf, ResourceType, UnreadableFieldError } from './model';
import { ParameterSpec, ParameterValues, resolveParameters } from './parameters';

/** The results AWS Config accepts from a custom rule. */
export type Compliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/**
 * A control's answer. `NOT_EVALUATED` ("could not evaluate") is never reported as COMPLIANT: the
 * Lambda edge fails the invocation, the CLI and the CDK plugin report it as an error.
 */
export type Outcome = Compliance | 'NOT_EVALUATED';

export interface Verdict {
  readonly compliance: Outcome;
  /** A sentence a person can act on: what is wrong, where, and the fix (1–256 characters). */
  readonly annotation: string;
}

/**
 * `taskDefinitionOperatingSystemFamily`: a service's configuration names its task definition but not
 * the task definition's OS family (ECS.10 needs it); the Lambda asks ECS, the CLI follows the template.
 */
export type Lookup = 'taskDefinitionOperatingSystemFamily';

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

/**
 * The rule Security Hub runs for a control, as its "AWS Config rule" line names it
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html): an AWS Config
 * managed rule anyone can deploy (https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html),
 * or a custom rule of Security Hub CSPM's own, which it deploys only as its service-linked
 * `securityhub-<name>-<suffix>` Config rule and which is not in AWS Config's managed-rule list.
 */
export interface BackingRule {
  readonly kind: 'aws-config-managed' | 'security-hub-custom';
  readonly name: string;
}

/** What each kind of backing rule is called wherever the project names one. */
export const BACKING_RULE_KINDS: Readonly<Record<BackingRule['kind'], string>> = {
  'aws-config-managed': 'AWS Config managed rule',
  'security-hub-custom': 'Security Hub CSPM custom rule',
};

/** `AWS Config managed rule ecs-containers-nonprivileged`, or `Security Hub CSPM custom rule tagged-ecs-service`. */
export function describeBackingRule({ kind, name }: BackingRule): string {
  return `${BACKING_RULE_KINDS[kind]} ${name}`;
}

export interface ControlDefinition<T extends ResourceType, P extends Record<string, ParameterSpec<unknown>>> {
  /** Security Hub control id, e.g. `ECS.20`. */
  readonly id: string;
  /** Security Hub title, word for word. */
  readonly title: string;
  readonly severity: Severity;
  readonly resourceType: T;
  /** The rule Security Hub evaluates this control with. */
  readonly backingRule: BackingRule;
  /** One or two sentences: how to fix a NON_COMPLIANT resource. */
  readonly remediation: string;
  /** Where this project is deliberately stricter than Security Hub (documented, see CONTROLS.md). */
  readonly beyond?: string;
  /** Rule parameters with their defaults, as AWS Config `InputParameters` carry them. */
  readonly parameters: P;
  /** Facts the edge must look up because the resource's own configuration lacks them. */
  readonly lookups?: readonly Lookup[];
  /** Decides one resource; reading an unreadable field throws and becomes NOT_EVALUATED. */
  evaluate(resource: ResourceOf<T>, parameters: ParameterValues<P>): Verdict;
}

/** A control as the registry holds it: parameters still raw strings, as Config delivers them. */
export interface Control {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly resourceType: ResourceType;
  readonly backingRule: BackingRule;
  readonly remediation: string;
  readonly beyond?: string;
  readonly parameters: Readonly<Record<string, ParameterSpec<unknown>>>;
  readonly lookups?: readonly Lookup[];
  /** `ecs-20`: the rule-name and file-name form of the id. */
  readonly slug: string;
  /**
   * Evaluates any resource: another resource type is NOT_APPLICABLE, an unreadable field is
   * NOT_EVALUATED. Throws `InvalidParameterError` for a bad parameter value (a deployment error,
   * not a property of the resource).
   */
  evaluate(resource: Resource, rawParameters?: Readonly<Record<string, unknown>>): Verdict;
}

const ANNOTATION_LIMIT = 256;
/**
 * Whether a text has whitespace other than single spaces, i.e. anything for `\s+` → ' ' to change.
 * Most annotations have none, and testing is several times faster than replacing every space.
 */
const NEEDS_COLLAPSING = /[^\S ]| {2}/;

/**
 * Fits an annotation into PutEvaluations' 1–256 characters
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_Evaluation.html).
 */
export function fitAnnotation(text: string): string {
  const oneLine = (NEEDS_COLLAPSING.test(text) ? text.replace(/\s+/g, ' ') : text).trim() || 'No details.';
  if (oneLine.length <= ANNOTATION_LIMIT) return oneLine;
  // Never cut between the two halves of a surrogate pair (an emoji in a container name, say).
  const end = isHighSurrogate(oneLine.charCodeAt(ANNOTATION_LIMIT - 2)) ? ANNOTATION_LIMIT - 2 : ANNOTATION_LIMIT - 1;
  return `${oneLine.slice(0, end)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export const compliant = (annotation: string): Verdict => ({ compliance: 'COMPLIANT', annotation: fitAnnotation(annotation) });
export const nonCompliant = (annotation: string): Verdict => ({ compliance: 'NON_COMPLIANT', annotation: fitAnnotation(annotation) });
export const notApplicable = (annotation: string): Verdict => ({ compliance: 'NOT_APPLICABLE', annotation: fitAnnotation(annotation) });
export const notEvaluated = (annotation: string): Verdict => ({ compliance: 'NOT_EVALUATED', annotation: fitAnnotation(annotation) });

/** `ECS.20` → `ecs-20`. */
export function slugOf(id: string): string {
  return id.toLowerCase().replace('.', '-');
}

/** Declares a control: its metadata beside a pure `evaluate` over the normalized model. */
export function defineControl<T extends ResourceType, P extends Record<string, ParameterSpec<unknown>>>(
  definition: ControlDefinition<T, P>,
): Control {
  return {
    ...definition,
    slug: slugOf(definition.id),
    evaluate(resource, rawParameters = {}) {
      const parameters = resolveParameters(definition.parameters, rawParameters, definition.id);
      if (resource.kind !== definition.resourceType) {
        return notApplicable(`${definition.id} applies to ${definition.resourceType}, not ${resource.kind}.`);
      }
      const decide = (outcome: Resource): Verdict => {
        try {
          const inactive = inactiveTaskDefinition(outcome);
          if (inactive) return inactive;
          return definition.evaluate(outcome as ResourceOf<T>, parameters);
        } catch (error) {
          if (error instanceof UnreadableFieldError) {
            if (error.heldElsewhere) return notApplicable(`${definition.id} checks ${error.path}, which this document does not hold: ${error.reason}`);
            return notEvaluated(`${definition.id} could not evaluate ${error.path}: ${error.reason}`);
          }
          throw error;
        }
      };
      const outcomes = outcomesOf(resource);
      if (!outcomes) return decide(resource);
      return agreedVerdict(
        definition.id,
        outcomes.inputs,
        outcomes.outcomes.map(({ assumption, resource: outcome }) => ({ assumption, verdict: decide(outcome) })),
      );
    },
  };
}

/**
 * One verdict for a resource with several possible outcomes: theirs when all agree, "could not
 * evaluate" when one could not be decided, and otherwise "could not evaluate" naming the inputs the
 * verdict depends on and which values lead where. Never COMPLIANT unless every outcome is.
 */
export function agreedVerdict(controlId: string, inputs: string, decided: readonly { assumption: string; verdict: Verdict }[]): Verdict {
  const [first] = decided;
  const undecided = decided.find(({ verdict }) => verdict.compliance === 'NOT_EVALUATED');
  if (undecided) {
    const everywhere = decided.every(({ verdict }) => verdict.annotation === undecided.verdict.annotation);
    return everywhere ? undecided.verdict : notEvaluated(`${undecided.verdict.annotation} (when ${undecided.assumption})`);
  }
  if (decided.every(({ verdict }) => verdict.compliance === first.verdict.compliance)) {
    const sameText = decided.every(({ verdict }) => verdict.annotation === first.verdict.annotation);
    return { compliance: first.verdict.compliance, annotation: sameText ? first.verdict.annotation : fitAnnotation(`${first.verdict.annotation} (${first.verdict.compliance} whatever the value of ${inputs})`) };
  }
  const different = decided.find(({ verdict }) => verdict.compliance !== first.verdict.compliance) as (typeof decided)[number];
  return notEvaluated(
    `${controlId} depends on deploy-time input (${inputs}): ${first.verdict.compliance} when ${first.assumption}, ${different.verdict.compliance} when ${different.assumption}.`,
  );
}

/**
 * Security Hub evaluates only ACTIVE task definitions: an INACTIVE or DELETE_IN_PROGRESS revision is
 * NOT_APPLICABLE. A source without a status (a template) describes what will be registered: ACTIVE.
 */
function inactiveTaskDefinition(resource: Resource): Verdict | undefined {
  // Stryker disable next-line ConditionalExpression: equivalent mutant (`false` for the kind test); no other resource type has a status.
  if (resource.kind !== 'AWS::ECS::TaskDefinition' || resource.status === undefined || resource.status === 'ACTIVE') return undefined;
  return notApplicable(`Task definition ${resource.displayName} is ${resource.status}; only ACTIVE revisions are evaluated.`);
}

/** "a, b and c" — for naming offending containers in an annotation. */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** `name (reason)` for every container `reasonOf` finds at fault, for naming them in an annotation. */
export function offendingContainers<C extends { readonly name: string }>(containers: readonly C[], reasonOf: (container: C) => string | undefined): string[] {
  return containers.flatMap((container) => {
    const reason = reasonOf(container);
    return reason ? [`${container.name} (${reason})`] : [];
  });
}
