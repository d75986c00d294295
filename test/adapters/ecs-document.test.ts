/**
 * The shared normalizer (lambdas/adapters/ecs-document.ts) on its own: what a document's gaps and
 * malformed parts become in the model. Every adapter goes through it, so a gap read as "absent"
 * instead of "unreadable" would turn a could-not-evaluate into a verdict.
 */
import { familyFromArn, normalizeCluster, normalizeService, normalizeTaskDefinition, revisionFromArn, tagsFromList } from '../../lambdas/adapters/ecs-document';
import { DocumentReader, JsonObject } from '../../lambdas/adapters/reader';
import { Unreadable, UnreadableFieldError } from '../../lambdas/core/model';

const reader = new DocumentReader({ booleanStrings: false });
const envelope = { fallbackName: 'fallback', tags: {} };
const container = { Name: 'app', Image: 'nginx' };

const taskDefinition = (document: JsonObject) => normalizeTaskDefinition(reader, document, 'TD', envelope);

/** The error a control gets when it reads `field`. */
function readError(read: () => unknown): UnreadableFieldError {
  try {
    read();
  } catch (error) {
    if (error instanceof UnreadableFieldError) return error;
    throw error;
  }
  throw new Error('the field was readable');
}

describe('tags', () => {
  it('are a map of key to value; an absent value is empty, an unreadable one a placeholder saying why', () => {
    const tags = tagsFromList(reader, { Tags: [{ Key: 'team', Value: 'payments' }, { Key: 'empty' }, { Key: 'built', Value: 42 }] }, 'Tags', 'TD');
    expect(tags).toEqual({ team: 'payments', empty: '', built: '(unreadable: expected a string, got number 42)' });
  });

  it('are unreadable when the list is not a list, or a tag has no key', () => {
    expect(tagsFromList(reader, { Tags: { team: 'payments' } }, 'Tags', 'TD')).toEqual(new Unreadable('TD.Tags', 'expected a list, got an object with keys team'));
    expect(tagsFromList(reader, { Tags: [{ Key: 'team', Value: 'a' }, { Value: 'b' }] }, 'Tags', 'TD')).toEqual(new Unreadable('TD.Tags[1].Key', 'a tag without a key'));
  });
});

describe('task definition ARNs', () => {
  it('give the family and a revision of any number of digits', () => {
    expect(revisionFromArn('arn:aws:ecs:us-east-1:123456789012:task-definition/web:12')).toBe(12);
    expect(familyFromArn('arn:aws:ecs:us-east-1:123456789012:task-definition/web:12')).toBe('web');
    expect(revisionFromArn('arn:aws:ecs:us-east-1:123456789012:task-definition/web')).toBeUndefined();
    expect(revisionFromArn(undefined)).toBeUndefined();
  });
});

describe('task definitions', () => {
  it('name a container or volume without a name by its place', () => {
    const model = taskDefinition({ ContainerDefinitions: [container, { Image: 'sidecar' }], Volumes: [{ EfsVolumeConfiguration: { TransitEncryption: 'ENABLED' } }] });
    expect(model.containers.map((item) => item.name)).toEqual(['app', 'container[1]']);
    expect(model.volumes).toEqual([{ name: 'volume[0]', efs: { transitEncryption: 'ENABLED' } }]);
  });

  it('without a container are unreadable, never vacuously compliant', () => {
    expect(readError(() => taskDefinition({ ContainerDefinitions: [] }).containers)).toMatchObject({
      path: 'TD.ContainerDefinitions',
      reason: 'no container definitions, though every task definition has at least one',
    });
  });

  it('make the environment unreadable when a variable name is, and read an absent name as empty', () => {
    const unreadableName = taskDefinition({ ContainerDefinitions: [{ ...container, Environment: [{ Name: 7, Value: 'x' }] }] });
    expect(readError(() => unreadableName.containers[0].environment)).toMatchObject({ path: 'TD.ContainerDefinitions[0].Environment[0].Name' });
    const noName = taskDefinition({ ContainerDefinitions: [{ ...container, Environment: [{ Value: 'x' }] }] });
    expect(noName.containers[0].environment.map(({ name, value }) => ({ name, value }))).toEqual([{ name: '', value: 'x' }]);
  });

  it('keep a malformed nested block unreadable, not absent: log configuration, EFS configuration', () => {
    const malformed = taskDefinition({ ContainerDefinitions: [{ ...container, LogConfiguration: ['awslogs'] }], Volumes: [{ Name: 'data', EfsVolumeConfiguration: 'fs-1' }] });
    expect(readError(() => malformed.containers[0].logConfiguration)).toMatchObject({ path: 'TD.ContainerDefinitions[0].LogConfiguration' });
    expect(readError(() => malformed.volumes)).toMatchObject({ path: 'TD.Volumes[0].EfsVolumeConfiguration' });
  });
});

describe('services and clusters', () => {
  it('a strategy item without a capacity provider is unreadable', () => {
    const service = normalizeService(reader, { CapacityProviderStrategy: [{ Weight: 1 }] }, 'SVC', { ...envelope, taskDefinitionOperatingSystemFamily: undefined });
    expect(readError(() => service.capacityProviders)).toMatchObject({ path: 'SVC.CapacityProviderStrategy[0].CapacityProvider', reason: 'a strategy item without a capacity provider' });
  });

  it('a cluster setting without a name reads as an empty name', () => {
    expect(normalizeCluster(reader, { ClusterSettings: [{ Value: 'enabled' }] }, 'CL', envelope).settings).toEqual([{ name: '', value: 'enabled' }]);
  });
});
