/** The programmatic scan by package subpath, without aws-cdk-lib: settings → load → evaluate. */
import { countStatuses, evaluateTargets, loadInputs, scanSettings } from 'ecs-config-rules/scan';

const paths = process.argv.slice(2);
const cwd = process.cwd();
const settings = scanSettings({ paths, format: 'json', severityThreshold: 'LOW' }, { cwd });
const { targets } = loadInputs(paths, { cwd, readStdin: () => '' });
const counts = countStatuses(evaluateTargets(targets, settings));
if (targets.length === 0 || counts.failed === 0) throw new Error(`the scan API found ${targets.length} resources and ${counts.failed} failures in ${paths.join(' ')}`);
console.log(`  scan API: ${targets.length} resources, ${counts.failed} failed`);
