/**
 * The programmatic scan (`ecs-config-rules/scan`): the engine `ecs-config-rules scan` runs, without
 * aws-cdk-lib (a CLI-only install can use it) and without the CLI's output formats.
 *
 *   const settings: ScanSettings = { controls: selectControls(['ECS.4'], 'controls'), parameters: {},
 *     threshold: severityThreshold('high', 'threshold'), suppressions: [], today: today() };
 *   const { targets } = loadInputs(['infra/'], { cwd: process.cwd(), readStdin: () => '' });
 *   const findings = evaluateTargets(targets, settings);
 */
export { CONTROLS, controlById } from '../lambdas/controls';
export type { Control, Severity } from '../lambdas/core/control';
export { loadInputs, type LoadedInputs, type LoadOptions } from '../scan/inputs/load';
export { SEVERITIES, selectControls, severityThreshold, parseParameters, type ScanSettings, type ControlParameters } from '../scan/settings';
export { loadSuppressionsFile, today, type Suppression } from '../scan/suppressions';
export { evaluateTargets, countStatuses, reasonOf, type Finding, type FindingStatus, type StatusCounts } from '../scan/evaluate';
export { TOOL, type ScanReport } from '../scan/report';
export type { ScanTarget, ResourceLocation } from '../scan/target';
