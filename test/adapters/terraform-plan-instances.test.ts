/**
 * The Terraform adapter's reading of a plan's resource instances (their actions, addresses and
 * configuration, found through module paths) and of a state's values, over small documents written
 * inline to Terraform's JSON output format
 * (https://developer.hashicorp.com/terraform/internals/json-format).
 */
import { MalformedTerraformError, resourcesFromTerraform } from '../../lambdas/adapters/terraform';
import { controlById } from '../../lambdas/controls';
import { found, modelOf } from './terraform-lookup';

type Json = Record<string, unknown>;

interface ChangeOptions {
  moduleAddress?: string;
  actions?: unknown;
  after?: unknown;
  afterUnknown?: Json;
}

/** One `resource_changes[]` entry of a managed resource. */
function resourceChange(address: string, type: string, name: string, options: ChangeOptions = {}): Json {
  return {
    address,
    ...(options.moduleAddress === undefined ? {} : { module_address: options.moduleAddress }),
    mode: 'managed',
    type,
    name,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: options.actions ?? ['create'],
      before: null,
      after: options.after === undefined ? {} : options.after,
      after_unknown: options.afterUnknown ?? {},
    },
  };
}

function planOf(changes: Json[], configuration?: Json): Json {
  return {
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: {} },
    resource_changes: changes,
    ...(configuration === undefined ? {} : { configuration }),
  };
}

/** A configuration module holding `resources` and `module_calls` (each call's `module`). */
function configModule(resources: Json[], calls: Record<string, Json> = {}): Json {
  return {
    ...(resources.length > 0 ? { resources } : {}),
    ...(Object.keys(calls).length > 0 ? { module_calls: Object.fromEntries(Object.entries(calls).map(([name, module]) => [name, { source: `./modules/${name}`, module }])) } : {}),
  };
}

function configResource(address: string, type: string, name: string, expressions: Json, mode = 'managed'): Json {
  return { address, mode, type, name, provider_config_key: 'aws', expressions, schema_version: 0 };
}

/**
 * A capacity provider created with `managed_termination_protection` known only after apply (the
 * provider computes it when the code leaves it out).
 */
function capacityProvider(address: string, moduleAddress?: string): Json {
  return resourceChange(address, 'aws_ecs_capacity_provider', 'this', {
    moduleAddress,
    after: { name: 'fleet', auto_scaling_group_provider: [{ auto_scaling_group_arn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/fleet' }], tags: null },
    afterUnknown: { id: true, arn: true, auto_scaling_group_provider: [{ managed_termination_protection: true, managed_scaling: true }], tags_all: false },
  });
}

const asgArn = { references: ['aws_autoscaling_group.fleet.arn', 'aws_autoscaling_group.fleet'] };
/** The code of a capacity provider that sets managed_termination_protection from another resource. */
const setsProtection = { name: { constant_value: 'fleet' }, auto_scaling_group_provider: [{ auto_scaling_group_arn: asgArn, managed_termination_protection: { references: ['aws_ssm_parameter.protection.value', 'aws_ssm_parameter.protection'] } }] };
/** The code of a capacity provider that leaves managed_termination_protection out. */
const leavesProtectionOut = { name: { constant_value: 'fleet' }, auto_scaling_group_provider: [{ auto_scaling_group_arn: asgArn }] };

const containers = JSON.stringify([{ name: 'web', image: 'public.ecr.aws/nginx/nginx:1.27', essential: true, readonlyRootFilesystem: true, user: '1000', logConfiguration: { logDriver: 'awslogs' } }]);

function taskDefinition(address: string, name: string, options: { moduleAddress?: string; after?: Json; afterUnknown?: Json } = {}): Json {
  return resourceChange(address, 'aws_ecs_task_definition', name, {
    moduleAddress: options.moduleAddress,
    after: { family: name, network_mode: 'awsvpc', requires_compatibilities: ['FARGATE'], container_definitions: containers, tags: null, tags_all: {}, ...options.after },
    afterUnknown: { arn: true, revision: true, ...options.afterUnknown },
  });
}

/** A Fargate service on platform 1.3.0 (the latest for Windows, behind for Linux: the verdict turns on the OS family) whose task definition is created by the plan. */
function fargateService(address: string, options: { moduleAddress?: string } = {}): Json {
  return resourceChange(address, 'aws_ecs_service', 'web', {
    moduleAddress: options.moduleAddress,
    after: { name: 'web', launch_type: 'FARGATE', platform_version: '1.3.0', tags: null, tags_all: {} },
    afterUnknown: { id: true, task_definition: true },
  });
}

const serviceCode = (references: unknown) => configResource('aws_ecs_service.web', 'aws_ecs_service', 'web', { name: { constant_value: 'web' }, launch_type: { constant_value: 'FARGATE' }, platform_version: { constant_value: '1.3.0' }, task_definition: { references } });


function verdict(document: unknown, address: string, controlId: string): { compliance: string; annotation: string } {
  const { compliance, annotation } = controlById(controlId).evaluate(modelOf(document, address));
  return { compliance, annotation };
}

/** The MalformedTerraformError resourcesFromTerraform throws (any other error fails the test), to check its message. */
function rejection(document: unknown): MalformedTerraformError {
  try {
    resourcesFromTerraform(document);
  } catch (error) {
    if (error instanceof MalformedTerraformError) return error;
    throw error;
  }
  throw new Error('the document was read');
}

describe('a plan’s resource changes', () => {
  it('lists nothing for a plan that changes no resource (Terraform leaves resource_changes out)', () => {
    expect(resourcesFromTerraform({ format_version: '1.2', terraform_version: '1.9.8', planned_values: { root_module: {} }, configuration: { root_module: {} } })).toEqual([]);
  });

  it('does not evaluate a resource under an action it does not know, naming the actions', () => {
    const read = found(planOf([resourceChange('aws_ecs_cluster.main', 'aws_ecs_cluster', 'main', { actions: ['read'], after: { name: 'main' } })]), 'aws_ecs_cluster.main');
    expect(read).toMatchObject({ resource: undefined, notApplicable: 'The plan has action read for aws_ecs_cluster.main: it is not evaluated.' });
    // Actions a later format version may add: neither kept nor evaluated.
    const future = found(planOf([resourceChange('aws_ecs_cluster.main', 'aws_ecs_cluster', 'main', { actions: ['archive', 'restore'], after: { name: 'main' } })]), 'aws_ecs_cluster.main');
    expect(future).toMatchObject({ resource: undefined, notApplicable: 'The plan has action archive, restore for aws_ecs_cluster.main: it is not evaluated.' });
  });

  it('rejects a resource change without its actions or its after value, naming the change', () => {
    const cluster = () => resourceChange('aws_ecs_cluster.main', 'aws_ecs_cluster', 'main', { after: { name: 'main' } });
    const withBody = (body: unknown) => planOf([{ ...cluster(), change: body }]);
    expect(rejection(withBody({ ...(cluster().change as Json), actions: 'create' }))).toEqual(new MalformedTerraformError('resource_changes[0] (aws_ecs_cluster.main) has no change.actions'));
    expect(rejection(withBody(undefined))).toEqual(new MalformedTerraformError('resource_changes[0] (aws_ecs_cluster.main) has no change.actions'));
    expect(rejection(withBody({ actions: ['create'], before: null, after: null, after_unknown: {} }))).toEqual(
      new MalformedTerraformError('resource_changes[0] (aws_ecs_cluster.main) has no change.after object'),
    );
    expect(rejection(withBody({ actions: ['update'], before: { name: 'main' }, after_unknown: {} }))).toEqual(
      new MalformedTerraformError('resource_changes[0] (aws_ecs_cluster.main) has no change.after object'),
    );
  });

  it('rejects a resource change without an address or a name, naming where it is', () => {
    const other = resourceChange('aws_lb.public', 'aws_lb', 'public', { actions: ['no-op'] });
    const cluster = resourceChange('aws_ecs_cluster.main', 'aws_ecs_cluster', 'main', { after: { name: 'main' } });
    const { address: _address, ...noAddress } = cluster;
    const { name: _name, ...noName } = cluster;
    expect(rejection(planOf([other, noAddress]))).toEqual(new MalformedTerraformError('resource_changes[1] has no address'));
    expect(rejection(planOf([other, { ...cluster, address: '' }]))).toEqual(new MalformedTerraformError('resource_changes[1] has no address'));
    expect(rejection(planOf([other, { ...cluster, address: 7 }]))).toEqual(new MalformedTerraformError('resource_changes[1] has no address'));
    expect(rejection(planOf([noName]))).toEqual(new MalformedTerraformError('resource_changes[0] has no name'));
    expect(rejection(planOf([{ ...cluster, name: '' }]))).toEqual(new MalformedTerraformError('resource_changes[0] has no name'));
  });

  it('reads a root resource as in the root module whether module_address is left out or empty', () => {
    // The service's task_definition is known only after apply: its task definition is found by the code's reference, in the service's module.
    const plan = planOf(
      [
        taskDefinition('aws_ecs_task_definition.app', 'app', { moduleAddress: '', after: { runtime_platform: [{ operating_system_family: 'WINDOWS_SERVER_2022_CORE', cpu_architecture: 'X86_64' }] } }),
        fargateService('aws_ecs_service.web'),
      ],
      { root_module: configModule([serviceCode(['aws_ecs_task_definition.app.arn', 'aws_ecs_task_definition.app'])]) },
    );
    const service = modelOf(plan, 'aws_ecs_service.web');
    expect(service.kind === 'AWS::ECS::Service' && service.taskDefinitionOperatingSystemFamily).toBe('WINDOWS_SERVER_2022_CORE');
    expect(verdict(plan, 'aws_ecs_service.web', 'ECS.10')).toEqual({
      compliance: 'COMPLIANT',
      annotation: 'Fargate service aws_ecs_service.web runs platform version 1.3.0, the latest for Windows.',
    });
  });

  it('follows only the references an expression lists as addresses', () => {
    const plan = planOf([taskDefinition('aws_ecs_task_definition.app', 'app'), fargateService('aws_ecs_service.web')], {
      root_module: configModule([serviceCode([['aws_ecs_task_definition.app.arn'], { address: 'aws_ecs_task_definition.app' }])]),
    });
    expect(verdict(plan, 'aws_ecs_service.web', 'ECS.10')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation:
        'ECS.10 could not evaluate aws_ecs_service.web.task_definition: a value Terraform knows only after apply (task_definition), and refers to no aws_ecs_task_definition of this plan, so its OS family is unknown',
    });
  });
});

describe('a plan’s configuration, found by module path', () => {
  it('tells an unknown value the code sets from one the code leaves to the provider, in nested module instances', () => {
    const plan = planOf(
      [
        capacityProvider('module.region["eu"].module.fleet[0].aws_ecs_capacity_provider.this', 'module.region["eu"].module.fleet[0]'),
        capacityProvider('module.region["us"].module.fleet[0].aws_ecs_capacity_provider.this', 'module.region["us"].module.fleet[0]'),
        capacityProvider('module.spot.aws_ecs_capacity_provider.this', 'module.spot'),
      ],
      {
        root_module: configModule([], {
          region: configModule([], { fleet: configModule([configResource('aws_ecs_capacity_provider.this', 'aws_ecs_capacity_provider', 'this', setsProtection)]) }),
          spot: configModule([configResource('aws_ecs_capacity_provider.this', 'aws_ecs_capacity_provider', 'this', leavesProtectionOut)]),
        }),
      },
    );
    for (const region of ['eu', 'us']) {
      expect(verdict(plan, `module.region["${region}"].module.fleet[0].aws_ecs_capacity_provider.this`, 'ECS.19')).toEqual({
        compliance: 'NOT_EVALUATED',
        annotation: `ECS.19 could not evaluate module.region["${region}"].module.fleet[0].aws_ecs_capacity_provider.this.AutoScalingGroupProvider.ManagedTerminationProtection: a value Terraform knows only after apply (auto_scaling_group_provider[0].managed_termination_protection)`,
      });
    }
    expect(verdict(plan, 'module.spot.aws_ecs_capacity_provider.this', 'ECS.19').compliance).toBe('NON_COMPLIANT');
  });

  it('does not mistake a nested module for a module whose name joins both names', () => {
    const plan = planOf(
      [capacityProvider('module.app.module.v2.aws_ecs_capacity_provider.this', 'module.app.module.v2'), capacityProvider('module.appv2.aws_ecs_capacity_provider.this', 'module.appv2')],
      {
        root_module: configModule([], {
          app: configModule([], { v2: configModule([configResource('aws_ecs_capacity_provider.this', 'aws_ecs_capacity_provider', 'this', setsProtection)]) }),
          appv2: configModule([configResource('aws_ecs_capacity_provider.this', 'aws_ecs_capacity_provider', 'this', leavesProtectionOut)]),
        }),
      },
    );
    expect(verdict(plan, 'module.app.module.v2.aws_ecs_capacity_provider.this', 'ECS.19').compliance).toBe('NOT_EVALUATED');
    expect(verdict(plan, 'module.appv2.aws_ecs_capacity_provider.this', 'ECS.19')).toEqual({
      compliance: 'NON_COMPLIANT',
      annotation: expect.stringMatching(/^Capacity provider module\.appv2\.aws_ecs_capacity_provider\.this has managed termination protection unset \(DISABLED\)\./),
    });
  });

  it('reads a for_each key as a key, whatever characters it holds', () => {
    // The key `a].module.b` looks like an address once out of its quotes.
    const address = 'module.tenant["a].module.b"].aws_ecs_capacity_provider.this';
    const plan = planOf([capacityProvider(address, 'module.tenant["a].module.b"]')], {
      root_module: configModule([], {
        tenant: configModule([configResource('aws_ecs_capacity_provider.this', 'aws_ecs_capacity_provider', 'this', leavesProtectionOut)]),
      }),
    });
    expect(verdict(plan, address, 'ECS.19')).toEqual({
      compliance: 'NON_COMPLIANT',
      annotation: expect.stringContaining('has managed termination protection unset (DISABLED).'),
    });
  });

  it('does not take a data source’s code for the managed resource of the same name', () => {
    // The AWS provider's documented pattern: `data "aws_ecs_task_definition" "mongo"` reads the latest revision of `resource "aws_ecs_task_definition" "mongo"`.
    const plan = planOf([taskDefinition('aws_ecs_task_definition.mongo', 'mongo', { after: { container_definitions: null }, afterUnknown: { container_definitions: true } })], {
      root_module: configModule([
        configResource('aws_ecs_task_definition.mongo', 'aws_ecs_task_definition', 'mongo', {
          family: { constant_value: 'mongo' },
          container_definitions: { references: ['aws_ecr_repository.mongo.repository_url', 'aws_ecr_repository.mongo'] },
        }),
        configResource('data.aws_ecs_task_definition.mongo', 'aws_ecs_task_definition', 'mongo', { task_definition: { references: ['aws_ecs_task_definition.mongo.family', 'aws_ecs_task_definition.mongo'] } }, 'data'),
      ]),
    });
    expect(verdict(plan, 'aws_ecs_task_definition.mongo', 'ECS.4')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.4 could not evaluate aws_ecs_task_definition.mongo.ContainerDefinitions: a value Terraform knows only after apply (container_definitions)',
    });
  });

  it('skips configuration entries that are not resources, and module calls without a module', () => {
    const malformed = [
      null,
      'aws_ecs_capacity_provider.this',
      { mode: 'managed', type: ['aws_ecs_capacity_provider'], name: 'this', expressions: leavesProtectionOut },
      { mode: 'managed', type: 'aws_ecs_capacity_provider', name: ['this'], expressions: leavesProtectionOut },
    ];
    const plan = planOf([capacityProvider('aws_ecs_capacity_provider.this')], {
      root_module: {
        resources: [configResource('aws_ecs_capacity_provider.this', 'aws_ecs_capacity_provider', 'this', setsProtection), ...malformed],
        module_calls: { legacy: null, vendored: { source: './vendored' } },
      },
    });
    expect(verdict(plan, 'aws_ecs_capacity_provider.this', 'ECS.19').compliance).toBe('NOT_EVALUATED');
  });

  it('takes every unknown value as set in the code when the configuration has no root module', () => {
    const plan = planOf([capacityProvider('aws_ecs_capacity_provider.this')], { provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } } });
    expect(verdict(plan, 'aws_ecs_capacity_provider.this', 'ECS.19').compliance).toBe('NOT_EVALUATED');
  });
});

describe('a state’s values', () => {
  it('lists nothing for a state without values', () => {
    expect(resourcesFromTerraform({ format_version: '1.0', terraform_version: '1.9.8' })).toEqual([]);
    expect(resourcesFromTerraform({ format_version: '1.0', terraform_version: '1.9.8', values: null })).toEqual([]);
  });

  it('rejects values that are not an object', () => {
    expect(rejection({ format_version: '1.0', terraform_version: '1.9.8', values: [] })).toEqual(new MalformedTerraformError('values must be an object'));
    expect(rejection({ format_version: '1.0', values: 'root_module' })).toEqual(new MalformedTerraformError('values must be an object'));
  });

  it('rejects a resource without an address or a name, naming where it is', () => {
    const cluster = { address: 'aws_ecs_cluster.main', mode: 'managed', type: 'aws_ecs_cluster', name: 'main', provider_name: 'registry.terraform.io/hashicorp/aws', values: { name: 'main' } };
    const stateOf = (resource: Json) => ({ format_version: '1.0', terraform_version: '1.9.8', values: { root_module: { resources: [resource] } } });
    expect(rejection(stateOf({ ...cluster, address: '' }))).toEqual(new MalformedTerraformError('values.root_module.resources[0] has no address'));
    expect(rejection(stateOf({ ...cluster, name: null }))).toEqual(new MalformedTerraformError('values.root_module.resources[0] has no name'));
  });
});
