/**
 * The scanner at monorepo scale (`npm run bench:scan`): writes 10,000 task definitions to a temporary
 * directory, as CloudFormation templates (JSON and YAML) and single describe-task-definition files
 * among unrelated JSON, then runs `ecs-config-rules scan` on it through the CLI's own code path
 * (`runScan`: discovery, parsing, adapters, controls, report) and prints definitions per second
 * (the first scan, as one CLI run is, and the best of a few once warm) and the scanning process's
 * peak memory, each format in a scanning process of its own. It measures and prints; it asserts nothing.
 *
 * The scanning process runs this file compiled to JavaScript by esbuild (dependencies left to
 * node_modules), as the published CLI runs tsc's output: not through tsx, whose on-the-fly transform
 * adds a `__name` call to every function it creates (3% of a scan's CPU in a profile).
 *
 *   npm run bench:scan                      # 10,000 definitions: table, SARIF, HTML and OCSF
 *   npm run bench:scan -- --definitions 50000
 *   npm run bench:scan -- --node "$(npx -y -p node@24 which node)"   # the scan on another Node.js
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { build } from 'esbuild';
import { runScan } from '../cli/scan';
import { OUT_DIR } from './bundles';

const DEFINITIONS = Number(process.argv[process.argv.indexOf('--definitions') + 1]) || 10_000;
/** The Node.js binary the scanning process runs on (`--node`), this one by default. */
const NODE = process.argv.includes('--node') ? process.argv[process.argv.indexOf('--node') + 1] : process.execPath;
const TEMPLATES_JSON = 8;
const TEMPLATES_YAML = 2;
/** A tenth of the definitions are single describe-task-definition files, as an `aws ecs` export leaves them. */
const SINGLE_FILES = Math.round(DEFINITIONS / 10);
const UNRELATED_FILES = 500;
const RUNS = 4;
/** The formats timed, each on the whole corpus; HTML holds every finding of the scan in one page, OCSF an event for each. */
const BENCH_FORMATS = ['table', 'sarif', 'html', 'ocsf'];

/** A CloudFormation task definition with some variety: users, sidecars, EFS, Windows, secrets. */
function templateTaskDefinition(index: number) {
  const windows = index % 17 === 0;
  const container = (name: string, user: string | undefined) => ({
    Name: name,
    Image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}:${index}`,
    Essential: name === 'app',
    ...(user !== undefined && { User: user }),
    ReadonlyRootFilesystem: index % 3 !== 0,
    ...(index % 5 !== 0 && { LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': `/ecs/service-${index}` } } }),
    Environment: [
      { Name: 'LOG_LEVEL', Value: 'info' },
      { Name: index % 97 === 0 ? 'AWS_SECRET_ACCESS_KEY' : 'REGION', Value: 'us-east-1' },
    ],
    PortMappings: [{ ContainerPort: 8080 }],
  });
  return {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      Family: `service-${index}`,
      Cpu: '256',
      Memory: '512',
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { OperatingSystemFamily: windows ? 'WINDOWS_SERVER_2019_CORE' : 'LINUX' },
      ContainerDefinitions: [container('app', index % 4 === 0 ? undefined : '1000:1000'), container('log-router', index % 7 === 0 ? '0' : '101')],
      ...(index % 11 === 0 && { Volumes: [{ Name: 'shared', EFSVolumeConfiguration: { FilesystemId: 'fs-12345678', TransitEncryption: index % 22 === 0 ? 'ENABLED' : 'DISABLED' } }] }),
      Tags: [{ Key: 'team', Value: `team-${index % 13}` }],
    },
  };
}

/** The same task definition as `aws ecs describe-task-definition --include TAGS` prints it. */
function describedTaskDefinition(index: number) {
  const { Properties } = templateTaskDefinition(index);
  return {
    taskDefinition: {
      taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/service-${index}:3`,
      family: Properties.Family,
      revision: 3,
      status: 'ACTIVE',
      networkMode: 'awsvpc',
      runtimePlatform: { operatingSystemFamily: Properties.RuntimePlatform.OperatingSystemFamily },
      containerDefinitions: Properties.ContainerDefinitions.map((container) => ({
        name: container.Name,
        image: container.Image,
        user: container.User,
        readonlyRootFilesystem: container.ReadonlyRootFilesystem,
        ...(container.LogConfiguration && { logConfiguration: { logDriver: container.LogConfiguration.LogDriver } }),
        environment: container.Environment.map((variable) => ({ name: variable.Name, value: variable.Value })),
      })),
      volumes: [],
    },
    tags: [{ key: 'team', value: 'platform' }],
  };
}

function writeCorpus(root: string): number {
  const inTemplates = DEFINITIONS - SINGLE_FILES;
  const templates = TEMPLATES_JSON + TEMPLATES_YAML;
  let index = 0;
  for (let file = 0; file < templates; file++) {
    const count = Math.floor(inTemplates / templates) + (file < inTemplates % templates ? 1 : 0);
    const resources: Record<string, unknown> = {};
    for (let n = 0; n < count; n++, index++) resources[`TaskDefinition${index}`] = templateTaskDefinition(index);
    const directory = join(root, `stack-${file}`);
    mkdirSync(directory, { recursive: true });
    const template = { AWSTemplateFormatVersion: '2010-09-09', Resources: resources };
    if (file < TEMPLATES_JSON) writeFileSync(join(directory, 'template.json'), JSON.stringify(template, null, 1));
    else writeFileSync(join(directory, 'template.yaml'), stringify(template));
  }
  const exported = join(root, 'exported');
  mkdirSync(exported);
  for (let n = 0; n < SINGLE_FILES; n++, index++) writeFileSync(join(exported, `service-${index}.json`), JSON.stringify(describedTaskDefinition(index), null, 2));
  const unrelated = join(root, 'packages');
  mkdirSync(unrelated);
  for (let n = 0; n < UNRELATED_FILES; n++) writeFileSync(join(unrelated, `package-${n}.json`), JSON.stringify({ name: `package-${n}`, version: '1.0.0', dependencies: { yaml: '^2.0.0' } }));
  return index;
}

/** A sink standing in for standard output: the report is built and written, then dropped. */
function sink(): NodeJS.WriteStream {
  let bytes = 0;
  return {
    isTTY: false,
    write: (chunk: string) => {
      bytes += chunk.length;
      return true;
    },
    get bytesWritten() {
      return bytes;
    },
  } as unknown as NodeJS.WriteStream;
}

async function timeScan(root: string, format: string): Promise<{ seconds: number; exitCode: number; reportBytes: number }> {
  const stdout = sink();
  const started = performance.now();
  const exitCode = await runScan({ paths: [root], format, severityThreshold: 'low' }, { stdout, stderr: process.stderr, readStdin: () => '', cwd: root, env: {} });
  return { seconds: (performance.now() - started) / 1000, exitCode, reportBytes: (stdout as unknown as { bytesWritten: number }).bytesWritten };
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** maxRSS is in kilobytes (https://nodejs.org/api/process.html#processresourceusage). */
const peakMemory = () => process.resourceUsage().maxRSS * 1024;

/** One format, in a process of its own: its peak memory is that format's scan, not the corpus writer's or another format's. */
async function scanCorpus(root: string, definitions: number, format: string): Promise<void> {
  const rate = (seconds: number) => `${seconds.toFixed(2)} s, ${Math.round(definitions / seconds).toLocaleString('en-US')} definitions/s`;
  const runs = [];
  let firstScanPeak: number | undefined;
  for (let run = 0; run < RUNS; run++) {
    runs.push(await timeScan(root, format));
    firstScanPeak ??= peakMemory();
  }
  if (runs.some((run) => run.exitCode === 2)) throw new Error(`the ${format} scan failed`);
  const best = Math.min(...runs.map((run) => run.seconds));
  console.log(`scan --format ${format.padEnd(5)}  first ${rate(runs[0].seconds)}  ·  best of ${RUNS} ${rate(best)}  (${megabytes(runs[0].reportBytes)} report)  ·  max RSS: first scan ${megabytes(firstScanPeak as number)}, all ${RUNS} ${megabytes(peakMemory())}`);
}

/** This file as JavaScript, its packages resolved from node_modules at run time (beside it). */
async function compileThisFile(): Promise<string> {
  const outfile = join(OUT_DIR, 'scan-bench.cjs');
  await build({ entryPoints: [__filename], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'error' });
  return outfile;
}

async function main(): Promise<void> {
  const scanOnly = process.argv.indexOf('--scan');
  if (scanOnly >= 0) return scanCorpus(process.argv[scanOnly + 1], DEFINITIONS, process.argv[process.argv.indexOf('--format') + 1]);
  const root = mkdtempSync(join(tmpdir(), 'ecs-config-rules-scan-bench-'));
  try {
    const written = writeCorpus(root);
    console.log(`Node.js ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()}. Wrote ${written} task definitions: ${TEMPLATES_JSON} JSON + ${TEMPLATES_YAML} YAML templates, ${SINGLE_FILES} describe-task-definition files, ${UNRELATED_FILES} unrelated JSON files.`);
    const compiled = await compileThisFile();
    for (const format of BENCH_FORMATS) {
      const child = spawnSync(NODE, [compiled, '--scan', root, '--format', format, '--definitions', String(written)], { stdio: 'inherit' });
      if (child.status !== 0) throw new Error(`the ${format} scanning process failed (exit ${child.status})`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
