/**
 * The CLI as one CommonJS file, built by esbuild from bin/ecs-config-rules.ts: the package's `bin`
 * (`npm run build`, AWS SDK included) and the GitHub Action's committed file (`npm run build:action`,
 * AWS SDK left out). Bundled because jsii admits no run-time dependency that is not a jsii module
 * unless the tarball carries it (docs/jsii.md): the CLI's commander, cli-progress, picocolors and AWS
 * SDK clients travel inside this file instead, and only the library's three parsers are bundled packages.
 * Measured against the tsc output it replaces (farm-bench, 7 runs, this machine): `scan examples/`
 * 0.187 s against 0.175 s median wall, `--version` 0.153 s against 0.133 s, 13 MiB more peak memory
 * (the 2.9 MB file is parsed whole); left unminified so a user's stack trace names the functions.
 */
import { join } from 'node:path';
import { build, Plugin } from 'esbuild';
import { BUNDLE_TARGET } from '../lib/bundling';

export const REPO_ROOT = join(__dirname, '..');

/** The bundle's text and the source files it holds (repository-relative, for the tests). */
export interface CliBundle {
  readonly text: string;
  readonly inputs: readonly string[];
}

export async function bundleCli(options: { readonly banner: string; readonly plugins?: Plugin[] }): Promise<CliBundle> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'bin', 'ecs-config-rules.ts')],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    target: BUNDLE_TARGET,
    format: 'cjs',
    // ES builds first, as the functions' bundles (lib/bundling.ts): jsonc-parser's `main` is a UMD build whose lazy requires esbuild cannot follow.
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    // The action's committed file is read in review: no minification, no comments of the dependencies.
    legalComments: 'none',
    banner: { js: options.banner },
    plugins: options.plugins ?? [],
    logLevel: 'error',
  });
  const [output] = result.outputFiles;
  return { text: output.text, inputs: Object.keys(result.metafile.inputs) };
}
