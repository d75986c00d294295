/**
 * `npm run build`'s second step: every function's bundle, prebuilt into `dist/bundles/<name>/index.mjs`
 * with the options the construct gives `NodejsFunction` (`lib/bundling.ts`), so an installed package
 * deploys them with `Code.fromAsset` and its users need neither esbuild nor the TypeScript sources.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleFile, esbuildBuildOptions, FUNCTION_ENTRIES, FunctionEntry } from '../lib/bundling';

const REPO_ROOT = join(__dirname, '..');
export const BUNDLES_DIR = join(REPO_ROOT, 'dist', 'bundles');

/** Bundles each entry into `<outDir>/<name>/index.mjs` (`index.js` for CommonJS); returns the files written. */
export async function buildBundles(outDir: string, entries: readonly FunctionEntry[] = FUNCTION_ENTRIES): Promise<string[]> {
  rmSync(outDir, { recursive: true, force: true });
  return Promise.all(
    entries.map(async (functionEntry) => {
      const outfile = join(outDir, functionEntry.name, bundleFile(functionEntry));
      await build({ ...esbuildBuildOptions(join(REPO_ROOT, functionEntry.entry), outfile, functionEntry.bundling), logLevel: 'error' });
      return outfile;
    }),
  );
}

if (require.main === module) {
  buildBundles(BUNDLES_DIR).then(
    (files) => console.log(`${files.length} function bundles in ${BUNDLES_DIR}`),
    (error: Error) => {
      console.error(`Bundling the functions failed: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
