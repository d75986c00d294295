/**
 * The edges where a wrong read would change a verdict with no other test noticing (the surviving
 * mutants of the first StrykerJS run, docs/reliability.md): each as a failing or not-evaluated case
 * beside the passing one.
 */
import { configurationItemFromEvent, resourceFromConfigurationItem } from '../../lambdas/adapters/config-item';
import { resourcesFromTemplate } from '../../lambdas/adapters/cloudformation';
import { detectEcsApiDocument, taskDefinitionFromEcsApi } from '../../lambdas/adapters/ecs-api';
import { controlById } from '../../lambdas/controls';
import { Resource } from '../../lambdas/core/model';
import { loadFixture } from '../fixtures/load';

const evaluate = (controlId: string, resource: Resource, parameters?: Record<string, string>) => controlById(controlId).evaluate(resource, parameters);

function templateTask(container: Record<string, unknown>, properties: Record<string, unknown> = {}): Resource {
  const template = { Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'nginx', ...container }], ...properties } } } };
  return resourcesFromTemplate(template)[0].resource;
}

describe('reader', () => {
  test('only "true" and "false" are boolean strings: an unresolved Privileged is never read as false', () => {
    expect(evaluate('ECS.4', templateTask({ Privileged: { Ref: 'Param' } }))).toMatchObject({ compliance: 'NOT_EVALUATED', annotation: expect.stringContaining('Ref: Param') });
    expect(evaluate('ECS.4', templateTask({ Privileged: 'yes' }))).toMatchObject({ compliance: 'NOT_EVALUATED' });
    expect(evaluate('ECS.4', templateTask({ Privileged: 'true' }))).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect(evaluate('ECS.4', templateTask({ Privileged: 'false' }))).toMatchObject({ compliance: 'COMPLIANT' });
  });

  test("a template's keys match only in CloudFormation's spelling, and another key is not the property", () => {
    expect(evaluate('ECS.4', templateTask({ privileged: true }))).toMatchObject({ compliance: 'NOT_EVALUATED', annotation: expect.stringContaining('"privileged" is not "Privileged"') });
    expect(evaluate('ECS.4', templateTask({ Privilegex: true }))).toMatchObject({ compliance: 'COMPLIANT' });
    expect(evaluate('ECS.4', templateTask({ Essential: 'yes' }))).toMatchObject({ compliance: 'COMPLIANT' });
  });
});

describe('task definitions', () => {
  test('no container definitions is not decided: a container check would pass with nothing to check', () => {
    expect(evaluate('ECS.4', resourcesFromTemplate({ Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [] } } } })[0].resource)).toMatchObject({
      compliance: 'NOT_EVALUATED',
      annotation: expect.stringContaining('no container definitions'),
    });
    expect(evaluate('ECS.20', taskDefinitionFromEcsApi({ family: 'x', containerDefinitions: [] }))).toMatchObject({ compliance: 'NOT_EVALUATED' });
  });

  test('the ECS API returns booleans: a "false" string there is not read as false', () => {
    expect(evaluate('ECS.4', taskDefinitionFromEcsApi({ family: 'x', containerDefinitions: [{ name: 'app', privileged: 'false' }] }))).toMatchObject({ compliance: 'NOT_EVALUATED' });
    expect(evaluate('ECS.4', taskDefinitionFromEcsApi({ family: 'x', containerDefinitions: [{ name: 'app', privileged: false }] }))).toMatchObject({ compliance: 'COMPLIANT' });
  });

  test('any one registration field marks a registered task definition, whose absent tags were not fetched', () => {
    for (const field of [{ taskDefinitionArn: 'arn:aws:ecs:us-east-1:1:task-definition/x:1' }, { revision: 1 }, { status: 'ACTIVE' }, { registeredAt: '2026-01-01' }]) {
      const document = { family: 'x', containerDefinitions: [{ name: 'app' }], ...field };
      expect(detectEcsApiDocument(document)).toBe('task-definition');
      expect(evaluate('ECS.15', taskDefinitionFromEcsApi(document))).toMatchObject({ compliance: 'NOT_EVALUATED' });
    }
    expect(evaluate('ECS.15', taskDefinitionFromEcsApi({ family: 'x', containerDefinitions: [{ name: 'app' }] }))).toMatchObject({ compliance: 'NON_COMPLIANT' });
  });
});

describe('AWS Config items', () => {
  test('absent or null tags mean none: the tagging control fails, it does not give up', () => {
    const event = loadFixture('config-event', 'checkout-api') as { invokingEvent: string };
    const item = JSON.parse(event.invokingEvent).configurationItem as Record<string, unknown>;
    for (const tags of [undefined, null]) {
      const resource = resourceFromConfigurationItem(configurationItemFromEvent({ ...item, tags }));
      expect(evaluate('ECS.15', resource)).toMatchObject({ compliance: 'NON_COMPLIANT' });
    }
    const malformed = resourceFromConfigurationItem(configurationItemFromEvent({ ...item, tags: ['team'] }));
    expect(evaluate('ECS.15', malformed)).toMatchObject({ compliance: 'NOT_EVALUATED' });
  });
});

describe('CloudFormation', () => {
  test('only Ref AWS::NoValue removes a property; any other object is read', () => {
    expect(evaluate('ECS.9', templateTask({ LogConfiguration: { LogDriver: 'awslogs' } }))).toMatchObject({ compliance: 'COMPLIANT' });
    expect(evaluate('ECS.9', templateTask({ LogConfiguration: { Ref: 'AWS::NoValue' } }))).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect(evaluate('ECS.4', templateTask({ Privileged: { Ref: 'AWS::NoValue' } }))).toMatchObject({ compliance: 'COMPLIANT' });
    expect(evaluate('ECS.4', templateTask({ Privileged: { Ref: 'AWS::Region' } }))).toMatchObject({ compliance: 'NOT_EVALUATED' });
  });

  describe("ECS.10 follows the service's task definition only through Ref or GetAtt TaskDefinitionArn to a task definition", () => {
    const windowsTask = { Type: 'AWS::ECS::TaskDefinition', Properties: { RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' }, ContainerDefinitions: [{ Name: 'app' }] } };
    // 1.0.0 is the latest on Windows but behind on Linux: only a followed reference makes it compliant.
    const serviceVerdict = (taskDefinition: unknown, resources: Record<string, unknown> = {}) => {
      const template = { Resources: { Task: windowsTask, ...resources, Service: { Type: 'AWS::ECS::Service', Properties: { LaunchType: 'FARGATE', PlatformVersion: '1.0.0', TaskDefinition: taskDefinition } } } };
      const service = resourcesFromTemplate(template).find((found) => found.logicalId === 'Service');
      return evaluate('ECS.10', (service as { resource: Resource }).resource);
    };

    test.each([
      ['Ref', { Ref: 'Task' }],
      ['GetAtt list form', { 'Fn::GetAtt': ['Task', 'TaskDefinitionArn'] }],
      ['GetAtt string form', { 'Fn::GetAtt': 'Task.TaskDefinitionArn' }],
    ])('%s is followed', (_form, reference) => {
      expect(serviceVerdict(reference)).toMatchObject({ compliance: 'COMPLIANT', annotation: expect.stringContaining('Windows') });
    });

    test.each([
      ['GetAtt of another attribute', { 'Fn::GetAtt': ['Task', 'Family'] }],
      ['Ref to a resource that is not a task definition', { Ref: 'Cluster' }],
      ['a plain ARN', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3'],
    ])('%s is not followed: not evaluated', (_form, reference) => {
      expect(serviceVerdict(reference, { Cluster: { Type: 'AWS::ECS::Cluster' } })).toMatchObject({ compliance: 'NOT_EVALUATED' });
    });
  });
});

describe('controls', () => {
  test('ECS.21: a user of spaces only is no user', () => {
    const windows = { RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } };
    expect(evaluate('ECS.21', templateTask({ User: '   ' }, windows))).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: expect.stringContaining('no user') });
    expect(evaluate('ECS.21', templateTask({ User: ' ContainerAdministrator ' }, windows))).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect(evaluate('ECS.21', templateTask({ User: 'ContainerUser' }, windows))).toMatchObject({ compliance: 'COMPLIANT' });
  });

  test('ECS.8: an access key id has exactly the prefix and 16 more characters', () => {
    const withValue = (value: string) => templateTask({ Environment: [{ Name: 'CONFIG', Value: value }] });
    expect(evaluate('ECS.8', withValue('AKIAIOSFODNN7EXAMPLE'))).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect(evaluate('ECS.8', withValue('AKIAIOSFODNN7EXAMPL'))).toMatchObject({ compliance: 'COMPLIANT' });
    expect(evaluate('ECS.8', withValue('AKIA-not-a-key'))).toMatchObject({ compliance: 'COMPLIANT' });
  });

  test.each([
    ['00', 'NON_COMPLIANT'],
    ['0:1000', 'NON_COMPLIANT'],
    ['0x0', 'COMPLIANT'],
    ['0e0', 'COMPLIANT'],
    ['10', 'COMPLIANT'],
    ['100:0', 'COMPLIANT'],
  ])('ECS.20: user %s is %s (only a decimal zero is root)', (user, compliance) => {
    expect(evaluate('ECS.20', templateTask({ User: user }, { RuntimePlatform: { OperatingSystemFamily: 'LINUX' } }))).toMatchObject({ compliance });
  });
});
