/**
 * `npm run conformance-pack -- [--out pack.yaml]`: writes the conformance pack whose rules use each
 * account's own organization-mode functions (deployed by the StackSet with `-c rollout=conformance-pack`).
 * Controls, parameters, the prefix and the frequency take the same values as the app's context and
 * are checked by the same code, so a pack matches the deployed fleet it points at.
 */
import { writeFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Command, CommanderError } from 'commander';
import { controlRulesPropsFromContext } from '../lib/app-context';
import { resolveFleetSettings } from '../lib/ecs-control-rules';
import { conformancePackYaml } from '../lib/organization/conformance-pack';

export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

interface PackOptions {
  readonly out?: string;
  readonly controls?: string;
  readonly parameters?: string;
  readonly ruleNamePrefix?: string;
  readonly maximumExecutionFrequency?: string;
}

/** Runs the command; returns the exit code (0 written, 2 bad input). */
export function run(argv: readonly string[], io: Io = process): number {
  const program = new Command('conformance-pack')
    .description("Write an AWS Config conformance pack of custom Lambda rules backed by each account's own ecs-config-rules functions")
    .option('--out <file>', 'where to write the YAML template (default: standard output)')
    .option('--controls <ids>', 'comma-separated control ids (default: all), as -c controls=')
    .option('--parameters <json>', 'parameter overrides by control id, as -c parameters=')
    .option('--rule-name-prefix <prefix>', 'the ruleNamePrefix the functions were deployed with')
    .option('--maximum-execution-frequency <frequency>', 'periodic mode, as -c maximumExecutionFrequency= (default: change-triggered only)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    return error instanceof CommanderError && error.exitCode === 0 ? 0 : 2;
  }
  try {
    writePack(program.opts<PackOptions>(), io);
    return 0;
  } catch (error) {
    io.stderr.write(`conformance-pack: ${(error as Error).message}\n`);
    return 2;
  }
}

function writePack(options: PackOptions, io: Io): void {
  const context = Object.fromEntries(
    Object.entries({
      controls: options.controls,
      parameters: options.parameters,
      ruleNamePrefix: options.ruleNamePrefix,
      maximumExecutionFrequency: options.maximumExecutionFrequency,
    }).filter(([, value]) => value !== undefined),
  );
  const app = new App({ context: { ...context, deployment: 'organization' } });
  const props = controlRulesPropsFromContext(app.node);
  const settings = resolveFleetSettings(props, app);
  for (const entry of app.node.metadata.filter((metadata) => metadata.type === 'aws:cdk:warning')) io.stderr.write(`warning: ${entry.data}\n`);

  const yaml = conformancePackYaml({ settings, maximumExecutionFrequency: props.maximumExecutionFrequency });
  if (options.out) {
    writeFileSync(options.out, yaml);
    io.stderr.write(`Wrote ${options.out}: ${settings.controls.length} rules, ${Buffer.byteLength(yaml)} bytes.\n`);
  } else {
    io.stdout.write(yaml);
  }
}

if (require.main === module) process.exitCode = run(process.argv.slice(2));
