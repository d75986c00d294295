/**
 * Every input format the scanner detects, through the real CLI entry: what it reads, how each
 * resource is placed (file, line), and what happens to malformed or unknown input (exit 2, naming
 * the file and line).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { capturingOutput } from '../capture-output';
import { apiTaskDefinition, FIXTURES, findingOf, outcomesOf, runCli, scanJson, writeTree } from './run-cli';

const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/shop/web';

describe('ECS task definitions as JSON', () => {
  const tree = writeTree({
    'describe.json': { taskDefinition: apiTaskDefinition('web', 3, { user: '1000' }), tags: [{ key: 'team', value: 'web' }] },
    'register-input.json': { family: 'batch', containerDefinitions: [{ name: 'job', image: 'job:1', privileged: true, user: '0:0' }], tags: [{ key: 'team', value: 'data' }] },
    'bare.json': apiTaskDefinition('worker', 9, { user: 'root' }),
  });
  afterAll(() => tree.remove());

  test('describe-task-definition output is evaluated with its tags', async () => {
    const { report } = await scanJson([join(tree.dir, 'describe.json')]);

    expect(outcomesOf(report, 'web:3')).toEqual({
      'ECS.3': 'COMPLIANT',
      'ECS.4': 'COMPLIANT',
      'ECS.5': 'COMPLIANT',
      'ECS.8': 'COMPLIANT',
      'ECS.9': 'COMPLIANT',
      'ECS.15': 'COMPLIANT',
      'ECS.17': 'COMPLIANT',
      'ECS.18': 'NOT_APPLICABLE',
      'ECS.20': 'COMPLIANT',
      'ECS.21': 'COMPLIANT',
    });
  });

  test('a register-task-definition input is evaluated as the revision it will become', async () => {
    const { report } = await scanJson([join(tree.dir, 'register-input.json')]);

    expect(findingOf(report, 'batch', 'ECS.4').outcome).toBe('NON_COMPLIANT');
    expect(findingOf(report, 'batch', 'ECS.20').reason).toContain('job (user 0:0)');
    expect(findingOf(report, 'batch', 'ECS.15').outcome).toBe('COMPLIANT');
  });

  test('a bare registered task definition without tags cannot decide ECS.15: describe-task-definition returns tags only when asked', async () => {
    const { report } = await scanJson([join(tree.dir, 'bare.json')]);

    expect(findingOf(report, 'worker:9', 'ECS.20').outcome).toBe('NON_COMPLIANT');
    expect(findingOf(report, 'worker:9', 'ECS.15')).toMatchObject({ outcome: 'NOT_EVALUATED', status: 'notEvaluated', gating: true });
    expect(findingOf(report, 'worker:9', 'ECS.15').reason).toContain('--include TAGS');
  });
});

describe('ECS describe-* output', () => {
  test("a service's OS family comes from a task definition scanned alongside it (ECS.10)", async () => {
    const windows = apiTaskDefinition('iis', 2, { user: 'ContainerUser' }, { runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2019_CORE' } });
    const service = { serviceArn: SERVICE_ARN, serviceName: 'web', launchType: 'FARGATE', platformVersion: '1.0.0', taskDefinition: windows.taskDefinitionArn, tags: [] };
    const tree = writeTree({
      // The services file comes first: services wait for every task definition of the scan.
      'a-services.json': { services: [service], failures: [] },
      'b-task-definition.json': { taskDefinition: windows, tags: [] },
    });
    try {
      const { report } = await scanJson([tree.dir]);

      // 1.0.0 is the latest Windows version; read as Linux it would be below 1.4.0.
      expect(findingOf(report, 'web', 'ECS.10').outcome).toBe('COMPLIANT');
      expect(findingOf(report, 'web', 'ECS.10').resource).toMatchObject({ file: expect.stringMatching(/a-services\.json$/), line: 3, arn: SERVICE_ARN });
    } finally {
      tree.remove();
    }
  });

  test("a service whose task definition is not among the inputs cannot decide ECS.10, naming the property", async () => {
    const service = { serviceArn: SERVICE_ARN, serviceName: 'web', launchType: 'FARGATE', platformVersion: '1.3.0', taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/iis:2', tags: [] };
    const tree = writeTree({ 'services.json': { services: [service] } });
    try {
      const { report, code } = await scanJson([tree.dir]);

      expect(findingOf(report, 'web', 'ECS.10')).toMatchObject({ outcome: 'NOT_EVALUATED', status: 'notEvaluated' });
      expect(findingOf(report, 'web', 'ECS.10').reason).toMatch(/^ECS\.10 could not evaluate taskDefinition: task definition arn:.*iis:2 is not among the scanned inputs/);
      expect(code).toBe(1);
    } finally {
      tree.remove();
    }
  });

  test('clusters, task sets and capacity providers each sit on their own line', async () => {
    const tree = writeTree({
      'clusters.json': `{
  "clusters": [
    { "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/a", "clusterName": "a", "settings": [{ "name": "containerInsights", "value": "enhanced" }], "tags": [] },
    { "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/b", "clusterName": "b", "settings": [], "tags": [{ "key": "team", "value": "x" }] }
  ]
}`,
      'capacity-providers.json': { capacityProviders: [{ capacityProviderArn: 'arn:aws:ecs:us-east-1:123456789012:capacity-provider/spot', name: 'spot', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:asg', managedTerminationProtection: 'DISABLED' }, tags: [] }] },
      'task-sets.json': { taskSets: [{ taskSetArn: 'arn:aws:ecs:us-east-1:123456789012:task-set/shop/web/ecs-svc/1', id: 'ecs-svc/1', networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } }, tags: [] }] },
    });
    try {
      const { report } = await scanJson([tree.dir]);

      expect(findingOf(report, 'a', 'ECS.12')).toMatchObject({ outcome: 'COMPLIANT', resource: { line: 3 } });
      expect(findingOf(report, 'b', 'ECS.12')).toMatchObject({ outcome: 'NON_COMPLIANT', resource: { line: 4, arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/b' } });
      expect(findingOf(report, 'spot', 'ECS.19').outcome).toBe('NON_COMPLIANT');
      expect(findingOf(report, 'ecs-svc/1', 'ECS.16').outcome).toBe('NON_COMPLIANT');
    } finally {
      tree.remove();
    }
  });
});

describe('CloudFormation templates', () => {
  const shortForms = join(FIXTURES, 'short-forms.yaml');

  test('YAML with every short-form tag parses; Ref to a task definition gives ECS.10 its Windows OS family', async () => {
    const { report } = await scanJson([shortForms, '--parameter', 'ECS.8.detectCredentialValues=false']);

    expect(outcomesOf(report, 'windows-web')).toEqual({ 'ECS.2': 'NOT_APPLICABLE', 'ECS.10': 'COMPLIANT', 'ECS.13': 'COMPLIANT' });
    expect(findingOf(report, 'windows-web', 'ECS.10').resource).toMatchObject({ logicalId: 'WindowsService', line: 43 });
    // Family is `!Sub`, unknown before deploy: the resource goes by its logical id.
    expect(outcomesOf(report, 'WindowsTaskDefinition')).toMatchObject({ 'ECS.8': 'COMPLIANT', 'ECS.21': 'COMPLIANT', 'ECS.20': 'NOT_APPLICABLE' });
  });

  test('an unresolved intrinsic a control needs is NOT_EVALUATED naming the property, never COMPLIANT; other controls still decide', async () => {
    const { report } = await scanJson([shortForms]);

    expect(findingOf(report, 'imported', 'ECS.10')).toMatchObject({ outcome: 'NOT_EVALUATED', gating: true });
    expect(findingOf(report, 'imported', 'ECS.10').reason).toContain('Resources.ImportedService.Properties.TaskDefinition: an unresolved intrinsic (Fn::ImportValue: SharedTaskDefinitionArn)');
    expect(findingOf(report, 'parameterised', 'ECS.20').reason).toContain('ContainerDefinitions[0].User: an unresolved intrinsic (Ref: AppUser)');
    // `!If [IsProd, false, !Ref AWS::NoValue]`: false either way (unset means false).
    expect(findingOf(report, 'parameterised', 'ECS.4').outcome).toBe('COMPLIANT');
    expect(findingOf(report, 'parameterised', 'ECS.3').outcome).toBe('COMPLIANT');
    // Environment values built by intrinsics are checked by their literal text (none looks like a key).
    expect(findingOf(report, 'WindowsTaskDefinition', 'ECS.8').outcome).toBe('COMPLIANT');
  });

  test('a JSON template places each resource on the line of its logical id', async () => {
    const template = `{
  "Resources": {
    "Logs": { "Type": "AWS::Logs::LogGroup" },
    "Cluster": {
      "Type": "AWS::ECS::Cluster",
      "Properties": { "ClusterSettings": [{ "Name": "containerInsights", "Value": "disabled" }] }
    }
  }
}`;
    const tree = writeTree({ 'stack.template.json': template });
    try {
      const { report } = await scanJson([join(tree.dir, 'stack.template.json')]);

      expect(findingOf(report, 'Cluster', 'ECS.12')).toMatchObject({ outcome: 'NON_COMPLIANT', resource: { line: 4, logicalId: 'Cluster' } });
      expect(report.findings.every((finding) => finding.resource.logicalId === 'Cluster')).toBe(true);
    } finally {
      tree.remove();
    }
  });
  test('UTF-8 text (a byte order mark, accented and CJK names) reads as written; ASCII files take a faster decoding', async () => {
    const template = (name: string) => ({ Resources: { [name]: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: `caf\u00e9-\u6771\u4eac-${name}`, ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }] } } } });
    const tree = writeTree({ 'utf8.template.json': `\ufeff${JSON.stringify(template('Accented'), null, 2)}`, 'ascii.template.json': JSON.stringify(template('Plain')).replace(/[^\x00-\x7f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`) });
    try {
      const { report } = await scanJson([tree.dir]);

      expect(findingOf(report, 'caf\u00e9-\u6771\u4eac-Accented', 'ECS.12')).toMatchObject({ outcome: 'NON_COMPLIANT', resource: { line: 3, logicalId: 'Accented' } });
      // The ASCII file spells the same name with \u escapes.
      expect(findingOf(report, 'caf\u00e9-\u6771\u4eac-Plain', 'ECS.12')).toMatchObject({ outcome: 'NON_COMPLIANT', resource: { logicalId: 'Plain' } });
    } finally {
      tree.remove();
    }
  });
});

describe('CloudFormation templates with YAML aliases and merge keys', () => {
  test('are read as `aws cloudformation package` and `sam deploy` expand them, and the report notes CloudFormation refuses the file as written', async () => {
    const template = ['Resources:', '  Web:', '    Type: AWS::ECS::TaskDefinition', '    Properties:', '      ContainerDefinitions:', '        - &app', '          Name: app', '          Image: app:1', '          User: "0"', '        - <<: *app', '          Name: sidecar', ''];
    const tree = writeTree({ 'aliased.yaml': template.join('\n') });
    try {
      const { report, stdout } = await scanJson([join(tree.dir, 'aliased.yaml')]);

      expect(findingOf(report, 'Web', 'ECS.20')).toMatchObject({ outcome: 'NON_COMPLIANT', resource: { line: 2 } });
      expect(findingOf(report, 'Web', 'ECS.20').reason).toBe('Task definition Web has containers running as root: app (user 0) and sidecar (user 0).');
      expect((JSON.parse(stdout) as { notices: unknown[] }).notices).toEqual([{ file: expect.stringMatching(/aliased\.yaml$/), line: 10, message: expect.stringContaining('CloudFormation itself refuses templates with YAML aliases') }]);
    } finally {
      tree.remove();
    }
  });
});

describe('a CDK cloud assembly', () => {
  test('cdk.out: every stack, nested stages included, with construct paths', async () => {
    const tree = writeTree({});
    try {
      // The CDK CLI turns path metadata on for `cdk synth`; an in-process app needs it asked for.
      const app = new App({ outdir: join(tree.dir, 'cdk.out'), context: { 'aws:cdk:enable-path-metadata': true } });
      new ecs.FargateTaskDefinition(new Stack(app, 'Web'), 'Task').addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx') });
      new ecs.Cluster(new Stack(new Stage(app, 'Prod'), 'Shared'), 'Cluster');
      // No resources: CDK writes a template without a Resources section.
      new Stack(app, 'Empty');
      // The CDK's CloudFormation validation warns about it; the synth still writes the template.
      expect(capturingOutput(() => app.synth()).printed).toMatch(/Resources section must exist.*F0001/s);

      const { report } = await scanJson([join(tree.dir, 'cdk.out')]);

      const byType = (type: string) => report.findings.filter((finding) => finding.resourceType === type);
      expect(byType('AWS::ECS::TaskDefinition').find((finding) => finding.controlId === 'ECS.20')).toMatchObject({
        outcome: 'NON_COMPLIANT',
        resource: { stack: 'Web', constructPath: 'Web/Task/Resource', file: expect.stringMatching(/cdk\.out\/Web\.template\.json$/), line: expect.any(Number) },
      });
      expect(byType('AWS::ECS::Cluster')[0].resource).toMatchObject({ stack: 'Prod/Shared', constructPath: 'Prod/Shared/Cluster/Resource' });
      // Only the stack templates are read: not tree.json, the manifest or asset files.
      expect(report.summary).toMatchObject({ filesScanned: 3, filesSkipped: 0 });
    } finally {
      tree.remove();
    }
  });
});

describe('AWS Config configuration items', () => {
  const item = (resourceType: string, configuration: unknown, extra: Record<string, unknown> = {}) => ({
    configurationItemStatus: 'OK',
    configurationItemCaptureTime: '2026-11-20T10:00:00.000Z',
    resourceType,
    resourceId: 'web:4',
    resourceName: 'web:4',
    ARN: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4',
    tags: { team: 'web' },
    configuration,
    ...extra,
  });
  const configuration = {
    Family: 'web',
    TaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4',
    Status: 'ACTIVE',
    ContainerDefinitions: [{ Name: 'app', User: 'root', ReadonlyRootFilesystem: true, Environment: [], LogConfiguration: { LogDriver: 'awslogs' } }],
    Volumes: [],
  };

  test('an item, a GetResourceConfigHistory response and a rule event give the same verdicts', async () => {
    const history = { configurationItems: [{ ...item('AWS::ECS::TaskDefinition', JSON.stringify(configuration)), arn: 'arn:x', accountId: '123456789012' }] };
    const event = {
      invokingEvent: JSON.stringify({ messageType: 'ConfigurationItemChangeNotification', configurationItem: item('AWS::ECS::TaskDefinition', configuration) }),
      ruleParameters: '{}',
      resultToken: 'token',
      eventLeftScope: false,
    };
    const tree = writeTree({ 'item.json': item('AWS::ECS::TaskDefinition', configuration), 'history.json': history, 'event.json': event });
    try {
      const verdicts = await Promise.all(['item.json', 'history.json', 'event.json'].map(async (file) => outcomesOf((await scanJson([join(tree.dir, file)])).report, 'web:4')));

      expect(verdicts[0]['ECS.20']).toBe('NON_COMPLIANT');
      expect(verdicts[1]).toEqual(verdicts[0]);
      expect(verdicts[2]).toEqual(verdicts[0]);
    } finally {
      tree.remove();
    }
  });

  test('a deleted resource is NOT_APPLICABLE for every control; other resource types are not ECS controls’ business', async () => {
    const deleted = { ...item('AWS::ECS::TaskDefinition', undefined), configurationItemStatus: 'ResourceDeleted' };
    const tree = writeTree({ 'snapshot.json': { configurationItems: [{ ...deleted, arn: 'arn:x', accountId: '1' }, { ...item('AWS::EC2::Instance', {}), arn: 'arn:y', accountId: '1' }] } });
    try {
      const { report, code } = await scanJson([tree.dir]);

      expect(new Set(report.findings.map((finding) => finding.outcome))).toEqual(new Set(['NOT_APPLICABLE']));
      expect(report.findings[0].reason).toContain('AWS Config recorded it as ResourceDeleted');
      expect(report.findings).toHaveLength(10);
      expect(code).toBe(0);
    } finally {
      tree.remove();
    }
  });

  test('an oversized notification has no item to scan: exit 2, saying what to scan instead', async () => {
    const tree = writeTree({ 'oversized.json': { invokingEvent: JSON.stringify({ messageType: 'OversizedConfigurationItemChangeNotification', configurationItemSummary: { resourceType: 'AWS::ECS::TaskDefinition', resourceId: 'web:4', configurationItemStatus: 'OK', configurationItemCaptureTime: '2026-11-20T10:00:00.000Z' } }), resultToken: 't' } });
    try {
      const run = await runCli(['scan', join(tree.dir, 'oversized.json')]);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/oversized\.json:1: .*scan the GetResourceConfigHistory response/);
    } finally {
      tree.remove();
    }
  });
});

describe('directories and standard input', () => {
  test('directories are walked recursively; files holding no ECS resources are skipped and counted, node_modules is not entered', async () => {
    const tree = writeTree({
      'package.json': { name: 'app', scripts: {} },
      'tsconfig.json': '{ // comments: not JSON, and not ECS either\n}',
      'infra/deep/web.json': { taskDefinition: apiTaskDefinition('web', 1, { user: '1000' }), tags: [] },
      'node_modules/pkg/task.json': { taskDefinition: apiTaskDefinition('vendored', 1, {}), tags: [] },
      'README.md': 'AWS::ECS::TaskDefinition',
    });
    try {
      const { report } = await scanJson([tree.dir]);

      expect([...new Set(report.findings.map((finding) => finding.resource.name))]).toEqual(['web:1']);
      expect(report.summary).toMatchObject({ filesScanned: 1, filesSkipped: 2, resources: 1 });
    } finally {
      tree.remove();
    }
  });

  test('the table counts the skipped files in words that agree with the number, and an update-service input is no resource', async () => {
    const tree = writeTree({
      'update-service.json': { cluster: 'main', service: 'web', taskDefinition: 'web:4', desiredCount: 3 },
    });
    try {
      expect((await runCli(['scan', tree.dir])).stdout).toContain('0 resources (1 other file holds no ECS resources): 0 failed');
      writeFileSync(join(tree.dir, 'package.json'), JSON.stringify({ name: 'app' }));
      expect((await runCli(['scan', tree.dir])).stdout).toContain('(2 other files hold no ECS resources)');
    } finally {
      tree.remove();
    }
  });

  test('- reads standard input (JSON or YAML)', async () => {
    const yaml = 'Resources:\n  Cluster:\n    Type: AWS::ECS::Cluster\n    Properties:\n      ClusterName: !Sub "${AWS::StackName}-main"\n';
    const { report } = await scanJson(['-'], { stdin: yaml });

    expect(findingOf(report, 'Cluster', 'ECS.12')).toMatchObject({ outcome: 'NON_COMPLIANT', resource: { file: '-', line: 2 } });
  });
});

describe('malformed input: exit 2, naming the file and line', () => {
  const cases: [string, string, RegExp][] = [
    ['broken.json', '{\n  "Resources": {\n    "A": { "Type": "AWS::ECS::Cluster" },\n  }\n}', /broken\.json:4: not valid JSON: property name expected/],
    ['broken.yaml', 'Resources:\n  A:\n    Type: AWS::ECS::Cluster\n   Properties: {}\n', /broken\.yaml:4: not valid YAML/],
    ['unknown-tag.yaml', 'Resources:\n  A:\n    Type: AWS::ECS::Cluster\n    Properties:\n      ClusterName: !Reff Name\n', /unknown-tag\.yaml:5: not valid YAML: .*!Reff/],
    ['duplicate.yaml', 'Resources:\n  A:\n    Type: AWS::ECS::Cluster\n  A:\n    Type: AWS::ECS::Cluster\n', /duplicate\.yaml:4: not valid YAML: duplicated mapping key/],
    ['colon-tag.yaml', 'Resources:\n  A:\n    Type: AWS::ECS::Cluster\n    Properties:\n      ClusterName: !Ref: Name\n', /colon-tag\.yaml:5: not valid YAML: unknown tag "!Ref:"/],
    ['no-type.json', '{ "Resources": { "A": { "Properties": {} } } }', /no-type\.json: Resources\.A has no Type/],
    ['shape.json', '{ "hello": "world" }', /shape\.json: not a CloudFormation template, an ECS task definition/],
  ];

  test.each(cases)('%s', async (name, text, message) => {
    const tree = writeTree({ [name]: text });
    try {
      const run = await runCli(['scan', join(tree.dir, name)]);

      // Exit 2, and the report still comes out, listing the file beside what was read; so does standard error.
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(message);
      expect(run.stdout).toContain('✘ Incomplete: 1 input could not be read (listed), so no verdict.');
      expect(run.stderr).toMatch(message);
    } finally {
      tree.remove();
    }
  });

  test('a malformed file found by walking a directory is an error too, when it mentions ECS', async () => {
    const tree = writeTree({ 'nested/broken.json': '{ "Resources": { "A": { "Type": "AWS::ECS::Cluster" } }' });
    try {
      const run = await runCli(['scan', tree.dir]);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/nested\/broken\.json:1: not valid JSON: close brace expected/);
    } finally {
      tree.remove();
    }
  });

  test('a path that does not exist', async () => {
    const run = await runCli(['scan', 'no/such/file.json']);

    expect(run).toMatchObject({ code: 2 });
    expect(run.stderr).toContain('no/such/file.json: cannot read (ENOENT)');
  });
});
