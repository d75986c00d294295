/**
 * How often the scanner gives up (`npm run bench:corpus`): scans test/corpus (hand-written fixtures
 * of real-world patterns) with every control and prints the share of findings that are "could not
 * evaluate", each with its reason, so a reader can check that every one left depends on deploy-time
 * input. Files the scanner could not read are listed too. It measures and prints; it asserts nothing.
 */
import { join } from 'node:path';
import { evaluateTargets } from '../scan/evaluate';
import { loadInputs } from '../scan/inputs/load';
import { InputError } from '../scan/inputs/parse';
import { scanSettings } from '../cli/scan';
import { whereIs } from '../scan/target';

const CORPUS = join(__dirname, '..', 'test', 'corpus');

function main(): void {
  const settings = scanSettings({ paths: [CORPUS], format: 'json', severityThreshold: 'low' }, { cwd: CORPUS });
  let inputs;
  try {
    inputs = loadInputs(['.'], { cwd: CORPUS, readStdin: () => '' });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.log(`The corpus did not load: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  const findings = evaluateTargets(inputs.targets, settings);
  const decided = findings.filter((finding) => finding.outcome !== 'NOT_APPLICABLE');
  const notEvaluated = findings.filter((finding) => finding.outcome === 'NOT_EVALUATED');
  const percent = (part: number, whole: number) => `${((100 * part) / Math.max(whole, 1)).toFixed(1)}%`;
  console.log(`Corpus: ${inputs.filesScanned} files read, ${inputs.targets.length} resources, ${findings.length} findings (${decided.length} applicable).`);
  if (inputs.filesSkipped.length > 0) console.log(`Skipped files: ${inputs.filesSkipped.join(', ')}`);
  console.log(`Could not evaluate: ${notEvaluated.length} of ${decided.length} applicable findings (${percent(notEvaluated.length, decided.length)}).`);
  for (const finding of notEvaluated) console.log(`  ${whereIs(finding.target)} ${finding.control.id}: ${finding.annotation}`);
}

main();
