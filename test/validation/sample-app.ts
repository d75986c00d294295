/**
 * A small CDK app with the plugin registered: a hardened Fargate task definition and one that runs
 * as root, a Fargate service on an old platform version, and a cluster without Container Insights.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsControlChecks, EcsControlChecksProps } from '../../lib/validation/ecs-control-checks';

export interface SampleApp {
  readonly app: App;
  readonly stack: Stack;
  /** Runs as root: fails ECS.20 (MEDIUM) only. */
  readonly rootTask: ecs.FargateTaskDefinition;
  readonly outdir: string;
  /** The validation report CDK writes into the cloud assembly. */
  report(): ValidationReport;
  remove(): void;
}

export interface ReportedViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly ruleMetadata: Record<string, string>;
  readonly violatingConstructs: { readonly constructPath: string; readonly cloudFormationResource?: { readonly logicalId: string; readonly templatePath?: string } }[];
}

export interface ValidationReport {
  readonly pluginReports: { readonly pluginName: string; readonly conclusion: string; readonly violations: ReportedViolation[] }[];
}

function hardenedContainer(task: ecs.TaskDefinition, user: string | undefined): void {
  task.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
    ...(user !== undefined && { user }),
    readonlyRootFilesystem: true,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app' }),
  });
}

export function sampleApp(props: EcsControlChecksProps = {}): SampleApp {
  const outdir = mkdtempSync(join(tmpdir(), 'ecs-control-checks-'));
  // `cdk synth` turns on path metadata (`aws:cdk:path`); an in-process app asks for it.
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  Validations.of(app).addPlugins(new EcsControlChecks(props));
  const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'us-east-1' } });
  Tags.of(stack).add('team', 'shop');

  const linux = { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 };
  const hardenedTask = new ecs.FargateTaskDefinition(stack, 'HardenedTask', { runtimePlatform: linux });
  hardenedContainer(hardenedTask, '1000:1000');
  const rootTask = new ecs.FargateTaskDefinition(stack, 'RootTask', { runtimePlatform: linux });
  hardenedContainer(rootTask, undefined);

  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  new ecs.FargateService(stack, 'Service', { cluster, taskDefinition: hardenedTask, platformVersion: ecs.FargatePlatformVersion.VERSION1_3 });
  // A stack with no resources: its template has no Resources section at all.
  new Stack(app, 'Empty');

  return {
    app,
    stack,
    rootTask,
    outdir,
    report: () => JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport,
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
