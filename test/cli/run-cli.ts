/** Runs the real CLI (`main`: argument parsing and all) with captured output, and writes input files. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../cli/program';

export const REPOSITORY = join(__dirname, '..', '..');
export const FIXTURES = join(__dirname, 'fixtures');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  readonly stdin?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Standard output is a terminal. */
  readonly isTTY?: boolean;
  /** Standard error is a terminal (where a live scan draws its progress bar). */
  readonly stderrTTY?: boolean;
  readonly now?: Date;
}

function capture(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = { isTTY, write: (chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const stdout = capture(options.isTTY ?? false);
  const stderr = capture(options.stderrTTY ?? false);
  const code = await main(argv, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    readStdin: () => options.stdin ?? '',
    cwd: options.cwd ?? REPOSITORY,
    env: options.env ?? {},
    ...(options.now && { now: () => options.now as Date }),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** `--format json` output, parsed. */
export async function scanJson(argv: readonly string[], options: CliOptions = {}) {
  const run = await runCli(['scan', '--format', 'json', ...argv], options);
  if (run.code === 2) throw new Error(`scan failed: ${run.stderr}`);
  return { ...run, report: JSON.parse(run.stdout) as JsonReport };
}

export interface JsonFinding {
  readonly controlId: string;
  readonly severity: string;
  readonly resourceType: string;
  readonly resource: { readonly name: string; readonly file?: string; readonly line?: number; readonly logicalId?: string; readonly constructPath?: string; readonly stack?: string; readonly arn?: string; readonly account?: string; readonly region?: string };
  readonly outcome: string;
  readonly status: string;
  readonly gating: boolean;
  readonly reason: string;
  readonly suppression?: { readonly reason: string; readonly expires?: string; readonly expired: boolean; readonly origin: string; readonly where: string };
}

export interface JsonReport {
  readonly exitCode: number;
  readonly summary: Record<string, number>;
  readonly findings: readonly JsonFinding[];
}

/** `{ 'ECS.4': 'COMPLIANT', ... }` for one resource of a JSON report. */
export function outcomesOf(report: JsonReport, resourceName: string): Record<string, string> {
  return Object.fromEntries(report.findings.filter((finding) => finding.resource.name === resourceName).map((finding) => [finding.controlId, finding.outcome]));
}

export function findingOf(report: JsonReport, resourceName: string, controlId: string): JsonFinding {
  const finding = report.findings.find((candidate) => candidate.resource.name === resourceName && candidate.controlId === controlId);
  if (!finding) throw new Error(`no ${controlId} finding for ${resourceName}`);
  return finding;
}

/**
 * A registered task definition as the ECS API spells it (`aws ecs describe-task-definition`): one
 * container that passes the container controls unless `container` says otherwise.
 */
export function apiTaskDefinition(family: string, revision: number, container: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`,
    family,
    revision,
    status: 'ACTIVE',
    networkMode: 'awsvpc',
    containerDefinitions: [{ name: 'app', image: 'app:1', readonlyRootFilesystem: true, logConfiguration: { logDriver: 'awslogs' }, ...container }],
    volumes: [],
    ...extra,
  };
}

/** A temporary directory with `files` (name → text or JSON value); remove it with the returned function. */
export function writeTree(files: Readonly<Record<string, unknown>>): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-config-rules-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
