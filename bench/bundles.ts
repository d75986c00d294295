/**
 * Bundles handlers with esbuild exactly as the deployed rules are bundled (`esbuildBuildOptions` of
 * `lib/bundling.ts`, as the package's prebuild does), plus the reference bundlings the SDK decision
 * is measured against.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { controlEntry, esbuildBuildOptions, RULE_BUNDLING, RuleBundlingSettings } from '../lib/bundling';

export const REPO_ROOT = path.resolve(__dirname, '..');
/**
 * Inside the project's node_modules (ignored by git), so a bundle that leaves the SDK external
 * resolves the installed copy, as a deployed one resolves the Lambda runtime's.
 */
export const OUT_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'ecs-config-rules-bench');

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
  const result = await build({ ...esbuildBuildOptions(path.join(REPO_ROOT, entry), file, settings), metafile: true, logLevel: 'error' });
  const output = result.metafile.outputs[path.relative(process.cwd(), file)];
  if (!output) throw new Error(`esbuild reported no output for ${file}`);
  return { name, file, bytes: output.bytes, externalImports: [...new Set(output.imports.filter((imported) => imported.external).map((imported) => imported.path))] };
}

/** The entry of a control's Lambda function, as the construct names it. */
export const handlerEntry = (slug: string) => controlEntry(slug).entry;
