/**
 * The integ cases' snapshots: what each case synthesizes, kept in `test/integ/<case>.snapshot/` and
 * compared exactly in `npm test` (test/integ/snapshots.test.ts), so a change to what the integ run
 * deploys cannot land without its snapshot, and the run deploys what was reviewed.
 *
 * A snapshot keeps the files that say what is deployed: every stack's template, the asset manifests
 * (the code's hashes: the bundles are reproducible, test/package/bundles.test.ts, so hashes are
 * compared exactly), the cloud assembly manifest and integ-tests' `integ.json` (the test cases and
 * their assertion stack). It leaves out `tree.json` (the construct tree, large and not deployed) and
 * the asset directories themselves (their hashes stand for them), so the snapshot stays small.
 *
 * One thing is not reproducible and is masked: integ-tests gives every assertion custom resource a
 * `salt` of `Date.now()` so CloudFormation re-runs it on every deploy
 * (node_modules/@aws-cdk/integ-tests-alpha/lib/assertions/sdk.js), which also changes the hash of the
 * template that holds it. Both become placeholders; everything else is compared as synthesized.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildAccountModeCase } from './integ.account-mode';
import { buildProactiveHookCase } from './integ.proactive-hook';

export interface IntegCase {
  /** The case's file name without `.ts`; its snapshot directory is `<name>.snapshot`. */
  readonly name: string;
  /** Adds the case's stacks and its `IntegTest` to the app. */
  readonly build: (app: App) => void;
}

export const INTEG_CASES: readonly IntegCase[] = [
  { name: 'integ.account-mode', build: buildAccountModeCase },
  { name: 'integ.proactive-hook', build: buildProactiveHookCase },
];

const ROOT = path.resolve(__dirname, '..', '..');

export const snapshotDirectory = (integCase: IntegCase): string => path.join(__dirname, `${integCase.name}.snapshot`);

/** A snapshot's files: templates, asset manifests, `manifest.json` and `integ.json`. */
export const isSnapshotFile = (file: string): boolean =>
  file.endsWith('.template.json') || file.endsWith('.assets.json') || file === 'manifest.json' || file === 'integ.json';

/**
 * Synthesizes a case into `outdir` with the feature flags of cdk.json, the ones the project's own app
 * runs with (the CDK CLI passes them as context; here the app is built in-process, so the test and the
 * run synthesize through this one function).
 */
export function synthesizeCase(integCase: IntegCase, outdir: string): string {
  const { context } = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ outdir, context });
  integCase.build(app);
  return app.synth().directory;
}

/** The snapshot files of an assembly or snapshot directory, by name, parsed (so the comparison ignores formatting), salts masked. */
export function readSnapshotFiles(directory: string): Record<string, unknown> {
  if (!fs.existsSync(directory)) return {};
  const files = fs.readdirSync(directory).filter(isSnapshotFile).sort();
  return maskSalts(Object.fromEntries(files.map((file) => [file, JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8'))])));
}

const SALT = '<salt: Date.now() at synth>';
const SALTED_TEMPLATE_HASH = '<hash of a template with salts>';
const ASSERTION_RESOURCE_TYPE = /^Custom::DeployAssert@/;

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
type AssetManifest = { files?: Record<string, { source: { path: string }; destinations: Record<string, unknown> }> };

function maskSalts(files: Record<string, unknown>): Record<string, unknown> {
  const salted = new Set<string>();
  for (const [file, content] of Object.entries(files)) {
    if (!file.endsWith('.template.json')) continue;
    for (const resource of Object.values((content as Template).Resources ?? {})) {
      if (ASSERTION_RESOURCE_TYPE.test(resource.Type) && resource.Properties?.salt !== undefined) {
        resource.Properties.salt = SALT;
        salted.add(file);
      }
    }
  }
  // A salted template's hash names it in its asset manifest and in manifest.json, and its
  // destinations' ids end with a digest of it (`current_account-current_region-<8 hex>`).
  const saltedAssets = Object.entries(files)
    .filter(([file]) => file.endsWith('.assets.json'))
    .flatMap(([, manifest]) => Object.entries((manifest as AssetManifest).files ?? {}))
    .filter(([, asset]) => salted.has(asset.source.path));
  const masks = saltedAssets.flatMap(([hash, asset]) => [
    [hash, SALTED_TEMPLATE_HASH],
    ...Object.keys(asset.destinations).map((destination) => [destination, destination.replace(/-[0-9a-f]{8}$/, `-${SALTED_TEMPLATE_HASH}`)]),
  ]);
  if (masks.length === 0) return files;
  return Object.fromEntries(
    Object.entries(files).map(([file, content]) => [file, JSON.parse(masks.reduce((text, [from, to]) => text.replaceAll(from, to), JSON.stringify(content)))]),
  );
}

/** Replaces the case's snapshot with the snapshot files of a fresh assembly. */
export function writeSnapshot(integCase: IntegCase, assemblyDir: string): void {
  const target = snapshotDirectory(integCase);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  for (const [file, content] of Object.entries(readSnapshotFiles(assemblyDir))) {
    fs.writeFileSync(path.join(target, file), `${JSON.stringify(content, null, 1)}\n`);
  }
}

/** The files that differ between a fresh assembly and the committed snapshot (missing on either side included). */
export function changedSnapshotFiles(integCase: IntegCase, assemblyDir: string): string[] {
  const fresh = readSnapshotFiles(assemblyDir);
  const committed = readSnapshotFiles(snapshotDirectory(integCase));
  const names = [...new Set([...Object.keys(fresh), ...Object.keys(committed)])].sort();
  return names.filter((name) => JSON.stringify(fresh[name]) !== JSON.stringify(committed[name]));
}
