/** What every control shares: metadata as CONTROLS.md states it, scope, status, parameters, annotations. */
import fc from 'fast-check';
import { CONTROLS, controlById } from '../../lambdas/controls';
import { Control } from '../../lambdas/core/control';
import { Resource, sealModel, TaskDefinition, Unreadable } from '../../lambdas/core/model';
import { defaultParameters, InvalidParameterError } from '../../lambdas/core/parameters';
import { capacityProvider, cluster, container, ONE_OF_EACH, service, taskDefinition, taskSet } from './builders';

/** id, title, severity, resource type, as CONTROLS.md lists them. */
const EXPECTED = [
  ['ECS.2', 'ECS services should not have public IP addresses assigned to them automatically', 'HIGH', 'AWS::ECS::Service'],
  ['ECS.3', "ECS task definitions should not share the host's process namespace", 'HIGH', 'AWS::ECS::TaskDefinition'],
  ['ECS.4', 'ECS containers should run as non-privileged', 'HIGH', 'AWS::ECS::TaskDefinition'],
  ['ECS.5', 'ECS containers should be limited to read-only access to root filesystems', 'HIGH', 'AWS::ECS::TaskDefinition'],
  ['ECS.8', 'Secrets should not be passed as container environment variables', 'HIGH', 'AWS::ECS::TaskDefinition'],
  ['ECS.9', 'ECS task definitions should have a logging configuration', 'HIGH', 'AWS::ECS::TaskDefinition'],
  ['ECS.10', 'ECS Fargate services should run on the latest Fargate platform version', 'MEDIUM', 'AWS::ECS::Service'],
  ['ECS.12', 'ECS clusters should use Container Insights', 'MEDIUM', 'AWS::ECS::Cluster'],
  ['ECS.13', 'ECS services should be tagged', 'LOW', 'AWS::ECS::Service'],
  ['ECS.14', 'ECS clusters should be tagged', 'LOW', 'AWS::ECS::Cluster'],
  ['ECS.15', 'ECS task definitions should be tagged', 'LOW', 'AWS::ECS::TaskDefinition'],
  ['ECS.16', 'ECS task sets should not automatically assign public IP addresses', 'HIGH', 'AWS::ECS::TaskSet'],
  ['ECS.17', 'ECS task definitions should not use host network mode', 'MEDIUM', 'AWS::ECS::TaskDefinition'],
  ['ECS.18', 'ECS task definitions should use in-transit encryption for EFS volumes', 'MEDIUM', 'AWS::ECS::TaskDefinition'],
  ['ECS.19', 'ECS capacity providers should have managed termination protection enabled', 'MEDIUM', 'AWS::ECS::CapacityProvider'],
  ['ECS.20', 'ECS task definitions should configure non-root users in Linux container definitions', 'MEDIUM', 'AWS::ECS::TaskDefinition'],
  ['ECS.21', 'ECS task definitions should configure non-administrator users in Windows container definitions', 'MEDIUM', 'AWS::ECS::TaskDefinition'],
];

/** The managed rules CONTROLS.md names. */
const MANAGED_RULES: Record<string, string> = {
  'ECS.3': 'ecs-task-definition-pid-mode-check',
  'ECS.4': 'ecs-containers-nonprivileged',
  'ECS.5': 'ecs-containers-readonly-access',
  'ECS.8': 'ecs-no-environment-secrets',
  'ECS.9': 'ecs-task-definition-log-configuration',
  'ECS.17': 'ecs-task-definition-network-mode-not-host',
  'ECS.18': 'ecs-task-definition-efs-encryption-enabled',
  'ECS.20': 'ecs-task-definition-linux-user-non-root',
  'ECS.21': 'ecs-task-definition-windows-user-non-admin',
};

const TASK_DEFINITION_CONTROLS = CONTROLS.filter((control) => control.resourceType === 'AWS::ECS::TaskDefinition');

/** Every field unreadable except `kind`: what a hostile or unresolvable document gives. */
function allUnreadable(resource: Resource): Resource {
  const fields = Object.fromEntries(Object.keys(resource).map((key) => [key, key === 'kind' ? resource.kind : new Unreadable(`field.${key}`, 'unreadable')]));
  return sealModel<Resource>(fields as never);
}

describe('the registry', () => {
  it('holds every Security Hub ECS control, in order, with its CONTROLS.md metadata', () => {
    expect(CONTROLS.map((control) => [control.id, control.title, control.severity, control.resourceType])).toEqual(EXPECTED);
  });

  it.each(Object.entries(MANAGED_RULES))('%s names the managed rule %s', (id, managedRule) => {
    expect(controlById(id).managedRule).toBe(managedRule);
  });

  it('gives every control a slug and a remediation', () => {
    for (const control of CONTROLS) {
      expect(control.slug).toBe(control.id.toLowerCase().replace('.', '-'));
      expect(control.remediation.length).toBeGreaterThan(10);
    }
  });

  it('documents every (beyond) behaviour of CONTROLS.md on the control', () => {
    expect(CONTROLS.filter((control) => control.beyond).map((control) => control.id)).toEqual(['ECS.8', 'ECS.20']);
  });

  it('carries the parameter defaults CONTROLS.md states', () => {
    expect(Object.fromEntries(CONTROLS.map((control) => [control.id, defaultParameters(control.parameters)]))).toMatchObject({
      'ECS.8': { secretKeys: 'AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,ECS_ENGINE_AUTH_DATA', detectCredentialValues: 'true' },
      'ECS.10': { latestLinuxVersion: '1.4.0', latestWindowsVersion: '1.0.0' },
      'ECS.13': { requiredTagKeys: '' },
      'ECS.14': { requiredTagKeys: '' },
      'ECS.15': { requiredTagKeys: '' },
      'ECS.2': {},
      'ECS.20': {},
    });
  });

  it.each(['ECS.20', 'ecs.20', 'ecs-20', ' ECS-20 '])('finds %j', (id) => {
    expect(controlById(id).id).toBe('ECS.20');
  });

  it('names the known controls for an unknown id', () => {
    expect(() => controlById('ECS.1')).toThrow(/Unknown control "ECS.1". Known controls: ECS.2, ECS.3, .*ECS.21/);
  });
});

describe.each(CONTROLS.map((control) => [control.id, control] as const))('%s', (_id, control: Control) => {
  it('is NOT_APPLICABLE to every other resource type', () => {
    for (const other of ONE_OF_EACH.filter((resource) => resource.kind !== control.resourceType)) {
      expect(control.evaluate(other)).toEqual({ compliance: 'NOT_APPLICABLE', annotation: `${control.id} applies to ${control.resourceType}, not ${other.kind}.` });
    }
  });

  it('rejects an unknown parameter name, listing the ones it takes', () => {
    const resource = ONE_OF_EACH.find((candidate) => candidate.kind === control.resourceType) as Resource;
    const known = Object.keys(control.parameters);

    expect(() => control.evaluate(resource, { secretkeys: 'X' })).toThrow(InvalidParameterError);
    expect(() => control.evaluate(resource, { secretkeys: 'X' })).toThrow(
      `${control.id} has no parameter "secretkeys"${known.length ? ` (it takes: ${known.join(', ')})` : ' (it takes none)'}`,
    );
  });

  it('rejects a parameter value that is not a string', () => {
    const [name] = Object.keys(control.parameters);
    if (name === undefined) return;
    const resource = ONE_OF_EACH.find((candidate) => candidate.kind === control.resourceType) as Resource;

    expect(() => control.evaluate(resource, { [name]: 7 })).toThrow(`${control.id} parameter "${name}" must be a string, got number`);
  });

  it('is never COMPLIANT when it cannot read the resource: NOT_EVALUATED, naming a path', () => {
    const resource = ONE_OF_EACH.find((candidate) => candidate.kind === control.resourceType) as Resource;
    const verdict = control.evaluate(allUnreadable(resource));

    expect(verdict.compliance).toBe('NOT_EVALUATED');
    expect(verdict.annotation).toMatch(new RegExp(`^${control.id.replace('.', '\\.')} could not evaluate field\\.\\w+: unreadable$`));
  });
});

describe.each(TASK_DEFINITION_CONTROLS.map((control) => [control.id, control] as const))('%s on task definition revisions', (_id, control: Control) => {
  // A deliberately failing revision: only its status can make it NOT_APPLICABLE.
  const failing = (status: TaskDefinition['status'] | Unreadable) =>
    taskDefinition({
      displayName: 'web:2',
      status,
      pidMode: 'host',
      networkMode: 'host',
      tags: {},
      containers: [container({ user: undefined, privileged: true, readonlyRootFilesystem: false, logConfiguration: undefined, environment: [{ name: 'AWS_ACCESS_KEY_ID', value: 'x' }] })],
      volumes: [{ name: 'shared', efs: { transitEncryption: undefined } }],
    });

  it.each(['INACTIVE', 'DELETE_IN_PROGRESS'])('is NOT_APPLICABLE to a %s revision', (status) => {
    expect(control.evaluate(failing(status))).toEqual({
      compliance: 'NOT_APPLICABLE',
      annotation: `Task definition web:2 is ${status}; only ACTIVE revisions are evaluated.`,
    });
  });

  it('evaluates an ACTIVE revision, and a template (no status) as the ACTIVE revision it will be', () => {
    expect(control.evaluate(failing('ACTIVE')).compliance).toBe('NON_COMPLIANT');
    expect(control.evaluate(failing(undefined)).compliance).toBe('NON_COMPLIANT');
  });

  it('cannot decide when the status is unreadable', () => {
    expect(control.evaluate(failing(new Unreadable('configuration.Status', 'expected a string, got number 1'))).annotation).toBe(
      `${control.id} could not evaluate configuration.Status: expected a string, got number 1`,
    );
  });
});

describe('annotations', () => {
  it('are cut to 256 characters, ending with an ellipsis, when many offending containers are named', () => {
    const containers = Array.from({ length: 20 }, (_, index) => container({ name: `sidecar-with-a-rather-long-name-${index}`, user: undefined }));
    const { annotation } = controlById('ECS.20').evaluate(taskDefinition({ containers }));

    expect(annotation).toHaveLength(256);
    expect(annotation.endsWith('…')).toBe(true);
    expect(annotation).toContain('sidecar-with-a-rather-long-name-0 (no user)');
  });

  it('stay within 1–256 characters whatever the names and users (every control)', () => {
    const text = fc.string({ maxLength: 300 });
    fc.assert(
      fc.property(fc.array(fc.record({ name: text, user: fc.option(text, { nil: undefined }) }), { maxLength: 5 }), text, (containers, displayName) => {
        const resources = [
          taskDefinition({ displayName, containers: containers.map((fields) => container({ ...fields, readonlyRootFilesystem: false })) }),
          service({ displayName, platformVersion: '1.0.0' }),
          cluster({ displayName, settings: [] }),
          taskSet({ displayName }),
          capacityProvider({ displayName }),
        ];
        for (const control of CONTROLS) {
          for (const resource of resources) {
            const { annotation } = control.evaluate(resource);
            expect(annotation.length).toBeGreaterThanOrEqual(1);
            expect(annotation.length).toBeLessThanOrEqual(256);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
