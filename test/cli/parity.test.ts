/**
 * Edge-level parity: the same task definitions as a Config configuration item, a Config history item,
 * an ECS describe-task-definition response, a CloudFormation resource and a Terraform plan's resource
 * get the same verdicts from the CLI, and the CDK plugin fails exactly the CloudFormation resources the CLI fails. (The adapters
 * are held to the same in test/parity.test.ts; latest-revision and deletion cases are Config-only.)
 */
import { join } from 'node:path';
import { IPolicyValidationContext } from 'aws-cdk-lib';
import { EcsControlChecks } from '../../lib/validation/ecs-control-checks';
import { JsonReport, scanJson } from './run-cli';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** Task definition → its files, its logical id in the parity template, and what fails (so parity cannot hold vacuously). */
const VARIANTS = [
  { variant: 'checkout-api', logicalId: 'CheckoutApi', address: 'aws_ecs_task_definition.checkout_api', failing: ['ECS.5', 'ECS.9', 'ECS.15', 'ECS.20', 'ECS.21'] },
  { variant: 'checkout-api-hardened', logicalId: 'CheckoutApiHardened', address: 'module.hardened.aws_ecs_task_definition.checkout_api', failing: [] },
  { variant: 'windows-iis', logicalId: 'WindowsIis', address: 'aws_ecs_task_definition.windows_iis', failing: ['ECS.15', 'ECS.21'] },
];

const TEMPLATE = join(FIXTURES, 'cloudformation', 'parity.json');
const TERRAFORM_PLAN = join(FIXTURES, 'terraform', 'parity-plan.json');

function verdicts(report: JsonReport, where: (resource: JsonReport['findings'][number]['resource']) => boolean): Record<string, string> {
  return Object.fromEntries(report.findings.filter((finding) => where(finding.resource)).map((finding) => [finding.controlId, finding.outcome]));
}

describe.each(VARIANTS)('$variant', ({ variant, logicalId, address, failing }) => {
  test('the CLI gives every shape the same verdicts', async () => {
    const files = {
      'Config item': join(FIXTURES, 'config-item', `${variant}.json`),
      'Config history': join(FIXTURES, 'config-history', `${variant}.json`),
      'ECS API response': join(FIXTURES, 'ecs-api', `describe-task-definition-${variant}.json`),
    };
    const fromFiles = await Promise.all(Object.entries(files).map(async ([shape, file]) => [shape, verdicts((await scanJson([file])).report, () => true)] as const));
    const fromTemplate = verdicts((await scanJson([TEMPLATE])).report, (resource) => resource.logicalId === logicalId);
    const fromPlan = verdicts((await scanJson([TERRAFORM_PLAN])).report, (resource) => resource.logicalId === address);

    const [, reference] = fromFiles[0];
    expect(Object.keys(reference)).toHaveLength(10);
    expect(Object.keys(reference).filter((id) => reference[id] === 'NON_COMPLIANT')).toEqual(failing);
    expect(Object.values(reference)).not.toContain('NOT_EVALUATED');
    expect(Object.fromEntries([...fromFiles, ['CloudFormation resource', fromTemplate], ['Terraform plan resource', fromPlan]])).toEqual({
      'Config item': reference,
      'Config history': reference,
      'ECS API response': reference,
      'CloudFormation resource': reference,
      'Terraform plan resource': reference,
    });
  });
});

test('the CDK plugin fails what the CLI fails, on the same template', async () => {
  const { report } = await scanJson([TEMPLATE]);
  // The older (Beta1) context: template paths only.
  const context = { templatePaths: [TEMPLATE] } as unknown as IPolicyValidationContext;

  const pluginReport = new EcsControlChecks().validate(context);

  const failedByCli = report.findings.filter((finding) => finding.gating).map((finding) => `${finding.controlId} ${finding.resource.logicalId}`);
  const failedByPlugin = pluginReport.violations.filter((violation) => violation.severity === 'error').map((violation) => `${violation.ruleName} ${violation.violatingResources[0].resourceLogicalId}`);
  expect(failedByPlugin.sort()).toEqual(failedByCli.sort());
  expect(failedByCli.length).toBeGreaterThan(0);
  expect(pluginReport.success).toBe(false);
});
