/** The CLI's arguments (commander): `scan` and `controls`; the work is in cli/scan.ts. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { CONTROLS } from '../lambdas/controls';
import { TOOL } from '../scan/report';
import { decodeInput } from '../scan/inputs/parse';
import { CostCommandOptions, runCost } from './cost';
import { FixCommandOptions, runFix } from './fix';
import { CommandIo, EXIT, FORMATS, runScan, ScanCommandOptions } from './scan';
import { SEVERITIES } from '../scan/settings';
import type { RedriveCommandOptions } from '../lambdas/runtime/redrive';

const SCAN_HELP = `
Inputs (the format is detected):
  ECS task definitions as JSON: describe-task-definition output, a register-task-definition
  --cli-input-json document, or a bare task definition; describe-services/-clusters/-task-sets/
  -capacity-providers output; CloudFormation templates (JSON, or YAML with !Ref-style tags); a CDK
  cloud assembly (cdk.out: every stack); AWS Config configuration items; Terraform/OpenTofu plans
  and states as \`terraform show -json\` prints them, and container definitions files (a JSON list);
  directories (recursively); - for standard input.

Task definitions in files are evaluated as the latest revision of their family: the latest-revision
and deleted-resource cases are decided by the AWS Config rules, which see the account's history.

Parameters: --parameter ECS.8.secretKeys=AWS_SECRET_ACCESS_KEY,DB_PASSWORD (repeatable), or
--parameters-file with { "ECS.8": { "secretKeys": "..." } } (JSON or YAML), or a cdk.json whose
context.parameters configures the deployed rules.

Suppressions: in a template resource's Metadata ("ecs-config-rules": { "suppressions": [{ "id":
"ECS.5", "reason": "...", "expires": "2027-01-31" }] }), or a --suppressions file (same entries plus
"resource"). A reason is required; suppressed findings are listed as suppressed; expired ones fail.

Live scans across accounts and Regions (--regions, --all-regions, --role-name with --accounts or
--organization) assume the role once per account and scan a few account/Region pairs at a time; the
report names each resource's account and Region. A pair that cannot be read is listed, the others
are reported, and the exit code is 2.

--format asff and --import-to-security-hub name the caller's account (STS GetCallerIdentity) and
Region (--region, or the SDK's); with them --region and --profile go with file inputs too. The
import sends the ASFF findings to BatchImportFindings, 100 a call, and archives this tool's findings
that the files or account read no longer report (nothing is archived when an input was not read).

Formats: --format html writes one self-contained page (open it in a browser, print it; no network);
--format csv one row per finding for a spreadsheet (columns in docs/pipeline.md). Use -o for a file.

Every input that can be read is reported, whatever else cannot: what could not be read is listed in
the report (and on standard error), and the exit code is then 2.

Exit codes: 0 no failing finding at or above the threshold (also when no ECS resource was read:
the summary says that nothing was checked), 1 findings, 2 usage or input error, an input that could
not be read, or a partial live scan.`;

const FIX_HELP = `
The result is scanned by the same engine as \`scan\`: a result that still fails a selected control is
not printed. What it could not decide (writable paths, secret ARNs, tags) is listed; placeholders
look like <fill in: ...>. See docs/fix.md.

Exit codes: 0 ready to register, 1 printed but needs your input (listed), 2 usage or input error, or
the result would still fail (nothing printed).`;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function listControls(io: CommandIo): void {
  for (const control of CONTROLS) {
    const parameters = Object.entries(control.parameters).map(([name, spec]) => `${name}=${spec.default}`);
    io.stdout.write(`${control.id.padEnd(7)}${control.severity.padEnd(9)}${control.resourceType.padEnd(28)}${control.title}\n`);
    if (parameters.length > 0) io.stdout.write(`${' '.repeat(44)}parameters: ${parameters.join(' ')}\n`);
  }
}

function program(io: CommandIo, setExitCode: (code: number) => void): Command {
  const root = new Command(TOOL.name)
    .description("AWS Security Hub's ECS controls, before deploy: the same verdicts as the AWS Config rules.")
    .version(TOOL.version)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  root
    .command('scan')
    .description('Evaluate files, a cdk.out or a live account against the ECS controls.')
    .argument('[paths...]', 'files, directories, cdk.out directories, or - for standard input')
    .option('--live', 'scan the account through the ECS API instead of files')
    .option('--region <region>', 'with --live: the AWS Region (default: the SDK default chain)')
    .option('--regions <regions>', 'with --live: comma-separated Regions, e.g. us-east-1,eu-west-1')
    .option('--all-regions', 'with --live: every Region enabled for each account (Account ListRegions)')
    .option('--role-name <name>', 'with --live: the role to assume in each account of --accounts or --organization')
    .option('--accounts <ids>', 'with --live and --role-name: comma-separated account ids')
    .option('--organization', "with --live and --role-name: every ACTIVE account of the organization (run from the management or a delegated administrator account)")
    .option('--profile <profile>', 'with --live: the AWS profile')
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(FORMATS)).default('table'))
    .option('--include-passing', 'SARIF: also list passing and not-applicable checks (code scanning accepts at most 25,000 results)')
    .option('-o, --output <file>', 'write the report to a file (a summary still goes to standard error)')
    .option('--import-to-security-hub', "import the findings into Security Hub (the caller's account, the default product; archives those no longer reported)")
    .option('--step-summary <file>', "also append the report as Markdown to this file (GitHub Actions: \"$GITHUB_STEP_SUMMARY\")")
    .option('--controls <ids>', 'comma-separated control ids, e.g. ECS.4,ECS.20 (default: all)')
    .addOption(
      new Option('--severity-threshold <severity>', 'fail on findings at or above this severity (default: the config file\'s, else low)').choices(
        SEVERITIES.map((severity) => severity.toLowerCase()),
      ),
    )
    .option('-p, --parameter <CONTROL.NAME=VALUE>', 'a rule parameter, e.g. ECS.8.secretKeys=A,B (repeatable)', collect, [])
    .option('--parameters-file <file>', 'rule parameters by control id (JSON/YAML, or a cdk.json)')
    .option('--suppressions <file>', 'a suppressions file (YAML or JSON)')
    .option('--config <file>', 'settings file (default: .ecs-config-rules.yml in the working directory, if any)')
    .option('--no-config', 'read no settings file')
    .option('--baseline <file>', 'findings recorded in this baseline do not fail the gate (reported as suppressed)')
    .option('--write-baseline <file>', 'record the failing findings in a baseline file (this run then passes)')
    .option('-q, --quiet', 'table: print only the findings that fail the gate, and the verdict')
    .option('--skip-unrelated', 'skip named files that hold no ECS resource instead of failing (for pre-commit)')
    .option('--exit-zero', 'exit 0 even when findings fail the gate (input errors still exit 2)')
    .option('--allow-empty-gate', 'run even when no selected control reaches the threshold, a gate that cannot fail (refused otherwise)')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .addHelpText('after', SCAN_HELP)
    .action(async (paths: string[], options: Omit<ScanCommandOptions, 'paths'>) => setExitCode(await runScan({ ...options, paths }, io)));
  root
    .command('fix')
    .description('Print a hardened task definition (register-task-definition input), or a JSON Patch for a template, that passes the selected controls.')
    .argument('<path>', 'a task definition (describe-task-definition output, register input), a CloudFormation template, or - for standard input')
    .option('--controls <ids>', 'comma-separated control ids to fix and check (default: all)')
    .option('-p, --parameter <CONTROL.NAME=VALUE>', 'a rule parameter, e.g. ECS.8.secretKeys=A,B (repeatable)', collect, [])
    .option('--parameters-file <file>', 'rule parameters by control id (JSON/YAML, or a cdk.json)')
    .option('--user <[CONTAINER=]USER>', 'the user for containers running as root/administrator (default 1000:1000, Windows ContainerUser; repeatable)', collect, [])
    .option('--writable <[CONTAINER=]PATHS>', 'paths a container writes once its root filesystem is read-only: /tmp,/var/cache or none (repeatable)', collect, [])
    .option('--secret-arn <NAME=ARN>', 'the secret or SSM parameter for an environment variable moved to secrets (repeatable)', collect, [])
    .option('--tag <KEY=VALUE>', 'a tag to add when a tag control fails (repeatable)', collect, [])
    .option('--log-group <name>', 'the awslogs group for containers without logs (default /ecs/<family>)')
    .option('--log-region <region>', "the awslogs Region (default: the task definition's)")
    .addOption(new Option('--network-mode <mode>', 'what replaces networkMode host').choices(['awsvpc', 'bridge']).default('awsvpc'))
    .option('--diff', 'list what changed, per container, on standard error')
    .option('-o, --output <file>', 'write the result to a file instead of standard output')
    .addHelpText('after', FIX_HELP)
    .action(async (path: string, options: Omit<FixCommandOptions, 'path'>) => setExitCode(await runFix({ ...options, path }, io)));
  root
    .command('controls')
    .description('List the controls, their severity, resource type and parameters.')
    .action(() => listControls(io));
  root
    .command('cost')
    .description("Estimate the fleet's monthly AWS bill from the rules' own figures per change event and AWS's published prices, beside Security Hub CSPM's (docs/cost.md).")
    .requiredOption('--accounts <count>', 'member accounts the fleet runs in')
    .requiredOption('--regions <count>', 'Regions per account')
    .requiredOption('--changes-per-day <count>', 'ECS configuration changes per account and Region a day')
    .option('--active-revisions <count>', 'ACTIVE revisions per task definition family, the new one included (older ones are retired on every new revision)', '3')
    .action((options: CostCommandOptions) => setExitCode(runCost(options, io)));
  root
    .command('redrive')
    .description('Re-evaluate the rules whose invocations failed (the failed-invocations queue); a record is deleted once AWS Config accepted.')
    .requiredOption('--queue-url <url>', 'the stack output FailedInvocationsQueueUrl')
    .option('--region <region>', 'the AWS Region (default: the SDK default chain)')
    .option('--profile <profile>', 'the AWS profile')
    .option('--max-messages <count>', 'records to work on in this run', '1000')
    .action(async (options: RedriveCommandOptions) => {
      // Loaded only for this command: the AWS SDK is most of the CLI's start-up time.
      const { runRedriveCommand } = await import('../lambdas/runtime/redrive');
      setExitCode(await runRedriveCommand(options, io));
    });
  return root;
}

/** Runs the CLI on `argv` (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  let exitCode: number = EXIT.passed;
  try {
    await program(io, (code) => (exitCode = code)).parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // Commander reports bad usage by throwing (exitOverride); help and --version "fail" with code 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.passed : EXIT.usage;
    throw error;
  }
  return exitCode;
}

export function processIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr, readStdin: () => decodeInput(readFileSync(0), '-'), cwd: process.cwd(), env: process.env };
}
