import { MalformedTemplateError, resourcesFromTemplate } from '../../lambdas/adapters/cloudformation';
import { controlById } from '../../lambdas/controls';
import { Resource } from '../../lambdas/core/model';
import { loadFixture } from '../fixtures/load';

const template = loadFixture('cloudformation', 'ecs-stack');

function resource(logicalId: string): Resource {
  const found = resourcesFromTemplate(template).find((candidate) => candidate.logicalId === logicalId);
  if (!found) throw new Error(`fixture has no ECS resource ${logicalId}`);
  return found.resource;
}

function verdict(controlId: string, logicalId: string) {
  return controlById(controlId).evaluate(resource(logicalId));
}

describe('resourcesFromTemplate', () => {
  it('returns every ECS resource with its type, skipping other types', () => {
    const found = resourcesFromTemplate(template).map(({ logicalId, resourceType }) => [logicalId, resourceType]);

    expect(found).toEqual([
      ['CheckoutTaskDef', 'AWS::ECS::TaskDefinition'],
      ['WindowsTaskDef', 'AWS::ECS::TaskDefinition'],
      ['Cluster', 'AWS::ECS::Cluster'],
      ['BareCluster', 'AWS::ECS::Cluster'],
      ['CheckoutService', 'AWS::ECS::Service'],
      ['WindowsService', 'AWS::ECS::Service'],
      ['ImportedService', 'AWS::ECS::Service'],
      ['ParameterService', 'AWS::ECS::Service'],
      ['BlueTaskSet', 'AWS::ECS::TaskSet'],
      ['Ec2CapacityProvider', 'AWS::ECS::CapacityProvider'],
    ]);
  });

  it('reads task definition properties in CloudFormation spelling, with template defaults', () => {
    const taskDefinition = resource('CheckoutTaskDef');

    expect(taskDefinition).toMatchObject({
      kind: 'AWS::ECS::TaskDefinition',
      displayName: 'checkout-api',
      family: 'checkout-api',
      revision: undefined,
      status: undefined,
      operatingSystemFamily: undefined,
      networkMode: 'awsvpc',
      tags: { team: 'payments' },
      volumes: [{ name: 'shared', efs: { transitEncryption: undefined } }],
    });
    if (taskDefinition.kind !== 'AWS::ECS::TaskDefinition') throw new Error('not a task definition');
    const [app, sidecar] = taskDefinition.containers;
    // `Privileged: !Ref AWS::NoValue` removes the property: the ECS default (false) applies.
    expect([app.name, app.privileged, app.readonlyRootFilesystem, app.user]).toEqual(['checkout-api', false, undefined, undefined]);
    // CloudFormation accepts "false" for a Boolean.
    expect([sidecar.name, sidecar.user, sidecar.readonlyRootFilesystem, sidecar.logConfiguration]).toEqual(['log-sidecar', '0', false, undefined]);
  });

  it('names a template resource by its name property, else by its logical id', () => {
    expect(resource('WindowsTaskDef').displayName).toBe('WindowsTaskDef');
    expect(resource('CheckoutService').displayName).toBe('checkout');
    expect(resource('WindowsService').displayName).toBe('WindowsService');
    expect(resource('Cluster').displayName).toBe('payments');
    expect(resource('BlueTaskSet').displayName).toBe('BlueTaskSet');
    expect(resource('Ec2CapacityProvider').displayName).toBe('ec2-spot');
  });

  it('evaluates the checkout-api pattern as the Config rule would', () => {
    expect(verdict('ECS.20', 'CheckoutTaskDef')).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect(verdict('ECS.20', 'CheckoutTaskDef').annotation).toContain('checkout-api (no user) and log-sidecar (user 0)');
    expect(verdict('ECS.5', 'CheckoutTaskDef').annotation).toContain('checkout-api (unset) and log-sidecar (false)');
    expect(verdict('ECS.9', 'CheckoutTaskDef').annotation).toContain('log-sidecar (no logConfiguration)');
    expect(verdict('ECS.18', 'CheckoutTaskDef').annotation).toContain('shared (unset)');
    expect(verdict('ECS.4', 'CheckoutTaskDef').compliance).toBe('COMPLIANT');
    expect(verdict('ECS.15', 'CheckoutTaskDef').compliance).toBe('COMPLIANT');
  });

  it('checks environment names even when a value is an intrinsic, and Secrets are not environment', () => {
    // TABLE_NAME's value is `!Ref OrdersTable`: the name check needs no value.
    expect(controlById('ECS.8').evaluate(resource('CheckoutTaskDef'), { detectCredentialValues: 'false' }).compliance).toBe('COMPLIANT');
    // The access-key check reads an intrinsic's literal text: `${OrdersTable}` is no key id.
    expect(verdict('ECS.8', 'CheckoutTaskDef').compliance).toBe('COMPLIANT');
  });

  it.each([
    ['Fn::Sub', { 'Fn::Sub': 'AKIAIOSFODNN7EXAMPLE:${Secret}' }],
    ['Fn::Join', { 'Fn::Join': ['', ['AKIAIOSF', 'ODNN7EXAMPLE']] }],
    ['Fn::If', { 'Fn::If': ['IsProd', 'ASIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'] }],
  ])('finds an access key id typed into a %s environment value', (_, value) => {
    const template = {
      Resources: {
        Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Environment: [{ Name: 'KEY', Value: value }] }] } },
      },
    };
    const [{ resource: task }] = resourcesFromTemplate(template);

    expect(controlById('ECS.8').evaluate(task)).toEqual({ compliance: 'NON_COMPLIANT', annotation: expect.stringContaining('app: KEY (value looks like an AWS access key id)') });
  });

  it('reports an access key id in only one branch of a Fn::If as depending on that condition, never as compliant', () => {
    const value = { 'Fn::If': ['IsProd', { Ref: 'KeyParam' }, 'ASIAIOSFODNN7EXAMPLE'] };
    const template = { Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Environment: [{ Name: 'KEY', Value: value }] }] } } } };

    expect(controlById('ECS.8').evaluate(resourcesFromTemplate(template)[0].resource)).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.8 depends on deploy-time input (condition IsProd): COMPLIANT when condition IsProd true, NON_COMPLIANT when condition IsProd false.',
    });
  });

  it('makes only the controls that need an unresolved property unable to decide', () => {
    expect(verdict('ECS.21', 'WindowsTaskDef')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.21 could not evaluate Resources.WindowsTaskDef.Properties.ContainerDefinitions[0].User: an unresolved intrinsic (Ref: UserParam), whose value is known only at deploy time',
    });
    // With DebugLogging the container logs, without it it does not: the verdict depends on the condition.
    expect(verdict('ECS.9', 'WindowsTaskDef').annotation).toBe(
      'ECS.9 depends on deploy-time input (condition DebugLogging): COMPLIANT when condition DebugLogging true, NON_COMPLIANT when condition DebugLogging false.',
    );
    expect(verdict('ECS.9', 'WindowsTaskDef').compliance).toBe('NOT_EVALUATED');
    expect(verdict('ECS.4', 'WindowsTaskDef').compliance).toBe('COMPLIANT');
    expect(verdict('ECS.20', 'WindowsTaskDef').compliance).toBe('NOT_APPLICABLE');
    expect(verdict('ECS.5', 'WindowsTaskDef').compliance).toBe('NOT_APPLICABLE');
  });

  it('never reads an intrinsic standing for a whole block as that block (no false COMPLIANT)', () => {
    const conditionalNetwork = {
      Resources: {
        Service: {
          Type: 'AWS::ECS::Service',
          Properties: { NetworkConfiguration: { AwsvpcConfiguration: { 'Fn::If': ['Public', { AssignPublicIp: 'ENABLED' }, { AssignPublicIp: 'DISABLED' }] } } },
        },
      },
    };

    expect(controlById('ECS.2').evaluate(resourcesFromTemplate(conditionalNetwork)[0].resource)).toMatchObject({ compliance: 'NOT_EVALUATED' });
  });

  it('follows a Ref to a same-template task definition for the OS family (Linux when unset)', () => {
    expect(resource('CheckoutService')).toMatchObject({ taskDefinitionOperatingSystemFamily: undefined, platformVersion: '1.3.0', launchType: 'FARGATE' });
    expect(verdict('ECS.10', 'CheckoutService')).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect(verdict('ECS.10', 'CheckoutService').annotation).toContain('the latest for Linux is 1.4.0');
  });

  it('follows Fn::GetAtt [TaskDef, TaskDefinitionArn] and reads FARGATE_SPOT from the capacity provider strategy', () => {
    expect(resource('WindowsService')).toMatchObject({ taskDefinitionOperatingSystemFamily: 'WINDOWS_SERVER_2019_CORE', capacityProviders: ['FARGATE_SPOT'] });
    expect(verdict('ECS.10', 'WindowsService')).toMatchObject({ compliance: 'COMPLIANT' });
  });

  it('reads a strategy naming a capacity provider of the same template as not Fargate (its name cannot start with "fargate")', () => {
    const strategy = (provider: unknown) => ({
      Resources: {
        AsgProvider: { Type: 'AWS::ECS::CapacityProvider', Properties: { AutoScalingGroupProvider: { AutoScalingGroupArn: 'asg' } } },
        Queue: { Type: 'AWS::SQS::Queue' },
        Service: { Type: 'AWS::ECS::Service', Properties: { PlatformVersion: '1.3.0', CapacityProviderStrategy: [{ CapacityProvider: provider, Weight: 1 }] } },
      },
      Parameters: { ProviderName: { Type: 'String' } },
    });
    const ecs10 = (provider: unknown) => controlById('ECS.10').evaluate(resourcesFromTemplate(strategy(provider)).find((found) => found.logicalId === 'Service')!.resource);

    expect(resourcesFromTemplate(strategy({ Ref: 'AsgProvider' }))[1].resource).toMatchObject({ capacityProviders: ['${AsgProvider}'] });
    expect(ecs10({ Ref: 'AsgProvider' })).toMatchObject({ compliance: 'NOT_APPLICABLE' });
    // Anything else a Ref can name may be FARGATE: a parameter, or a resource of another type.
    expect(ecs10({ Ref: 'ProviderName' })).toMatchObject({ compliance: 'NOT_EVALUATED', annotation: expect.stringContaining('CapacityProviderStrategy[0].CapacityProvider: an unresolved intrinsic (Ref: ProviderName)') });
    expect(ecs10({ Ref: 'Queue' })).toMatchObject({ compliance: 'NOT_EVALUATED' });
    expect(ecs10({ 'Fn::GetAtt': ['AsgProvider', 'Arn'] })).toMatchObject({ compliance: 'NOT_EVALUATED' });
    // FARGATE itself is Fargate: then the platform version needs the task definition's OS family.
    expect(ecs10('FARGATE')).toMatchObject({ compliance: 'NOT_EVALUATED', annotation: expect.stringContaining('names no task definition') });
  });

  it('follows the string form of Fn::GetAtt', () => {
    const withStringGetAtt = {
      Resources: {
        TaskDef: { Type: 'AWS::ECS::TaskDefinition', Properties: { RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2022_FULL' } } },
        Service: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { 'Fn::GetAtt': 'TaskDef.TaskDefinitionArn' } } },
      },
    };

    expect(resourcesFromTemplate(withStringGetAtt)[1].resource).toMatchObject({ taskDefinitionOperatingSystemFamily: 'WINDOWS_SERVER_2022_FULL' });
  });

  it('cannot read the OS family through an import, naming the service property; only ECS.10 on Fargate needs it', () => {
    expect(verdict('ECS.10', 'ImportedService')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation:
        "ECS.10 could not evaluate Resources.ImportedService.Properties.TaskDefinition: an unresolved intrinsic (Fn::ImportValue: shared-task-definition), so the task definition's OS family cannot be read here",
    });
    expect(verdict('ECS.2', 'ImportedService')).toMatchObject({ compliance: 'NOT_APPLICABLE' });
    // A parameter Ref cannot be followed either, but a non-Fargate service never needs the OS family.
    expect(verdict('ECS.10', 'ParameterService')).toMatchObject({ compliance: 'NOT_APPLICABLE' });
  });

  it('cannot read the OS family of a task definition named by a plain ARN', () => {
    const withArn = {
      Resources: {
        Service: { Type: 'AWS::ECS::Service', Properties: { LaunchType: 'FARGATE', PlatformVersion: '1.3.0', TaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3' } },
      },
    };

    expect(controlById('ECS.10').evaluate(resourcesFromTemplate(withArn)[0].resource).annotation).toBe(
      "ECS.10 could not evaluate Resources.Service.Properties.TaskDefinition: a task definition outside this template (arn:aws:ecs:us-east-1:123456789012:task-definition/web:3), so the task definition's OS family cannot be read here",
    );
  });

  it("follows a condition on the referenced task definition's OS family into the service's outcomes", () => {
    const withConditionalPlatform = {
      Resources: {
        TaskDef: { Type: 'AWS::ECS::TaskDefinition', Properties: { RuntimePlatform: { OperatingSystemFamily: { 'Fn::If': ['Win', 'WINDOWS_SERVER_2022_CORE', 'LINUX'] } } } },
        Service: { Type: 'AWS::ECS::Service', Properties: { LaunchType: 'FARGATE', PlatformVersion: '1.3.0', TaskDefinition: { Ref: 'TaskDef' } } },
      },
    };

    // 1.3.0 is behind Linux's latest (1.4.0) but at least Windows' (1.0.0): the verdict depends on Win.
    expect(controlById('ECS.10').evaluate(resourcesFromTemplate(withConditionalPlatform)[1].resource).annotation).toBe(
      'ECS.10 depends on deploy-time input (condition Win): COMPLIANT when condition Win true, NON_COMPLIANT when condition Win false.',
    );
    const onLatest = structuredClone(withConditionalPlatform);
    onLatest.Resources.Service.Properties.PlatformVersion = '1.4.0';
    expect(controlById('ECS.10').evaluate(resourcesFromTemplate(onLatest)[1].resource)).toMatchObject({ compliance: 'COMPLIANT' });
  });

  it('reads clusters, task sets and capacity providers', () => {
    expect(verdict('ECS.12', 'Cluster')).toMatchObject({ compliance: 'COMPLIANT' });
    expect(verdict('ECS.12', 'BareCluster')).toMatchObject({ compliance: 'NON_COMPLIANT' });
    // Only a system tag: ECS.14 wants a tag a person chose.
    expect(verdict('ECS.14', 'Cluster')).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect(verdict('ECS.2', 'CheckoutService')).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect(verdict('ECS.2', 'WindowsService')).toMatchObject({ compliance: 'COMPLIANT' });
    expect(verdict('ECS.16', 'BlueTaskSet')).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect(verdict('ECS.19', 'Ec2CapacityProvider').annotation).toContain('unset (DISABLED)');
  });

  it.each([
    ['a list', [], 'A CloudFormation template must be an object, got a list'],
    ['null', null, 'A CloudFormation template must be an object, got null'],
    ['a template without Resources', { AWSTemplateFormatVersion: '2010-09-09' }, 'The template has no Resources map'],
    ['Resources as a list', { Resources: [] }, 'The template has no Resources map (Resources is a list)'],
    ['a resource without Type', { Resources: { Web: { Properties: {} } } }, 'Resources.Web has no Type'],
    [
      'intrinsic Properties',
      { Resources: { Web: { Type: 'AWS::ECS::Service', Properties: { 'Fn::If': ['C', {}, {}] } } } },
      'Resources.Web.Properties must be an object of properties, got an unresolved intrinsic (Fn::If: ["C",{},{}])',
    ],
  ])('rejects %s with a MalformedTemplateError naming the problem', (_case, input, message) => {
    expect(() => resourcesFromTemplate(input)).toThrow(new MalformedTemplateError(message));
    expect(() => resourcesFromTemplate(input)).toThrow(MalformedTemplateError);
  });
});
