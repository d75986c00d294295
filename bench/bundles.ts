/**
 * Bundles handlers with esbuild exactly as `NodejsFunction` does for the deployed rules (same
 * settings object, `lib/bundling.ts`, mapped flag for flag like aws-cdk-lib's bundling command), plus
 * the reference bundlings the SDK decision is measured against.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { esbuildTarget, RULE_BUNDLING, RuleBundlingSettings } from '../lib/bundling';

export const REPO_ROOT = path.resolve(__dirname, '..');
/**
 * Inside the project's node_modules (ignored by git), so a bundle that leaves the SDK external
 * resolves the installed copy, as a deployed one resolves the Lambda runtime's.
 */
export const OUT_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'ecs-config-rules-bench');

/** The construct's default runtime (`EcsControlRules`): the bundles target it. */
export const DEPLOY_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  /** What the bundle still imports at run time (esbuild's external imports): node builtins only. */
  readonly externalImports: readonly string[];
}

/** Bundles `entry` (relative to the repository) with `settings`; the output name says its format. */
export async function bundle(name: string, entry: string, settings: RuleBundlingSettings = RULE_BUNDLING): Promise<Bundle> {
  mkdirSync(OUT_DIR, { recursive: true });
  const esm = settings.format === OutputFormat.ESM;
  const file = path.join(OUT_DIR, `${name}.${esm ? 'mjs' : 'cjs'}`);
  const result = await build({
    entryPoints: [path.join(REPO_ROOT, entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: esbuildTarget(DEPLOY_RUNTIME),
    format: esm ? 'esm' : 'cjs',
    mainFields: settings.mainFields,
    external: settings.externalModules,
    minify: settings.minify,
    sourcemap: settings.sourceMap,
    metafile: true,
    logLevel: 'error',
  });
  const output = result.metafile.outputs[path.relative(process.cwd(), file)];
  if (!output) throw new Error(`esbuild reported no output for ${file}`);
  return { name, file, bytes: output.bytes, externalImports: [...new Set(output.imports.filter((imported) => imported.external).map((imported) => imported.path))] };
}

/** The entry of a control's Lambda function, as the construct names it. */
export const handlerEntry = (slug: string) => `lambdas/handlers/${slug}.ts`;
