/** The programmatic scan by package subpath, without aws-cdk-lib: settings → load → evaluate. */
import { countStatuses, evaluateTargets, loadInputs, ScanSettings, selectControls, severityThreshold, today } from 'ecs-config-rules/scan';

const paths = process.argv.slice(2);
const settings: ScanSettings = { controls: selectControls(undefined, 'controls'), parameters: {}, threshold: severityThreshold('low', 'threshold'), suppressions: [], today: today() };
const { targets } = loadInputs(paths, { cwd: process.cwd(), readStdin: () => '' });
const counts = countStatuses(evaluateTargets(targets, settings));
if (targets.length === 0 || counts.failed === 0) throw new Error(`the scan API found ${targets.length} resources and ${counts.failed} failures in ${paths.join(' ')}`);
console.log(`  scan API: ${targets.length} resources, ${counts.failed} failed`);
