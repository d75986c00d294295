/**
 * The normalized model every control reads: ECS vocabulary, camelCase, defaults already applied.
 *
 * Adapters (lambdas/adapters/) are the only code that knows a source format (AWS Config item,
 * ECS API response, CloudFormation properties); they build these objects with `sealModel`, which
 * turns any field they could not read into a getter that throws `UnreadableFieldError`. A control
 * therefore reads plain values and can never mistake an unreadable field for a compliant one.
 */

/** The resource types the controls cover, as AWS Config and CloudFormation name them. */
export type ResourceType =
  | 'AWS::ECS::TaskDefinition'
  | 'AWS::ECS::Service'
  | 'AWS::ECS::Cluster'
  | 'AWS::ECS::TaskSet'
  | 'AWS::ECS::CapacityProvider';

export const RESOURCE_TYPES: readonly ResourceType[] = [
  'AWS::ECS::TaskDefinition',
  'AWS::ECS::Service',
  'AWS::ECS::Cluster',
  'AWS::ECS::TaskSet',
  'AWS::ECS::CapacityProvider',
];

/** Tag keys and values; AWS system tags (`aws:` prefix) included as recorded. */
export type Tags = Readonly<Record<string, string>>;

export interface EnvironmentVariable {
  readonly name: string;
  readonly value: string | undefined;
}

export interface ContainerDefinition {
  readonly name: string;
  /** `user`, `user:group`, `uid`, `uid:gid`; undefined when unset. */
  readonly user: string | undefined;
  /** Unset means false (ECS default). */
  readonly privileged: boolean;
  /** Undefined when unset: Security Hub's ECS.5 treats unset as not read-only. */
  readonly readonlyRootFilesystem: boolean | undefined;
  /** Undefined when the container has no log configuration at all. */
  readonly logConfiguration: { readonly logDriver: string | undefined } | undefined;
  readonly environment: readonly EnvironmentVariable[];
}

export interface Volume {
  readonly name: string;
  /** Present only for EFS volumes; `transitEncryption` unset means DISABLED. */
  readonly efs: { readonly transitEncryption: string | undefined } | undefined;
}

/**
 * `RuntimePlatform.OperatingSystemFamily` as recorded: `LINUX`, `WINDOWS_SERVER_*`, or undefined
 * ("not configured", which Security Hub evaluates under both ECS.20 and ECS.21).
 */
export type OperatingSystemFamily = string | undefined;

export interface TaskDefinition {
  readonly kind: 'AWS::ECS::TaskDefinition';
  /** `family:revision` when known, else the family: what annotations call it. */
  readonly displayName: string;
  readonly family: string;
  readonly revision: number | undefined;
  /** ACTIVE, INACTIVE, DELETE_IN_PROGRESS; undefined when the source has no status (a template). */
  readonly status: string | undefined;
  readonly operatingSystemFamily: OperatingSystemFamily;
  readonly networkMode: string | undefined;
  readonly pidMode: string | undefined;
  readonly containers: readonly ContainerDefinition[];
  readonly volumes: readonly Volume[];
  readonly tags: Tags;
}

export interface Service {
  readonly kind: 'AWS::ECS::Service';
  readonly displayName: string;
  readonly launchType: string | undefined;
  readonly capacityProviders: readonly string[];
  readonly platformVersion: string | undefined;
  /** Undefined when the service has no `awsvpcConfiguration`. */
  readonly awsvpc: { readonly assignPublicIp: string | undefined } | undefined;
  /** The task definition the service runs (ARN or family[:revision]). */
  readonly taskDefinition: string | undefined;
  /**
   * OS family of the service's task definition: the edge resolves it (ECS DescribeTaskDefinition,
   * or a same-template reference) because a service's own configuration does not carry it.
   */
  readonly taskDefinitionOperatingSystemFamily: OperatingSystemFamily;
  readonly tags: Tags;
}

export interface Cluster {
  readonly kind: 'AWS::ECS::Cluster';
  readonly displayName: string;
  readonly settings: readonly { readonly name: string; readonly value: string | undefined }[];
  readonly tags: Tags;
}

export interface TaskSet {
  readonly kind: 'AWS::ECS::TaskSet';
  readonly displayName: string;
  /** Undefined when the task set has no `awsVpcConfiguration`. */
  readonly awsVpc: { readonly assignPublicIp: string | undefined } | undefined;
}

export interface CapacityProvider {
  readonly kind: 'AWS::ECS::CapacityProvider';
  readonly displayName: string;
  /** Undefined for Fargate capacity providers, which have no Auto Scaling group. */
  readonly autoScalingGroupProvider: { readonly managedTerminationProtection: string | undefined } | undefined;
}

export type Resource = TaskDefinition | Service | Cluster | TaskSet | CapacityProvider;

/** The model type for a resource type, e.g. `ResourceOf<'AWS::ECS::Service'>` is `Service`. */
export type ResourceOf<T extends ResourceType> = Extract<Resource, { kind: T }>;

/** Thrown when a control reads a field the adapter could not read (wrong type, unresolved intrinsic…). */
export class UnreadableFieldError extends Error {
  constructor(
    /** Where in the source the unreadable value sits, e.g. `ContainerDefinitions[1].Privileged`. */
    readonly path: string,
    readonly reason: string,
    /** The field belongs to another document (see `HeldElsewhere`): the control does not apply to this one. */
    readonly heldElsewhere: boolean,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'UnreadableFieldError';
  }
}

/** What an adapter puts in a field it could not read. */
export class Unreadable {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {}
}

/**
 * A field the scanned document cannot hold because another document sets it: a Terraform container
 * definitions file has no network mode, PID mode, volumes or tags; its `aws_ecs_task_definition`
 * resource has, and a plan is where they are checked. A control that needs such a field does not
 * apply to this document (NOT_APPLICABLE, saying where it is checked): nothing in it can break the
 * control, and nothing in it waits on deploy-time input.
 */
export class HeldElsewhere extends Unreadable {}

type Sealable<T> = { [K in keyof T]: T[K] | Unreadable };

/**
 * Builds a model object from fields an adapter read; an `Unreadable` field becomes a getter that
 * throws `UnreadableFieldError`, so only the controls that need that field are affected.
 */
export function sealModel<T extends object>(fields: Sealable<T>): T {
  // The common case, every field readable, needs no getters: the fields already are the model.
  if (!hasUnreadable(fields)) return fields as T;
  const model: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Unreadable) {
      Object.defineProperty(model, key, {
        enumerable: true,
        get: () => {
          throw new UnreadableFieldError(value.path, value.reason, value instanceof HeldElsewhere);
        },
      });
    } else {
      model[key] = value;
    }
  }
  return model as T;
}

function hasUnreadable(fields: Record<string, unknown>): boolean {
  for (const key in fields) if (fields[key] instanceof Unreadable) return true;
  return false;
}

/** True when `family` names Windows (`WINDOWS_SERVER_2019_CORE`, …). */
export function isWindows(family: OperatingSystemFamily): boolean {
  return family !== undefined && family.startsWith('WINDOWS_SERVER');
}

/** True when `family` is explicitly Linux. */
export function isLinux(family: OperatingSystemFamily): boolean {
  return family === 'LINUX';
}

/** One way a resource can turn out at deploy time, and the input values that lead there. */
export interface PossibleOutcome<R extends Resource = Resource> {
  /** "condition IsProd true, parameter Size = large". */
  readonly assumption: string;
  readonly resource: R;
}

const OUTCOMES = Symbol('outcomes');

/**
 * A resource whose properties depend on deploy-time input with finitely many values (a template's
 * conditions, parameters with AllowedValues): the first outcome, carrying all of them, so a control
 * decides only what every outcome agrees on. `inputs` names what the outcomes depend on.
 */
export function withOutcomes<R extends Resource>(outcomes: readonly PossibleOutcome<R>[], inputs: string): R {
  const [first] = outcomes;
  Object.defineProperty(first.resource, OUTCOMES, { value: { outcomes, inputs }, enumerable: false });
  return first.resource;
}

/** The outcomes `withOutcomes` attached; undefined for a resource with one certain outcome. */
export function outcomesOf(resource: Resource): { readonly outcomes: readonly PossibleOutcome[]; readonly inputs: string } | undefined {
  return (resource as { [OUTCOMES]?: { outcomes: readonly PossibleOutcome[]; inputs: string } })[OUTCOMES];
}
