/**
 * The programmatic scan (`ecs-config-rules/scan`), as `ecs-config-rules scan` runs it: settings →
 * load → evaluate → format. Loads no aws-cdk-lib, so a CLI-only install can use it too.
 *
 *   const settings = scanSettings({ paths, format: 'json', severityThreshold: 'HIGH' }, { cwd });
 *   const { targets } = loadInputs(paths, { cwd, readStdin: () => '' });
 *   const findings = evaluateTargets(targets, settings);
 */
export { CONTROLS, controlById } from '../lambdas/controls';
export type { Control, Severity } from '../lambdas/core/control';
export { loadInputs, type LoadedInputs, type LoadOptions } from '../cli/inputs/load';
export { scanSettings, FORMATS, EXIT, type ScanCommandOptions } from '../cli/scan';
export { SEVERITIES, type ScanSettings, type ParametersByControl } from '../cli/settings';
export { evaluateTargets, countStatuses, reasonOf, type Finding, type FindingStatus, type StatusCounts } from '../cli/evaluate';
export type { ScanReport, Formatter, FormatOptions } from '../cli/report/report';
export type { ScanTarget, ResourceLocation } from '../cli/target';
