/**
 * `ecs-config-rules scan`: read (files or a live account), adapt, evaluate, report, and the exit
 * code: 0 nothing at or above the threshold failed, 1 something did, 2 usage or input error.
 */
import { appendFileSync, closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidParameterError } from '../lambdas/core/parameters';
import { countStatuses, evaluateTargets } from '../scan/evaluate';
import { TargetCollector } from '../scan/inputs/documents';
import { loadInputs, LoadedInputs, UnreadInput } from '../scan/inputs/load';
import { InputError } from '../scan/inputs/parse';
import { plural, ScanReport } from '../scan/report';
import { loadBaseline, writeBaseline } from '../scan/baseline';
import { CONFIG_FILE_NAMES, ConfigFile, findConfigFile, loadConfigFile } from '../scan/config-file';
import { checkGateCanFail, commaSeparated, ControlParameters, parametersFromFlags, ScanSettings, selectControls, SETTING, severityThreshold } from '../scan/settings';
import { loadSuppressionsFile, today } from '../scan/suppressions';
import type { ScopeResult } from './live/fleet';
import { checkFleetOptions } from './live/fleet-options';
import { formatCsv } from './report/csv';
import { formatHtml } from './report/html';
import { formatGithub } from './report/github';
import { formatJson } from './report/json';
import { formatJunit } from './report/junit';
import { formatMarkdown } from './report/markdown';
import { formatMatrix } from './report/matrix';
import { formatOcsf } from './report/ocsf';
import { formatAsff } from './report/asff';
import type { AwsScope } from './report/security-findings';
import { FormattedReport, Formatter, PiecewiseFormatter, writeReport } from './report/report';
import { printable } from '../scan/printable';
import { formatSarif } from './report/sarif';
import { formatTable, inputLine, noticeLines, summaryLines } from './report/table';
import { createColors } from 'picocolors';

export const FORMATS: Readonly<Record<string, Formatter | PiecewiseFormatter>> = {
  table: formatTable,
  matrix: formatMatrix,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
  markdown: formatMarkdown,
  html: formatHtml,
  csv: formatCsv,
  ocsf: formatOcsf,
  asff: formatAsff,
};

export const EXIT = { passed: 0, findings: 1, usage: 2 } as const;

export interface ScanCommandOptions {
  readonly paths: readonly string[];
  readonly live?: boolean;
  readonly region?: string;
  /** With --live: comma-separated Regions. */
  readonly regions?: string;
  /** With --live: every Region enabled for each account. */
  readonly allRegions?: boolean;
  /** With --live: the role to assume in each of `accounts` or of the organization's accounts. */
  readonly roleName?: string;
  /** With --live: comma-separated account ids. */
  readonly accounts?: string;
  readonly organization?: boolean;
  readonly profile?: string;
  readonly format: string;
  /** Write the report here instead of standard output. */
  readonly output?: string;
  /** Also append the report as Markdown to this file: GitHub's `$GITHUB_STEP_SUMMARY`. */
  readonly stepSummary?: string;
  /** Comma-separated control ids. */
  readonly controls?: string;
  /** Undefined: the config file's, else low. */
  readonly severityThreshold?: string;
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
  /** A config file to read; `false` (`--no-config`) reads none; undefined finds `.ecs-config-rules.yml`. */
  readonly config?: string | false;
  /** Findings in this baseline file do not fail the gate. */
  readonly baseline?: string;
  /** Record the failing findings in this file (they then pass: the baseline accepts them). */
  readonly writeBaseline?: string;
  /** Table: only the findings that fail the gate, and the verdict; nothing else. */
  readonly quiet?: boolean;
  /** Named files without ECS resources are skipped, not an error (pre-commit). */
  readonly skipUnrelated?: boolean;
  /** Run a threshold that no selected control reaches (the gate then cannot fail, and the report says so). Undefined: the config file's. */
  readonly allowEmptyGate?: boolean;
  /** Import the findings into Security Hub (BatchImportFindings), archiving those that disappeared. */
  readonly importToSecurityHub?: boolean;
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

/** The config file named, or the one found in the working directory, unless `--no-config`. */
function configFile(options: ScanCommandOptions, cwd: string): ConfigFile | undefined {
  if (options.config === false) return undefined;
  const file = options.config ?? findConfigFile(cwd);
  return file === undefined ? undefined : loadConfigFile(file, cwd);
}

/** The settings: flags first, then the config file, then the defaults; suppressions from both. */
export function scanSettings(options: ScanCommandOptions, io: Pick<CommandIo, 'cwd' | 'now'>, config = configFile(options, io.cwd)): ScanSettings {
  const fromConfig = (flag: string | undefined, key: string) => (flag === undefined && config ? config.setting(key) : undefined);
  const controlsName = fromConfig(options.controls, 'controls') ?? SETTING.flag('--controls');
  const thresholdName = fromConfig(options.severityThreshold, 'severityThreshold') ?? SETTING.flag('--severity-threshold');
  const controlIds = options.controls === undefined ? config?.controls : commaSeparated(options.controls);
  const flagParameters = parametersFromFlags(options.parameter ?? [], options.parametersFile, io.cwd);
  const baseline = options.baseline ?? config?.baseline;
  const gate = { controls: selectControls(controlIds, controlsName), threshold: severityThreshold(options.severityThreshold ?? config?.severityThreshold, thresholdName) };
  checkGateCanFail(
    gate,
    { threshold: thresholdName, ...(controlIds !== undefined && { controls: controlsName }), allowEmptyGate: `--allow-empty-gate (or allowEmptyGate: true in ${config?.file ?? CONFIG_FILE_NAMES[0]})` },
    options.allowEmptyGate ?? config?.allowEmptyGate,
  );
  return {
    ...gate,
    parameters: mergeParameters(config?.parameters ?? {}, flagParameters),
    suppressions: [
      ...(config?.suppressions ?? []),
      ...(options.suppressions === undefined ? [] : loadSuppressionsFile(options.suppressions, io.cwd)),
      ...(baseline === undefined || options.writeBaseline !== undefined ? [] : loadBaseline(baseline, io.cwd)),
    ],
    today: today(io.now?.()),
  };
}

/** The flags' values win, parameter by parameter. */
function mergeParameters(fromFile: ControlParameters, fromFlags: ControlParameters): ControlParameters {
  const merged: Record<string, Record<string, string>> = { ...fromFile };
  for (const [id, values] of Object.entries(fromFlags)) merged[id] = { ...merged[id], ...values };
  return merged;
}

/** What a scan read; a live scan across accounts and Regions also says which pairs it could not read. */
type ScanInputs = LoadedInputs & { readonly scopes?: readonly ScopeResult[] };

function isFleetScan(options: ScanCommandOptions): boolean {
  return [options.regions, options.allRegions, options.roleName, options.accounts, options.organization].some((option) => option !== undefined);
}

async function loadFleet(options: ScanCommandOptions, io: CommandIo): Promise<ScanInputs> {
  if (options.regions !== undefined && options.region !== undefined) throw new InputError('--region and --regions exclude each other');
  const fleet = {
    regions: (options.regions === undefined ? undefined : commaSeparated(options.regions)) ?? (options.region === undefined ? undefined : [options.region]),
    allRegions: options.allRegions,
    roleName: options.roleName,
    accounts: options.accounts === undefined ? undefined : commaSeparated(options.accounts),
    organization: options.organization,
  };
  const problem = checkFleetOptions(fleet);
  if (problem) throw new InputError(problem);
  // Loaded only for a live scan: the AWS SDK is most of the CLI's start-up time.
  const [{ scanFleet }, { terminalProgress }] = await Promise.all([import('./live/fleet'), import('./live/progress')]);
  const scopes = await scanFleet({ ...fleet, profile: options.profile, progress: terminalProgress(io.stderr), warn: warner(io) });
  const unread = unreadScopes(scopes);
  if (unread.length === scopes.length) throw new Error(`no account and Region could be scanned:\n${unread.map((item) => `  ${item.reason}`).join('\n')}`);
  // A pair that could not be read is no pass: it is listed like an unreadable file, and the rest is reported.
  return { targets: scopes.flatMap((scope) => scope.targets), filesScanned: 0, filesSkipped: [], unread, notices: [], scopes };
}

/** The account/Region pairs of a live scan that could not be read. */
function unreadScopes(scopes: readonly ScopeResult[]): UnreadInput[] {
  return scopes.filter((scope) => scope.error).map((scope) => ({ reason: `account ${scope.account} ${scope.region}: ${scope.error?.name}: ${scope.error?.message}` }));
}

/** A live scan's warnings (an AWS message, which could carry anything) on standard error. */
function warner(io: CommandIo): (message: string) => void {
  return (message) => io.stderr.write(`warning: ${printable(message)}\n`);
}

async function loadTargets(options: ScanCommandOptions, io: CommandIo): Promise<ScanInputs> {
  if (isFleetScan(options) && !options.live) throw new InputError('--regions, --all-regions, --role-name, --accounts and --organization go with --live');
  if (options.live && options.paths.length > 0) throw new InputError('scan --live reads the account, not files: drop the paths or --live');
  if (options.live && isFleetScan(options)) return loadFleet(options, io);
  if (options.live) {
    // Loaded only for a live scan: the AWS SDK is most of the CLI's start-up time.
    const [{ scanAccount }, { terminalProgress }] = await Promise.all([import('./live/inventory'), import('./live/progress')]);
    const collector = new TargetCollector();
    await scanAccount(collector, {
      region: options.region,
      profile: options.profile,
      progress: terminalProgress(io.stderr),
      warn: warner(io),
    });
    return { targets: collector.finish(), filesScanned: 0, filesSkipped: [], unread: [], notices: [] };
  }
  if ((options.region !== undefined || options.profile !== undefined) && !namesAwsAccount(options)) throw new InputError('--region and --profile go with --live, --format asff or --import-to-security-hub');
  if (options.paths.length === 0) throw new InputError('name what to scan: files, directories, a cdk.out, - for standard input, or --live');
  return loadInputs(options.paths, { cwd: io.cwd, readStdin: io.readStdin, skipUnrelated: options.skipUnrelated, partial: true });
}

/** ASFF findings belong to an account and Region, so these options need the caller's identity. */
function namesAwsAccount(options: ScanCommandOptions): boolean {
  return options.format === 'asff' || options.importToSecurityHub === true;
}

/** The caller's account (STS) and Region (`--region`, a fleet's first Region, or the SDK's chain), when the options need it. */
async function awsCaller(options: ScanCommandOptions): Promise<AwsScope | undefined> {
  if (!namesAwsAccount(options)) return undefined;
  // Loaded only then: the AWS SDK is most of the CLI's start-up time.
  const { callerScope } = await import('./securityhub-import');
  return callerScope({ region: options.region ?? (options.regions === undefined ? undefined : commaSeparated(options.regions)[0]), profile: options.profile });
}

/** Imports the report into Security Hub and says what happened on standard error; false when some findings did not get there. */
async function importFindings(report: ScanReport, caller: AwsScope, inputs: ScanInputs, options: ScanCommandOptions, io: CommandIo, now: Date): Promise<boolean> {
  const { importToSecurityHub, describeImport } = await import('./securityhub-import');
  // A live scan replaces every earlier live finding of the Regions it read completely; a file scan, those of the files it read.
  const liveRegions = !options.live ? undefined : inputs.scopes ? inputs.scopes.filter((scope) => !scope.error && scope.account === caller.account).map((scope) => scope.region) : [caller.region];
  const result = await importToSecurityHub(report, caller, { profile: options.profile, now, liveRegions });
  io.stderr.write(describeImport(result));
  return result.failed.length === 0 && result.notImported.length === 0;
}

/** `ecs-config-rules: could not read 2 inputs …` and each input's place and reason, one a line. */
function unreadMessage(unread: readonly UnreadInput[]): string {
  return `ecs-config-rules: could not read ${plural(unread.length, 'input')} (the report covers the rest; exit 2):\n${unread.map((item) => inputLine(item, item.reason)).join('\n')}\n`;
}

/** A message that may name a file or quote a value, escaped line by line: its own line breaks stay, nothing else can move the terminal. */
function printableLines(message: string): string {
  return message.split('\n').map(printable).join('\n');
}

/** The report to `path`, piece by piece: a large report is never held whole. */
function writeReportFile(path: string, text: FormattedReport): void {
  const descriptor = openSync(path, 'w');
  try {
    writeReport(text, (piece) => writeSync(descriptor, piece));
  } finally {
    closeSync(descriptor);
  }
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
    const caller = await awsCaller(options);
    const inputs = await loadTargets(options, io);
    const findings = evaluateTargets(inputs.targets, settings);
    if (options.writeBaseline !== undefined) {
      const recorded = writeBaseline(findings, options.writeBaseline, io.cwd);
      io.stderr.write(`Baseline of ${recorded} finding${recorded === 1 ? '' : 's'} written to ${options.writeBaseline}\n`);
    }
    // Anything not read is no pass: the report covers the rest, and the exit says it is partial.
    // Writing a baseline accepts what it records: that run passes, and later runs with --baseline fail only on new findings.
    const exitCode = inputs.unread.length > 0 ? EXIT.usage : countStatuses(findings).gating > 0 && options.writeBaseline === undefined ? EXIT.findings : EXIT.passed;
    const report: ScanReport = { findings, targets: inputs.targets, settings, filesScanned: inputs.filesScanned, filesSkipped: inputs.filesSkipped, unread: inputs.unread, notices: inputs.notices, exitCode, cwd: io.cwd };
    const now = io.now?.() ?? new Date();
    const text = format(report, { color: colorWanted(options, io), includePassing: options.includePassing, quiet: options.quiet, now, aws: caller });
    if (options.output === undefined) writeReport(text, (piece) => io.stdout.write(piece));
    else writeReportFile(resolve(io.cwd, options.output), text);
    // Appended, as GitHub asks of every step that writes a summary (other writers may share the file).
    if (options.stepSummary !== undefined) appendFileSync(resolve(io.cwd, options.stepSummary), formatMarkdown(report, { color: false }));
    // Whatever the format and wherever the report went, the job log says what was not read.
    if (report.unread.length > 0) io.stderr.write(unreadMessage(report.unread));
    // The report went to a file; the job log still says what happened (with --quiet, only a failure).
    if (options.output !== undefined && (!options.quiet || exitCode !== EXIT.passed)) {
      const plain = createColors(false);
      io.stderr.write(`${[...noticeLines(report, plain), ...summaryLines(report, plain)].join('\n')}\nReport written to ${options.output}\n`);
    }
    if (inputs.scopes) io.stderr.write(`Scanned ${inputs.scopes.length - inputs.unread.length} of ${plural(inputs.scopes.length, 'account/Region pair')}.\n`);
    // Findings that did not reach Security Hub are no pass either.
    if (caller && options.importToSecurityHub && !(await importFindings(report, caller, inputs, options, io, now))) return EXIT.usage;
    return options.exitZero && exitCode === EXIT.findings ? EXIT.passed : exitCode;
  } catch (error) {
    if (error instanceof InputError || error instanceof InvalidParameterError) {
      io.stderr.write(`ecs-config-rules: ${printableLines(error.message)}\n`);
      return EXIT.usage;
    }
    // Anything else (an AWS API error in a live scan, say) also means no verdict: never a pass.
    io.stderr.write(`ecs-config-rules: the scan could not complete: ${printableLines(`${(error as Error).name}: ${(error as Error).message}`)}\n`);
    return EXIT.usage;
  }
}
