/** The performance targets (issue 10), and how a measured rule is checked against them. */

export const TARGETS = {
  /**
   * Cold start (a fresh process: import + first change event) over the SDK floor's
   * (bench/reference/sdk-floor.ts), medians of the same run.
   */
  coldStartVsFloor: 1.25,
  /** Peak RSS: three quarters of the 128 MB function, so the rule fits it with room. */
  peakRssBytes: 96 * 1024 * 1024,
  taskDefinitionsPerSecond: 100_000,
  /** Per change event that needs no history fetch. */
  ecsCalls: 1,
  configCalls: 1,
} as const;

/** A bundle's cold start: a fresh `node` importing it and handling one change event. */
export interface ColdStartMeasurement {
  readonly bundleBytes: number;
  /** Median wall time from spawn to exit. */
  readonly coldStartMs: number;
  readonly coldStartRatio: number;
  /** Median CPU time (all threads) up to the end of the first invocation: less sensitive to load. */
  readonly coldStartCpuMs: number;
  readonly coldStartCpuRatio: number;
  readonly peakRssBytes: number;
  /** `service:Operation` → calls for one change event. */
  readonly callsPerEvent: Record<string, number>;
  /** ECS reads of the same family repeated within the invocation (should be none). */
  readonly repeatedCalls: readonly string[];
}

export interface RuleMeasurement extends ColdStartMeasurement {
  readonly rule: string;
  /** Cold start over the SDK floor's, medians of the same run. */
  readonly coldStartVsFloor: number;
  /** The same in CPU time (all threads): less sensitive to a busy machine than wall time. */
  readonly coldStartCpuVsFloor: number;
  readonly warmP50Ms: number;
  readonly warmP99Ms: number;
}

export interface TargetCheck {
  readonly target: string;
  readonly met: boolean;
}

const callsOf = (calls: Record<string, number>, service: string) =>
  Object.entries(calls)
    .filter(([kind]) => kind.startsWith(`${service}:`))
    .reduce((sum, [, count]) => sum + count, 0);

export function checkRule(rule: RuleMeasurement): TargetCheck[] {
  return [
    { target: `cold start ≤ ${TARGETS.coldStartVsFloor}× the SDK floor`, met: rule.coldStartVsFloor <= TARGETS.coldStartVsFloor },
    { target: `peak RSS ≤ ${TARGETS.peakRssBytes / 2 ** 20} MB`, met: rule.peakRssBytes <= TARGETS.peakRssBytes },
    {
      target: `≤ ${TARGETS.ecsCalls} ECS + ${TARGETS.configCalls} Config call, none repeated`,
      met: callsOf(rule.callsPerEvent, 'ecs') <= TARGETS.ecsCalls && callsOf(rule.callsPerEvent, 'config') <= TARGETS.configCalls && rule.repeatedCalls.length === 0,
    },
  ];
}
