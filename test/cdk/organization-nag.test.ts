/**
 * cdk-nag (AwsSolutions, Serverless) on what organization mode adds: the aggregator, the member-role
 * StackSet, the invoke-permission nested stacks, the AssumeRole grant, and the queries and dashboard
 * of both modes raise nothing unacknowledged. Findings on what account mode already has are the
 * hardened-stack work's (test/nag).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { EcsControlRulesStack } from '../../lib/ecs-control-rules-stack';
import { NO_BUNDLING } from './fleet';

interface Violation {
  readonly ruleName: string;
  readonly violatingConstructs: Array<{ constructPath: string }>;
}

function nagViolations(): Violation[] {
  const app = new App({ context: NO_BUNDLING });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  new EcsControlRulesStack(app, 'Central', { deployment: 'organization', organization: { targetOrganizationalUnitIds: ['r-ab12'], memberAccounts: ['111111111111'] } });
  const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch {
    // The report is written either way; the findings on account-mode resources make synth fail.
  } finally {
    log.mockRestore();
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((plugin: { violations?: Violation[] }) => plugin.violations ?? []);
}

const ORGANIZATION_PARTS = /\/(Aggregator|MemberRole|InvokePermissions|Queries|Dashboard)\//;

test('nothing organization mode adds has an unacknowledged finding', () => {
  const violations = nagViolations();
  const onOrganizationParts = violations.flatMap((violation) =>
    violation.violatingConstructs.filter((construct) => ORGANIZATION_PARTS.test(construct.constructPath)).map((construct) => `${violation.ruleName} ${construct.constructPath}`),
  );
  expect(onOrganizationParts).toEqual([]);
  expect(violations.map((violation) => violation.ruleName).filter((rule) => rule.includes(':iam::*:role/'))).toEqual([]);
});
