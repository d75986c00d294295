import {
  capacityProviderFromEcsApi,
  clusterFromEcsApi,
  detectEcsApiDocument,
  EcsApiDocumentKind,
  holdsTaskDefinition,
  MalformedEcsDocumentError,
  resourcesFromEcsApiDocument,
  serviceFromEcsApi,
  taskDefinitionFromEcsApi,
  taskSetFromEcsApi,
} from '../../lambdas/adapters/ecs-api';
import { controlById } from '../../lambdas/controls';
import { Resource, Service, Unreadable, UnreadableFieldError } from '../../lambdas/core/model';
import { loadFixture } from '../fixtures/load';

const describedCheckout = loadFixture('ecs-api', 'describe-task-definition-checkout-api') as { taskDefinition: object; tags: object[] };
const registerInput = loadFixture('ecs-api', 'register-task-definition-input');
const describeServices = loadFixture('ecs-api', 'describe-services') as { services: object[] };
const describeClusters = loadFixture('ecs-api', 'describe-clusters') as { clusters: object[] };
const describeCapacityProviders = loadFixture('ecs-api', 'describe-capacity-providers') as { capacityProviders: object[] };

function evaluate(controlId: string, resource: Resource, parameters?: Record<string, string>) {
  return controlById(controlId).evaluate(resource, parameters);
}

describe('detectEcsApiDocument', () => {
  const [service] = describeServices.services;
  const canary = describeServices.services[1] as { taskSets: object[] };
  it.each([
    ['describe-task-definition output', describedCheckout, 'describe-task-definition'],
    ['a bare registered task definition', describedCheckout.taskDefinition, 'task-definition'],
    ['a register-task-definition input', registerInput, 'register-task-definition-input'],
    ['describe-services output', describeServices, 'describe-services'],
    ['a service', service, 'service'],
    ['describe-clusters output', describeClusters, 'describe-clusters'],
    ['a cluster', describeClusters.clusters[0], 'cluster'],
    ['describe-task-sets output', { taskSets: canary.taskSets, failures: [] }, 'describe-task-sets'],
    ['a task set', canary.taskSets[0], 'task-set'],
    ['describe-capacity-providers output', describeCapacityProviders, 'describe-capacity-providers'],
    ['a capacity provider', describeCapacityProviders.capacityProviders[1], 'capacity-provider'],
    ['create-service output', { service: service }, 'service-response'],
    ['create-cluster output', { cluster: describeClusters.clusters[0] }, 'cluster-response'],
    ['create-task-set output', { taskSet: canary.taskSets[0] }, 'task-set-response'],
    ['create-capacity-provider output', { capacityProvider: describeCapacityProviders.capacityProviders[1] }, 'capacity-provider-response'],
    ['a create-service input', { serviceName: 'web', taskDefinition: 'web:3' }, 'create-service-input'],
    ['a create-service input for an EXTERNAL deployment (a cluster, no task definition)', { serviceName: 'web', cluster: 'main', deploymentController: { type: 'EXTERNAL' } }, 'create-service-input'],
    ['a create-service input for an EXTERNAL deployment in the default cluster (a deployment controller only)', { serviceName: 'web', deploymentController: { type: 'EXTERNAL' } }, 'create-service-input'],
    ['a create-cluster input naming capacity providers', { clusterName: 'main', capacityProviders: ['FARGATE'] }, 'create-cluster-input'],
    ['a create-task-set input', { service: 'web', cluster: 'main', taskDefinition: 'web:3' }, 'create-task-set-input'],
    ['a create-capacity-provider input', { name: 'ec2', autoScalingGroupProvider: { autoScalingGroupArn: 'arn' } }, 'create-capacity-provider-input'],
  ])('recognizes %s', (_name, document, kind) => {
    expect(detectEcsApiDocument(document)).toBe(kind);
  });

  it.each([
    ['a CloudFormation template', { Resources: {} }],
    ['a Config item', { configurationItemStatus: 'OK', configuration: {} }],
    ['a list', [describedCheckout]],
    ['a string', 'taskDefinition'],
    ['a bare service name, with neither a task definition nor a cluster', { serviceName: 'web', desiredCount: 2 }],
    ['a service name and a cluster only (CreateService needs a task definition unless the controller is EXTERNAL)', { serviceName: 'web', cluster: 'main', desiredCount: 2 }],
    ['a run-task input (a task definition, no service)', { cluster: 'main', taskDefinition: 'web:3', count: 1 }],
    ['an update-service input that keeps the task definition', { cluster: 'main', service: 'web', desiredCount: 3 }],
    ['an update-service input with a new task definition (no cluster: CreateTaskSet requires one)', { service: 'web', taskDefinition: 'web:4' }],
    ...['desiredCount', 'forceNewDeployment', 'deploymentConfiguration', 'deploymentController', 'placementConstraints', 'placementStrategy', 'healthCheckGracePeriodSeconds', 'enableExecuteCommand', 'enableECSManagedTags', 'propagateTags', 'serviceConnectConfiguration', 'volumeConfigurations', 'availabilityZoneRebalancing', 'vpcLatticeConfigurations'].map(
      (field): [string, object] => [`an update-service input with a cluster, a new task definition and ${field}`, { cluster: 'main', service: 'web', taskDefinition: 'web:4', [field]: null }],
    ),
    ['a package.json (a name, no Auto Scaling group provider)', { name: 'ecs-scanner', version: '1.0.0' }],
  ])('does not claim %s', (_name, document) => {
    expect(detectEcsApiDocument(document)).toBeUndefined();
  });
});

describe('holdsTaskDefinition', () => {
  it.each<[EcsApiDocumentKind, boolean]>([
    ['describe-task-definition', true],
    ['task-definition', true],
    ['register-task-definition-input', true],
    ['describe-services', false],
    ['service', false],
    ['service-response', false],
    ['create-service-input', false],
    ['cluster', false],
    ['describe-task-sets', false],
    ['capacity-provider-response', false],
  ])('tells whether a %s document holds a task definition services of the scan may refer to: %s', (kind, holds) => {
    expect(holdsTaskDefinition(kind)).toBe(holds);
  });
});

describe('taskDefinitionFromEcsApi', () => {
  it('reads describe-task-definition output in ECS API casing, with the revision and status it records', () => {
    const taskDefinition = taskDefinitionFromEcsApi(describedCheckout);

    expect(taskDefinition).toMatchObject({ displayName: 'checkout-api:7', family: 'checkout-api', revision: 7, status: 'ACTIVE', tags: {} });
    expect(taskDefinition.containers.map((container) => [container.name, container.user, container.readonlyRootFilesystem, container.logConfiguration])).toEqual([
      ['checkout-api', undefined, undefined, { logDriver: 'awslogs' }],
      ['log-sidecar', '0', false, undefined],
    ]);
    expect(evaluate('ECS.20', taskDefinition).annotation).toContain('checkout-api (no user) and log-sidecar (user 0)');
    expect(evaluate('ECS.15', taskDefinition).compliance).toBe('NON_COMPLIANT');
  });

  it('cannot tell tags that were not fetched from no tags (describe-task-definition without --include TAGS)', () => {
    const withoutTags = { taskDefinition: describedCheckout.taskDefinition };

    expect(evaluate('ECS.15', taskDefinitionFromEcsApi(withoutTags))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.15 could not evaluate tags: absent: describe-task-definition returns tags only with --include TAGS',
    });
    expect(evaluate('ECS.15', taskDefinitionFromEcsApi(describedCheckout.taskDefinition)).compliance).toBe('NOT_EVALUATED');
    // Tags fetched another way (ListTagsForResource) take their place.
    expect(evaluate('ECS.15', taskDefinitionFromEcsApi(withoutTags, { taskDefinitionTags: { team: 'payments' } })).compliance).toBe('COMPLIANT');
  });

  it('reads the tags a console JSON view shows inside a bare task definition', () => {
    const bare = { ...describedCheckout.taskDefinition, tags: [{ key: 'team', value: 'payments' }] };

    expect(taskDefinitionFromEcsApi(bare).tags).toEqual({ team: 'payments' });
  });

  it('reads the tags a register-task-definition input carries', () => {
    const taskDefinition = taskDefinitionFromEcsApi({ ...(registerInput as object), tags: [{ key: 'team', value: 'reports' }] });

    expect(taskDefinition.tags).toEqual({ team: 'reports' });
    expect(evaluate('ECS.15', taskDefinition).compliance).toBe('COMPLIANT');
  });

  it.each([
    ['describe-task-definition output', { taskDefinition: { family: 'web', containerDefinitions: [{ name: 'app', privileged: 'yes' }] }, tags: [] }, 'taskDefinitions[1].taskDefinition.containerDefinitions[0].privileged'],
    ['a bare task definition', { family: 'web', containerDefinitions: [{ name: 'app', privileged: 'yes' }] }, 'taskDefinitions[1].containerDefinitions[0].privileged'],
  ])('prefixes the paths in %s with where the caller found it', (_name, document, path) => {
    expect(evaluate('ECS.4', taskDefinitionFromEcsApi(document, { path: 'taskDefinitions[1]' })).annotation).toBe(`ECS.4 could not evaluate ${path}: expected a boolean, got string "yes"`);
  });

  it('names the tags a described task definition was fetched without by the caller’s path', () => {
    const withoutTags = { taskDefinition: describedCheckout.taskDefinition };

    expect(evaluate('ECS.15', taskDefinitionFromEcsApi(withoutTags, { path: 'taskDefinitions[1]' })).annotation).toBe(
      'ECS.15 could not evaluate taskDefinitions[1].tags: absent: describe-task-definition returns tags only with --include TAGS',
    );
  });

  it('reads a register-task-definition input as what will be registered: no status, no tags means none', () => {
    const taskDefinition = taskDefinitionFromEcsApi(registerInput);

    expect(taskDefinition).toMatchObject({ displayName: 'reports-worker', revision: undefined, status: undefined, tags: {}, networkMode: 'host', pidMode: 'host' });
    expect(
      ['ECS.3', 'ECS.4', 'ECS.5', 'ECS.8', 'ECS.9', 'ECS.15', 'ECS.17', 'ECS.18', 'ECS.20', 'ECS.21'].map((id) => [id, evaluate(id, taskDefinition).compliance]),
    ).toEqual([
      ['ECS.3', 'NON_COMPLIANT'],
      ['ECS.4', 'NON_COMPLIANT'],
      ['ECS.5', 'COMPLIANT'],
      ['ECS.8', 'NON_COMPLIANT'],
      ['ECS.9', 'COMPLIANT'],
      ['ECS.15', 'NON_COMPLIANT'],
      ['ECS.17', 'NON_COMPLIANT'],
      ['ECS.18', 'NON_COMPLIANT'],
      ['ECS.20', 'COMPLIANT'],
      ['ECS.21', 'COMPLIANT'],
    ]);
    expect(evaluate('ECS.18', taskDefinition).annotation).toContain('archive (DISABLED)');
  });

  it('a key written in two cases in an input is could not evaluate, never the spelling that passes', () => {
    const input = { family: 'web', containerDefinitions: [{ name: 'app', image: 'app:1', User: '1000', user: '0', Privileged: false, privileged: true }] };

    const taskDefinition = taskDefinitionFromEcsApi(input);

    for (const id of ['ECS.4', 'ECS.20']) {
      const verdict = evaluate(id, taskDefinition);
      expect(verdict.compliance).toBe('NOT_EVALUATED');
      expect(verdict.annotation).toMatch(/containerDefinitions\[0\]\.(User|Privileged)/);
      expect(verdict.annotation).toContain('both set: an AWS client sends only the exact camelCase key');
    }
  });

  it('reads an INACTIVE revision as not applicable', () => {
    const inactive = { ...describedCheckout, taskDefinition: { ...describedCheckout.taskDefinition, status: 'INACTIVE' } };

    expect(evaluate('ECS.20', taskDefinitionFromEcsApi(inactive))).toEqual({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Task definition checkout-api:7 is INACTIVE; only ACTIVE revisions are evaluated.',
    });
  });

  it('names the API path of a malformed field', () => {
    const malformed = { taskDefinition: { family: 'web', containerDefinitions: [{ name: 'app', privileged: 'yes' }] }, tags: [] };

    expect(evaluate('ECS.4', taskDefinitionFromEcsApi(malformed)).annotation).toBe(
      'ECS.4 could not evaluate taskDefinition.containerDefinitions[0].privileged: expected a boolean, got string "yes"',
    );
  });

  it.each([
    ['a list', [], 'The document must be an object, got a list'],
    ['null', null, 'The document must be an object, got null'],
  ])('rejects %s with a MalformedEcsDocumentError', (_name, document, message) => {
    expect(() => taskDefinitionFromEcsApi(document)).toThrow(new MalformedEcsDocumentError(message));
  });
});

describe('serviceFromEcsApi', () => {
  const [checkout, canary, ledger] = describeServices.services;

  it('reads launch type, platform version, awsvpc configuration and tags', () => {
    const service = serviceFromEcsApi(checkout, { taskDefinitionOperatingSystemFamily: undefined });

    expect(service).toMatchObject({
      displayName: 'checkout',
      launchType: 'FARGATE',
      capacityProviders: [],
      platformVersion: '1.3.0',
      awsvpc: { assignPublicIp: 'ENABLED' },
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/checkout-api:7',
      tags: { team: 'payments' },
    });
    expect(evaluate('ECS.2', service).compliance).toBe('NON_COMPLIANT');
    expect(evaluate('ECS.10', service).compliance).toBe('NON_COMPLIANT');
    expect(evaluate('ECS.13', service).compliance).toBe('COMPLIANT');
  });

  it('uses the OS family the caller looked up: 1.3.0 is behind for Linux, not for Windows', () => {
    expect(evaluate('ECS.10', serviceFromEcsApi(checkout, { taskDefinitionOperatingSystemFamily: 'LINUX' })).compliance).toBe('NON_COMPLIANT');
    expect(evaluate('ECS.10', serviceFromEcsApi(checkout, { taskDefinitionOperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' })).compliance).toBe('COMPLIANT');
  });

  it('cannot decide ECS.10 for a pinned Fargate service whose OS family was not looked up', () => {
    expect(evaluate('ECS.10', serviceFromEcsApi(checkout))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: "ECS.10 could not evaluate taskDefinition: the task definition's OS family was not looked up",
    });
    // …but needs no OS family for LATEST or a non-Fargate service.
    expect(evaluate('ECS.10', serviceFromEcsApi(canary)).compliance).toBe('COMPLIANT');
    expect(evaluate('ECS.10', serviceFromEcsApi(ledger)).compliance).toBe('NOT_APPLICABLE');
  });

  it('passes through an OS family lookup that failed', () => {
    const failed = new Unreadable('taskDefinition', 'DescribeTaskDefinition failed: AccessDenied');

    expect(evaluate('ECS.10', serviceFromEcsApi(checkout, { taskDefinitionOperatingSystemFamily: failed })).annotation).toBe(
      'ECS.10 could not evaluate taskDefinition: DescribeTaskDefinition failed: AccessDenied',
    );
  });

  it('reads FARGATE_SPOT from the capacity provider strategy', () => {
    expect(serviceFromEcsApi(canary).capacityProviders).toEqual(['FARGATE_SPOT']);
  });

  it('treats absent tags as not fetched (describe-services without --include TAGS)', () => {
    expect(evaluate('ECS.13', serviceFromEcsApi(canary)).annotation).toBe(
      'ECS.13 could not evaluate tags: absent: describe-services returns tags only with --include TAGS',
    );
    expect(evaluate('ECS.13', serviceFromEcsApi(ledger)).compliance).toBe('NON_COMPLIANT');
  });
});

describe('clusterFromEcsApi', () => {
  const [payments, batch, legacy] = describeClusters.clusters;

  it('reads `settings` and `[{key, value}]` tags', () => {
    expect(clusterFromEcsApi(payments)).toMatchObject({ displayName: 'payments', settings: [{ name: 'containerInsights', value: 'enhanced' }] });
    expect(evaluate('ECS.12', clusterFromEcsApi(payments)).compliance).toBe('COMPLIANT');
    expect(evaluate('ECS.14', clusterFromEcsApi(payments)).compliance).toBe('COMPLIANT');
    expect(evaluate('ECS.12', clusterFromEcsApi(batch)).annotation).toContain('containerInsights is disabled');
    expect(evaluate('ECS.14', clusterFromEcsApi(batch)).compliance).toBe('NON_COMPLIANT');
  });

  it('cannot tell settings that were not fetched from no settings (describe-clusters without --include SETTINGS)', () => {
    expect(evaluate('ECS.12', clusterFromEcsApi(legacy))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.12 could not evaluate settings: absent: describe-clusters returns settings only with --include SETTINGS',
    });
  });

  it('treats absent tags as not fetched (describe-clusters without --include TAGS)', () => {
    expect(evaluate('ECS.14', clusterFromEcsApi(legacy))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.14 could not evaluate tags: absent: describe-clusters returns tags only with --include TAGS',
    });
  });
});

describe('task sets and capacity providers', () => {
  it('reads a task set’s awsvpcConfiguration and names it by id', () => {
    const canary = describeServices.services[1] as { taskSets: object[] };
    const taskSet = taskSetFromEcsApi(canary.taskSets[0]);

    expect(taskSet).toMatchObject({ displayName: 'ecs-svc/1234567890123456789', awsVpc: { assignPublicIp: 'ENABLED' } });
    expect(evaluate('ECS.16', taskSet).compliance).toBe('NON_COMPLIANT');
  });

  it('reads Fargate providers as having no Auto Scaling group', () => {
    const [fargate, spot, onDemand] = describeCapacityProviders.capacityProviders.map((provider) => capacityProviderFromEcsApi(provider));

    expect(evaluate('ECS.19', fargate).compliance).toBe('NOT_APPLICABLE');
    expect(evaluate('ECS.19', spot).compliance).toBe('NON_COMPLIANT');
    expect(evaluate('ECS.19', onDemand).compliance).toBe('COMPLIANT');
  });
});

describe('naming a resource whose object has no name', () => {
  const nameless = { containerDefinitions: [{ name: 'app' }] };

  it.each<[string, () => Resource, string]>([
    ['a task definition with no family or ARN', () => taskDefinitionFromEcsApi(nameless), 'unnamed'],
    ['a task definition read from a file', () => resourcesFromEcsApiDocument(nameless, { fallbackName: 'task-definition.json' })[0].resource, 'task-definition.json'],
    ['a task set with no id', () => taskSetFromEcsApi({ taskSetArn: 'arn:aws:ecs:us-east-1:123456789012:task-set/payments/web/ecs-svc/1' }), 'unnamed'],
    ['a capacity provider with no name', () => capacityProviderFromEcsApi({ capacityProviderArn: 'arn:aws:ecs:us-east-1:123456789012:capacity-provider/ec2' }), 'unnamed'],
    ['a capacity provider read from a file', () => capacityProviderFromEcsApi({}, { fallbackName: 'providers.json' }), 'providers.json'],
    ['a service item of a describe response', () => resourcesFromEcsApiDocument({ services: [{ serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/payments/web' }] })[0].resource, 'services[0]'],
    ['a cluster item of a describe response', () => resourcesFromEcsApiDocument({ clusters: [{ clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/payments' }] })[0].resource, 'clusters[0]'],
    ['a task set item of a describe response', () => resourcesFromEcsApiDocument({ taskSets: [{ taskSetArn: 'arn:aws:ecs:us-east-1:123456789012:task-set/payments/web/ecs-svc/1' }] })[0].resource, 'taskSets[0]'],
    ['a capacity provider item of a describe response', () => resourcesFromEcsApiDocument({ capacityProviders: [{ capacityProviderArn: 'arn:aws:ecs:us-east-1:123456789012:capacity-provider/ec2' }] })[0].resource, 'capacityProviders[0]'],
  ])('calls %s by its file, its place in the response, or "unnamed"', (_name, read, displayName) => {
    expect(read().displayName).toBe(displayName);
  });
});

describe('create inputs (aws ecs create-* --cli-input-json)', () => {
  it.each([
    ['a create-cluster input', { clusterName: 'main', tags: [{ key: 'team', value: 'payments' }] }, 'ECS.14'],
    ['a create-service input', { serviceName: 'web', taskDefinition: 'web:3', tags: [{ key: 'team', value: 'payments' }] }, 'ECS.13'],
  ])('reads the tags %s will create', (_name, document, controlId) => {
    const [{ resource }] = resourcesFromEcsApiDocument(document);

    expect(resource).toMatchObject({ tags: { team: 'payments' } });
    expect(evaluate(controlId, resource).compliance).toBe('COMPLIANT');
  });

  it.each([
    ['a create-cluster input', { clusterName: 'main' }, 'ECS.14'],
    ['a create-service input', { serviceName: 'web', taskDefinition: 'web:3' }, 'ECS.13'],
  ])('reads %s without tags as creating none, not as tags left unfetched', (_name, document, controlId) => {
    const [{ resource }] = resourcesFromEcsApiDocument(document);

    expect(resource).toMatchObject({ tags: {} });
    expect(evaluate(controlId, resource).compliance).toBe('NON_COMPLIANT');
  });

  it('reads a create-cluster input without settings as a cluster without Container Insights', () => {
    const [{ resource }] = resourcesFromEcsApiDocument({ clusterName: 'main' });

    expect(resource).toMatchObject({ settings: [] });
    expect(evaluate('ECS.12', resource).compliance).toBe('NON_COMPLIANT');
  });
});

describe('resourcesFromEcsApiDocument', () => {
  it('lists every resource of a describe response, with its path, and the task sets a service lists', () => {
    const found = resourcesFromEcsApiDocument(describeServices);

    expect(found.map(({ path, resourceType, resource }) => [path, resourceType, resource.displayName])).toEqual([
      ['services[0]', 'AWS::ECS::Service', 'checkout'],
      ['services[1]', 'AWS::ECS::Service', 'checkout-canary'],
      ['services[1].taskSets[0]', 'AWS::ECS::TaskSet', 'ecs-svc/1234567890123456789'],
      ['services[2]', 'AWS::ECS::Service', 'ledger'],
    ]);
  });

  it('asks the caller for each service’s task definition OS family', () => {
    const asked: (string | undefined)[] = [];
    const found = resourcesFromEcsApiDocument(describeServices, {
      taskDefinitionOperatingSystemFamily: (taskDefinition) => {
        asked.push(taskDefinition);
        return 'WINDOWS_SERVER_2019_CORE';
      },
    });

    expect(asked).toEqual([
      'arn:aws:ecs:us-east-1:123456789012:task-definition/checkout-api:7',
      'arn:aws:ecs:us-east-1:123456789012:task-definition/checkout-api:7',
      'arn:aws:ecs:us-east-1:123456789012:task-definition/ledger:12',
    ]);
    expect(evaluate('ECS.10', found[0].resource).compliance).toBe('COMPLIANT');
  });

  it('prefixes unreadable paths with the item’s place in the response', () => {
    const [legacy] = resourcesFromEcsApiDocument(describeClusters).slice(2);

    expect(evaluate('ECS.12', legacy.resource).annotation).toContain('could not evaluate clusters[2].settings');
  });

  const publicIpFlag = { networkConfiguration: { awsvpcConfiguration: { assignPublicIp: true } } };
  const protectionFlag = { autoScalingGroupProvider: { managedTerminationProtection: false } };
  it.each<[string, () => Resource, string, string]>([
    ['a service of describe-services, its OS family not looked up', () => resourcesFromEcsApiDocument(describeServices)[0].resource, 'ECS.10', "services[0].taskDefinition: the task definition's OS family was not looked up"],
    ['a service of describe-services, fetched without tags', () => resourcesFromEcsApiDocument(describeServices)[1].resource, 'ECS.13', 'services[1].tags: absent: describe-services returns tags only with --include TAGS'],
    ['a task set of describe-task-sets', () => resourcesFromEcsApiDocument({ taskSets: [{ id: 'ecs-svc/1', ...publicIpFlag }] })[0].resource, 'ECS.16', 'taskSets[0].networkConfiguration.awsvpcConfiguration.assignPublicIp: expected a string, got boolean true'],
    ['a capacity provider of describe-capacity-providers', () => resourcesFromEcsApiDocument({ capacityProviders: [{ name: 'ec2', ...protectionFlag }] })[0].resource, 'ECS.19', 'capacityProviders[0].autoScalingGroupProvider.managedTerminationProtection: expected a string, got boolean false'],
    ['a task set read on its own', () => taskSetFromEcsApi({ id: 'ecs-svc/1', ...publicIpFlag }), 'ECS.16', 'networkConfiguration.awsvpcConfiguration.assignPublicIp: expected a string, got boolean true'],
    ['a capacity provider read on its own', () => capacityProviderFromEcsApi({ name: 'ec2', ...protectionFlag }), 'ECS.19', 'autoScalingGroupProvider.managedTerminationProtection: expected a string, got boolean false'],
  ])('names the unreadable field of %s by its path in the document', (_name, read, controlId, unreadable) => {
    expect(evaluate(controlId, read())).toEqual({ compliance: 'NOT_EVALUATED', annotation: `${controlId} could not evaluate ${unreadable}` });
  });

  it('asks the caller about a service whose task definition is not a string with no reference, and reads that field as unreadable', () => {
    const asked: (string | undefined)[] = [];
    const [{ resource }] = resourcesFromEcsApiDocument(
      { services: [{ ...(describeServices.services[0] as object), taskDefinition: { family: 'checkout-api' } }] },
      {
        taskDefinitionOperatingSystemFamily: (taskDefinition) => {
          asked.push(taskDefinition);
          return new Unreadable('taskDefinition', 'no task definition to look up');
        },
      },
    );

    expect(asked).toEqual([undefined]);
    expect(() => (resource as Service).taskDefinition).toThrow(new UnreadableFieldError('services[0].taskDefinition', 'expected a string, got an object with keys family', false));
  });

  it.each([
    ['describe-task-definition output', describedCheckout, [['', 'AWS::ECS::TaskDefinition', 'checkout-api:7']]],
    ['a register input', registerInput, [['', 'AWS::ECS::TaskDefinition', 'reports-worker']]],
    ['a single cluster', describeClusters.clusters[0], [['', 'AWS::ECS::Cluster', 'payments']]],
    [
      'a single service, with the task sets it lists',
      describeServices.services[1],
      [
        ['', 'AWS::ECS::Service', 'checkout-canary'],
        ['taskSets[0]', 'AWS::ECS::TaskSet', 'ecs-svc/1234567890123456789'],
      ],
    ],
    [
      'create-service output, with the task sets its service lists',
      { service: describeServices.services[1] },
      [
        ['service', 'AWS::ECS::Service', 'checkout-canary'],
        ['service.taskSets[0]', 'AWS::ECS::TaskSet', 'ecs-svc/1234567890123456789'],
      ],
    ],
    ['create-cluster output', { cluster: describeClusters.clusters[0] }, [['cluster', 'AWS::ECS::Cluster', 'payments']]],
    ['create-task-set output', { taskSet: (describeServices.services[1] as { taskSets: object[] }).taskSets[0] }, [['taskSet', 'AWS::ECS::TaskSet', 'ecs-svc/1234567890123456789']]],
    ['create-capacity-provider output', { capacityProvider: describeCapacityProviders.capacityProviders[1] }, [['capacityProvider', 'AWS::ECS::CapacityProvider', 'ec2-spot']]],
    [
      'describe-capacity-providers output',
      describeCapacityProviders,
      [
        ['capacityProviders[0]', 'AWS::ECS::CapacityProvider', 'FARGATE'],
        ['capacityProviders[1]', 'AWS::ECS::CapacityProvider', 'ec2-spot'],
        ['capacityProviders[2]', 'AWS::ECS::CapacityProvider', 'ec2-on-demand'],
      ],
    ],
  ])('reads %s', (_name, document, expected) => {
    expect(resourcesFromEcsApiDocument(document).map(({ path, resourceType, resource }) => [path, resourceType, resource.displayName])).toEqual(expected);
  });

  it('rejects a document of no known shape, and a response item that is not an object', () => {
    expect(() => resourcesFromEcsApiDocument({ Resources: {} })).toThrow(
      expect.objectContaining({
        name: 'MalformedEcsDocumentError',
        message:
          'Not an ECS API document: expected describe-task-definition output, a task definition, a create-service/-cluster/-task-set/-capacity-provider input or response, or a describe-services/-clusters/-task-sets/-capacity-providers response or item',
      }),
    );
    expect(() => resourcesFromEcsApiDocument({ Resources: {} })).toThrow(MalformedEcsDocumentError);
    expect(() => resourcesFromEcsApiDocument({ clusters: ['payments'] })).toThrow(new MalformedEcsDocumentError('clusters[0] must be an object, got string'));
  });
});
