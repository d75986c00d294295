/**
 * The Terraform adapter over plans and states written to Terraform's documented JSON output format
 * (test/fixtures/terraform: no Terraform binary is available here to generate them).
 */
import {
  detectTerraformDocument,
  isContainerDefinitionsList,
  MalformedTerraformError,
  resourcesFromTerraform,
  taskDefinitionFromContainerDefinitions,
} from '../../lambdas/adapters/terraform';
import { CONTROLS } from '../../lambdas/controls';
import { Outcome } from '../../lambdas/core/control';
import { Resource } from '../../lambdas/core/model';
import { loadFixture } from '../fixtures/load';
import { found, modelOf } from './terraform-lookup';

const plan = loadFixture('terraform', 'plan') as Record<string, unknown>;
const state = loadFixture('terraform', 'state');


/** Every control's outcome for a resource, by control id (controls of other types left out). */
function outcomes(resource: Resource): Record<string, Outcome> {
  return Object.fromEntries(CONTROLS.filter((control) => control.resourceType === resource.kind).map((control) => [control.id, control.evaluate(resource).compliance]));
}

function annotation(resource: Resource, controlId: string): string {
  const control = CONTROLS.find((candidate) => candidate.id === controlId);
  if (!control) throw new Error(`no ${controlId}`);
  return control.evaluate(resource).annotation;
}

/** A copy of the plan with one resource change edited. */
function withChange(address: string, edit: (change: { change: Record<string, unknown> } & Record<string, unknown>) => void): unknown {
  const copy = structuredClone(plan) as { resource_changes: ({ address: string; change: Record<string, unknown> } & Record<string, unknown>)[] };
  const change = copy.resource_changes.find((candidate) => candidate.address === address);
  if (!change) throw new Error(`no ${address}`);
  edit(change);
  return copy;
}

const PASS = 'COMPLIANT';
const FAIL = 'NON_COMPLIANT';
const NA = 'NOT_APPLICABLE';
const UNKNOWN = 'NOT_EVALUATED';

describe('detectTerraformDocument', () => {
  it('tells a plan from a state, and neither from other JSON', () => {
    expect(detectTerraformDocument(plan)).toBe('plan');
    expect(detectTerraformDocument(state)).toBe('state');
    expect(detectTerraformDocument({ format_version: '1.0', terraform_version: '1.9.8' })).toBe('state');
    // An empty state holds nothing but its format version; with anything else beside it, it must say which document it is.
    expect(detectTerraformDocument({ format_version: '1.0' })).toBe('state');
    expect(resourcesFromTerraform({ format_version: '1.0' })).toEqual([]);
    expect(detectTerraformDocument({ format_version: '1.0', name: 'app' })).toBeUndefined();
    expect(detectTerraformDocument({ Resources: {} })).toBeUndefined();
    expect(detectTerraformDocument([])).toBeUndefined();
  });
});

describe('a plan', () => {
  it('lists every ECS resource instance in document order, skipping data sources and other types', () => {
    expect(resourcesFromTerraform(plan).map(({ address, resourceType }) => `${resourceType} ${address}`)).toEqual([
      'AWS::ECS::Cluster aws_ecs_cluster.main',
      'AWS::ECS::Cluster aws_ecs_cluster.legacy',
      'AWS::ECS::CapacityProvider aws_ecs_capacity_provider.ec2',
      'AWS::ECS::CapacityProvider aws_ecs_capacity_provider.spot',
      'AWS::ECS::TaskDefinition aws_ecs_task_definition.worker',
      'AWS::ECS::Service aws_ecs_service.worker',
      'AWS::ECS::Service aws_ecs_service.legacy',
      'AWS::ECS::TaskDefinition module.api.aws_ecs_task_definition.app',
      'AWS::ECS::Service module.api.aws_ecs_service.web',
      'AWS::ECS::TaskSet module.api.aws_ecs_task_set.canary',
      'AWS::ECS::TaskDefinition module.windows["eu"].aws_ecs_task_definition.iis',
      'AWS::ECS::Service module.windows["eu"].aws_ecs_service.iis',
    ]);
  });

  it('records where each resource change sits, and names the resource by its address', () => {
    const web = found(plan, 'module.api.aws_ecs_service.web');
    expect(web.documentPath).toEqual(['resource_changes', 10]);
    expect(web.resource?.displayName).toBe('module.api.aws_ecs_service.web');
  });

  it('does not evaluate a resource the plan deletes', () => {
    const legacy = found(plan, 'aws_ecs_service.legacy');
    expect(legacy.resource).toBeUndefined();
    expect(legacy.notApplicable).toBe('The plan deletes aws_ecs_service.legacy: it is not evaluated.');
  });

  it('does not evaluate a deposed object or a forgotten resource', () => {
    const deposed = withChange('aws_ecs_service.worker', (change) => {
      change.deposed = '00000001';
      change.change.actions = ['delete'];
    });
    expect(found(deposed, 'aws_ecs_service.worker').notApplicable).toBe('The plan deletes deposed object 00000001 of aws_ecs_service.worker: it is not evaluated.');
    const forgotten = withChange('aws_ecs_service.worker', (change) => {
      change.change.actions = ['forget'];
    });
    expect(found(forgotten, 'aws_ecs_service.worker').notApplicable).toMatch(/^The plan forgets/);
  });

  // Every control that applies to these resource types, on created, updated, replaced and unchanged resources.
  const EXPECTED: Record<string, Record<string, Outcome>> = {
    // create; containerInsights "enhanced"; tags_all carries the provider's default_tags
    'aws_ecs_cluster.main': { 'ECS.12': PASS, 'ECS.14': PASS },
    // no-op; containerInsights "disabled"; no tags
    'aws_ecs_cluster.legacy': { 'ECS.12': FAIL, 'ECS.14': FAIL },
    // update to managed_termination_protection DISABLED
    'aws_ecs_capacity_provider.ec2': { 'ECS.19': FAIL },
    // create; managed_termination_protection left out of the code: unknown in the plan, AWS's default (DISABLED) applies
    'aws_ecs_capacity_provider.spot': { 'ECS.19': FAIL },
    // replace; container_definitions known only after apply (built from an ECR repository's URL); host modes; EFS without transit encryption
    'aws_ecs_task_definition.worker': {
      'ECS.3': FAIL,
      'ECS.4': UNKNOWN,
      'ECS.5': UNKNOWN,
      'ECS.8': UNKNOWN,
      'ECS.9': UNKNOWN,
      'ECS.15': FAIL,
      'ECS.17': FAIL,
      'ECS.18': FAIL,
      'ECS.20': UNKNOWN,
      'ECS.21': UNKNOWN,
    },
    // update; EC2 launch type; platform_version left to the provider; no network_configuration
    'aws_ecs_service.worker': { 'ECS.2': NA, 'ECS.10': NA, 'ECS.13': PASS },
    // create in a module; Linux; privileged root container with a secret in its environment, one without logging
    'module.api.aws_ecs_task_definition.app': {
      'ECS.3': PASS,
      'ECS.4': FAIL,
      'ECS.5': FAIL,
      'ECS.8': FAIL,
      'ECS.9': FAIL,
      'ECS.15': PASS,
      'ECS.17': PASS,
      'ECS.18': NA,
      'ECS.20': FAIL,
      'ECS.21': NA,
    },
    // create; public IP; Fargate 1.3.0 with the module's Linux task definition, known only after apply but referenced in the code
    'module.api.aws_ecs_service.web': { 'ECS.2': FAIL, 'ECS.10': FAIL, 'ECS.13': PASS },
    'module.api.aws_ecs_task_set.canary': { 'ECS.16': PASS },
    // no-op in a for_each module instance; Windows, ContainerAdministrator
    'module.windows["eu"].aws_ecs_task_definition.iis': {
      'ECS.3': PASS,
      'ECS.4': PASS,
      'ECS.5': NA,
      'ECS.8': PASS,
      'ECS.9': PASS,
      'ECS.15': PASS,
      'ECS.17': PASS,
      'ECS.18': NA,
      'ECS.20': NA,
      'ECS.21': FAIL,
    },
    // create; FARGATE capacity provider; 1.0.0 is the latest for the Windows task definition named by family; a tag whose value is unknown
    'module.windows["eu"].aws_ecs_service.iis': { 'ECS.2': PASS, 'ECS.10': PASS, 'ECS.13': PASS },
  };

  it.each(Object.entries(EXPECTED))('%s gets the verdicts the Config rules will give once applied', (address, expected) => {
    expect(outcomes(modelOf(plan, address))).toEqual(expected);
  });

  it('covers every control of the five resource types', () => {
    const covered = new Set(Object.values(EXPECTED).flatMap((verdicts) => Object.keys(verdicts)));
    expect([...covered].sort()).toEqual(CONTROLS.map((control) => control.id).sort());
  });

  it('names the attribute a value known only after apply comes from', () => {
    expect(annotation(modelOf(plan, 'aws_ecs_task_definition.worker'), 'ECS.4')).toBe(
      'ECS.4 could not evaluate aws_ecs_task_definition.worker.ContainerDefinitions: a value Terraform knows only after apply (container_definitions)',
    );
  });

  it('reads an unknown attribute the code leaves out as AWS will default it', () => {
    expect(annotation(modelOf(plan, 'aws_ecs_capacity_provider.spot'), 'ECS.19')).toMatch(/managed termination protection unset \(DISABLED\)/);
  });

  it('cannot decide an unknown attribute the code sets, unless the verdict does not depend on it', () => {
    const unknownPlatform = (launchType: string) =>
      withChange('module.api.aws_ecs_service.web', (change) => {
        (change.change.after as Record<string, unknown>).launch_type = launchType;
        delete (change.change.after as Record<string, unknown>).platform_version;
        (change.change.after_unknown as Record<string, unknown>).platform_version = true;
      });
    expect(annotation(modelOf(unknownPlatform('FARGATE'), 'module.api.aws_ecs_service.web'), 'ECS.10')).toMatch(/could not evaluate .*PlatformVersion: a value Terraform knows only after apply \(platform_version\)/);
    // Not on Fargate: the platform version does not matter.
    expect(outcomes(modelOf(unknownPlatform('EC2'), 'module.api.aws_ecs_service.web'))['ECS.10']).toBe(NA);
  });

  it('cannot decide tag controls while tags_all is known only after apply (default_tags built from another resource)', () => {
    const unknownTags = withChange('module.api.aws_ecs_service.web', (change) => {
      (change.change.after as Record<string, unknown>).tags_all = null;
      (change.change.after_unknown as Record<string, unknown>).tags_all = true;
    }) as { configuration: { provider_config: { aws: { expressions: Record<string, unknown> } } } };
    // The fixture's default_tags are a constant, which decides (see terraform-documents.test.ts); here they come from a data source.
    unknownTags.configuration.provider_config.aws.expressions.default_tags = [{ tags: { references: ['data.aws_default_tags.org.tags', 'data.aws_default_tags.org'] } }];
    expect(annotation(modelOf(unknownTags, 'module.api.aws_ecs_service.web'), 'ECS.13')).toBe(
      "ECS.13 could not evaluate module.api.aws_ecs_service.web.tags_all: a value Terraform knows only after apply (tags_all), and provider configuration aws's default_tags are not a constant",
    );
  });

  it('takes nothing as left out of the code when the code builds the blocks dynamically', () => {
    const dynamic = withChange('aws_ecs_capacity_provider.ec2', (change) => {
      (change.change.after_unknown as Record<string, unknown>).auto_scaling_group_provider = [{ managed_termination_protection: true }];
    });
    // The code's auto_scaling_group_provider is a `dynamic` block: no per-block expressions in the configuration.
    const configuration = (dynamic as { configuration: { root_module: { resources: { address: string; expressions: Record<string, unknown> }[] } } }).configuration;
    const ec2 = configuration.root_module.resources.find((resource) => resource.address === 'aws_ecs_capacity_provider.ec2');
    delete ec2?.expressions.auto_scaling_group_provider;
    expect(outcomes(modelOf(dynamic, 'aws_ecs_capacity_provider.ec2'))['ECS.19']).toBe(UNKNOWN);
  });

  it('names a nested attribute known only after apply', () => {
    const unknownPublicIp = withChange('module.api.aws_ecs_service.web', (change) => {
      (change.change.after_unknown as Record<string, unknown>).network_configuration = [{ assign_public_ip: true }];
    });
    expect(annotation(modelOf(unknownPublicIp, 'module.api.aws_ecs_service.web'), 'ECS.2')).toMatch(/\(network_configuration\[0\]\.assign_public_ip\)/);
  });

  it('finds the task definition a service names by family, or by the resource its code refers to', () => {
    const windows = modelOf(plan, 'module.windows["eu"].aws_ecs_service.iis');
    const linux = modelOf(plan, 'module.api.aws_ecs_service.web');
    expect(windows.kind === 'AWS::ECS::Service' && windows.taskDefinitionOperatingSystemFamily).toBe('WINDOWS_SERVER_2019_CORE');
    expect(linux.kind === 'AWS::ECS::Service' && linux.taskDefinitionOperatingSystemFamily).toBe('LINUX');
  });

  it('cannot follow a task definition that is not in the plan', () => {
    const elsewhere = withChange('module.api.aws_ecs_service.web', (change) => {
      (change.change.after as Record<string, unknown>).task_definition = 'arn:aws:ecs:us-east-1:123456789012:task-definition/billing:12';
      (change.change.after_unknown as Record<string, unknown>).task_definition = false;
    });
    expect(annotation(modelOf(elsewhere, 'module.api.aws_ecs_service.web'), 'ECS.10')).toBe(
      'ECS.10 could not evaluate module.api.aws_ecs_service.web.task_definition: task definition arn:aws:ecs:us-east-1:123456789012:task-definition/billing:12 is not in this document, so its OS family is unknown',
    );
  });

  it('follows a reference to a task definition replaced by the plan in the root module', () => {
    const onFargate = withChange('aws_ecs_service.worker', (change) => {
      (change.change.after as Record<string, unknown>).launch_type = 'FARGATE';
      (change.change.after as Record<string, unknown>).platform_version = '1.3.0';
      (change.change.after_unknown as Record<string, unknown>).platform_version = false;
    });
    const worker = modelOf(onFargate, 'aws_ecs_service.worker');
    // aws_ecs_task_definition.worker has no runtime_platform: Linux, whose latest is 1.4.0.
    expect(worker.kind === 'AWS::ECS::Service' && worker.taskDefinitionOperatingSystemFamily).toBeUndefined();
    expect(outcomes(worker)['ECS.10']).toBe(FAIL);
  });

  it('reads a task definition the plan deletes as absent, not as the service’s', () => {
    const deleted = withChange('aws_ecs_task_definition.worker', (change) => {
      change.change.actions = ['delete'];
      change.change.after = null;
    });
    const worker = modelOf(deleted, 'aws_ecs_service.worker');
    expect(() => worker.kind === 'AWS::ECS::Service' && worker.taskDefinitionOperatingSystemFamily).toThrow(/refers to no aws_ecs_task_definition of this plan/);
  });

  it('marks container_definitions that are not a JSON list as unreadable', () => {
    const broken = withChange('module.api.aws_ecs_task_definition.app', (change) => {
      (change.change.after as Record<string, unknown>).container_definitions = '{"name": "web"';
    });
    expect(annotation(modelOf(broken, 'module.api.aws_ecs_task_definition.app'), 'ECS.4')).toMatch(/container_definitions is not valid JSON/);
  });

  it('rejects what is not a plan it can read, naming what is wrong', () => {
    expect(() => resourcesFromTerraform({ ...plan, format_version: '2.0' })).toThrow(new MalformedTerraformError('format_version "2.0" is not supported: this scanner reads the 0.x and 1.x JSON output formats of Terraform 0.12+ and OpenTofu'));
    expect(() => resourcesFromTerraform({ ...plan, errored: true })).toThrow(/marked errored/);
    expect(() => resourcesFromTerraform({ ...plan, resource_changes: {} })).toThrow('resource_changes must be a list');
    expect(() => resourcesFromTerraform(withChange('aws_ecs_cluster.main', (change) => delete change.change.actions))).toThrow('resource_changes[0] (aws_ecs_cluster.main) has no change.actions');
    expect(() => resourcesFromTerraform({ Resources: {} })).toThrow(MalformedTerraformError);
  });
});

describe('a state', () => {
  it('reads the root module and its child modules', () => {
    expect(resourcesFromTerraform(state).map(({ address, documentPath }) => [address, documentPath.join('.')])).toEqual([
      ['aws_ecs_cluster.main', 'values.root_module.resources.0'],
      ['aws_ecs_task_definition.app', 'values.root_module.resources.1'],
      ['aws_ecs_service.app', 'values.root_module.resources.2'],
      ['module.capacity.aws_ecs_capacity_provider.this[0]', 'values.root_module.child_modules.0.resources.0'],
    ]);
  });

  it('gives every control its verdict', () => {
    expect(outcomes(modelOf(state, 'aws_ecs_cluster.main'))).toEqual({ 'ECS.12': PASS, 'ECS.14': PASS });
    expect(outcomes(modelOf(state, 'aws_ecs_task_definition.app'))).toEqual({
      'ECS.3': PASS,
      'ECS.4': PASS,
      'ECS.5': PASS,
      'ECS.8': PASS,
      'ECS.9': PASS,
      'ECS.15': PASS,
      'ECS.17': PASS,
      'ECS.18': PASS,
      'ECS.20': PASS,
      'ECS.21': PASS,
    });
    // The service names its task definition by ARN: found by family, Linux (no runtime_platform).
    expect(outcomes(modelOf(state, 'aws_ecs_service.app'))).toEqual({ 'ECS.2': PASS, 'ECS.10': PASS, 'ECS.13': PASS });
    expect(outcomes(modelOf(state, 'module.capacity.aws_ecs_capacity_provider.this[0]'))).toEqual({ 'ECS.19': PASS });
  });

  it('reads an empty string, the provider’s unset value, as unset', () => {
    const copy = structuredClone(state) as { values: { root_module: { resources: { address: string; values: Record<string, unknown> }[] } } };
    const service = copy.values.root_module.resources.find((resource) => resource.address === 'aws_ecs_service.app');
    if (!service) throw new Error('no service');
    service.values.platform_version = '';
    expect(annotation(modelOf(copy, 'aws_ecs_service.app'), 'ECS.10')).toBe('Fargate service aws_ecs_service.app sets no platform version, so it runs the latest (LATEST).');
  });

  it('keeps the revision a state records', () => {
    expect(modelOf(state, 'aws_ecs_task_definition.app')).toMatchObject({ family: 'app', revision: 3, displayName: 'aws_ecs_task_definition.app' });
  });
});

describe('a container definitions file', () => {
  const containers = loadFixture('terraform', 'containers');

  it('is recognized by its containers’ names and images', () => {
    expect(isContainerDefinitionsList(containers)).toBe(true);
    expect(isContainerDefinitionsList([])).toBe(false);
    expect(isContainerDefinitionsList([{ name: 'web' }])).toBe(false);
    expect(isContainerDefinitionsList({ containerDefinitions: containers })).toBe(false);
  });

  it('gets the container controls’ verdicts; the controls on what only the resource sets apply to the plan, not the file', () => {
    const resource = taskDefinitionFromContainerDefinitions(containers as unknown[], 'containers');
    expect(outcomes(resource)).toEqual({
      'ECS.3': NA,
      'ECS.4': FAIL,
      'ECS.5': FAIL,
      'ECS.8': FAIL,
      'ECS.9': FAIL,
      'ECS.15': NA,
      'ECS.17': NA,
      'ECS.18': NA,
      'ECS.20': FAIL,
      // No OS family in the file: "not configured", which Security Hub evaluates under both ECS.20 and ECS.21.
      'ECS.21': FAIL,
    });
    expect(annotation(resource, 'ECS.3')).toBe(
      'ECS.3 checks PidMode, which this document does not hold: pid_mode is an argument of the aws_ecs_task_definition resource, not of its container definitions file: scan the plan (terraform show -json) to check it',
    );
    expect(annotation(resource, 'ECS.15')).toMatch(/^ECS\.15 checks tags, which this document does not hold: tags is an argument/);
  });

  it('gives the same container verdicts as the plan’s task definition built from the same list', () => {
    const fromFile = outcomes(taskDefinitionFromContainerDefinitions(containers as unknown[], 'containers'));
    const fromPlan = outcomes(modelOf(plan, 'module.api.aws_ecs_task_definition.app'));
    for (const id of ['ECS.4', 'ECS.5', 'ECS.8', 'ECS.9', 'ECS.20']) expect([id, fromFile[id]]).toEqual([id, fromPlan[id]]);
  });
});
