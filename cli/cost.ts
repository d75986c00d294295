/**
 * `ecs-config-rules cost`: what the fleet costs a month across accounts and Regions, priced from the
 * rules' own figures per change event (lambdas/runtime/work-per-event.ts, which the bench and a test
 * hold to the code) and AWS's published prices (PRICES below, each with its page, Region and date),
 * beside what the same controls cost as Security Hub CSPM checks. See docs/cost.md.
 */
import { CONTROLS } from '../lambdas/controls';
import { Control } from '../lambdas/core/control';
import { ResourceType } from '../lambdas/core/model';
import { BILLED_MS_PER_INVOCATION, evaluationsPerChangeEvent, logBytesPerInvocation, metricRecordsPerChangeEvent } from '../lambdas/runtime/work-per-event';
import { markdownTable } from './report/markdown-table';
import { CommandIo, EXIT } from './scan';

/** A price per unit; `upTo` tiers apply per account, per Region, per month, in order. */
interface Price {
  readonly tiers: ReadonlyArray<{ readonly usd: number; readonly upTo?: number }>;
  readonly unit: string;
  readonly source: string;
  /** The Region and date the price is for, as the source states it or as it was read. */
  readonly asOf: string;
}

const flat = (usd: number, unit: string, source: string, asOf: string): Price => ({ tiers: [{ usd }], unit, source, asOf });

/** AWS's published prices, US East (N. Virginia), without free tiers (an organization of this size has used them up). */
export const PRICES = {
  configRuleEvaluation: {
    tiers: [{ usd: 0.001, upTo: 100_000 }, { usd: 0.0008, upTo: 500_000 }, { usd: 0.0005 }],
    unit: 'rule evaluation (per account, Region and month: first 100,000, next 400,000, beyond)',
    source: 'https://aws.amazon.com/config/pricing/',
    asOf: 'public Regions, in effect since 2019-08-01; read 2026-12-06',
  },
  configurationItem: flat(0.003, 'configuration item recorded (continuous recording)', 'https://aws.amazon.com/config/pricing/', 'us-east-1, AWS Price List effective 2025-04-01; read 2026-12-06'),
  lambdaRequest: flat(0.0000002, 'Lambda request', 'https://aws.amazon.com/lambda/pricing/', 'us-east-1; read 2026-12-06'),
  lambdaArmGbSecond: flat(0.0000133334, 'Lambda GB-second, Arm (first 7.5 billion a month), INIT phase included since 2025-08-01', 'https://aws.amazon.com/lambda/pricing/', 'us-east-1; read 2026-12-06'),
  logsIngestedGb: flat(0.5, 'GB of logs ingested (Standard class, first tier of Lambda logs)', 'https://aws.amazon.com/cloudwatch/pricing/', 'us-east-1; read 2026-12-06'),
  customMetricMonth: flat(0.3, 'custom metric-month (first 10,000 metrics), prorated by the hour it is sent in', 'https://aws.amazon.com/cloudwatch/pricing/', 'us-east-1; read 2026-12-06'),
  alarmMonth: flat(0.1, 'standard-resolution alarm metric-month', 'https://aws.amazon.com/cloudwatch/pricing/', 'us-east-1; read 2026-12-06'),
  sqsRequest: flat(0.0000004, 'SQS standard queue request (a failed invocation sends one)', 'https://aws.amazon.com/sqs/pricing/', 'us-east-1; read 2026-12-06'),
  stackSetOperation: flat(0, 'StackSet operation on AWS::* resource types', 'https://aws.amazon.com/cloudformation/pricing/', 'read 2026-12-06'),
  securityHubCheck: {
    tiers: [{ usd: 0.001, upTo: 100_000 }, { usd: 0.0008, upTo: 500_000 }, { usd: 0.0005 }],
    unit: 'Security Hub CSPM security check (per account, Region and month: first 100,000, next 400,000, beyond)',
    source: 'https://aws.amazon.com/security-hub/pricing/',
    asOf: 'us-east-1, CSPM priced alone (not in the Security Hub Essentials plan); read 2026-12-06',
  },
} as const satisfies Record<string, Price>;

/** Billing months as CloudWatch prorates them: 730 hours. */
const HOURS_PER_MONTH = 730;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
/** The fleet's function memory by default (lib/ecs-control-rules.ts `memorySize`). */
const FUNCTION_MEMORY_GB = 128 / 1024;
/** Compliance types a rule reports, each its own `Evaluations` metric per control. */
const COMPLIANCE_TYPES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

export interface CostCommandOptions {
  readonly accounts: string;
  readonly regions: string;
  readonly changesPerDay: string;
  readonly activeRevisions: string;
}

export interface CostInputs {
  readonly accounts: number;
  readonly regions: number;
  /** ECS configuration changes per account, per Region, per day. */
  readonly changesPerDay: number;
  /** ACTIVE revisions per task definition family, the new one included. */
  readonly activeRevisions: number;
}

/** What one change notification of a resource type sets off, every rule of that type together. */
export interface EventWork {
  readonly resourceType: ResourceType;
  readonly controls: readonly Control[];
  readonly evaluations: number;
  readonly metricRecords: number;
  readonly gbSeconds: number;
  readonly logBytes: number;
}

export function eventWork(resourceType: ResourceType, olderActiveRevisions: number): EventWork {
  const controls = CONTROLS.filter((control) => control.resourceType === resourceType);
  const sum = (of: (control: Control) => number) => controls.reduce((total, control) => total + of(control), 0);
  return {
    resourceType,
    controls,
    evaluations: sum((control) => evaluationsPerChangeEvent(control, olderActiveRevisions)),
    metricRecords: sum((control) => metricRecordsPerChangeEvent(control, olderActiveRevisions)),
    gbSeconds: controls.length * FUNCTION_MEMORY_GB * (BILLED_MS_PER_INVOCATION / 1000),
    logBytes: sum((control) => logBytesPerInvocation(evaluationsPerChangeEvent(control, olderActiveRevisions), metricRecordsPerChangeEvent(control, olderActiveRevisions))),
  };
}

/** Every resource type some control evaluates, in the registry's order. */
export function resourceTypes(): ResourceType[] {
  return [...new Set(CONTROLS.map((control) => control.resourceType))];
}

/** `quantity` units of `price` in one account and Region for a month, tiers applied. */
export function priced(price: Price, quantity: number): number {
  let usd = 0;
  let from = 0;
  for (const tier of price.tiers) {
    const to = tier.upTo ?? Infinity;
    usd += Math.max(0, Math.min(quantity, to) - from) * tier.usd;
    from = to;
  }
  return usd;
}

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  /** For the whole fleet, a month. */
  readonly usd: number;
}

export interface CostEstimate {
  readonly inputs: CostInputs;
  /** The change notification the totals assume every change to be: the costliest, a task definition revision. */
  readonly costliest: EventWork;
  readonly perEvent: readonly EventWork[];
  readonly rules: readonly CostLine[];
  readonly securityHub: readonly CostLine[];
  readonly rulesUsd: number;
  readonly securityHubUsd: number;
}

/**
 * The month's bill for `accounts` × `regions`, per account and Region first (the Config and Security
 * Hub tiers count there), every change taken as the costliest event type: an upper bound.
 */
export function estimateCost(inputs: CostInputs): CostEstimate {
  const perEvent = resourceTypes().map((type) => eventWork(type, inputs.activeRevisions - 1));
  const costliest = perEvent.reduce((most, work) => (work.evaluations > most.evaluations ? work : most));
  const places = inputs.accounts * inputs.regions;
  const events = inputs.changesPerDay * DAYS_PER_MONTH;
  const line = (item: string, perPlace: number, price: Price): CostLine => ({ item, quantity: perPlace * places, unit: price.unit, usd: priced(price, perPlace) * places });
  const distinctMetrics = CONTROLS.length * COMPLIANCE_TYPES.length;
  // Each event's metrics counted in an hour of their own (no two events share one): an upper bound, at most every metric every hour.
  const metricHours = Math.min(events * costliest.metricRecords, distinctMetrics * HOURS_PER_MONTH);
  const configurationItems = line('AWS Config: configuration items recorded (either way)', events, PRICES.configurationItem);
  const rules = [
    line('AWS Config: rule evaluations', events * costliest.evaluations, PRICES.configRuleEvaluation),
    configurationItems,
    line('Lambda: requests', events * costliest.controls.length, PRICES.lambdaRequest),
    line('Lambda: GB-seconds (INIT billed)', events * costliest.gbSeconds, PRICES.lambdaArmGbSecond),
    line('CloudWatch Logs: GB ingested', (events * costliest.logBytes) / 1e9, PRICES.logsIngestedGb),
    line('CloudWatch: Evaluations metric-months', metricHours / HOURS_PER_MONTH, PRICES.customMetricMonth),
    line('CloudWatch: failed-invocations alarm', 1, PRICES.alarmMonth),
    line('SQS: failed-invocations queue (requests when nothing fails)', 0, PRICES.sqsRequest),
    line('CloudFormation: StackSet', 0, PRICES.stackSetOperation),
  ];
  const securityHub = [line('Security Hub CSPM: security checks', events * costliest.controls.length, PRICES.securityHubCheck), configurationItems];
  const total = (lines: readonly CostLine[]) => lines.reduce((sum, cost) => sum + cost.usd, 0);
  return { inputs, costliest, perEvent, rules, securityHub, rulesUsd: total(rules), securityHubUsd: total(securityHub) };
}

const dollars = (usd: number) => `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const amount = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 3 : 0 });

/** The estimate as Markdown tables: per event, the month's bill each way, the prices. */
export function formatCost(estimate: CostEstimate): string {
  const { inputs, costliest } = estimate;
  const perEvent = markdownTable(
    ['change notification', 'rules invoked', 'rule evaluations recorded', 'Lambda GB-s', 'log KB', 'CSPM checks'],
    estimate.perEvent.map((work) => [work.resourceType, String(work.controls.length), String(work.evaluations), amount(work.gbSeconds), amount(work.logBytes / 1000), String(work.controls.length)]),
  );
  const bill = (lines: readonly CostLine[], total: number) =>
    markdownTable(['item', 'quantity a month', 'unit', 'a month'], [...lines.map((cost) => [cost.item, amount(cost.quantity), cost.unit, dollars(cost.usd)]), ['total', '', '', dollars(total)]]);
  const prices = markdownTable(
    ['price', 'USD', 'source', 'Region and date'],
    Object.values(PRICES).map((price: Price) => [price.unit, price.tiers.map((tier) => tier.usd.toLocaleString('en-US', { maximumSignificantDigits: 6 })).join(' / '), price.source, price.asOf]),
  );
  return [
    `${amount(inputs.accounts)} accounts × ${inputs.regions} Regions, ${amount(inputs.changesPerDay)} ECS changes per account and Region a day, ${inputs.activeRevisions} ACTIVE revisions per task definition family.`,
    '',
    'Per change notification (lambdas/runtime/work-per-event.ts; older ACTIVE revisions retired as NOT_APPLICABLE count as evaluations):',
    '',
    perEvent,
    '',
    `The fleet's month, every change taken as an ${costliest.resourceType} change (the costliest: an upper bound):`,
    '',
    bill(estimate.rules, estimate.rulesUsd),
    '',
    'The same controls as Security Hub CSPM checks (one check per control per change):',
    '',
    bill(estimate.securityHub, estimate.securityHubUsd),
    '',
    `Total: ${dollars(estimate.rulesUsd)} a month as these Config rules, ${dollars(estimate.securityHubUsd)} as Security Hub CSPM checks.`,
    '',
    prices,
    '',
  ].join('\n');
}

/** Parses the options, refusing what cannot be a count; throws naming the option. */
export function costInputs(options: CostCommandOptions): CostInputs {
  const count = (name: string, raw: string, minimum: number) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < minimum || (name !== '--changes-per-day' && !Number.isInteger(value))) {
      throw new Error(`${name} must be ${name === '--changes-per-day' ? 'a number' : 'a whole number'} of at least ${minimum}, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
  return {
    accounts: count('--accounts', options.accounts, 1),
    regions: count('--regions', options.regions, 1),
    changesPerDay: count('--changes-per-day', options.changesPerDay, 0),
    activeRevisions: count('--active-revisions', options.activeRevisions, 1),
  };
}

export function runCost(options: CostCommandOptions, io: CommandIo): number {
  let inputs: CostInputs;
  try {
    inputs = costInputs(options);
  } catch (error) {
    io.stderr.write(`ecs-config-rules cost: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  io.stdout.write(formatCost(estimateCost(inputs)));
  return EXIT.passed;
}
