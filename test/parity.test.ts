/**
 * Adapter-level parity: one task definition as a Config event item, a GetResourceConfigHistory item,
 * an ECS describe-task-definition response, a CloudFormation resource and a Terraform plan's resource
 * gets the same verdict from every control. Annotations agree too, except that a template has no
 * revision (`checkout-api` where the registered shapes say `checkout-api:7`) and a Terraform resource
 * is named by its address.
 */
import { resourcesFromTemplate } from '../lambdas/adapters/cloudformation';
import { configurationItemFromEvent, configurationItemFromHistory, resourceFromConfigurationItem } from '../lambdas/adapters/config-item';
import { capacityProviderFromEcsApi, clusterFromEcsApi, serviceFromEcsApi, taskDefinitionFromEcsApi, taskSetFromEcsApi } from '../lambdas/adapters/ecs-api';
import { resourcesFromTerraform } from '../lambdas/adapters/terraform';
import { CONTROLS } from '../lambdas/controls';
import { Outcome, Verdict } from '../lambdas/core/control';
import { Resource } from '../lambdas/core/model';
import { loadFixture } from './fixtures/load';

const template = loadFixture('cloudformation', 'parity');
const terraformPlan = loadFixture('terraform', 'parity-plan');

function fromTerraform(address: string): Resource {
  const found = resourcesFromTerraform(terraformPlan).find((candidate) => candidate.address === address);
  if (!found?.resource) throw new Error(`parity plan has no ${address}`);
  return found.resource;
}

function fromTemplate(logicalId: string): Resource {
  const found = resourcesFromTemplate(template).find((candidate) => candidate.logicalId === logicalId);
  if (!found) throw new Error(`parity template has no ${logicalId}`);
  return found.resource;
}

/** The same task definition in each source shape. */
function shapesOf(variant: string, logicalId: string, address: string): Record<string, Resource> {
  const history = loadFixture('config-history', variant) as { configurationItems: unknown[] };
  return {
    'Config event item': resourceFromConfigurationItem(configurationItemFromEvent(loadFixture('config-item', variant))),
    'Config history item': resourceFromConfigurationItem(configurationItemFromHistory(history.configurationItems[0])),
    'ECS API response': taskDefinitionFromEcsApi(loadFixture('ecs-api', `describe-task-definition-${variant}`)),
    'CloudFormation resource': fromTemplate(logicalId),
    'Terraform plan resource': fromTerraform(address),
  };
}

/**
 * A template declares no revision: compare annotations with `family:N` read as `family`. A Terraform
 * resource is named by its address, read as its family; the longer name can push the end of an
 * annotation past the 256 characters AWS Config allows, so a cut annotation is compared up to the cut.
 */
function withoutRevision(verdict: Verdict, address: string, family: string): Verdict {
  const annotation = verdict.annotation.replace(/\b(checkout-api|windows-iis):\d+\b/g, '$1');
  if (!annotation.includes(address)) return { ...verdict, annotation };
  const named = annotation.split(address).join(family);
  return { ...verdict, annotation: named.endsWith('…') ? expect.stringMatching(new RegExp(`^${escapeRegExp(named.slice(0, -1))}`)) : named };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const NA = 'NOT_APPLICABLE';
const PASS = 'COMPLIANT';
const FAIL = 'NON_COMPLIANT';

/** What each task definition gets, so parity cannot hold by everything being undecided. */
const VARIANTS: { name: string; variant: string; logicalId: string; address: string; family: string; expected: Record<string, Outcome> }[] = [
  {
    name: 'checkout-api, unhardened (the samples’ pattern)',
    variant: 'checkout-api',
    logicalId: 'CheckoutApi',
    address: 'aws_ecs_task_definition.checkout_api',
    family: 'checkout-api',
    expected: { 'ECS.3': PASS, 'ECS.4': PASS, 'ECS.5': FAIL, 'ECS.8': PASS, 'ECS.9': FAIL, 'ECS.15': FAIL, 'ECS.17': PASS, 'ECS.18': NA, 'ECS.20': FAIL, 'ECS.21': FAIL },
  },
  {
    name: 'checkout-api, hardened',
    variant: 'checkout-api-hardened',
    logicalId: 'CheckoutApiHardened',
    address: 'module.hardened.aws_ecs_task_definition.checkout_api',
    family: 'checkout-api',
    expected: { 'ECS.3': PASS, 'ECS.4': PASS, 'ECS.5': PASS, 'ECS.8': PASS, 'ECS.9': PASS, 'ECS.15': PASS, 'ECS.17': PASS, 'ECS.18': PASS, 'ECS.20': PASS, 'ECS.21': NA },
  },
  {
    name: 'windows-iis',
    variant: 'windows-iis',
    logicalId: 'WindowsIis',
    address: 'aws_ecs_task_definition.windows_iis',
    family: 'windows-iis',
    expected: { 'ECS.3': PASS, 'ECS.4': PASS, 'ECS.5': NA, 'ECS.8': PASS, 'ECS.9': PASS, 'ECS.15': FAIL, 'ECS.17': PASS, 'ECS.18': NA, 'ECS.20': NA, 'ECS.21': FAIL },
  },
];

describe.each(VARIANTS)('$name', ({ variant, logicalId, address, family, expected }) => {
  const shapes = shapesOf(variant, logicalId, address);

  it.each(CONTROLS.map((control) => [control.id, control] as const))('%s: the same verdict from every shape', (id, control) => {
    const verdicts = Object.fromEntries(Object.entries(shapes).map(([shape, resource]) => [shape, withoutRevision(control.evaluate(resource), address, family)]));
    const reference = verdicts['Config event item'];

    expect(reference.compliance).toBe(expected[id] ?? NA);
    expect(verdicts).toEqual(Object.fromEntries(Object.keys(shapes).map((shape) => [shape, reference])));
  });
});

/**
 * Services, clusters, task sets and capacity providers: the same resource as a CloudFormation
 * resource, an ECS API object and a Terraform plan's resource change gets the same verdict from every
 * control. (Annotations name each resource its own way: logical id, name, address.)
 */
describe('the other resource types as CloudFormation, ECS API and Terraform', () => {
  const ARN = 'arn:aws:ecs:us-east-1:123456789012';

  /** A plan creating the resource at `address` with attributes `after`, beside a Linux and a Windows task definition. */
  function terraformResource(address: string, after: Record<string, unknown>): Resource {
    const [type, name] = address.split('.');
    const change = (changeType: string, changeName: string, values: Record<string, unknown>) => ({
      address: `${changeType}.${changeName}`,
      mode: 'managed',
      type: changeType,
      name: changeName,
      change: { actions: ['create'], before: null, after: values, after_unknown: { arn: true, id: true } },
    });
    const containers = JSON.stringify([{ name: 'app', image: 'app:1' }]);
    const plan = {
      format_version: '1.2',
      resource_changes: [
        change('aws_ecs_task_definition', 'linux', { family: 'linux-app', container_definitions: containers, runtime_platform: [] }),
        change('aws_ecs_task_definition', 'windows', { family: 'windows-app', container_definitions: containers, runtime_platform: [{ operating_system_family: 'WINDOWS_SERVER_2022_CORE' }] }),
        change(type, name, after),
      ],
    };
    return fromTerraformPlan(plan, address);
  }

  function fromTerraformPlan(plan: unknown, address: string): Resource {
    const found = resourcesFromTerraform(plan).find((candidate) => candidate.address === address);
    if (!found?.resource) throw new Error(`no ${address}`);
    return found.resource;
  }

  function cloudFormationResource(type: string, properties: Record<string, unknown>): Resource {
    const found = resourcesFromTemplate({
      Resources: {
        LinuxApp: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'linux-app', ContainerDefinitions: [{ Name: 'app', Image: 'app:1' }] } },
        WindowsApp: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: { Family: 'windows-app', RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' }, ContainerDefinitions: [{ Name: 'app', Image: 'app:1' }] },
        },
        Subject: { Type: type, Properties: properties },
      },
    }).find((candidate) => candidate.logicalId === 'Subject');
    if (!found) throw new Error(`no ${type}`);
    return found.resource;
  }

  const CASES: { name: string; shapes: () => Record<string, Resource>; expected: Record<string, Outcome> }[] = [
    {
      name: 'a public Fargate service on an old platform version, Linux task definition, tagged',
      shapes: () => ({
        CloudFormation: cloudFormationResource('AWS::ECS::Service', {
          LaunchType: 'FARGATE',
          PlatformVersion: '1.3.0',
          TaskDefinition: { Ref: 'LinuxApp' },
          NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', Subnets: ['subnet-1'] } },
          Tags: [{ Key: 'team', Value: 'web' }],
        }),
        'ECS API': serviceFromEcsApi(
          {
            serviceArn: `${ARN}:service/main/web`,
            serviceName: 'web',
            launchType: 'FARGATE',
            platformVersion: '1.3.0',
            taskDefinition: `${ARN}:task-definition/linux-app:1`,
            networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED', subnets: ['subnet-1'] } },
            tags: [{ key: 'team', value: 'web' }],
          },
          { taskDefinitionOperatingSystemFamily: undefined },
        ),
        Terraform: terraformResource('aws_ecs_service.web', {
          name: 'web',
          launch_type: 'FARGATE',
          platform_version: '1.3.0',
          task_definition: `${ARN}:task-definition/linux-app:1`,
          network_configuration: [{ assign_public_ip: true, subnets: ['subnet-1'] }],
          tags: { team: 'web' },
          tags_all: { team: 'web' },
        }),
      }),
      expected: { 'ECS.2': FAIL, 'ECS.10': FAIL, 'ECS.13': PASS },
    },
    {
      name: 'a Fargate Spot service on the latest Windows platform version, untagged, without awsvpc',
      shapes: () => ({
        CloudFormation: cloudFormationResource('AWS::ECS::Service', {
          CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
          PlatformVersion: '1.0.0',
          TaskDefinition: { Ref: 'WindowsApp' },
        }),
        'ECS API': serviceFromEcsApi(
          {
            serviceArn: `${ARN}:service/main/iis`,
            serviceName: 'iis',
            capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
            platformVersion: '1.0.0',
            taskDefinition: `${ARN}:task-definition/windows-app:1`,
            tags: [],
          },
          { taskDefinitionOperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' },
        ),
        Terraform: terraformResource('aws_ecs_service.iis', {
          name: 'iis',
          capacity_provider_strategy: [{ capacity_provider: 'FARGATE_SPOT', weight: 1, base: 0 }],
          platform_version: '1.0.0',
          task_definition: 'windows-app',
          network_configuration: [],
          tags: null,
          tags_all: {},
        }),
      }),
      expected: { 'ECS.2': NA, 'ECS.10': PASS, 'ECS.13': FAIL },
    },
    {
      name: 'a cluster with enhanced Container Insights, tagged',
      shapes: () => ({
        CloudFormation: cloudFormationResource('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }], Tags: [{ Key: 'team', Value: 'platform' }] }),
        'ECS API': clusterFromEcsApi({
          clusterArn: `${ARN}:cluster/main`,
          clusterName: 'main',
          settings: [{ name: 'containerInsights', value: 'enhanced' }],
          tags: [{ key: 'team', value: 'platform' }],
        }),
        Terraform: terraformResource('aws_ecs_cluster.main', { name: 'main', setting: [{ name: 'containerInsights', value: 'enhanced' }], tags_all: { team: 'platform' } }),
      }),
      expected: { 'ECS.12': PASS, 'ECS.14': PASS },
    },
    {
      name: 'a cluster without Container Insights, with only system tags',
      shapes: () => ({
        CloudFormation: cloudFormationResource('AWS::ECS::Cluster', { Tags: [{ Key: 'aws:cloudformation:stack-name', Value: 'ops' }] }),
        'ECS API': clusterFromEcsApi({ clusterArn: `${ARN}:cluster/ops`, clusterName: 'ops', settings: [], tags: [{ key: 'aws:cloudformation:stack-name', value: 'ops' }] }),
        Terraform: terraformResource('aws_ecs_cluster.ops', { name: 'ops', setting: [], tags_all: { 'aws:cloudformation:stack-name': 'ops' } }),
      }),
      expected: { 'ECS.12': FAIL, 'ECS.14': FAIL },
    },
    {
      name: 'a task set assigning public IPs',
      shapes: () => ({
        CloudFormation: cloudFormationResource('AWS::ECS::TaskSet', { NetworkConfiguration: { AwsVpcConfiguration: { AssignPublicIp: 'ENABLED', Subnets: ['subnet-1'] } } }),
        'ECS API': taskSetFromEcsApi({ taskSetArn: `${ARN}:task-set/main/web/ecs-svc/1`, id: 'ecs-svc/1', networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } }, tags: [] }),
        Terraform: terraformResource('aws_ecs_task_set.canary', { network_configuration: [{ assign_public_ip: true, subnets: ['subnet-1'] }] }),
      }),
      expected: { 'ECS.16': FAIL },
    },
    {
      name: 'a capacity provider with managed termination protection',
      shapes: () => ({
        CloudFormation: cloudFormationResource('AWS::ECS::CapacityProvider', { AutoScalingGroupProvider: { AutoScalingGroupArn: 'asg', ManagedTerminationProtection: 'ENABLED' } }),
        'ECS API': capacityProviderFromEcsApi({
          capacityProviderArn: `${ARN}:capacity-provider/ec2`,
          name: 'ec2',
          autoScalingGroupProvider: { autoScalingGroupArn: 'asg', managedTerminationProtection: 'ENABLED' },
          tags: [],
        }),
        Terraform: terraformResource('aws_ecs_capacity_provider.ec2', { name: 'ec2', auto_scaling_group_provider: [{ auto_scaling_group_arn: 'asg', managed_termination_protection: 'ENABLED' }] }),
      }),
      expected: { 'ECS.19': PASS },
    },
    {
      name: 'a capacity provider without an Auto Scaling group',
      shapes: () => ({
        CloudFormation: cloudFormationResource('AWS::ECS::CapacityProvider', {}),
        'ECS API': capacityProviderFromEcsApi({ capacityProviderArn: `${ARN}:capacity-provider/managed`, name: 'managed', tags: [] }),
        Terraform: terraformResource('aws_ecs_capacity_provider.managed', { name: 'managed', auto_scaling_group_provider: [] }),
      }),
      expected: { 'ECS.19': NA },
    },
  ];

  describe.each(CASES)('$name', ({ shapes, expected }) => {
    it('gets the same verdicts in every shape', () => {
      const resources = shapes();
      const outcomes = Object.fromEntries(
        Object.entries(resources).map(([shape, resource]) => [
          shape,
          Object.fromEntries(CONTROLS.filter((control) => control.resourceType === resource.kind).map((control) => [control.id, control.evaluate(resource).compliance])),
        ]),
      );
      expect(outcomes).toEqual({ CloudFormation: expected, 'ECS API': expected, Terraform: expected });
    });
  });
});
