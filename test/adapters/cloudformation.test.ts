import { MalformedTemplateError, resourceFromProperties, resourcesFromTemplate } from '../../lambdas/adapters/cloudformation';
import { controlById } from '../../lambdas/controls';
import { outcomesOf, Resource, Unreadable } from '../../lambdas/core/model';
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

  it('follows a task definition or a template capacity provider chosen by Fn::If into each outcome', () => {
    const template = (taskDefinition: unknown, strategy: object) => ({
      Conditions: { Win: { 'Fn::Equals': [{ Ref: 'Os' }, 'windows'] } },
      Parameters: { Os: { Type: 'String' } },
      Resources: {
        Linux: { Type: 'AWS::ECS::TaskDefinition', Properties: {} },
        Windows: { Type: 'AWS::ECS::TaskDefinition', Properties: { RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } } },
        AsgA: { Type: 'AWS::ECS::CapacityProvider', Properties: {} },
        AsgB: { Type: 'AWS::ECS::CapacityProvider', Properties: {} },
        Service: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: taskDefinition, ...strategy } },
      },
    });
    const ecs10 = (taskDefinition: unknown, strategy: object = { LaunchType: 'FARGATE' }) =>
      controlById('ECS.10').evaluate(resourcesFromTemplate(template(taskDefinition, strategy)).find((found) => found.logicalId === 'Service')!.resource);
    const eitherTaskDefinition = { 'Fn::If': ['Win', { Ref: 'Windows' }, { Ref: 'Linux' }] };

    // 1.0.0 is the latest for Windows only, 1.4.0 for Linux only: the verdict follows the condition.
    expect(ecs10(eitherTaskDefinition, { LaunchType: 'FARGATE', PlatformVersion: 'LATEST' })).toMatchObject({ compliance: 'COMPLIANT' });
    expect(ecs10(eitherTaskDefinition, { LaunchType: 'FARGATE', PlatformVersion: '1.0.0' })).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.10 depends on deploy-time input (condition Win): COMPLIANT when condition Win true, NON_COMPLIANT when condition Win false.',
    });
    // Either capacity provider of the template is not Fargate, one item or the whole strategy chosen by the condition.
    const providerItem = { CapacityProviderStrategy: [{ CapacityProvider: { 'Fn::If': ['Win', { Ref: 'AsgA' }, { Ref: 'AsgB' }] } }] };
    const wholeStrategy = { CapacityProviderStrategy: { 'Fn::If': ['Win', [{ CapacityProvider: { Ref: 'AsgA' } }], [{ CapacityProvider: { Ref: 'AsgB' } }]] } };
    expect(ecs10(eitherTaskDefinition, providerItem)).toMatchObject({ compliance: 'NOT_APPLICABLE' });
    expect(ecs10(eitherTaskDefinition, wholeStrategy)).toMatchObject({ compliance: 'NOT_APPLICABLE' });
  });

  it("enumerates the inputs inside a task definition chosen by Fn::If together with the service's own", () => {
    const withChosenWindowsEdition = {
      Conditions: { Win: { 'Fn::Equals': [{ Ref: 'Os' }, 'windows'] }, Core: { 'Fn::Equals': [{ Ref: 'Edition' }, 'core'] } },
      Parameters: { Os: { Type: 'String' }, Edition: { Type: 'String' } },
      Resources: {
        Linux: { Type: 'AWS::ECS::TaskDefinition', Properties: {} },
        Windows: { Type: 'AWS::ECS::TaskDefinition', Properties: { RuntimePlatform: { OperatingSystemFamily: { 'Fn::If': ['Core', 'WINDOWS_SERVER_2022_CORE', 'WINDOWS_SERVER_2022_FULL'] } } } },
        Service: {
          Type: 'AWS::ECS::Service',
          Properties: {
            LaunchType: 'FARGATE',
            PlatformVersion: { 'Fn::If': ['Win', '1.0.0', '1.4.0'] },
            TaskDefinition: { 'Fn::If': ['Win', { Ref: 'Windows' }, { Ref: 'Linux' }] },
          },
        },
      },
    };

    // Windows (either edition) on 1.0.0, Linux on 1.4.0: each the latest for its OS, in every outcome of Win and Core.
    expect(controlById('ECS.10').evaluate(resourcesFromTemplate(withChosenWindowsEdition)[2].resource)).toMatchObject({ compliance: 'COMPLIANT' });
  });

  it('cannot read a capacity provider strategy that is not a list', () => {
    const withStrategyParameter = {
      Parameters: { Strategy: { Type: 'String' } },
      Resources: { Service: { Type: 'AWS::ECS::Service', Properties: { CapacityProviderStrategy: { Ref: 'Strategy' } } } },
    };

    expect(controlById('ECS.10').evaluate(resourcesFromTemplate(withStrategyParameter)[0].resource)).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: expect.stringContaining('Resources.Service.Properties.CapacityProviderStrategy'),
    });
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
    ['a string', 'Resources: {}', 'A CloudFormation template must be an object, got string'],
    ['a resource with an empty Type', { Resources: { Web: { Type: '', Properties: {} } } }, 'Resources.Web has no Type'],
  ])('rejects %s with a MalformedTemplateError naming the problem', (_case, input, message) => {
    expect(() => resourcesFromTemplate(input)).toThrow(new MalformedTemplateError(message));
    expect(() => resourcesFromTemplate(input)).toThrow(MalformedTemplateError);
    // The name is what a stack trace or `String(error)` shows.
    expect(() => resourcesFromTemplate(input)).toThrow(expect.objectContaining({ name: 'MalformedTemplateError' }));
  });

  it.each([
    ['left out', {}],
    ['null (YAML `Properties:` with nothing under it)', { Properties: null }],
  ])('reads a resource whose Properties are %s as every default', (_case, properties) => {
    const [{ resource: cluster }] = resourcesFromTemplate({ Resources: { Bare: { Type: 'AWS::ECS::Cluster', ...properties } } });

    expect(cluster).toMatchObject({ kind: 'AWS::ECS::Cluster', displayName: 'Bare', settings: [], tags: {} });
    expect(controlById('ECS.12').evaluate(cluster)).toMatchObject({ compliance: 'NON_COMPLIANT' });
  });

  it('resolves a Fn::FindInMap with literal keys into one certain outcome, not a choice of one', () => {
    const mapped = {
      Mappings: { Modes: { default: { network: 'awsvpc' } } },
      Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { NetworkMode: { 'Fn::FindInMap': ['Modes', 'default', 'network'] } } } },
    };
    const [{ resource: task }] = resourcesFromTemplate(mapped);

    expect(task).toMatchObject({ networkMode: 'awsvpc' });
    expect(outcomesOf(task)).toBeUndefined();
  });
});

describe('the literal text of an intrinsic (free text such as a tag value or an environment value)', () => {
  it.each([
    ['a Ref, as a ${Name} placeholder', { Ref: 'Env' }, '${Env}'],
    ['a Fn::GetAtt list, as a ${Resource.Attribute} placeholder', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }, '${Db.Endpoint.Address}'],
    ['a Fn::GetAtt string, as the same placeholder', { 'Fn::GetAtt': 'Db.Endpoint.Address' }, '${Db.Endpoint.Address}'],
    ['a Fn::Sub string, keeping its own placeholders', { 'Fn::Sub': 'team-${Env}' }, 'team-${Env}'],
    ['a Fn::Sub with a variable map, which is not text', { 'Fn::Sub': ['team-${Env}', { Env: { Ref: 'EnvParam' } }] }, 'team-${Env}'],
    ['a Fn::Join, its parts joined by the delimiter', { 'Fn::Join': ['-', ['team', { Ref: 'Env' }, { 'Fn::GetAtt': ['Db', 'Port'] }]] }, 'team-${Env}-${Db.Port}'],
    ['a Fn::Join with a null part, which is empty text', { 'Fn::Join': ['-', ['team', null, 'x']] }, 'team--x'],
    ['a Fn::Join whose delimiter is not text, as its string leaves', { 'Fn::Join': [{ Ref: 'Separator' }, ['team', 'x']] }, '${Separator} team x'],
    ['another function, as its string leaves separated by spaces', { 'Fn::Select': ['1', ['blue', 'green']] }, '1 blue green'],
  ])('reads %s', (_case, value, text) => {
    const template = { Resources: { Cluster: { Type: 'AWS::ECS::Cluster', Properties: { Tags: [{ Key: 'team', Value: value }] } } } };

    expect(resourcesFromTemplate(template)[0].resource).toMatchObject({ kind: 'AWS::ECS::Cluster', tags: { team: text } });
  });
});

describe('"could not evaluate" names the unresolved intrinsic', () => {
  const withUser = (user: unknown) => ({
    Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'nginx', User: user }] } } },
  });
  const sixty = 'a'.repeat(60);

  it.each([
    ['a Ref by its name', { Ref: 'UserParam' }, 'Ref: UserParam'],
    ['a Fn::GetAtt list as Resource.Attribute', { 'Fn::GetAtt': ['Secret', 'Uid'] }, 'Fn::GetAtt: Secret.Uid'],
    ['a Fn::GetAtt string as written', { 'Fn::GetAtt': 'Secret.Uid' }, 'Fn::GetAtt: Secret.Uid'],
    ['another function by its JSON arguments', { 'Fn::Select': [0, ['1000', '0']] }, 'Fn::Select: [0,["1000","0"]]'],
    ['an argument of 60 characters in full', { 'Fn::ImportValue': sixty }, `Fn::ImportValue: ${sixty}`],
    ['a longer argument cut to 60 characters', { 'Fn::ImportValue': `${sixty}bcd` }, `Fn::ImportValue: ${sixty}…`],
  ])('names %s', (_case, user, described) => {
    expect(controlById('ECS.20').evaluate(resourcesFromTemplate(withUser(user))[0].resource)).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: `ECS.20 could not evaluate Resources.Task.Properties.ContainerDefinitions[0].User: an unresolved intrinsic (${described}), whose value is known only at deploy time`,
    });
  });
});

describe("a service's task definition, for ECS.10's OS family", () => {
  /** A Fargate service on 1.3.0: compliant for a Windows task definition (latest 1.0.0), not for Linux (1.4.0). */
  const withTaskDefinition = (taskDefinition: unknown, operatingSystemFamily: unknown = 'WINDOWS_SERVER_2022_FULL') => ({
    Resources: {
      TaskDef: { Type: 'AWS::ECS::TaskDefinition', Properties: { RuntimePlatform: { OperatingSystemFamily: operatingSystemFamily } } },
      Queue: { Type: 'AWS::SQS::Queue' },
      Service: { Type: 'AWS::ECS::Service', Properties: { LaunchType: 'FARGATE', PlatformVersion: '1.3.0', TaskDefinition: taskDefinition } },
    },
  });
  const ecs10 = (template: unknown) => controlById('ECS.10').evaluate(resourcesFromTemplate(template).find((found) => found.logicalId === 'Service')!.resource);

  it.each([
    ['Ref TaskDef', { Ref: 'TaskDef' }],
    ['Fn::GetAtt [TaskDef, TaskDefinitionArn]', { 'Fn::GetAtt': ['TaskDef', 'TaskDefinitionArn'] }],
    ['Fn::GetAtt TaskDef.TaskDefinitionArn', { 'Fn::GetAtt': 'TaskDef.TaskDefinitionArn' }],
  ])('follows %s to the task definition of the template', (_case, taskDefinition) => {
    expect(ecs10(withTaskDefinition(taskDefinition))).toEqual({ compliance: 'COMPLIANT', annotation: 'Fargate service Service runs platform version 1.3.0, the latest for Windows.' });
  });

  it.each([
    ['a Ref whose argument is a list, not a name', { Ref: ['TaskDef'] }, 'an unresolved intrinsic (Ref: ["TaskDef"])'],
    ['a Ref to a resource of another type', { Ref: 'Queue' }, 'an unresolved intrinsic (Ref: Queue)'],
    ['a Fn::GetAtt whose logical id is a list, not a name', { 'Fn::GetAtt': [['TaskDef'], 'TaskDefinitionArn'] }, 'an unresolved intrinsic (Fn::GetAtt: TaskDef.TaskDefinitionArn)'],
    ['a Fn::GetAtt of another attribute', { 'Fn::GetAtt': 'TaskDef.Family' }, 'an unresolved intrinsic (Fn::GetAtt: TaskDef.Family)'],
    ['a Fn::GetAtt that is neither a list nor a string', { 'Fn::GetAtt': { Ref: 'TaskDefName' } }, 'an unresolved intrinsic (Fn::GetAtt: {"Ref":"TaskDefName"})'],
    ['an import, even one named like an attribute', { 'Fn::ImportValue': 'TaskDef.TaskDefinitionArn' }, 'an unresolved intrinsic (Fn::ImportValue: TaskDef.TaskDefinitionArn)'],
    ['an object that is no intrinsic', { Family: 'web' }, 'object {"Family":"web"}'],
  ])('does not follow %s, naming it', (_case, taskDefinition, what) => {
    expect(ecs10(withTaskDefinition(taskDefinition))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: `ECS.10 could not evaluate Resources.Service.Properties.TaskDefinition: ${what}, so the task definition's OS family cannot be read here`,
    });
  });

  it('looks up only the logical id a reference names: a plain ARN reads no template task definition, whatever its logical id', () => {
    // `undefined` is a valid (alphanumeric) logical id; its conditional OS family must not become the service's.
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3';
    const template = {
      Resources: {
        undefined: { Type: 'AWS::ECS::TaskDefinition', Properties: { RuntimePlatform: { OperatingSystemFamily: { 'Fn::If': ['Win', 'WINDOWS_SERVER_2022_CORE', 'LINUX'] } } } },
        Service: { Type: 'AWS::ECS::Service', Properties: { LaunchType: 'FARGATE', PlatformVersion: '1.3.0', TaskDefinition: arn } },
      },
    };
    const service = resourcesFromTemplate(template)[1].resource;

    expect(controlById('ECS.10').evaluate(service).annotation).toBe(
      `ECS.10 could not evaluate Resources.Service.Properties.TaskDefinition: a task definition outside this template (${arn}), so the task definition's OS family cannot be read here`,
    );
    expect(outcomesOf(service)).toBeUndefined();
  });

  it("names the task definition's own property when its OS family is a parameter", () => {
    expect(ecs10(withTaskDefinition({ Ref: 'TaskDef' }, { Ref: 'OsFamily' }))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.10 could not evaluate Resources.TaskDef.Properties.RuntimePlatform.OperatingSystemFamily: an unresolved intrinsic (Ref: OsFamily), whose value is known only at deploy time',
    });
  });

  it("takes the task definition's conditions into the service's outcomes only: a task set naming it has one outcome", () => {
    const template = {
      Resources: {
        TaskDef: { Type: 'AWS::ECS::TaskDefinition', Properties: { RuntimePlatform: { OperatingSystemFamily: { 'Fn::If': ['Win', 'WINDOWS_SERVER_2022_CORE', 'LINUX'] } } } },
        Service: { Type: 'AWS::ECS::Service', Properties: { LaunchType: 'FARGATE', TaskDefinition: { Ref: 'TaskDef' } } },
        TaskSet: { Type: 'AWS::ECS::TaskSet', Properties: { Cluster: 'c', Service: 's', TaskDefinition: { Ref: 'TaskDef' } } },
      },
    };
    const [, service, taskSet] = resourcesFromTemplate(template);

    expect(outcomesOf(service.resource)?.inputs).toBe('condition Win');
    expect(outcomesOf(taskSet.resource)).toBeUndefined();
  });
});

describe("a service's capacity provider strategy", () => {
  const withStrategy = (strategy: unknown) => ({
    Resources: {
      AsgProvider: { Type: 'AWS::ECS::CapacityProvider', Properties: { AutoScalingGroupProvider: { AutoScalingGroupArn: 'asg' } } },
      LinuxTaskDef: { Type: 'AWS::ECS::TaskDefinition', Properties: {} },
      Service: { Type: 'AWS::ECS::Service', Properties: { PlatformVersion: '1.3.0', TaskDefinition: { Ref: 'LinuxTaskDef' }, CapacityProviderStrategy: strategy } },
    },
  });
  const ecs10 = (strategy: unknown) => controlById('ECS.10').evaluate(resourcesFromTemplate(withStrategy(strategy))[2].resource);
  const notEvaluated = (path: string, reason: string) => ({ compliance: 'NOT_EVALUATED', annotation: `ECS.10 could not evaluate Resources.Service.Properties.CapacityProviderStrategy${path}: ${reason}` });

  it.each([
    ['a Ref whose argument is a list is not followed', [{ CapacityProvider: { Ref: ['AsgProvider'] } }], notEvaluated('[0].CapacityProvider', 'an unresolved intrinsic (Ref: ["AsgProvider"]), whose value is known only at deploy time')],
    ['a null capacity provider is none', [{ CapacityProvider: null }], notEvaluated('[0].CapacityProvider', 'a strategy item without a capacity provider')],
    ['a null item is not an object', [null], notEvaluated('[0]', 'expected an object, got null')],
    [
      'a strategy written as a Fn::If is read in each outcome',
      { 'Fn::If': ['Spot', [{ CapacityProvider: 'FARGATE_SPOT' }], [{ CapacityProvider: 'FARGATE' }]] },
      { compliance: 'NON_COMPLIANT', annotation: expect.stringContaining('Fargate service Service runs platform version 1.3.0; the latest for Linux is 1.4.0.') },
    ],
  ])('%s', (_case, strategy, expected) => {
    expect(ecs10(strategy)).toEqual(expected);
  });
});

describe('resourceFromProperties (a hook\'s provisioned properties: intrinsics resolved)', () => {
  const properties = { LaunchType: 'FARGATE', PlatformVersion: '1.3.0', TaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3' };

  it.each([
    ['a Windows family', 'WINDOWS_SERVER_2019_CORE', { compliance: 'COMPLIANT', annotation: 'Fargate service Web runs platform version 1.3.0, the latest for Windows.' }],
    ['no family (Linux)', undefined, { compliance: 'NON_COMPLIANT', annotation: expect.stringContaining('the latest for Linux is 1.4.0') }],
    [
      'an unreadable family',
      new Unreadable('resourceProperties.TaskDefinition', 'DescribeTaskDefinition failed'),
      { compliance: 'NOT_EVALUATED', annotation: 'ECS.10 could not evaluate resourceProperties.TaskDefinition: DescribeTaskDefinition failed' },
    ],
  ])('reads a service with the OS family the caller looked up: %s', (_case, family, expected) => {
    const service = resourceFromProperties('AWS::ECS::Service', properties, 'resourceProperties', 'Web', family);

    expect(service).toMatchObject({ kind: 'AWS::ECS::Service', displayName: 'Web', platformVersion: '1.3.0' });
    expect(controlById('ECS.10').evaluate(service)).toEqual(expected);
  });
});
