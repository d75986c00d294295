/**
 * CDK nested stacks, synthesized in-process from a real aws-cdk-lib app: a privileged container two
 * nested stacks deep fails `ecs-config-rules scan cdk.out` and `cdk synth` with the plugin, and its
 * findings name the nested stack's construct path and template.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import { CfnStack } from 'aws-cdk-lib/aws-cloudformation';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsControlChecks } from '../../lib/validation/ecs-control-checks';
import { ReportedViolation, ValidationReport } from '../validation/sample-app';
import { JsonFinding, runCli, scanJson } from './run-cli';

const CONTROLS = ['ECS.4', 'ECS.20'];
/** The CDK CLI's `cdk synth` asks for asset metadata (`aws:asset:path` on each nested stack resource). */
const ASSET_METADATA = { 'aws:cdk:enable-asset-metadata': true };

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), 'nested-stacks-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(outdir, { recursive: true, force: true });
});

interface AppOptions {
  readonly context?: Record<string, unknown>;
  readonly plugin?: boolean;
}

/**
 * `Web` holds a hardened task definition `Task`; `Web/Outer/Inner` holds a privileged one running as
 * root, with the same construct id, so both get the same logical id in their own templates.
 */
function nestedApp({ context = {}, plugin = false }: AppOptions = {}): App {
  const app = new App({ outdir, context });
  if (plugin) Validations.of(app).addPlugins(new EcsControlChecks({ controls: CONTROLS }));
  const web = new Stack(app, 'Web');
  new ecs.FargateTaskDefinition(web, 'Task').addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx'), user: '1000' });
  const inner = new NestedStack(new NestedStack(web, 'Outer'), 'Inner');
  new ecs.FargateTaskDefinition(inner, 'Task').addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx'), privileged: true, user: '0' });
  return app;
}

const failing = (findings: readonly JsonFinding[]) => findings.filter((finding) => finding.outcome === 'NON_COMPLIANT').map((finding) => [finding.controlId, finding.resource.stack, finding.resource.constructPath, finding.resource.file]);

describe('ecs-config-rules scan cdk.out', () => {
  const nestedTemplate = expect.stringMatching(/WebOuterInner[0-9A-F]{8}\.nested\.template\.json$/);

  test('a privileged container two nested stacks deep fails, named by its construct path, stack and template (found through the asset manifest)', async () => {
    nestedApp().synth();

    const { code, report } = await scanJson([outdir, '--controls', CONTROLS.join(',')]);

    expect(code).toBe(1);
    expect(failing(report.findings)).toEqual([
      ['ECS.4', 'Web/Outer/Inner', 'Web/Outer/Inner/Task/Resource', nestedTemplate],
      ['ECS.20', 'Web/Outer/Inner', 'Web/Outer/Inner/Task/Resource', nestedTemplate],
    ]);
    // The stack's own task definition keeps its own construct path, though its logical id is the same.
    expect(report.findings.filter((finding) => finding.resource.stack === 'Web').map((finding) => [finding.resource.constructPath, finding.outcome])).toEqual([
      ['Web/Task/Resource', 'COMPLIANT'],
      ['Web/Task/Resource', 'COMPLIANT'],
    ]);
    expect(report.summary).toMatchObject({ filesScanned: 3 });
  });

  test('with asset metadata, as `cdk synth` writes it, the nested templates are found without the asset manifest', async () => {
    nestedApp({ context: ASSET_METADATA }).synth();
    for (const file of readdirSync(outdir).filter((name) => name.endsWith('.assets.json'))) rmSync(join(outdir, file));

    const { code, report } = await scanJson([outdir, '--controls', CONTROLS.join(',')]);

    expect(code).toBe(1);
    expect(failing(report.findings)).toEqual([
      ['ECS.4', 'Web/Outer/Inner', 'Web/Outer/Inner/Task/Resource', nestedTemplate],
      ['ECS.20', 'Web/Outer/Inner', 'Web/Outer/Inner/Task/Resource', nestedTemplate],
    ]);
  });

  test('an acknowledgement on the nested stack suppresses its findings, as the CDK applies it', async () => {
    const app = nestedApp();
    const inner = app.node.findAll().find((construct) => construct.node.path === 'Web/Outer/Inner') as NestedStack;
    Validations.of(inner).acknowledge({ id: 'ecs-config-rules::ECS.4', reason: 'The capture sidecar needs privileged mode' });
    app.synth();

    const { report } = await scanJson([outdir, '--controls', CONTROLS.join(',')]);

    const nested = report.findings.filter((finding) => finding.resource.stack === 'Web/Outer/Inner');
    expect(nested.map((finding) => [finding.controlId, finding.status, finding.suppression?.where])).toEqual([
      ['ECS.4', 'suppressed', expect.stringMatching(/\(acknowledged on Web\/Outer\/Inner\)$/)],
      ['ECS.20', 'failed', undefined],
    ]);
  });
});

describe('cdk synth with the plugin', () => {
  function synthesisFails(app: App, error: RegExp): ReportedViolation[] {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => app.synth()).toThrow(error);
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
    return report.pluginReports.find((pluginReport) => pluginReport.pluginName === 'ecs-config-rules')?.violations ?? [];
  }

  test.each([
    ['the asset manifest', {}],
    ['asset metadata', ASSET_METADATA],
  ])('fails on a privileged container two nested stacks deep, naming its construct path and nested template (found through %s)', (_, context) => {
    const violations = synthesisFails(nestedApp({ context, plugin: true }), /ERROR ECS containers should run as non-privileged\. Task definition WebOuterInnerTask\w+ has privileged containers: app\./);

    expect(violations.map((violation) => [violation.ruleName, violation.severity, violation.violatingConstructs[0].constructPath])).toEqual([
      ['ECS.4', 'error', 'Web/Outer/Inner/Task/Resource'],
      ['ECS.20', 'error', 'Web/Outer/Inner/Task/Resource'],
    ]);
    expect(violations[0].violatingConstructs[0].cloudFormationResource).toEqual({ logicalId: 'Task79114B6B', templatePath: expect.stringMatching(/^WebOuterInner[0-9A-F]{8}\.nested\.template\.json$/) });
  });

  test('a nested stack whose template is only in S3 fails the synth as not read, even acknowledged; the CLI exits 2 on the same cdk.out', async () => {
    const app = new App({ outdir });
    Validations.of(app).addPlugins(new EcsControlChecks({ controls: CONTROLS }));
    const web = new Stack(app, 'Web');
    new CfnStack(web, 'Remote', { templateUrl: 'https://s3.amazonaws.com/shared-templates/remote.json' });
    Validations.of(web).acknowledge({ id: 'ecs-config-rules::not-read', reason: 'an acknowledgement cannot accept what was not checked' });

    const violations = synthesisFails(app, /Not read, so not checked: .*Web\.template\.json:\d+: nested stack Remote: its TemplateURL is no template of the cloud assembly/);

    expect(violations.map((violation) => [violation.ruleName, violation.severity, violation.violatingConstructs[0].constructPath])).toEqual([['not-read', 'fatal', 'Web/Remote']]);
    const run = await runCli(['scan', '--format', 'json', outdir]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).errors).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^nested stack Remote: /) })]);
  });
});
