/**
 * The Terraform adapter on small `terraform show -json` documents written inline: which JSON is a
 * plan or a state, which format versions it reads, and how the attributes of a plan or state
 * (blocks, values known only after apply, tags) reach the controls' verdicts.
 */
import { detectTerraformDocument, MalformedTerraformError, resourcesFromTerraform, taskDefinitionFromContainerDefinitions } from '../../lambdas/adapters/terraform';
import { controlById } from '../../lambdas/controls';
import { Verdict } from '../../lambdas/core/control';
import { Resource } from '../../lambdas/core/model';

type Json = Record<string, unknown>;

/** One container that passes every container control: the controls under test look elsewhere. */
const CONTAINERS = JSON.stringify([
  { name: 'web', image: 'nginx:1.27', user: '1000', privileged: false, readonlyRootFilesystem: true, logConfiguration: { logDriver: 'awslogs' } },
]);

function plan(changes: Json[], configuration?: Json): Json {
  return { format_version: '1.2', terraform_version: '1.9.8', resource_changes: changes, ...(configuration ? { configuration } : {}) };
}

/** A resource change that creates `type.name` with these `after` values. */
function created(type: string, name: string, after: Json, afterUnknown: Json = {}): Json {
  return { address: `${type}.${name}`, mode: 'managed', type, name, change: { actions: ['create'], before: null, after, after_unknown: afterUnknown } };
}

/** A plan's configuration holding one root-module resource with these expressions. */
function configuration(type: string, name: string, expressions: Json): Json {
  return { root_module: { resources: [{ address: `${type}.${name}`, mode: 'managed', type, name, expressions }] } };
}

function state(resources: Json[]): Json {
  return { format_version: '1.0', terraform_version: '1.9.8', values: { root_module: { resources } } };
}

function stateResource(type: string, name: string, values: Json): Json {
  return { address: `${type}.${name}`, mode: 'managed', type, name, values };
}

/** The only resource of a document. */
function only(document: Json): Resource {
  const resources = resourcesFromTerraform(document);
  expect(resources).toHaveLength(1);
  const [{ resource }] = resources;
  if (!resource) throw new Error('the resource is not evaluated');
  return resource;
}

function verdict(resource: Resource, controlId: string): Verdict {
  return controlById(controlId).evaluate(resource);
}

describe('detectTerraformDocument', () => {
  it('takes a document with planned_values but no resource_changes for a plan', () => {
    expect(detectTerraformDocument({ format_version: '1.2', planned_values: { root_module: {} } })).toBe('plan');
  });

  it('takes a document with values but no terraform_version for a state', () => {
    expect(detectTerraformDocument({ format_version: '1.0', values: { root_module: { resources: [] } } })).toBe('state');
  });

  it('takes nothing without a format_version for Terraform output, whatever else it holds', () => {
    expect(detectTerraformDocument({ values: { root_module: { resources: [] } } })).toBeUndefined();
    expect(detectTerraformDocument({ terraform_version: '1.9.8', resource_changes: [] })).toBeUndefined();
    expect(detectTerraformDocument({ format_version: 1.2, resource_changes: [] })).toBeUndefined();
  });
});

describe('resourcesFromTerraform on what it cannot read', () => {
  it('rejects other JSON with a MalformedTerraformError saying what Terraform output looks like', () => {
    expect(() => resourcesFromTerraform({ values: { root_module: { resources: [] } } })).toThrow(
      expect.objectContaining({
        name: 'MalformedTerraformError',
        message: 'Not `terraform show -json` output: expected an object with format_version and planned_values, resource_changes or values',
      }),
    );
    expect(() => resourcesFromTerraform(null)).toThrow(MalformedTerraformError);
  });

  it('reads every 0.x and 1.x format version, two-digit minor versions included', () => {
    expect(resourcesFromTerraform({ ...state([]), format_version: '1.10' })).toEqual([]);
    expect(resourcesFromTerraform({ ...state([]), format_version: '0.2' })).toEqual([]);
  });

  it('rejects a major version that merely ends in 0 or 1', () => {
    expect(() => resourcesFromTerraform({ ...state([]), format_version: '11.0' })).toThrow('format_version "11.0" is not supported');
    expect(() => resourcesFromTerraform({ ...state([]), format_version: '10.1' })).toThrow('format_version "10.1" is not supported');
  });

  it('ignores a resource whose type is not a string, even a list naming an ECS type', () => {
    const document = state([stateResource('aws_ecs_cluster', 'main', { name: 'main', setting: [], tags_all: { team: 'platform' } })]);
    const resources = (document.values as { root_module: { resources: Json[] } }).root_module.resources;
    resources.push({ ...resources[0], address: 'aws_ecs_cluster.odd', type: ['aws_ecs_cluster'] });
    expect(resourcesFromTerraform(document).map((resource) => resource.address)).toEqual(['aws_ecs_cluster.main']);
  });
});

describe('blocks', () => {
  it('reads a block type absent from an older provider’s state, or null, as no block', () => {
    // runtime_platform and the awsvpc network_configuration as an older AWS provider records them: not at all, or null.
    const taskDefinition = only(state([stateResource('aws_ecs_task_definition', 'app', { family: 'app', network_mode: 'bridge', container_definitions: CONTAINERS })]));
    expect(verdict(taskDefinition, 'ECS.18')).toEqual({ compliance: 'NOT_APPLICABLE', annotation: 'Task definition aws_ecs_task_definition.app has no EFS volumes.' });
    expect(verdict(taskDefinition, 'ECS.21').compliance).toBe('COMPLIANT');
    const service = only(state([stateResource('aws_ecs_service', 'web', { name: 'web', launch_type: 'EC2', network_configuration: null, task_definition: 'app' })]));
    expect(verdict(service, 'ECS.2')).toEqual({ compliance: 'NOT_APPLICABLE', annotation: 'Service aws_ecs_service.web has no awsvpcConfiguration.' });
  });

  it('does not read a block type that is not a list, naming the attribute', () => {
    const taskDefinition = only(
      state([stateResource('aws_ecs_task_definition', 'app', { family: 'app', runtime_platform: { operating_system_family: 'WINDOWS_SERVER_2022_CORE' }, container_definitions: CONTAINERS })]),
    );
    expect(verdict(taskDefinition, 'ECS.21')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.21 could not evaluate aws_ecs_task_definition.app.RuntimePlatform: runtime_platform is not a list of blocks',
    });
  });

  it('does not read a block list item that is not a block, naming it', () => {
    const taskDefinition = only(state([stateResource('aws_ecs_task_definition', 'files', { family: 'files', container_definitions: CONTAINERS, volume: ['fs-12345678'] })]));
    expect(verdict(taskDefinition, 'ECS.18')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.18 could not evaluate aws_ecs_task_definition.files.Volumes: volume[0] is not a block',
    });
  });

  it('names a volume by its name', () => {
    const taskDefinition = only(
      state([
        stateResource('aws_ecs_task_definition', 'files', {
          family: 'files',
          container_definitions: CONTAINERS,
          volume: [{ name: 'shared-data', efs_volume_configuration: [{ file_system_id: 'fs-12345678', transit_encryption: 'DISABLED' }] }],
        }),
      ]),
    );
    expect(verdict(taskDefinition, 'ECS.18').annotation).toMatch(/^Task definition aws_ecs_task_definition\.files has EFS volumes without transit encryption: shared-data \(DISABLED\)\./);
  });

  it('turns assign_public_ip into ECS’s ENABLED or DISABLED', () => {
    const service = (assignPublicIp: boolean) =>
      only(state([stateResource('aws_ecs_service', 'web', { name: 'web', launch_type: 'FARGATE', network_configuration: [{ assign_public_ip: assignPublicIp, subnets: ['subnet-1'] }], task_definition: 'app' })]));
    const publicService = service(true);
    const privateService = service(false);
    expect(publicService.kind === 'AWS::ECS::Service' && publicService.awsvpc).toEqual({ assignPublicIp: 'ENABLED' });
    expect(privateService.kind === 'AWS::ECS::Service' && privateService.awsvpc).toEqual({ assignPublicIp: 'DISABLED' });
    expect(verdict(publicService, 'ECS.2').compliance).toBe('NON_COMPLIANT');
    expect(verdict(privateService, 'ECS.2').compliance).toBe('COMPLIANT');
  });
});

describe('blocks known only after apply', () => {
  const web = { name: 'web', launch_type: 'FARGATE', task_definition: 'app', tags_all: { team: 'web' } };

  it('cannot decide on a whole block list the code sets but Terraform knows only after apply', () => {
    // No configuration in the document: whatever is unknown may be set in the code.
    const service = only(plan([created('aws_ecs_service', 'web', web, { network_configuration: true })]));
    expect(verdict(service, 'ECS.2')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.2 could not evaluate aws_ecs_service.web.NetworkConfiguration: a value Terraform knows only after apply (network_configuration)',
    });
  });

  it('cannot decide on blocks a dynamic block makes: the configuration leaves them out, but they are the code’s', () => {
    // dynamic "network_configuration" { for_each = var.networks … }: the configuration's JSON has no trace of it.
    const service = only(plan([created('aws_ecs_service', 'web', web, { network_configuration: true })], configuration('aws_ecs_service', 'web', { name: { constant_value: 'web' } })));
    expect(verdict(service, 'ECS.2')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.2 could not evaluate aws_ecs_service.web.NetworkConfiguration: a value Terraform knows only after apply (network_configuration)',
    });
  });

  it('cannot decide Container Insights for a new cluster whose code sets no setting: ECS applies the account setting', () => {
    // The AWS provider computes a cluster's settings when the code sets none: the account's containerInsights default applies.
    const cluster = only(plan([created('aws_ecs_cluster', 'main', { name: 'main', tags_all: { team: 'platform' } }, { setting: true })], configuration('aws_ecs_cluster', 'main', { name: { constant_value: 'main' } })));
    expect(verdict(cluster, 'ECS.12')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation:
        "ECS.12 could not evaluate aws_ecs_cluster.main.ClusterSettings: the configuration sets no setting block, so ECS applies the account's containerInsights setting (PutAccountSetting), which a plan does not show: set containerInsights on the cluster",
    });
  });

  it('reads the settings an existing cluster has, even when the code sets none', () => {
    // Known in the plan (the provider read them from ECS): what the account setting gave the cluster.
    const known = only(plan([created('aws_ecs_cluster', 'main', { name: 'main', setting: [{ name: 'containerInsights', value: 'disabled' }], tags_all: { team: 'platform' } })], configuration('aws_ecs_cluster', 'main', { name: { constant_value: 'main' } })));
    expect(verdict(known, 'ECS.12').compliance).toBe('NON_COMPLIANT');
  });

  it('names the unknown setting as the code’s when the code sets a setting block', () => {
    const code = configuration('aws_ecs_cluster', 'main', { name: { constant_value: 'main' }, setting: [{ name: { constant_value: 'containerInsights' }, value: { references: ['var.insights'] } }] });
    const cluster = only(plan([created('aws_ecs_cluster', 'main', { name: 'main', tags_all: { team: 'platform' } }, { setting: true })], code));
    expect(verdict(cluster, 'ECS.12').annotation).toBe('ECS.12 could not evaluate aws_ecs_cluster.main.ClusterSettings: a value Terraform knows only after apply (setting)');
  });

  it('cannot decide on one block of a list Terraform knows only after apply, naming it', () => {
    // Terraform writes an unknown list element as null in `after`, true in `after_unknown`.
    const taskDefinition = only(plan([created('aws_ecs_task_definition', 'files', { family: 'files', container_definitions: CONTAINERS, volume: [null] }, { volume: [true] })]));
    expect(verdict(taskDefinition, 'ECS.18')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.18 could not evaluate aws_ecs_task_definition.files.Volumes: a value Terraform knows only after apply (volume[0])',
    });
  });

  it('does not take an unknown value one block sets in the code for the default because another block leaves it out', () => {
    const after = {
      family: 'files',
      container_definitions: CONTAINERS,
      volume: [
        { name: 'a', efs_volume_configuration: [{ file_system_id: 'fs-1' }] },
        { name: 'b', efs_volume_configuration: [{ file_system_id: 'fs-2', transit_encryption: null }] },
      ],
    };
    const afterUnknown = { volume: [{ efs_volume_configuration: [{ transit_encryption: true }] }, { efs_volume_configuration: [{}] }] };
    const code = configuration('aws_ecs_task_definition', 'files', {
      family: { constant_value: 'files' },
      volume: [
        { name: { constant_value: 'a' }, efs_volume_configuration: [{ file_system_id: { constant_value: 'fs-1' }, transit_encryption: { references: ['module.storage.transit_encryption', 'module.storage'] } }] },
        { name: { constant_value: 'b' }, efs_volume_configuration: [{ file_system_id: { constant_value: 'fs-2' } }] },
      ],
    });
    const taskDefinition = only(plan([created('aws_ecs_task_definition', 'files', after, afterUnknown)], code));
    expect(verdict(taskDefinition, 'ECS.18')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation:
        'ECS.18 could not evaluate aws_ecs_task_definition.files.Volumes[0].EfsVolumeConfiguration.TransitEncryption: a value Terraform knows only after apply (volume[0].efs_volume_configuration[0].transit_encryption)',
    });
  });

  it('does not fail on a configuration whose block list holds something other than blocks: the unknown value stays undecided', () => {
    const after = { ...web, network_configuration: [{ subnets: ['subnet-1'] }] };
    const code = configuration('aws_ecs_service', 'web', { name: { constant_value: 'web' }, network_configuration: [null] });
    const service = only(plan([created('aws_ecs_service', 'web', after, { network_configuration: [{ assign_public_ip: true }] })], code));
    expect(verdict(service, 'ECS.2')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.2 could not evaluate aws_ecs_service.web.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp: a value Terraform knows only after apply (network_configuration[0].assign_public_ip)',
    });
  });
});

describe('container_definitions', () => {
  // jsonencode sorts keys, so "User" comes before "user"; the provider's Go decoder keeps the last: user "0", privileged.
  const twins = JSON.stringify([{ name: 'web', image: 'nginx:1.27', Privileged: false, User: '1000', privileged: true, readonlyRootFilesystem: true, user: '0', logConfiguration: { logDriver: 'awslogs' } }]);
  const why = "the AWS provider decodes container definitions case-insensitively (Go's encoding/json) and keeps the last";

  it('cannot decide a field whose key is spelled in two cases, naming both; the other fields still decide', () => {
    const taskDefinition = only(state([stateResource('aws_ecs_task_definition', 'app', { family: 'app', container_definitions: twins })]));
    expect(verdict(taskDefinition, 'ECS.20')).toEqual({ compliance: 'NOT_EVALUATED', annotation: `ECS.20 could not evaluate aws_ecs_task_definition.app.ContainerDefinitions[0].User: "User" and "user" both set: ${why}` });
    expect(verdict(taskDefinition, 'ECS.4').annotation).toMatch(/^ECS\.4 could not evaluate aws_ecs_task_definition\.app\.ContainerDefinitions\[0\]\.Privileged: "Privileged" and "privileged" both set: the AWS provider decodes/);
    expect(verdict(taskDefinition, 'ECS.5').compliance).toBe('COMPLIANT');
    expect(verdict(taskDefinition, 'ECS.9').compliance).toBe('COMPLIANT');
  });

  it('cannot decide such a field in a container definitions file either', () => {
    const file = taskDefinitionFromContainerDefinitions(JSON.parse(twins) as unknown[], 'containers');
    expect(verdict(file, 'ECS.20').annotation).toMatch(/^ECS\.20 could not evaluate ContainerDefinitions\[0\]\.User: "User" and "user" both set: the AWS provider decodes/);
    expect(verdict(file, 'ECS.4').compliance).toBe('NOT_EVALUATED');
  });

  it('does not read a JSON value that is not a list, saying it must be one', () => {
    const taskDefinition = only(state([stateResource('aws_ecs_task_definition', 'app', { family: 'app', container_definitions: JSON.stringify({ name: 'web', image: 'nginx' }) })]));
    expect(verdict(taskDefinition, 'ECS.4')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.4 could not evaluate aws_ecs_task_definition.app.ContainerDefinitions: container_definitions must be a JSON list of container definitions',
    });
  });
});

describe('tags', () => {
  const cluster = (values: Json) => only(state([stateResource('aws_ecs_cluster', 'main', { name: 'main', setting: [], ...values })]));

  it('reads tags when the state predates tags_all (absent or null)', () => {
    for (const values of [{ tags: { team: 'platform' } }, { tags: { team: 'platform' }, tags_all: null }]) {
      expect(verdict(cluster(values), 'ECS.14')).toEqual({ compliance: 'COMPLIANT', annotation: 'The cluster aws_ecs_cluster.main is tagged (team).' });
    }
  });

  it('reads a resource without tags as untagged', () => {
    expect(verdict(cluster({}), 'ECS.14').annotation).toMatch(/^The cluster aws_ecs_cluster\.main has no tags other than aws: system tags\./);
  });

  it('keeps each tag’s value, a value that is not text as empty', () => {
    const tagged = cluster({ tags_all: { team: 'platform', owner: null } });
    expect(tagged.kind === 'AWS::ECS::Cluster' && tagged.tags).toEqual({ team: 'platform', owner: '' });
    expect(verdict(tagged, 'ECS.14').annotation).toBe('The cluster aws_ecs_cluster.main is tagged (team, owner).');
  });

  it('does not read tags that are not a map, naming tags_all', () => {
    expect(verdict(cluster({ tags_all: [{ key: 'team', value: 'platform' }] }), 'ECS.14')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.14 could not evaluate aws_ecs_cluster.main.tags_all: expected a map of tags',
    });
  });

  it('keeps the key of a tag whose value is known only after apply: a plan leaves the value out of after', () => {
    // tags = { owner = aws_iam_role.owner.id, env = "prod" }: Terraform writes the known values and marks the unknown one.
    const service = only(
      plan([created('aws_ecs_service', 'web', { name: 'web', launch_type: 'EC2', task_definition: 'app', tags: { env: 'prod' }, tags_all: { env: 'prod' } }, { tags: { owner: true }, tags_all: { owner: true } })]),
    );
    expect(service.kind === 'AWS::ECS::Service' && service.tags).toEqual({ env: 'prod', owner: '' });
    expect(controlById('ECS.13').evaluate(service, { requiredTagKeys: 'owner' }).compliance).toBe('COMPLIANT');
    // Its only tag unknown: still tagged, with that key.
    const onlyUnknown = only(plan([created('aws_ecs_service', 'web', { name: 'web', launch_type: 'EC2', task_definition: 'app', tags: {}, tags_all: {} }, { tags: { owner: true }, tags_all: { owner: true } })]));
    expect(onlyUnknown.kind === 'AWS::ECS::Service' && onlyUnknown.tags).toEqual({ owner: '' });
  });

  describe('when tags_all is known only after apply', () => {
    // A new resource: the provider computes tags_all from tags and the provider block's default_tags.
    const service = (tags: unknown, providerConfig: Json | undefined, unknown: Json = {}, expressions: Json = {}) => {
      const code = { root_module: { resources: [{ address: 'aws_ecs_service.web', mode: 'managed', type: 'aws_ecs_service', name: 'web', provider_config_key: 'aws', expressions }] } };
      const after = { name: 'web', launch_type: 'EC2', task_definition: 'app', tags, tags_all: null };
      return only(plan([created('aws_ecs_service', 'web', after, { tags_all: true, ...unknown })], { ...code, ...(providerConfig && { provider_config: providerConfig }) }));
    };
    const aws = (expressions?: Json) => ({ aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', ...(expressions && { expressions }) } });
    const tagsOf = (resource: Resource) => resource.kind === 'AWS::ECS::Service' && resource.tags;

    it('reads tags when the provider configuration has no default_tags', () => {
      expect(verdict(service({ team: 'web' }, aws({ region: { constant_value: 'eu-west-1' } })), 'ECS.13')).toEqual({ compliance: 'COMPLIANT', annotation: 'The service aws_ecs_service.web is tagged (team).' });
      expect(tagsOf(service({ team: 'web' }, aws()))).toEqual({ team: 'web' });
      // `default_tags {}` without a tags argument adds none either.
      expect(tagsOf(service({ team: 'web' }, aws({ default_tags: [{}] })))).toEqual({ team: 'web' });
    });

    it('reads tags = null as untagged', () => {
      expect(verdict(service(null, aws()), 'ECS.13').compliance).toBe('NON_COMPLIANT');
    });

    it('adds constant default_tags, the resource’s own tags taking precedence', () => {
      const defaults = { default_tags: [{ tags: { constant_value: { owner: 'platform', team: 'all', cost: 7 } } }] };
      expect(tagsOf(service({ team: 'web' }, aws(defaults)))).toEqual({ owner: 'platform', team: 'web', cost: '' });
      expect(controlById('ECS.13').evaluate(service(null, aws(defaults)), { requiredTagKeys: 'owner' }).compliance).toBe('COMPLIANT');
      // A block written as one object rather than a list of one.
      expect(tagsOf(service(null, aws({ default_tags: { tags: { constant_value: { owner: 'platform' } } } })))).toEqual({ owner: 'platform' });
    });

    it('keeps the keys of tags whose values are known only after apply', () => {
      expect(tagsOf(service({ env: 'prod' }, aws(), { tags: { owner: true } }))).toEqual({ env: 'prod', owner: '' });
    });

    it('cannot decide when tags are known only after apply too', () => {
      const fromRole = { tags: { references: ['aws_iam_role.owner.tags', 'aws_iam_role.owner'] } };
      expect(verdict(service(null, aws(), { tags: true }, fromRole), 'ECS.13').annotation).toBe('ECS.13 could not evaluate aws_ecs_service.web.tags: a value Terraform knows only after apply (tags)');
    });

    it('cannot decide when the default_tags are not a constant, or the configuration does not show them', () => {
      const fromVariable = aws({ default_tags: [{ tags: { references: ['var.default_tags'] } }] });
      expect(verdict(service({ team: 'web' }, fromVariable), 'ECS.13').annotation).toBe(
        "ECS.13 could not evaluate aws_ecs_service.web.tags_all: a value Terraform knows only after apply (tags_all), and provider configuration aws's default_tags are not a constant",
      );
      const noProvider = "ECS.13 could not evaluate aws_ecs_service.web.tags_all: a value Terraform knows only after apply (tags_all), and the plan's configuration does not show the resource's provider configuration, so not its default_tags";
      expect(verdict(service({ team: 'web' }, undefined), 'ECS.13').annotation).toBe(noProvider);
      expect(verdict(service({ team: 'web' }, { 'aws.west': aws().aws }), 'ECS.13').annotation).toBe(noProvider);
      const withoutConfiguration = only(plan([created('aws_ecs_service', 'web', { name: 'web', launch_type: 'EC2', task_definition: 'app', tags: { team: 'web' } }, { tags_all: true })]));
      expect(verdict(withoutConfiguration, 'ECS.13').annotation).toBe(noProvider);
    });
  });

  it('cannot decide while tags are known only after apply, in a plan without tags_all', () => {
    const service = only(plan([created('aws_ecs_service', 'web', { name: 'web', launch_type: 'EC2', task_definition: 'app', tags: null }, { tags: true })]));
    expect(verdict(service, 'ECS.13')).toEqual({
      compliance: 'NOT_EVALUATED',
      annotation: 'ECS.13 could not evaluate aws_ecs_service.web.tags: a value Terraform knows only after apply (tags)',
    });
  });
});
