/**
 * `npm run integ`: each integ case deployed to the sandbox account the AWS CLI profile points at,
 * asserted and destroyed, one case after the other (the hook case's FAIL-mode hook would refuse the
 * account-mode case's privileged task definition if both were up at once). docs/integ.md says what the
 * account needs, how long a run takes and what it costs.
 *
 * Each case is synthesized in-process by the function the offline snapshot test uses, then deployed
 * from that assembly by the pinned CDK CLI, so the run deploys exactly what the snapshot shows. The
 * assertions are custom resources in the case's assertion stack: its deploy fails when one does.
 * integ-runner is not used: its newest release (2.197.10, bundling cloud assembly schema 53) cannot
 * read the schema-55 assemblies aws-cdk-lib 2.276 writes (docs/integ.md).
 *
 *   npm run integ                          deploy, assert, destroy every case; refresh the snapshots after a pass
 *   npm run integ -- integ.proactive-hook  only the cases named
 *   npm run integ -- --update-snapshots    offline: rewrite the snapshots, deploy nothing
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { INTEG_CASES, IntegCase, changedSnapshotFiles, synthesizeCase, writeSnapshot } from './snapshot';

const CDK = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'cdk');

export interface RunOptions {
  readonly cases: readonly IntegCase[];
  readonly updateSnapshotsOnly: boolean;
}

export function parseArguments(args: readonly string[]): RunOptions {
  const names = args.filter((arg) => !arg.startsWith('--'));
  const unknownFlags = args.filter((arg) => arg.startsWith('--') && arg !== '--update-snapshots');
  if (unknownFlags.length > 0) throw new Error(`npm run integ: unknown option ${unknownFlags.join(', ')} (only --update-snapshots)`);
  const unknownNames = names.filter((name) => !INTEG_CASES.some((integCase) => integCase.name === name));
  if (unknownNames.length > 0) throw new Error(`npm run integ: no integ case ${unknownNames.join(', ')}; the cases are ${INTEG_CASES.map((integCase) => integCase.name).join(', ')}`);
  return {
    cases: names.length === 0 ? INTEG_CASES : INTEG_CASES.filter((integCase) => names.includes(integCase.name)),
    updateSnapshotsOnly: args.includes('--update-snapshots'),
  };
}

/** The pinned CDK CLI on an assembly directory; true when it exits 0. */
function cdk(assemblyDir: string, args: readonly string[]): boolean {
  const result = spawnSync(CDK, [...args, '--app', assemblyDir], { stdio: 'inherit' });
  return result.status === 0;
}

/** Deploys a case, and destroys it whatever the deploy did (a failed assertion leaves stacks up otherwise). */
function deployAndDestroy(integCase: IntegCase, assemblyDir: string): boolean {
  const started = Date.now();
  const deployed = cdk(assemblyDir, ['deploy', '--all', '--require-approval', 'never', '--concurrency', '1']);
  const destroyed = cdk(assemblyDir, ['destroy', '--all', '--force']);
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  console.log(`${integCase.name}: ${deployed ? 'PASSED' : 'FAILED'} in ${minutes} min${destroyed ? '' : ' (destroy FAILED: delete its stacks by hand, docs/integ.md)'}`);
  return deployed && destroyed;
}

function main(): number {
  const options = parseArguments(process.argv.slice(2));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-config-rules-integ-'));
  const results: Array<{ name: string; passed: boolean }> = [];
  try {
    for (const integCase of options.cases) {
      const assemblyDir = synthesizeCase(integCase, path.join(scratch, integCase.name));
      if (options.updateSnapshotsOnly) {
        writeSnapshot(integCase, assemblyDir);
        console.log(`${integCase.name}: snapshot written`);
        continue;
      }
      const changed = changedSnapshotFiles(integCase, assemblyDir);
      if (changed.length > 0) console.log(`${integCase.name}: the synth differs from the committed snapshot (${changed.join(', ')}); it is refreshed if the run passes.`);
      const passed = deployAndDestroy(integCase, assemblyDir);
      if (passed) writeSnapshot(integCase, assemblyDir);
      results.push({ name: integCase.name, passed });
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (options.updateSnapshotsOnly) return 0;
  // The line the release checklist asks for in the CHANGELOG entry (CONTRIBUTING.md).
  const date = new Date().toISOString().slice(0, 10);
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "the profile's Region";
  console.log(`\nIntegration run ${date} in ${region}: ${results.map(({ name, passed }) => `${name} ${passed ? 'passed' : 'FAILED'}`).join(', ')}.`);
  return results.every(({ passed }) => passed) ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (error) {
    // A usage error or a synth that throws: no verdict, so not the exit code of a failed case.
    console.error((error as Error).message);
    process.exitCode = 2;
  }
}
