/**
 * `scan` over Terraform/OpenTofu output and container definitions files: detected like the other
 * formats, findings named by resource address, SARIF pointing at the plan file. The plan fixtures are
 * written to Terraform's documented JSON output format (no Terraform binary is available here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import type { Log } from 'sarif';
import { findingOf, outcomesOf, runCli, scanJson, writeTree } from './run-cli';

expect.extend({ toBeValidSarifLog });

const TERRAFORM = join(__dirname, '..', 'fixtures', 'terraform');
const PLAN = join(TERRAFORM, 'plan.json');
const planText = readFileSync(PLAN, 'utf8');

describe('a plan', () => {
  it('is detected and scanned, each resource named and located by its address', async () => {
    const { code, report } = await scanJson([PLAN]);

    expect(code).toBe(1);
    const web = findingOf(report, 'module.api.aws_ecs_service.web', 'ECS.2');
    expect(web).toMatchObject({ outcome: 'NON_COMPLIANT', resource: { logicalId: 'module.api.aws_ecs_service.web', line: 1050 } });
    expect(web.reason).toContain('Service module.api.aws_ecs_service.web assigns public IP addresses');
    expect(outcomesOf(report, 'module.windows["eu"].aws_ecs_task_definition.iis')['ECS.21']).toBe('NON_COMPLIANT');
  });

  it('lists a deleted resource as not applicable, and unknown values as not evaluated', async () => {
    const { report } = await scanJson([PLAN]);

    expect(outcomesOf(report, 'aws_ecs_service.legacy')).toEqual({ 'ECS.2': 'NOT_APPLICABLE', 'ECS.10': 'NOT_APPLICABLE', 'ECS.13': 'NOT_APPLICABLE' });
    expect(findingOf(report, 'aws_ecs_service.legacy', 'ECS.2').reason).toBe('The plan deletes aws_ecs_service.legacy: it is not evaluated.');
    expect(findingOf(report, 'aws_ecs_task_definition.worker', 'ECS.4')).toMatchObject({ outcome: 'NOT_EVALUATED', status: 'notEvaluated', gating: true });
  });

  it('is read as `terraform show -json` prints it: one line, from standard input', async () => {
    const { report } = await scanJson(['-'], { stdin: JSON.stringify(JSON.parse(planText)) });

    expect(findingOf(report, 'module.api.aws_ecs_service.web', 'ECS.10')).toMatchObject({ outcome: 'NON_COMPLIANT', resource: { file: '-', line: 1 } });
  });

  it('gives SARIF a location in the plan file and the address as the logical location', async () => {
    const run = await runCli(['scan', 'test/fixtures/terraform/plan.json', '--format', 'sarif']);
    const log = JSON.parse(run.stdout) as Log;
    const result = log.runs[0].results?.find((candidate) => candidate.ruleId === 'ECS.2');

    expect(log).toBeValidSarifLog();
    expect(result?.message.text).toContain('module.api.aws_ecs_service.web');
    expect(result?.locations?.[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: 'test/fixtures/terraform/plan.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 1050 } },
      logicalLocations: [{ name: 'module.api.aws_ecs_service.web', fullyQualifiedName: 'module.api.aws_ecs_service.web', kind: 'resource' }],
    });
  });

  it('of an unsupported format version is an input error naming the file', async () => {
    const tree = writeTree({ 'plan.json': { ...JSON.parse(planText), format_version: '2.0' } });
    try {
      const run = await runCli(['scan', 'plan.json'], { cwd: tree.dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('plan.json: format_version "2.0" is not supported');
      expect(run.stdout).toContain('plan.json: format_version "2.0" is not supported');
    } finally {
      tree.remove();
    }
  });
});

test('a state is scanned like a plan', async () => {
  const { code, report } = await scanJson([join(TERRAFORM, 'state.json')]);

  expect(code).toBe(0);
  expect(outcomesOf(report, 'module.capacity.aws_ecs_capacity_provider.this[0]')).toEqual({ 'ECS.19': 'COMPLIANT' });
  expect(report.summary).toMatchObject({ resources: 4, failed: 0, notEvaluated: 0 });
});

test('a walked directory finds plans and container definitions files, and skips other JSON', async () => {
  const tree = writeTree({
    'infra/plan.json': planText,
    'infra/containers.json': readFileSync(join(TERRAFORM, 'containers.json'), 'utf8'),
    'web/docker-manifest.json': { image: 'web:1', tags: ['latest'] },
  });
  try {
    const { report } = await scanJson(['.', '--controls', 'ECS.4'], { cwd: tree.dir });

    expect(report.summary).toMatchObject({ filesScanned: 2, filesSkipped: 1 });
    expect(findingOf(report, 'containers', 'ECS.4')).toMatchObject({ outcome: 'NON_COMPLIANT', resource: { file: 'infra/containers.json', line: 1 } });
    expect(findingOf(report, 'module.api.aws_ecs_task_definition.app', 'ECS.4').outcome).toBe('NON_COMPLIANT');
  } finally {
    tree.remove();
  }
});

test('a suppressions file matches resource addresses', async () => {
  const tree = writeTree({
    'plan.json': planText,
    'suppressions.yml': 'suppressions:\n  - id: ECS.2\n    resource: module.api.aws_ecs_service.*\n    reason: Public until the NAT gateway lands (NET-7).\n',
  });
  try {
    const { report } = await scanJson(['plan.json', '--suppressions', 'suppressions.yml'], { cwd: tree.dir });

    expect(findingOf(report, 'module.api.aws_ecs_service.web', 'ECS.2')).toMatchObject({ status: 'suppressed', gating: false });
    expect(findingOf(report, 'module.api.aws_ecs_service.web', 'ECS.10').status).toBe('failed');
  } finally {
    tree.remove();
  }
});
