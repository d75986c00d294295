/**
 * How every Lambda function's code is built, in one place. Two paths deploy it, the same bytes:
 * - an installed package deploys the bundles prebuilt by `npm run build` (`dist/bundles/<name>`,
 *   `scripts/build-bundles.ts`) with `Code.fromAsset`, so a consumer's synth needs neither esbuild
 *   nor the TypeScript sources;
 * - this repository's app, run from source, bundles each entry with `NodejsFunction`.
 * Both take their settings from `RULE_BUNDLING` (`esbuildBuildOptions` maps it for the prebuild and
 * `npm run bench`); test/package/bundles.test.ts proves the two outputs identical.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BundlingOptions, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { CONTROLS } from '../lambdas/controls';

/**
 * The bundling settings that shape the code (the bench maps exactly these fields to esbuild, so a
 * new one must be added to both). ES module output, `module` first in `mainFields` so packages'
 * ES builds are tree-shaken, minified. Nothing is external: the AWS SDK clients and Powertools are
 * bundled, so a function runs exactly the versions the tests ran against, not the Lambda runtime's
 * copy of the SDK (which also loads slower: the full CommonJS build). docs/performance.md has the
 * measurements behind each choice.
 */
export type RuleBundlingSettings = Required<Pick<BundlingOptions, 'format' | 'mainFields' | 'externalModules' | 'minify' | 'sourceMap'>>;

export const RULE_BUNDLING: RuleBundlingSettings = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  externalModules: [],
  minify: true,
  sourceMap: false,
};

/**
 * The oldest Node.js the functions support (nodejs20.x, see `validateRuntime`), whatever the runtime:
 * one bundle then runs on every supported runtime, so the package ships one prebuilt bundle per
 * function and a synth from source deploys the same bytes. (On today's sources esbuild's output for
 * node20 and node24 is byte-identical: nothing needs lowering.)
 */
export const BUNDLE_TARGET = 'node20';

/** A deployed function's code: `name` is its prebuilt bundle's directory, `entry` its source (from the package root). */
export interface FunctionEntry {
  readonly name: string;
  readonly entry: string;
  /** How it is bundled: `RULE_BUNDLING` unless the entry needs otherwise (the hook). */
  readonly bundling?: RuleBundlingSettings;
}

/**
 * The rules' bundling, as CommonJS: the hook runs the scan engine, whose input parsers come with
 * CommonJS packages (`yaml` requires `process`), and an ES module bundle has no `require` for them
 * ("Dynamic require of "process" is not supported"). A hook is invoked once per resource operation,
 * so the ES module format's cold-start gain matters less here than for the rules.
 */
export const HOOK_BUNDLING: RuleBundlingSettings = { ...RULE_BUNDLING, format: OutputFormat.CJS };

/** The CloudFormation hook's function (lib/proactive-hook.ts). */
export const HOOK_ENTRY: FunctionEntry = { name: 'hook', entry: 'hook/handler.ts', bundling: HOOK_BUNDLING };

/** `lambdas/handlers/<slug>.ts`: one Lambda entry per control, so each bundle holds only its control. */
export const controlEntry = (slug: string): FunctionEntry => ({ name: slug, entry: `lambdas/handlers/${slug}.ts` });

/**
 * Every function the package deploys, and so every bundle `npm run build` prebuilds: one per registry
 * control. A function that evaluates no single control (a hook, say) is appended here as `{ name, entry }`.
 */
export const FUNCTION_ENTRIES: readonly FunctionEntry[] = [...CONTROLS.map((control) => controlEntry(control.slug)), HOOK_ENTRY];

/** The file esbuild writes, as `NodejsFunction` names it (`index.mjs` for ES modules), hence handler `index.handler`. */
export function bundleFile(entry: FunctionEntry): string {
  return (entry.bundling ?? RULE_BUNDLING).format === OutputFormat.ESM ? 'index.mjs' : 'index.js';
}

/** This package's root: the repository from source, `dist/` once compiled (where the bundles are prebuilt). */
const PACKAGE_ROOT = path.resolve(__dirname, '..');
export const PREBUILT_DIR = path.join(PACKAGE_ROOT, 'bundles');

/** The esbuild options `RULE_BUNDLING` stands for, mapped flag for flag as aws-cdk-lib builds its esbuild command. */
export interface EsbuildBuildOptions {
  readonly entryPoints: string[];
  readonly outfile: string;
  readonly bundle: true;
  readonly platform: 'node';
  readonly target: string;
  readonly format: 'esm' | 'cjs';
  readonly mainFields: string[];
  readonly external: string[];
  readonly minify: boolean;
  readonly sourcemap: boolean;
}

export function esbuildBuildOptions(entry: string, outfile: string, settings: RuleBundlingSettings = RULE_BUNDLING): EsbuildBuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: BUNDLE_TARGET,
    format: settings.format === OutputFormat.ESM ? 'esm' : 'cjs',
    mainFields: [...settings.mainFields],
    external: [...settings.externalModules],
    minify: settings.minify,
    sourcemap: settings.sourceMap,
  };
}

/** A function's settings, all but its code. */
export type BundledFunctionProps = Omit<lambda.FunctionProps, 'code' | 'handler'>;

/**
 * The function `entry` names, with its code: the prebuilt bundle when there is one (an installed
 * package), else bundled from source by `NodejsFunction` (this repository).
 */
export function bundledFunction(scope: Construct, id: string, entry: FunctionEntry, props: BundledFunctionProps): lambda.Function {
  validateRuntime(props.runtime);
  const prebuilt = path.join(PREBUILT_DIR, entry.name);
  if (fs.existsSync(path.join(prebuilt, bundleFile(entry)))) {
    return new lambda.Function(scope, id, { ...props, code: lambda.Code.fromAsset(prebuilt), handler: 'index.handler' });
  }
  const source = path.join(PACKAGE_ROOT, entry.entry);
  if (!fs.existsSync(source)) {
    throw new Error(`The ${entry.name} function has neither a prebuilt bundle (${prebuilt}) nor its source (${source}): reinstall ecs-config-rules, or run \`npm run build\` in its repository.`);
  }
  // esbuild prints its warnings and errors only, not each bundle's size and time: the CDK already says
  // which asset it bundles, and the sizes are measured from the build (docs/performance.md).
  return new NodejsFunction(scope, id, { ...props, entry: source, handler: 'handler', bundling: { ...(entry.bundling ?? RULE_BUNDLING), target: BUNDLE_TARGET, logLevel: LogLevel.WARNING } });
}

/** The functions run on Node.js 20 or later: they load node:http/https/crypto through process.getBuiltinModule (Node.js 20.16+). */
export function validateRuntime(runtime: lambda.Runtime): void {
  const match = /^nodejs(\d+)\.x$/.exec(runtime.name);
  if (!match) throw new Error(`\`runtime\` must be a Node.js runtime such as nodejs24.x, got ${runtime.name}`);
  // The AWS SDK for JavaScript v3 supports Node.js 20 and later.
  if (Number(match[1]) < 20) throw new Error(`\`runtime\` must be nodejs20.x or later (the AWS SDK clients in the rule functions need it), got ${runtime.name}`);
}
