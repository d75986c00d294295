/**
 * `ecs-config-rules scan`: read (files or a live account), adapt, evaluate, report, and the exit
 * code: 0 nothing at or above the threshold failed, 1 something did, 2 usage or input error.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidParameterError } from '../lambdas/core/parameters';
import { countStatuses, evaluateTargets } from '../scan/evaluate';
import { TargetCollector } from '../scan/inputs/documents';
import { loadInputs, LoadedInputs } from '../scan/inputs/load';
import { InputError } from '../scan/inputs/parse';
import { ScanReport } from '../scan/report';
import { commaSeparated, parametersFromFlags, ScanSettings, selectControls, SETTING, severityThreshold } from '../scan/settings';
import { loadSuppressionsFile, today } from '../scan/suppressions';
import { formatJson } from './report/json';
import { formatJunit } from './report/junit';
import { formatMatrix } from './report/matrix';
import { Formatter } from './report/report';
import { formatSarif } from './report/sarif';
import { formatTable, summaryLines } from './report/table';
import { createColors } from 'picocolors';

export const FORMATS: Readonly<Record<string, Formatter>> = {
  table: formatTable,
  matrix: formatMatrix,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
};

export const EXIT = { passed: 0, findings: 1, usage: 2 } as const;

export interface ScanCommandOptions {
  readonly paths: readonly string[];
  readonly live?: boolean;
  readonly region?: string;
  readonly profile?: string;
  readonly format: string;
  /** Write the report here instead of standard output. */
  readonly output?: string;
  /** Comma-separated control ids. */
  readonly controls?: string;
  readonly severityThreshold: string;
  /** `ECS.8.secretKeys=A,B` pairs. */
  readonly parameter?: readonly string[];
  readonly parametersFile?: string;
  readonly suppressions?: string;
  /** Exit 0 even when findings fail the gate (input errors still exit 2). */
  readonly exitZero?: boolean;
  /** SARIF: also list passing and not-applicable checks. */
  readonly includePassing?: boolean;
  /** Undefined: colour when standard output is a terminal and NO_COLOR is unset. */
  readonly color?: boolean;
}

export interface CommandIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WriteStream;
  readonly readStdin: () => string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Expiry dates are compared with this day. */
  readonly now?: () => Date;
}

export function scanSettings(options: ScanCommandOptions, io: Pick<CommandIo, 'cwd' | 'now'>): ScanSettings {
  return {
    controls: selectControls(options.controls === undefined ? undefined : commaSeparated(options.controls), SETTING.flag('--controls')),
    parameters: parametersFromFlags(options.parameter ?? [], options.parametersFile, io.cwd),
    threshold: severityThreshold(options.severityThreshold, SETTING.flag('--severity-threshold')),
    suppressions: options.suppressions === undefined ? [] : loadSuppressionsFile(options.suppressions, io.cwd),
    today: today(io.now?.()),
  };
}

async function loadTargets(options: ScanCommandOptions, io: CommandIo): Promise<LoadedInputs> {
  if (options.live) {
    if (options.paths.length > 0) throw new InputError('scan --live reads the account, not files: drop the paths or --live');
    // Loaded only for a live scan: the AWS SDK is most of the CLI's start-up time.
    const [{ scanAccount }, { terminalProgress }] = await Promise.all([import('./live/inventory'), import('./live/progress')]);
    const collector = new TargetCollector();
    await scanAccount(collector, {
      region: options.region,
      profile: options.profile,
      progress: terminalProgress(io.stderr),
      warn: (message) => io.stderr.write(`warning: ${message}\n`),
    });
    return { targets: collector.finish(), filesScanned: 0, filesSkipped: [] };
  }
  if (options.region !== undefined || options.profile !== undefined) throw new InputError('--region and --profile go with --live');
  if (options.paths.length === 0) throw new InputError('name what to scan: files, directories, a cdk.out, - for standard input, or --live');
  return loadInputs(options.paths, { cwd: io.cwd, readStdin: io.readStdin });
}

function colorWanted(options: ScanCommandOptions, io: CommandIo): boolean {
  if (options.color !== undefined) return options.color;
  if (options.output !== undefined || io.env.NO_COLOR) return false;
  return Boolean(io.env.FORCE_COLOR) || io.stdout.isTTY === true;
}

export async function runScan(options: ScanCommandOptions, io: CommandIo): Promise<number> {
  try {
    const format = FORMATS[options.format];
    if (!format) throw new InputError(`unknown format "${options.format}": use one of ${Object.keys(FORMATS).join(', ')}`);
    const settings = scanSettings(options, io);
    const inputs = await loadTargets(options, io);
    const findings = evaluateTargets(inputs.targets, settings);
    const exitCode = countStatuses(findings).gating > 0 ? EXIT.findings : EXIT.passed;
    const report: ScanReport = { findings, targets: inputs.targets, settings, filesScanned: inputs.filesScanned, filesSkipped: inputs.filesSkipped, exitCode, cwd: io.cwd };
    const text = format(report, { color: colorWanted(options, io), includePassing: options.includePassing });
    if (options.output === undefined) {
      io.stdout.write(text);
    } else {
      writeFileSync(resolve(io.cwd, options.output), text);
      // The report went to a file; the job log still says what happened.
      io.stderr.write(`${summaryLines(report, createColors(false)).join('\n')}\nReport written to ${options.output}\n`);
    }
    return options.exitZero ? EXIT.passed : exitCode;
  } catch (error) {
    if (error instanceof InputError || error instanceof InvalidParameterError) {
      io.stderr.write(`ecs-config-rules: ${error.message}\n`);
      return EXIT.usage;
    }
    // Anything else (an AWS API error in a live scan, say) also means no verdict: never a pass.
    io.stderr.write(`ecs-config-rules: the scan could not complete: ${(error as Error).name}: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
}
