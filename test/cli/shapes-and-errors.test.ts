/**
 * Every ECS document shape a team keeps under version control is read, a file that mentions ECS but
 * is not understood is reported (never skipped), every unreadable file of a run is listed at once,
 * and the scan corpus (test/corpus) decides everything except what depends on deploy-time input.
 */
import { join } from 'node:path';
import { findingOf, outcomesOf, REPOSITORY, runCli, scanJson, writeTree } from './run-cli';

describe('ECS CLI shapes', () => {
  const createService = { cluster: 'prod', serviceName: 'orders', taskDefinition: 'orders', launchType: 'FARGATE', platformVersion: '1.3.0', networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED', subnets: ['subnet-1'] } } };

  test('create-service input: a service, its missing tags are none, its task definition found among the scanned files', async () => {
    const registerInput = { family: 'orders', runtimePlatform: { operatingSystemFamily: 'LINUX' }, containerDefinitions: [{ name: 'app', image: 'app:1' }] };
    const tree = writeTree({ 'create-service.json': createService, 'orders.json': registerInput });
    try {
      const { report } = await scanJson([tree.dir]);

      expect(outcomesOf(report, 'orders')).toMatchObject({ 'ECS.2': 'NON_COMPLIANT', 'ECS.10': 'NON_COMPLIANT', 'ECS.13': 'NON_COMPLIANT' });
      expect(findingOf(report, 'orders', 'ECS.13').reason).toContain('has no tags');
    } finally {
      tree.remove();
    }
  });

  test('create-cluster input and create-service output: settings and tags as written', async () => {
    const tree = writeTree({
      'cluster.json': { clusterName: 'batch', settings: [{ name: 'containerInsights', value: 'enabled' }], capacityProviders: ['FARGATE'], tags: [{ key: 'team', value: 'batch' }] },
      'bare-cluster.json': { clusterName: 'bare' },
      'created.json': { service: { serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web', serviceName: 'web', launchType: 'EC2', tags: [{ key: 'team', value: 'web' }] } },
    });
    try {
      const { report } = await scanJson([tree.dir]);

      expect(outcomesOf(report, 'batch')).toEqual({ 'ECS.12': 'COMPLIANT', 'ECS.14': 'COMPLIANT' });
      expect(outcomesOf(report, 'bare')).toEqual({ 'ECS.12': 'NON_COMPLIANT', 'ECS.14': 'NON_COMPLIANT' });
      expect(outcomesOf(report, 'web')).toMatchObject({ 'ECS.2': 'NOT_APPLICABLE', 'ECS.13': 'COMPLIANT' });
      expect(findingOf(report, 'web', 'ECS.2').resource).toMatchObject({ file: expect.stringContaining('created.json'), arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web' });
    } finally {
      tree.remove();
    }
  });
});

describe('files that cannot be read', () => {
  test('every unreadable file of a directory scan is listed with its line in one run, the rest reported, exit 2', async () => {
    const tree = writeTree({
      'a/broken.yaml': 'Resources:\n  A:\n    Type: AWS::ECS::Cluster\n    Properties:\n      ClusterName: !Reff x\n',
      'b/broken.json': '{ "Resources": { "A": { "Type": "AWS::ECS::Cluster" } }',
      'c/unknown.json': { kind: 'ecs-export', items: [{ resourceType: 'AWS::ECS::Service' }] },
      'd/fine.json': { clusterName: 'fine' },
      'e/kubernetes.yaml': 'kind: Ingress\nspec:\n  backend:\n    serviceName: web\n',
    });
    try {
      const run = await runCli(['scan', tree.dir]);

      expect(run.code).toBe(2);
      expect(run.stderr).toContain('ecs-config-rules: could not read 3 inputs (the report covers the rest; exit 2):');
      expect(run.stdout).toMatch(/^fine AWS::ECS::Cluster · .*d\/fine\.json:1$/m);
      expect(run.stdout).toMatch(/^Could not read 3 inputs \(not checked, so no verdict\):\n  .*a\/broken\.yaml:5: not valid YAML/m);
      expect(run.stderr).toMatch(/a\/broken\.yaml:5: not valid YAML: unknown tag "!Reff"/);
      expect(run.stderr).toMatch(/b\/broken\.json:1: not valid JSON/);
      expect(run.stderr).toMatch(/c\/unknown\.json: mentions ECS but is not a CloudFormation template/);
      expect(run.stderr).not.toContain('kubernetes');
      expect(run.stderr).not.toContain('!<');
    } finally {
      tree.remove();
    }
  });
});

describe('the scan corpus', () => {
  test('every file is read, and every "could not evaluate" depends on deploy-time input or an ambiguous input', async () => {
    const corpus = join(REPOSITORY, 'test', 'corpus');
    const { report } = await scanJson(['.', '--exit-zero'], { cwd: corpus });

    expect(report.summary).toMatchObject({ filesSkipped: 0, filesScanned: 27 });
    const notEvaluated = report.findings.filter((finding) => finding.outcome === 'NOT_EVALUATED');
    expect(notEvaluated.length).toBeGreaterThan(0);
    // Exactly these, each waiting on deploy-time input: a condition or parameter whose values disagree,
    // a parameter without AllowedValues, a value Terraform knows only after apply, the account's
    // containerInsights setting a new cluster takes; or on a key spelled in two cases that the AWS
    // provider decodes case-insensitively.
    expect(notEvaluated.map((finding) => `${finding.resource.file} ${finding.controlId}`).sort()).toEqual([
      'cloudformation/conditions.yaml ECS.17',
      'cloudformation/deploy-time-input.yaml ECS.10',
      'cloudformation/deploy-time-input.yaml ECS.20',
      'cloudformation/mappings.yaml ECS.17',
      ...['ECS.12', 'ECS.20', 'ECS.21', 'ECS.4'].map((id) => `terraform/batch-plan.json ${id}`),
      ...['ECS.20', 'ECS.4', 'ECS.5', 'ECS.8', 'ECS.9'].map((id) => `terraform/ledger-plan.json ${id}`),
    ]);
    for (const finding of notEvaluated) {
      expect(finding.reason).toMatch(
        /deploy-time input \((condition|parameter) \w+\)|\(Ref: \w+\), whose value is known only at deploy time|a value Terraform knows only after apply|ECS applies the account's containerInsights setting|"(User|Privileged)" and "(user|privileged)" both set: the AWS provider decodes container definitions case-insensitively/,
      );
    }
    // A Terraform container definitions file (`file("queue-worker.json")`) cannot hold what only the
    // aws_ecs_task_definition resource sets: those controls apply to the plan, and say so.
    const leftToThePlan = report.findings.filter((finding) => finding.resource.file === 'terraform/container-definitions/queue-worker.json' && finding.outcome === 'NOT_APPLICABLE');
    expect(leftToThePlan.map((finding) => finding.controlId).sort()).toEqual(['ECS.15', 'ECS.17', 'ECS.18', 'ECS.3']);
    for (const finding of leftToThePlan) expect(finding.reason).toMatch(/which this document does not hold: \w+ is an argument of the aws_ecs_task_definition resource, not of its container definitions file: scan the plan/);
  });
});
