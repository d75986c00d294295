import {
  configurationItemFromEvent,
  configurationItemFromHistory,
  isGone,
  MalformedConfigurationItemError,
  resourceFromConfigurationItem,
} from '../../lambdas/adapters/config-item';
import { controlById } from '../../lambdas/controls';
import { TaskDefinition } from '../../lambdas/core/model';
import { loadFixture } from '../fixtures/load';

interface LambdaEvent {
  invokingEvent: string;
}
interface HistoryResponse {
  configurationItems: Record<string, unknown>[];
}

/** The item inside a Config rule event: `invokingEvent` is a JSON string. */
function itemOfEvent(variant: string): Record<string, unknown> {
  const event = loadFixture('config-event', variant) as LambdaEvent;
  return JSON.parse(event.invokingEvent).configurationItem;
}

const historyItem = (variant: string) => (loadFixture('config-history', variant) as HistoryResponse).configurationItems[0];
const configItem = (variant: string) => loadFixture('config-item', variant) as Record<string, unknown>;

describe('configurationItemFromEvent (ConfigurationItemChangeNotification)', () => {
  it('reads the envelope with the event’s names', () => {
    const item = configurationItemFromEvent(itemOfEvent('checkout-api'));

    expect(item).toMatchObject({
      resourceType: 'AWS::ECS::TaskDefinition',
      resourceId: 'checkout-api:7',
      resourceName: 'checkout-api:7',
      status: 'OK',
      accountId: '123456789012',
      arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/checkout-api:7',
      tags: {},
    });
    expect(item.captureTime).toEqual(new Date('2026-11-20T10:00:00.000Z'));
  });

  it('reads the PascalCase configuration, applying ECS defaults to absent fields', () => {
    const taskDefinition = resourceFromConfigurationItem(configurationItemFromEvent(itemOfEvent('checkout-api'))) as TaskDefinition;

    expect(taskDefinition).toMatchObject({ displayName: 'checkout-api:7', family: 'checkout-api', revision: 7, status: 'ACTIVE', operatingSystemFamily: undefined, networkMode: 'awsvpc', pidMode: undefined, volumes: [] });
    expect(taskDefinition.containers.map((container) => ({ ...container }))).toEqual([
      { name: 'checkout-api', user: undefined, privileged: false, readonlyRootFilesystem: undefined, logConfiguration: { logDriver: 'awslogs' }, environment: [{ name: 'LOG_LEVEL', value: 'info' }] },
      { name: 'log-sidecar', user: '0', privileged: false, readonlyRootFilesystem: false, logConfiguration: undefined, environment: [] },
    ]);
  });

  it('reads Config’s EfsVolumeConfiguration spelling and the RuntimePlatform block', () => {
    const taskDefinition = resourceFromConfigurationItem(configurationItemFromEvent(configItem('checkout-api-hardened'))) as TaskDefinition;

    expect(taskDefinition).toMatchObject({
      displayName: 'checkout-api:8',
      operatingSystemFamily: 'LINUX',
      volumes: [
        { name: 'tmp', efs: undefined },
        { name: 'shared', efs: { transitEncryption: 'ENABLED' } },
      ],
      tags: { team: 'payments' },
    });
  });

  it('accepts camelCase keys inside configuration (no recorded sample of RuntimePlatform exists)', () => {
    const raw = configItem('windows-iis');
    const { RuntimePlatform: _pascalCase, ...rest } = raw.configuration as Record<string, unknown>;
    const configuration = { ...rest, runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } };

    const taskDefinition = resourceFromConfigurationItem(configurationItemFromEvent({ ...raw, configuration })) as TaskDefinition;

    expect(taskDefinition.operatingSystemFamily).toBe('WINDOWS_SERVER_2022_CORE');
  });

  it('is not handed an oversized notification’s summary: that has no configuration', () => {
    const event = loadFixture('config-event', 'oversized-checkout-api') as LambdaEvent;
    const summary = JSON.parse(event.invokingEvent).configurationItemSummary;

    expect(() => configurationItemFromEvent(summary)).toThrow(new MalformedConfigurationItemError('configurationItem.configuration must be an object, got undefined'));
  });
});

describe('configurationItemFromHistory (oversized items via GetResourceConfigHistory)', () => {
  it('reads the history API’s names, epoch-second capture time and string configuration', () => {
    const item = configurationItemFromHistory(historyItem('checkout-api'));

    expect(item).toMatchObject({ resourceId: 'checkout-api:7', accountId: '123456789012', arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/checkout-api:7', status: 'OK' });
    // The shared sample's history time (1763632800 s) is 2025-11-20, a year before its event twin.
    expect(item.captureTime).toEqual(new Date(1763632800 * 1000));
    expect(item.configuration).toEqual(configItem('checkout-api').configuration);
  });

  it('gives the same model as the event item', () => {
    const fromHistory = resourceFromConfigurationItem(configurationItemFromHistory(historyItem('checkout-api-hardened')));
    const fromEvent = resourceFromConfigurationItem(configurationItemFromEvent(configItem('checkout-api-hardened')));

    expect(fromHistory).toEqual(fromEvent);
  });

  it('accepts the SDK’s Date for the capture time', () => {
    const item = configurationItemFromHistory({ ...historyItem('windows-iis'), configurationItemCaptureTime: new Date('2026-11-21T11:00:00Z') });

    expect(item.captureTime.toISOString()).toBe('2026-11-21T11:00:00.000Z');
  });
});

describe('gone resources and malformed items', () => {
  it.each(['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded'])('%s has no configuration to read', (status) => {
    const item = configurationItemFromEvent({ ...configItem('checkout-api'), configurationItemStatus: status, configuration: null });

    expect(isGone(item)).toBe(true);
    expect(item.configuration).toBeUndefined();
    expect(() => resourceFromConfigurationItem(item)).toThrow(new MalformedConfigurationItemError('AWS::ECS::TaskDefinition checkout-api:7 has no configuration'));
  });

  it.each([
    ['a missing resourceId', { resourceId: undefined }, 'configurationItem.resourceId must be a non-empty string, got nothing'],
    ['a capture time that is not a time', { configurationItemCaptureTime: 'yesterday' }, 'configurationItem.configurationItemCaptureTime is not a time: "yesterday"'],
    ['a configuration string that is not JSON', { configuration: '{"ContainerDefinitions":' }, 'configurationItem.configuration is a string but not JSON'],
    ['a missing capture time', { configurationItemCaptureTime: undefined }, 'configurationItem.configurationItemCaptureTime is not a time: nothing'],
    ['a null capture time', { configurationItemCaptureTime: null }, 'configurationItem.configurationItemCaptureTime is not a time: null'],
    ['a capture time that is a boolean', { configurationItemCaptureTime: true }, 'configurationItem.configurationItemCaptureTime is not a time: true'],
    ['a null configuration of a present resource', { configuration: null }, 'configurationItem.configuration must be an object, got null'],
    ['a configuration that is a list', { configuration: [] }, 'configurationItem.configuration must be an object, got a list'],
    ['a configuration that is a number', { configuration: 7 }, 'configurationItem.configuration must be an object, got number'],
  ])('rejects %s, naming the field', (_case, change, message) => {
    const read = () => configurationItemFromEvent({ ...configItem('checkout-api'), ...change });

    expect(read).toThrow(MalformedConfigurationItemError);
    expect(read).toThrow(message);
  });

  it.each([
    ['an event item that is null', () => configurationItemFromEvent(null), 'configurationItem is not an object'],
    ['an event item that is a list', () => configurationItemFromEvent([configItem('checkout-api')]), 'configurationItem is not an object'],
    ['a history item that is a string', () => configurationItemFromHistory('checkout-api:7'), 'configurationItems[0] is not an object'],
    ['a history item without a resourceId', () => configurationItemFromHistory({ ...historyItem('checkout-api'), resourceId: undefined }), 'configurationItems[0].resourceId must be a non-empty string, got nothing'],
    ['a history configuration string holding a list', () => configurationItemFromHistory({ ...historyItem('checkout-api'), configuration: '[]' }), 'configurationItems[0].configuration must be an object, got a list'],
    ['a history configuration string holding null', () => configurationItemFromHistory({ ...historyItem('checkout-api'), configuration: 'null' }), 'configurationItems[0].configuration must be an object, got null'],
  ])('rejects %s with a MalformedConfigurationItemError naming where it is', (_case, read, message) => {
    expect(read).toThrow(new MalformedConfigurationItemError(message));
  });

  it('keeps the JSON parser’s error as the cause of an unparseable configuration string, under its own error name', () => {
    const read = () => configurationItemFromHistory({ ...historyItem('checkout-api'), configuration: '{"ContainerDefinitions":' });

    expect(read).toThrow(
      expect.objectContaining({ name: 'MalformedConfigurationItemError', message: 'configurationItems[0].configuration is a string but not JSON', cause: expect.any(SyntaxError) }),
    );
  });

  it('rejects a resource type it does not evaluate', () => {
    const item = configurationItemFromEvent({ ...configItem('checkout-api'), resourceType: 'AWS::S3::Bucket' });

    expect(() => resourceFromConfigurationItem(item)).toThrow('AWS::S3::Bucket is not an ECS resource type this project evaluates');
  });

  it.each([
    ['an empty map', {}, { compliance: 'NON_COMPLIANT' }],
    ['null', null, { compliance: 'NON_COMPLIANT' }],
    ['a map with one value that is not a string', { team: 'payments', cost: 7 }, { compliance: 'NOT_EVALUATED', annotation: 'ECS.15 could not evaluate configurationItem.tags: expected a map of strings' }],
    ['a list', [{ key: 'team', value: 'payments' }], { compliance: 'NOT_EVALUATED', annotation: 'ECS.15 could not evaluate configurationItem.tags: expected a map of strings' }],
  ])('reads top-level tags given as %s', (_case, tags, result) => {
    const resource = resourceFromConfigurationItem(configurationItemFromEvent({ ...configItem('checkout-api'), tags }));

    expect(controlById('ECS.15').evaluate(resource)).toMatchObject(result);
  });

  it('makes malformed tags unreadable for the tag control only', () => {
    const resource = resourceFromConfigurationItem(configurationItemFromEvent({ ...configItem('checkout-api'), tags: { team: 7 } }));

    expect(controlById('ECS.15').evaluate(resource)).toEqual({ compliance: 'NOT_EVALUATED', annotation: 'ECS.15 could not evaluate configurationItem.tags: expected a map of strings' });
    expect(controlById('ECS.20').evaluate(resource).compliance).toBe('NON_COMPLIANT');
  });

  it('names the configuration path of a field of the wrong type', () => {
    const raw = configItem('checkout-api');
    const configuration = raw.configuration as { ContainerDefinitions: object[] };
    const broken = { ...configuration, ContainerDefinitions: [{ ...configuration.ContainerDefinitions[0], Privileged: 'true' }] };
    const resource = resourceFromConfigurationItem(configurationItemFromEvent({ ...raw, configuration: broken }));

    // Config records real Booleans; unlike a template, a string there is not accepted.
    expect(controlById('ECS.4').evaluate(resource).annotation).toBe('ECS.4 could not evaluate configuration.ContainerDefinitions[0].Privileged: expected a boolean, got string "true"');
  });
});

describe('other resource types from Config items', () => {
  const envelope = { configurationItemStatus: 'OK', configurationItemCaptureTime: '2026-11-20T10:00:00.000Z', tags: { team: 'payments' } };

  it('reads a service, with the OS family the edge looked up, and without it', () => {
    const item = configurationItemFromEvent({
      ...envelope,
      resourceType: 'AWS::ECS::Service',
      resourceId: 'arn:aws:ecs:us-east-1:123456789012:service/payments/checkout',
      configuration: {
        ServiceName: 'checkout',
        LaunchType: 'FARGATE',
        PlatformVersion: '1.3.0',
        TaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/checkout-api:7',
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', Subnets: ['subnet-0a1b2c3d'], SecurityGroups: [] } },
        CapacityProviderStrategy: [],
      },
    });

    expect(controlById('ECS.2').evaluate(resourceFromConfigurationItem(item)).compliance).toBe('NON_COMPLIANT');
    expect(controlById('ECS.10').evaluate(resourceFromConfigurationItem(item, { taskDefinitionOperatingSystemFamily: 'WINDOWS_SERVER_2019_CORE' })).compliance).toBe('COMPLIANT');
    expect(controlById('ECS.10').evaluate(resourceFromConfigurationItem(item))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: "ECS.10 could not evaluate configuration.TaskDefinition: the task definition's OS family was not looked up",
    });
  });

  it('reads a cluster’s ClusterSettings, a task set’s AwsVpcConfiguration and a capacity provider', () => {
    const adapt = (resourceType: string, configuration: object) =>
      resourceFromConfigurationItem(configurationItemFromEvent({ ...envelope, resourceType, resourceId: 'id', configuration }));

    expect(controlById('ECS.12').evaluate(adapt('AWS::ECS::Cluster', { ClusterName: 'payments', ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }] })).compliance).toBe('NON_COMPLIANT');
    expect(controlById('ECS.16').evaluate(adapt('AWS::ECS::TaskSet', { NetworkConfiguration: { AwsVpcConfiguration: { AssignPublicIp: 'ENABLED' } } })).compliance).toBe('NON_COMPLIANT');
    expect(controlById('ECS.19').evaluate(adapt('AWS::ECS::CapacityProvider', { Name: 'ec2', AutoScalingGroupProvider: { ManagedTerminationProtection: 'ENABLED' } })).compliance).toBe('COMPLIANT');
  });

  it.each([
    ['AWS::ECS::Service', { ServiceName: 'checkout', NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: true } } }, 'ECS.2', 'configuration.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp: expected a string, got boolean true'],
    ['AWS::ECS::Cluster', { ClusterName: 'payments', ClusterSettings: [{ Name: 'containerInsights', Value: true }] }, 'ECS.12', 'configuration.ClusterSettings[0].Value: expected a string, got boolean true'],
    ['AWS::ECS::TaskSet', { Id: 'ecs-svc/1', NetworkConfiguration: { AwsVpcConfiguration: { AssignPublicIp: 1 } } }, 'ECS.16', 'configuration.NetworkConfiguration.AwsVpcConfiguration.AssignPublicIp: expected a string, got number 1'],
    ['AWS::ECS::CapacityProvider', { Name: 'ec2', AutoScalingGroupProvider: { ManagedTerminationProtection: false } }, 'ECS.19', 'configuration.AutoScalingGroupProvider.ManagedTerminationProtection: expected a string, got boolean false'],
  ])('names the configuration path of a malformed %s field', (resourceType, configuration, controlId, unreadable) => {
    const resource = resourceFromConfigurationItem(configurationItemFromEvent({ ...envelope, resourceType, resourceId: 'id', configuration }));

    expect(controlById(controlId).evaluate(resource)).toEqual({ compliance: 'NOT_EVALUATED', annotation: `${controlId} could not evaluate ${unreadable}` });
  });

  it.each([
    ['its resourceName', { resourceName: 'checkout' }, 'checkout'],
    ['its resourceId, when the item has no resourceName', {}, 'arn:aws:ecs:us-east-1:123456789012:service/payments/checkout'],
  ])('names a resource whose configuration has no name by %s', (_case, names, displayName) => {
    const item = configurationItemFromEvent({ ...envelope, resourceType: 'AWS::ECS::Service', resourceId: 'arn:aws:ecs:us-east-1:123456789012:service/payments/checkout', ...names, configuration: { LaunchType: 'EC2' } });

    expect(resourceFromConfigurationItem(item).displayName).toBe(displayName);
  });
});
