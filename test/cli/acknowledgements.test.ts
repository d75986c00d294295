/**
 * The CDK plugin and the CLI agree on acknowledgements: what a CDK app acknowledges
 * (`Validations.of(scope).acknowledge`, `suppressEcsControls`) passes the plugin at synth, and the
 * CLI scanning that app's cdk.out suppresses the same findings, shows them as suppressed, and names
 * the construct path and the app's source line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsControlChecks, suppressEcsControls } from '../../lib/validation/ecs-control-checks';
import { capturingOutput } from '../capture-output';
import { REPOSITORY, runCli, scanJson } from './run-cli';

const CONTROLS = ['ECS.4', 'ECS.5'];
const THIS_FILE = relative(REPOSITORY, __filename);
let outdir: string;

beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
});
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

interface AppOptions {
  readonly acknowledge: boolean;
}

/** A privileged container with a writable root filesystem: ECS.4 and ECS.5 fail unless accepted. */
/** Synthesizes the app: what the plugin's report printed (the CDK prints suppressed findings too). */
function synthApp({ acknowledge }: AppOptions): string {
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new EcsControlChecks({ controls: CONTROLS }));
  const stack = new Stack(app, 'Web');
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx'), privileged: true, user: '1000' });
  if (acknowledge) {
    Validations.of(stack).acknowledge({ id: 'ecs-config-rules::ECS.4', reason: 'The packet capture sidecar needs privileged mode' });
    suppressEcsControls(taskDefinition, [{ id: 'ECS.5', reason: 'Writes its capture files to the root filesystem' }]);
  }
  return capturingOutput(() => app.synth()).printed;
}

test('acknowledged in the app: the plugin passes and the CLI passes the same cdk.out, showing both as suppressed', async () => {
  const printed = synthApp({ acknowledge: true });

  expect(printed).toMatch(/INFO Suppressed: .*accepted: Writes its capture files to the root filesystem/);
  const { code, report } = await scanJson([outdir, '--controls', CONTROLS.join(',')]);

  expect(code).toBe(0);
  const byControl = Object.fromEntries(report.findings.map((finding) => [finding.controlId, finding]));
  expect(byControl['ECS.4']).toMatchObject({ status: 'suppressed', gating: false, suppression: { origin: 'acknowledgement', reason: 'The packet capture sidecar needs privileged mode', expired: false } });
  expect(byControl['ECS.4'].suppression!.where).toMatch(new RegExp(`^${THIS_FILE.replace(/[.]/g, '\\.')}:\\d+ \\(acknowledged on Web\\)$`));
  expect(byControl['ECS.5']).toMatchObject({ status: 'suppressed', suppression: { origin: 'metadata', reason: 'Writes its capture files to the root filesystem' } });
});

test('without the acknowledgement both the plugin and the CLI fail', async () => {
  expect(() => synthApp({ acknowledge: false })).toThrow(/Acknowledge with 'ecs-config-rules::ECS\.4'/);

  const { code, report } = await scanJson([outdir, '--controls', CONTROLS.join(',')]);

  expect(code).toBe(1);
  expect(report.findings.map((finding) => [finding.controlId, finding.status])).toEqual([
    ['ECS.4', 'failed'],
    ['ECS.5', 'failed'],
  ]);
});

test('another plugin\'s acknowledgement, or one without the plugin\'s namespace, suppresses nothing (as in the CDK)', async () => {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Web');
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx'), privileged: true, user: '1000' });
  Validations.of(taskDefinition).acknowledge({ id: 'AwsSolutions-ECS4', reason: 'cdk-nag rule, not ours' }, { id: 'ECS.4', reason: 'no plugin namespace: an annotation acknowledgement' });
  app.synth();

  const { report } = await scanJson([outdir, '--controls', 'ECS.4']);

  expect(report.findings.map((finding) => finding.status)).toEqual(['failed']);
});

test('findings name the construct path and the app line that created the resource; SARIF points there', async () => {
  expect(() => synthApp({ acknowledge: false })).toThrow(); // the plugin fails the synth; the assembly is written
  const template = JSON.parse(readFileSync(join(outdir, 'Web.template.json'), 'utf8'));
  // Without the CDK CLI the template carries no aws:cdk:path: the path comes from Web.metadata.json.
  expect(JSON.stringify(template)).not.toContain('aws:cdk:path');

  const { report } = await scanJson([outdir, '--controls', 'ECS.4']);
  const sarif = JSON.parse((await runCli(['scan', outdir, '--controls', 'ECS.4', '--format', 'sarif'])).stdout);

  const resource = report.findings[0].resource as Record<string, any>;
  expect(resource.constructPath).toBe('Web/Task/Resource');
  expect(resource.source).toEqual({ file: THIS_FILE, line: expect.any(Number) });
  const line = readFileSync(__filename, 'utf8').split('\n')[resource.source.line - 1];
  expect(line).toContain('new ecs.FargateTaskDefinition');
  const result = sarif.runs[0].results[0];
  expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: THIS_FILE, uriBaseId: '%SRCROOT%' }, region: { startLine: resource.source.line } });
  expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toBe('Web/Task/Resource');
  expect(result.relatedLocations[0].physicalLocation.artifactLocation.uri).toMatch(/Web\.template\.json$/);
});
