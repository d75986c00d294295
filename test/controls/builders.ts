/**
 * Small builders for the normalized model. Every default is the hardened, compliant choice, so a
 * table row changes only the field it is about. Any field may be an `Unreadable`, as an adapter
 * would leave it.
 */
import { Control, Outcome } from '../../lambdas/core/control';
import {
  CapacityProvider,
  Cluster,
  ContainerDefinition,
  Resource,
  sealModel,
  Service,
  TaskDefinition,
  TaskSet,
  Unreadable,
} from '../../lambdas/core/model';

type Fields<T> = { [K in keyof T]?: T[K] | Unreadable };

export function container(fields: Fields<ContainerDefinition> = {}): ContainerDefinition {
  return sealModel<ContainerDefinition>({
    name: 'app',
    user: '1000:1000',
    privileged: false,
    readonlyRootFilesystem: true,
    logConfiguration: { logDriver: 'awslogs' },
    environment: [],
    ...fields,
  });
}

export function taskDefinition(fields: Fields<Omit<TaskDefinition, 'kind'>> = {}): TaskDefinition {
  return sealModel<TaskDefinition>({
    kind: 'AWS::ECS::TaskDefinition',
    displayName: 'web:3',
    family: 'web',
    revision: 3,
    status: 'ACTIVE',
    operatingSystemFamily: undefined,
    networkMode: 'awsvpc',
    pidMode: undefined,
    containers: [container()],
    volumes: [],
    tags: { team: 'payments' },
    ...fields,
  });
}

export function service(fields: Fields<Omit<Service, 'kind'>> = {}): Service {
  return sealModel<Service>({
    kind: 'AWS::ECS::Service',
    displayName: 'checkout',
    launchType: 'FARGATE',
    capacityProviders: [],
    platformVersion: undefined,
    awsvpc: { assignPublicIp: 'DISABLED' },
    taskDefinition: 'web:3',
    taskDefinitionOperatingSystemFamily: undefined,
    tags: { team: 'payments' },
    ...fields,
  });
}

export function cluster(fields: Fields<Omit<Cluster, 'kind'>> = {}): Cluster {
  return sealModel<Cluster>({
    kind: 'AWS::ECS::Cluster',
    displayName: 'payments',
    settings: [{ name: 'containerInsights', value: 'enabled' }],
    tags: { team: 'payments' },
    ...fields,
  });
}

export function taskSet(fields: Fields<Omit<TaskSet, 'kind'>> = {}): TaskSet {
  return sealModel<TaskSet>({
    kind: 'AWS::ECS::TaskSet',
    displayName: 'ecs-svc/123',
    awsVpc: { assignPublicIp: 'DISABLED' },
    ...fields,
  });
}

export function capacityProvider(fields: Fields<Omit<CapacityProvider, 'kind'>> = {}): CapacityProvider {
  return sealModel<CapacityProvider>({
    kind: 'AWS::ECS::CapacityProvider',
    displayName: 'ec2-spot',
    autoScalingGroupProvider: { managedTerminationProtection: 'ENABLED' },
    ...fields,
  });
}

/** One resource of each type, for "another type is NOT_APPLICABLE" checks. */
export const ONE_OF_EACH: readonly Resource[] = [taskDefinition(), service(), cluster(), taskSet(), capacityProvider()];

export interface Row {
  /** What the row is about, as the test name. */
  readonly case: string;
  readonly resource: Resource;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly expected: Outcome;
  /** Texts the annotation must contain (offending containers, the setting, the fix…). */
  readonly mentions?: readonly string[];
  /** Texts the annotation must not contain (a compliant container named as offending, say). */
  readonly omits?: readonly string[];
}

/** Runs a control's table: the outcome, what the annotation names, and its 1–256 characters. */
export function describeControl(control: Control, rows: readonly Row[]): void {
  describe(`${control.id} ${control.title}`, () => {
    it.each(rows)('$case → $expected', ({ resource, parameters, expected, mentions = [], omits = [] }) => {
      const verdict = control.evaluate(resource, parameters);

      expect(verdict.compliance).toBe(expected);
      for (const text of mentions) expect(verdict.annotation).toContain(text);
      for (const text of omits) expect(verdict.annotation).not.toContain(text);
      expect(verdict.annotation.length).toBeGreaterThanOrEqual(1);
      expect(verdict.annotation.length).toBeLessThanOrEqual(256);
    });
  });
}

/** An unreadable field, as an adapter would leave it. */
export function unreadable(path: string): Unreadable {
  return new Unreadable(path, 'an unresolved intrinsic (Ref: Param), whose value is known only at deploy time');
}
