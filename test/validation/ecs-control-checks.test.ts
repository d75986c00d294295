/**
 * The CDK validation plugin on a sample app, synthesized in-process: a NON_COMPLIANT resource fails
 * synth with its construct path and reason; threshold, suppressions and verdicts as in the CLI.
 */
import { join } from 'node:path';
import { CfnResource, aws_ecs as ecs } from 'aws-cdk-lib';
import { EcsControlChecks, suppressEcsControls } from '../../lib/validation/ecs-control-checks';
import { scanJson } from '../cli/run-cli';
import { ReportedViolation, SampleApp, sampleApp } from './sample-app';

let sample: SampleApp | undefined;
/** The validation report as CDK renders it: an in-memory synth throws it, else prints it. */
let rendered = '';

beforeEach(() => {
  rendered = '';
  jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => {
    rendered += parts.join(' ');
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  sample?.remove();
  sample = undefined;
});

function synthesize(app: SampleApp): ReportedViolation[] {
  sample = app;
  app.app.synth();
  return app.report().pluginReports.find((report) => report.pluginName === 'ecs-config-rules')?.violations ?? [];
}

function synthesisFails(app: SampleApp): ReportedViolation[] {
  sample = app;
  let thrown: unknown;
  try {
    app.app.synth();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(Error);
  rendered += (thrown as Error).message;
  return app.report().pluginReports.find((report) => report.pluginName === 'ecs-config-rules')?.violations ?? [];
}

const FAR_FUTURE = '2099-12-31';

describe('cdk synth', () => {
  test('fails on a NON_COMPLIANT task definition, naming the construct path and the reason', () => {
    const violations = synthesisFails(sampleApp());

    expect(violations.map((violation) => [violation.ruleName, violation.severity, violation.violatingConstructs[0].constructPath])).toEqual([
      ['ECS.20', 'error', 'Shop/RootTask/Resource'],
      ['ECS.10', 'error', 'Shop/Service/Service'],
    ]);
    expect(violations[0].description).toMatch(/^ECS Task Definitions should configure non-root users in Linux container definitions\. Task definition ShopRootTask\w+ has containers running as root: app \(no user\)\.$/);
    expect(rendered).toMatch(/ERROR ECS Task Definitions should configure non-root users .*running as root: app \(no user\)\. \(ecs-config-rules\)\n\s+Shop\/RootTask\/Resource \(RootTask\w+\)/);
  });

  test('below the severity threshold, findings are reported as warnings and synth succeeds', () => {
    const violations = synthesize(sampleApp({ severityThreshold: 'HIGH' }));

    expect(violations.map((violation) => [violation.ruleName, violation.severity])).toEqual([
      ['ECS.20', 'warning'],
      ['ECS.10', 'warning'],
    ]);
  });

  test('only the chosen controls run, with the parameters given', () => {
    const violations = synthesize(sampleApp({ controls: ['ECS.10'], parameters: { 'ECS.10': { latestLinuxVersion: '1.3.0' } } }));

    expect(violations).toEqual([]);
  });

  test('the same verdicts as the CLI scanning the same cloud assembly', async () => {
    const app = sampleApp();
    const violations = synthesisFails(app);

    const { report } = await scanJson([app.outdir]);

    const failingInCli = report.findings.filter((finding) => finding.status === 'failed').map((finding) => `${finding.controlId} ${finding.resource.logicalId}`);
    const failingInPlugin = violations.map((violation) => `${violation.ruleName} ${violation.violatingConstructs[0].cloudFormationResource?.logicalId}`);
    expect(failingInCli.sort()).toEqual(failingInPlugin.sort());
  });
});

test('names and values from the templates reach `cdk synth` output escaped: a crafted container name cannot fake a line or drive the terminal', () => {
  const app = sampleApp({ controls: ['ECS.4'] });
  new ecs.CfnTaskDefinition(app.stack, 'Crafted', { containerDefinitions: [{ name: 'app\u001b[2K\n✔ No failing finding', image: 'app:1', privileged: true }] });

  const violations = synthesisFails(app);

  const crafted = violations.find((violation) => violation.violatingConstructs[0].constructPath === 'Shop/Crafted')!;
  expect(crafted.description).toContain('privileged containers: app\\u001b[2K');
  expect(rendered).not.toContain('\u001b');
  expect(rendered).not.toMatch(/\n✔ No failing finding/);
});

describe('suppressions', () => {
  test('suppressEcsControls: the finding is listed as suppressed (info) and no longer fails synth', () => {
    const app = sampleApp({ controls: ['ECS.20'] });
    suppressEcsControls(app.rootTask, [{ id: 'ECS.20', reason: 'nginx needs root to bind port 80 until WEB-7.', expires: FAR_FUTURE }]);

    const violations = synthesize(app);

    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ ruleName: 'ECS.20', severity: 'info', ruleMetadata: { status: 'suppressed', outcome: 'NON_COMPLIANT' } });
    expect(violations[0].description).toMatch(/^Suppressed: .*\(accepted until 2099-12-31: nginx needs root to bind port 80 until WEB-7\. \(.*Shop\.template\.json:\d+\)\)$/);
  });

  test('EcsControlChecks.suppress, the same for the languages jsii reaches (no free functions there), adds to what suppressEcsControls wrote', () => {
    const app = sampleApp({ controls: ['ECS.20', 'ECS.5'] });
    suppressEcsControls(app.rootTask, [{ id: 'ECS.20', reason: 'one', expires: FAR_FUTURE }]);
    EcsControlChecks.suppress(app.rootTask, [{ id: 'ECS.5', reason: 'two', expires: FAR_FUTURE }]);

    expect((app.rootTask.node.defaultChild as CfnResource).getMetadata('ecs-config-rules')).toEqual({
      suppressions: [
        { id: 'ECS.20', reason: 'one', expires: FAR_FUTURE },
        { id: 'ECS.5', reason: 'two', expires: FAR_FUTURE },
      ],
    });
    expect(() => EcsControlChecks.suppress(app.rootTask, [{ id: 'ECS.4', reason: '' }])).toThrow('Suppressing ECS.4 on Shop/RootTask needs a `reason`');
    expect(synthesize(app).filter((violation) => violation.severity !== 'info')).toEqual([]);
  });

  test('an expired suppression fails synth again', () => {
    const app = sampleApp({ controls: ['ECS.20'] });
    suppressEcsControls(app.rootTask, [{ id: 'ECS.20', reason: 'Was fine last year.', expires: '2020-01-01' }]);

    const [violation] = synthesisFails(app);

    expect(violation).toMatchObject({ ruleName: 'ECS.20', severity: 'error', ruleMetadata: { status: 'failed' } });
    expect(violation.description).toContain('suppression expired on 2020-01-01');
  });

  test('a suppressions file, as the CLI reads it (matching the construct path)', () => {
    const app = sampleApp({ controls: ['ECS.20'], suppressionsFile: join(__dirname, 'fixtures', 'suppressions.yml') });

    const [violation] = synthesize(app);

    expect(violation).toMatchObject({ severity: 'info', ruleMetadata: { status: 'suppressed' } });
    expect(violation.description).toContain('fixtures/suppressions.yml:2');
  });

  test('a reason is required', () => {
    const app = sampleApp();
    sample = app;

    expect(() => suppressEcsControls(app.rootTask, [{ id: 'ECS.20', reason: ' ' }])).toThrow('Suppressing ECS.20 on Shop/RootTask needs a `reason`');
    // Metadata written by hand is checked at synth.
    (app.rootTask.node.defaultChild as CfnResource).addMetadata('ecs-config-rules', { suppressions: [{ id: 'ECS.20' }] });
    // The template is an input not read, as the CLI lists it: a fatal violation, which fails the synth.
    expect(() => app.app.synth()).toThrow(/FATAL Not read, so not checked: .*Shop\.template\.json:\d+: Resources\.RootTask\w+\.Metadata\.ecs-config-rules\.suppressions\[0\]: a suppression needs a reason/);
    expect(app.report().pluginReports[0]).toMatchObject({ conclusion: 'failure', violations: [{ ruleName: 'not-read', severity: 'fatal' }] });
  });

  test('suppressions add up on one resource', () => {
    const app = sampleApp();
    sample = app;
    suppressEcsControls(app.rootTask, [{ id: 'ECS.20', reason: 'one' }]);
    suppressEcsControls(app.rootTask, [{ id: 'ECS.5', reason: 'two' }]);

    expect((app.rootTask.node.defaultChild as CfnResource).getMetadata('ecs-config-rules')).toEqual({
      suppressions: [
        { id: 'ECS.20', reason: 'one' },
        { id: 'ECS.5', reason: 'two' },
      ],
    });
  });
});

describe('props', () => {
  test.each([
    [{ controls: ['ECS.99'] }, '`controls`: Unknown control "ECS.99"'],
    [{ controls: [] }, '`controls` must name at least one control (omit it for all).'],
    [{ parameters: { 'ECS.8': { secretkeys: 'A' } } }, '`parameters`: ECS.8 has no parameter "secretkeys"'],
    [{ severityThreshold: 'SEVERE' as never }, '`severityThreshold` must be one of LOW, MEDIUM, HIGH, CRITICAL, got "SEVERE".'],
    [{ suppressionsFile: 'no/such.yml' }, '`suppressionsFile`: no/such.yml: cannot read (ENOENT)'],
    [{ severityThreshold: 'CRITICAL' as const }, '`severityThreshold` CRITICAL can fail nothing: no control is CRITICAL or above, the most severe being HIGH; lower the threshold. Set `allowEmptyGate`'],
    [{ controls: ['ECS.15'], severityThreshold: 'HIGH' as const }, '`severityThreshold` HIGH can fail nothing: none of the controls selected by `controls` (ECS.15) is HIGH or above'],
  ])('%j is rejected by name', (props, message) => {
    expect(() => new EcsControlChecks(props)).toThrow(message);
  });

  test('a gate that cannot fail the synth runs only when allowEmptyGate says so', () => {
    expect(() => new EcsControlChecks({ severityThreshold: 'CRITICAL', allowEmptyGate: true })).not.toThrow();
  });

  test('names itself and its rules for CDK', () => {
    const plugin = new EcsControlChecks({ controls: ['ECS.20', 'ECS.4'] });

    expect(plugin).toMatchObject({ name: 'ecs-config-rules', ruleIds: ['ECS.4', 'ECS.20'] });
  });
});
