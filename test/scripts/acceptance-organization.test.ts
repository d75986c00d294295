/**
 * scripts/acceptance-organization.sh --dry-run: every AWS CLI and CDK call it would make, checked
 * against the names of an organization assembly synthesized the way bin/app.ts does it (the same
 * context keys the script passes). A fake `aws` and `npx` first on PATH prove the dry run calls nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { controlRulesPropsFromContext } from '../../lib/app-context';
import { EcsControlRulesStack } from '../../lib/ecs-control-rules-stack';
import { NO_BUNDLING } from '../cdk/fleet';
import { memberTemplateJson } from '../cdk/organization-fleet';

const SCRIPT = join(__dirname, '../../scripts/acceptance-organization.sh');
const ORGANIZATION = { organizationId: 'o-a1b2c3d4e5', ou: 'ou-ab12-cdef3456', member: '111111111111', joiner: '222222222222', regions: ['us-east-1', 'eu-west-1'] };

const work = mkdtempSync(join(tmpdir(), 'acceptance-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The assembly `npx cdk synth` writes for the script's context, and the stack it holds. */
function synthesize() {
  const outdir = join(work, 'cdk.out');
  const app = new App({
    outdir,
    context: { ...NO_BUNDLING, deployment: 'organization', regions: ORGANIZATION.regions.join(','), organizationId: ORGANIZATION.organizationId, targetOus: ORGANIZATION.ou, callAs: 'DELEGATED_ADMIN' },
  });
  const props = controlRulesPropsFromContext(app.node);
  const stack = new EcsControlRulesStack(app, 'EcsConfigRules', { env: { region: ORGANIZATION.regions[0] }, crossRegionReferences: true, ...props });
  const assembly = app.synth();
  return { outdir, stack, template: assembly.getStackByName(stack.stackName).template as Record<string, any> };
}

const { outdir, stack, template } = synthesize();
const resources = (source: Record<string, any>, type: string) => Object.values<Record<string, any>>(source.Resources).filter((resource) => resource.Type === type);

/** A PATH whose `aws` and `npx` only leave a mark: a dry run must never reach them. */
function pathWithFakes(): { path: string; called: () => boolean } {
  const bin = join(work, 'bin');
  const mark = join(work, 'called');
  execFileSync('mkdir', ['-p', bin]);
  for (const tool of ['aws', 'npx']) {
    writeFileSync(join(bin, tool), `#!/bin/sh\ntouch '${mark}'\nexit 99\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  return { path: `${bin}:${process.env.PATH}`, called: () => existsSync(mark) };
}

function dryRun(extra: string[] = []) {
  const fakes = pathWithFakes();
  const args = ['--organization-id', ORGANIZATION.organizationId, '--ou', ORGANIZATION.ou, '--member', ORGANIZATION.member, '--joiner', ORGANIZATION.joiner];
  const run = spawnSync('bash', [SCRIPT, ...args, '--regions', ORGANIZATION.regions.join(','), '--management-profile', 'mgmt', '--dry-run', ...extra], {
    encoding: 'utf8',
    env: { ...process.env, PATH: fakes.path },
  });
  return { ...run, calls: run.stdout.trim().split('\n'), called: fakes.called() };
}

describe('the dry run', () => {
  const run = dryRun(['--assembly', outdir]);
  const callsOf = (prefix: string) => run.calls.filter((call) => call.startsWith(prefix));

  test('succeeds, prints only AWS CLI and CDK calls, and calls neither', () => {
    expect(run.stderr).toContain('acceptance-organization: PASSED');
    expect(run.status).toBe(0);
    expect(run.calls.every((call) => call.startsWith('aws ') || call.startsWith('npx cdk '))).toBe(true);
    expect(run.called).toBe(false);
  });

  test('deploys and destroys the synthesized assembly, in that order, last the check that no StackSet is left', () => {
    const stackSetName = resources(template, 'AWS::CloudFormation::StackSet')[0].Properties.StackSetName;
    expect(run.calls[0]).toBe(`npx cdk deploy --all --app ${outdir} --require-approval never`);
    expect(run.calls.at(-2)).toBe(`npx cdk destroy --all --app ${outdir} --force`);
    expect(run.calls.at(-1)).toBe(`aws cloudformation describe-stack-set --stack-set-name ${stackSetName} --call-as DELEGATED_ADMIN --region us-east-1`);
  });

  test("waits for the member's and then the joiner's stack instances of the synthesized StackSet", () => {
    const stackSetName = resources(template, 'AWS::CloudFormation::StackSet')[0].Properties.StackSetName;
    const waits = callsOf('aws cloudformation list-stack-instances');
    expect(waits.map((call) => /--stack-instance-account (\d+)/.exec(call)![1])).toEqual([ORGANIZATION.member, ORGANIZATION.joiner]);
    for (const wait of waits) expect(wait).toContain(`--stack-set-name ${stackSetName} --call-as DELEGATED_ADMIN`);
  });

  test('asks for every rule of the member template, in every Region, in both accounts', () => {
    const ruleNames = resources(memberTemplateJson(stack), 'AWS::Config::ConfigRule').map((rule) => rule.Properties.ConfigRuleName);
    expect(ruleNames).toHaveLength(17);
    const checks = callsOf('aws configservice describe-config-rules');
    expect(checks).toHaveLength(2 * ORGANIZATION.regions.length);
    for (const [index, check] of checks.entries()) {
      expect(check).toContain(`--config-rule-names ${ruleNames.join(' ')} --region ${ORGANIZATION.regions[index % 2]}`);
    }
    const assumed = callsOf('aws sts assume-role').map((call) => /arn:aws:iam::(\d+):role\/OrganizationAccountAccessRole/.exec(call)![1]);
    expect(assumed).toEqual([ORGANIZATION.member, ORGANIZATION.joiner]);
  });

  test("runs every stored query of the central stack against the synthesized aggregator", () => {
    const queryNames = resources(template, 'AWS::Config::StoredQuery').map((query) => query.Properties.QueryName);
    const aggregator = resources(template, 'AWS::Config::ConfigurationAggregator')[0].Properties.ConfigurationAggregatorName;
    expect(queryNames.length).toBeGreaterThanOrEqual(3);
    expect(callsOf('aws configservice get-stored-query').map((call) => /--query-name (\S+)/.exec(call)![1])).toEqual(queryNames);
    const selects = callsOf('aws configservice select-aggregate-resource-config');
    expect(selects).toHaveLength(queryNames.length);
    for (const select of selects) expect(select).toContain(`--configuration-aggregator-name ${aggregator}`);
  });

  test('moves the joiner into the OU after the member is checked, and back before the destroy', () => {
    const moves = run.calls.map((call, index) => [call, index] as const).filter(([call]) => call.startsWith('aws organizations move-account'));
    expect(moves.map(([call]) => call)).toEqual([
      `aws organizations move-account --account-id ${ORGANIZATION.joiner} --source-parent-id r-dryrun --destination-parent-id ${ORGANIZATION.ou} --profile mgmt`,
      `aws organizations move-account --account-id ${ORGANIZATION.joiner} --source-parent-id ${ORGANIZATION.ou} --destination-parent-id r-dryrun --profile mgmt`,
    ]);
    const joinerWait = run.calls.findIndex((call) => call.includes(`--stack-instance-account ${ORGANIZATION.joiner}`));
    expect(moves[0][1]).toBeLessThan(joinerWait);
    expect(moves[1][1]).toBeLessThan(run.calls.indexOf(`npx cdk destroy --all --app ${outdir} --force`));
  });
});

// Calls are printed shell-quoted (printf %q: a comma comes out as \\,), so each line pastes back into a shell as is.
test('without --assembly, the dry run first synthesizes with the context the test used, and then needs the assembly', () => {
  const run = dryRun();
  expect(run.calls[0]).toBe(
    `npx cdk synth --quiet -o cdk.out.acceptance -c deployment=organization -c regions=us-east-1\\,eu-west-1 -c organizationId=${ORGANIZATION.organizationId} -c targetOus=${ORGANIZATION.ou} -c callAs=DELEGATED_ADMIN`,
  );
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('a dry run reads the names from an assembly: pass --assembly DIR');
});

test('a missing argument is refused with its name and the usage', () => {
  const run = spawnSync('bash', [SCRIPT, '--dry-run', '--ou', ORGANIZATION.ou], { encoding: 'utf8' });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('--organization-id is required');
  expect(run.stderr).toContain('scripts/acceptance-organization.sh --organization-id');
});
