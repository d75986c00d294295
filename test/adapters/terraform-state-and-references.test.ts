/**
 * The Terraform adapter on the parts of a document the main fixtures leave alone: a state's module
 * tree (where each resource sits, and what is wrong with one that cannot be read), how a service's
 * task definition (and so its OS family, which ECS.10 needs) is found, and a bare container
 * definitions file. Documents are small, inline, and written to Terraform's JSON output format
 * (https://developer.hashicorp.com/terraform/internals/json-format).
 */
import { isContainerDefinitionsList, MalformedTerraformError, resourcesFromTerraform, taskDefinitionFromContainerDefinitions } from '../../lambdas/adapters/terraform';
import { controlById } from '../../lambdas/controls';
import { Verdict } from '../../lambdas/core/control';
import { Resource } from '../../lambdas/core/model';

type Values = Record<string, unknown>;

// ---- Building documents ---------------------------------------------------------------------------

/** A state resource as `values.root_module.resources[]` (or a child module's) holds it. */
function stateResource(type: string, name: string, values: Values | undefined, address = `${type}.${name}`): Values {
  return { address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 1, values, sensitive_values: {} };
}

function stateOf(rootModule: unknown): unknown {
  return { format_version: '1.0', terraform_version: '1.9.8', values: { root_module: rootModule } };
}

const CONTAINERS = JSON.stringify([{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1.27', essential: true }]);

function taskDefinitionValues(family: string, operatingSystemFamily?: string): Values {
  return {
    family,
    network_mode: 'awsvpc',
    pid_mode: '',
    container_definitions: CONTAINERS,
    runtime_platform: operatingSystemFamily ? [{ operating_system_family: operatingSystemFamily, cpu_architecture: 'X86_64' }] : [],
    volume: [],
    tags_all: {},
  };
}

/** A Fargate service on platform 1.3.0: below Linux's latest (1.4.0), at or above Windows's (1.0.0). */
function fargateServiceValues(taskDefinition: unknown): Values {
  return { launch_type: 'FARGATE', platform_version: '1.3.0', task_definition: taskDefinition, capacity_provider_strategy: [], network_configuration: [], tags_all: {} };
}

interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly mode?: string;
  readonly actions?: string[];
  readonly after: Values;
  readonly afterUnknown?: Values;
}

/** A plan of these changes (created unless they say otherwise), with the code's resources (`configuration.root_module.resources`). */
function planOf(changes: readonly PlannedChange[], configuration: readonly Values[]): unknown {
  return {
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: {} },
    resource_changes: changes.map(({ address, type, name, mode, actions, after, afterUnknown }) => ({
      address,
      mode: mode ?? 'managed',
      type,
      name,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: { actions: actions ?? ['create'], before: null, after, after_unknown: afterUnknown ?? {}, before_sensitive: false, after_sensitive: {} },
    })),
    configuration: { root_module: { resources: configuration } },
  };
}

function configured(type: string, name: string, expressions: Values, mode = 'managed'): Values {
  return { address: mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`, mode, type, name, provider_config_key: 'aws', expressions, schema_version: 1 };
}

/** A Fargate service on 1.3.0 whose task_definition is known only after apply, set by an expression with these references. */
function plannedService(references: string[]): { change: PlannedChange; configuration: Values } {
  return {
    change: {
      address: 'aws_ecs_service.web',
      type: 'aws_ecs_service',
      name: 'web',
      after: { launch_type: 'FARGATE', platform_version: '1.3.0', capacity_provider_strategy: [], network_configuration: [], tags: null, tags_all: {} },
      afterUnknown: { task_definition: true, id: true },
    },
    configuration: configured('aws_ecs_service', 'web', {
      launch_type: { constant_value: 'FARGATE' },
      platform_version: { constant_value: '1.3.0' },
      task_definition: { references },
    }),
  };
}

/** A task definition created by the plan (its ARN known only after apply). */
function plannedTaskDefinition(address: string, name: string, values: Values, afterUnknown: Values = {}): PlannedChange {
  return { address, type: 'aws_ecs_task_definition', name, after: values, afterUnknown: { arn: true, id: true, revision: true, ...afterUnknown } };
}

// ---- Reading results ------------------------------------------------------------------------------

function resourceAt(document: unknown, address: string): Resource {
  const found = resourcesFromTerraform(document).find((candidate) => candidate.address === address);
  if (!found?.resource) throw new Error(`no evaluated ${address}`);
  return found.resource;
}

function verdict(controlId: string, resource: Resource): Verdict {
  return controlById(controlId).evaluate(resource);
}

function malformation(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedTerraformError);
    return (error as Error).message;
  }
  throw new Error('nothing was thrown');
}

// ---- A state's modules ----------------------------------------------------------------------------

describe('a state’s module tree', () => {
  const cluster = stateResource('aws_ecs_cluster', 'main', { name: 'main', setting: [{ name: 'containerInsights', value: 'enabled' }], tags_all: { team: 'a' } });

  it('holds no resources when the state has no root module, or a null one', () => {
    expect(resourcesFromTerraform({ format_version: '1.0', terraform_version: '1.9.8', values: {} })).toEqual([]);
    expect(resourcesFromTerraform(stateOf(null))).toEqual([]);
  });

  it('reads the resources of modules nested in a module that holds only child modules', () => {
    const document = stateOf({
      child_modules: [{ address: 'module.ops', child_modules: [{ address: 'module.ops.module.ecs', resources: [{ ...cluster, address: 'module.ops.module.ecs.aws_ecs_cluster.main' }] }] }],
    });
    expect(resourcesFromTerraform(document).map(({ address, documentPath }) => [address, documentPath])).toEqual([
      ['module.ops.module.ecs.aws_ecs_cluster.main', ['values', 'root_module', 'child_modules', 0, 'child_modules', 0, 'resources', 0]],
    ]);
  });

  it('rejects a module that is not an object, naming where it sits', () => {
    expect(malformation(() => resourcesFromTerraform(stateOf('aws_ecs_cluster.main')))).toBe('values.root_module must be an object');
    expect(malformation(() => resourcesFromTerraform(stateOf({ child_modules: [{ address: 'module.ops', child_modules: [7] }] })))).toBe(
      'values.root_module.child_modules[0].child_modules[0] must be an object',
    );
  });

  it('rejects a resource without an address, a name or values, naming the resource by its place in the document', () => {
    const inChild = (resource: Values) => stateOf({ resources: [cluster], child_modules: [{ address: 'module.ops', resources: [cluster, resource] }] });
    const { address, ...withoutAddress } = cluster;
    expect(address).toBe('aws_ecs_cluster.main');
    expect(malformation(() => resourcesFromTerraform(inChild(withoutAddress)))).toBe('values.root_module.child_modules[0].resources[1] has no address');
    expect(malformation(() => resourcesFromTerraform(inChild({ ...cluster, name: '' })))).toBe('values.root_module.child_modules[0].resources[1] has no name');
    expect(malformation(() => resourcesFromTerraform(stateOf({ resources: [stateResource('aws_ecs_cluster', 'main', undefined)] })))).toBe(
      'values.root_module.resources[0] (aws_ecs_cluster.main) has no values object',
    );
  });

  it('names a resource’s malformed nested block by its attribute name alone', () => {
    const document = stateOf({ resources: [stateResource('aws_ecs_task_definition', 'app', { ...taskDefinitionValues('app'), volume: { name: 'shared' } })] });
    const result = verdict('ECS.18', resourceAt(document, 'aws_ecs_task_definition.app'));
    expect(result).toEqual({ compliance: 'NOT_EVALUATED', annotation: 'ECS.18 could not evaluate aws_ecs_task_definition.app.Volumes: volume is not a list of blocks' });
  });
});

// ---- A service's task definition and ECS.10 -------------------------------------------------------

describe('the OS family of a service’s task definition (ECS.10)', () => {
  const windows = stateResource('aws_ecs_task_definition', 'iis', taskDefinitionValues('iis', 'WINDOWS_SERVER_2019_CORE'));

  function serviceInState(taskDefinition: unknown, taskDefinitions: Values[] = [windows]): Resource {
    return resourceAt(stateOf({ resources: [...taskDefinitions, stateResource('aws_ecs_service', 'web', fargateServiceValues(taskDefinition))] }), 'aws_ecs_service.web');
  }

  it('finds the task definition a state’s service names by family, family:revision or ARN, whatever the revision’s digits', () => {
    for (const reference of ['iis', 'iis:7', 'iis:12', 'arn:aws:ecs:us-east-1:123456789012:task-definition/iis:12']) {
      const service = serviceInState(reference);
      expect([reference, service.kind === 'AWS::ECS::Service' && service.taskDefinitionOperatingSystemFamily]).toEqual([reference, 'WINDOWS_SERVER_2019_CORE']);
      // 1.3.0 is past Windows's latest (1.0.0), though not Linux's (1.4.0).
      expect([reference, verdict('ECS.10', service).compliance]).toEqual([reference, 'COMPLIANT']);
    }
  });

  it('cannot tell the OS family of a Fargate service that names no task definition', () => {
    // The AWS provider records an unset string as "".
    for (const taskDefinition of ['', undefined]) {
      expect(verdict('ECS.10', serviceInState(taskDefinition))).toEqual({
        compliance: 'NOT_EVALUATED',
        annotation: 'ECS.10 could not evaluate aws_ecs_service.web.task_definition: the service names no task definition, so its OS family is unknown',
      });
    }
  });

  it('cannot tell the OS family when task_definition is not a string', () => {
    expect(verdict('ECS.10', serviceInState(42))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.10 could not evaluate aws_ecs_service.web.task_definition: expected a string',
    });
  });

  it('does not guess between instances of the referenced task definition whose OS families differ', () => {
    const service = plannedService(['aws_ecs_task_definition.app', 'var.variant']);
    const document = (secondFamily: string | undefined) =>
      planOf(
        [
          plannedTaskDefinition('aws_ecs_task_definition.app[0]', 'app', taskDefinitionValues('app-a', 'LINUX')),
          plannedTaskDefinition('aws_ecs_task_definition.app[1]', 'app', taskDefinitionValues('app-b', secondFamily)),
          service.change,
        ],
        [configured('aws_ecs_task_definition', 'app', { family: { references: ['var.variant'] } }), service.configuration],
      );
    expect(verdict('ECS.10', resourceAt(document('WINDOWS_SERVER_2022_CORE'), 'aws_ecs_service.web'))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation:
        'ECS.10 could not evaluate aws_ecs_service.web.task_definition: it may be any of aws_ecs_task_definition.app[0], aws_ecs_task_definition.app[1], whose OS families differ',
    });
    // Instances that agree: Linux, where 1.3.0 is not the latest; no runtime platform is Linux too.
    expect(verdict('ECS.10', resourceAt(document('LINUX'), 'aws_ecs_service.web')).compliance).toBe('NON_COMPLIANT');
    expect(verdict('ECS.10', resourceAt(document(undefined), 'aws_ecs_service.web')).compliance).toBe('NON_COMPLIANT');
  });

  it('names the instance whose OS family is known only after apply', () => {
    const service = plannedService(['aws_ecs_task_definition.app', 'var.variant']);
    const document = planOf(
      [
        plannedTaskDefinition('aws_ecs_task_definition.app[0]', 'app', taskDefinitionValues('app-a', 'LINUX')),
        plannedTaskDefinition('aws_ecs_task_definition.app[1]', 'app', { ...taskDefinitionValues('app-b'), runtime_platform: [{ operating_system_family: null, cpu_architecture: 'X86_64' }] }, {
          runtime_platform: [{ operating_system_family: true }],
        }),
        service.change,
      ],
      [
        configured('aws_ecs_task_definition', 'app', {
          family: { references: ['var.variant'] },
          runtime_platform: [{ operating_system_family: { references: ['terraform_data.os.output', 'terraform_data.os'] }, cpu_architecture: { constant_value: 'X86_64' } }],
        }),
        service.configuration,
      ],
    );
    expect(verdict('ECS.10', resourceAt(document, 'aws_ecs_service.web'))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation:
        'ECS.10 could not evaluate aws_ecs_task_definition.app[1].RuntimePlatform.OperatingSystemFamily: a value Terraform knows only after apply (runtime_platform[0].operating_system_family)',
    });
  });

  it('does not take a data source’s reference for the managed task definition of the same name', () => {
    // data "aws_ecs_task_definition" "app" reads the latest revision of another task definition's family:
    // its name says nothing about which one, so the managed aws_ecs_task_definition.app (Windows) is not the service's.
    const service = plannedService(['data.aws_ecs_task_definition.app.arn', 'data.aws_ecs_task_definition.app']);
    const document = planOf(
      [
        plannedTaskDefinition('aws_ecs_task_definition.app', 'app', taskDefinitionValues('app', 'WINDOWS_SERVER_2019_CORE')),
        plannedTaskDefinition('aws_ecs_task_definition.next', 'next', taskDefinitionValues('next', 'LINUX')),
        // Read during apply: it depends on a resource the plan creates.
        { address: 'data.aws_ecs_task_definition.app', mode: 'data', actions: ['read'], type: 'aws_ecs_task_definition', name: 'app', after: { task_definition: 'next' }, afterUnknown: { arn: true } },
        service.change,
      ],
      [
        configured('aws_ecs_task_definition', 'app', { family: { constant_value: 'app' } }),
        configured('aws_ecs_task_definition', 'next', { family: { constant_value: 'next' } }),
        configured('aws_ecs_task_definition', 'app', { task_definition: { references: ['aws_ecs_task_definition.next.family', 'aws_ecs_task_definition.next'] } }, 'data'),
        service.configuration,
      ],
    );
    expect(verdict('ECS.10', resourceAt(document, 'aws_ecs_service.web'))).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation:
        'ECS.10 could not evaluate aws_ecs_service.web.task_definition: a value Terraform knows only after apply (task_definition), and refers to no aws_ecs_task_definition of this plan, so its OS family is unknown',
    });
  });
});

// ---- A bare container definitions file ------------------------------------------------------------

describe('a container definitions file', () => {
  const web = { name: 'web', image: 'public.ecr.aws/nginx/nginx:1.27' };

  it('is a list in which every item is a container with a name and an image', () => {
    expect(isContainerDefinitionsList([web, { name: 'sidecar', image: 'busybox' }])).toBe(true);
    expect(isContainerDefinitionsList([web, { name: 'sidecar' }])).toBe(false);
    expect(isContainerDefinitionsList([{ image: 'busybox' }])).toBe(false);
    expect(isContainerDefinitionsList([{ name: 7, image: 'busybox' }])).toBe(false);
    expect(isContainerDefinitionsList([null])).toBe(false);
    expect(isContainerDefinitionsList([web, null])).toBe(false);
  });

  it('leaves the network mode and volumes to the resource, naming its argument', () => {
    const resource = taskDefinitionFromContainerDefinitions([web], 'containers');
    const holdsNot = (field: string, argument: string) =>
      `checks ${field}, which this document does not hold: ${argument} is an argument of the aws_ecs_task_definition resource, not of its container definitions file: scan the plan (terraform show -json) to check it`;
    expect(verdict('ECS.17', resource)).toEqual({ compliance: 'NOT_APPLICABLE', annotation: `ECS.17 ${holdsNot('NetworkMode', 'network_mode')}` });
    expect(verdict('ECS.18', resource)).toEqual({ compliance: 'NOT_APPLICABLE', annotation: `ECS.18 ${holdsNot('Volumes', 'volume')}` });
  });
});
