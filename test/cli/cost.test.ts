/**
 * `ecs-config-rules cost`: the month's figures from the rules' own per-event counts
 * (lambdas/runtime/work-per-event.ts) and the cited prices, and README's figure, which must be what
 * the command prints.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimateCost, priced, PRICES } from '../../cli/cost';
import { REPOSITORY, runCli } from './run-cli';

const lineOf = (lines: ReadonlyArray<{ item: string; quantity: number; usd: number }>, item: string) => lines.find((line) => line.item.startsWith(item))!;
const DAYS_PER_MONTH = 730 / 24;

describe('one account in one Region, 10 changes a day, families with 3 ACTIVE revisions', () => {
  const estimate = estimateCost({ accounts: 1, regions: 1, changesPerDay: 10, activeRevisions: 3 });
  const events = 10 * DAYS_PER_MONTH;

  test('prices every change as a task definition revision: 10 rules, each reporting it and retiring the 2 older revisions', () => {
    expect(estimate.costliest.resourceType).toBe('AWS::ECS::TaskDefinition');
    expect(estimate.costliest.controls).toHaveLength(10);
    expect(estimate.costliest.evaluations).toBe(30);
    expect(lineOf(estimate.rules, 'AWS Config: rule evaluations').quantity).toBeCloseTo(events * 30);
    expect(lineOf(estimate.rules, 'AWS Config: rule evaluations').usd).toBeCloseTo(events * 30 * 0.001);
  });

  test('Lambda: a request per rule and 0.125 GB × 300 ms billed each (the cold start, INIT included)', () => {
    expect(lineOf(estimate.rules, 'Lambda: requests').quantity).toBeCloseTo(events * 10);
    expect(lineOf(estimate.rules, 'Lambda: GB-seconds').quantity).toBeCloseTo(events * 10 * 0.125 * 0.3);
  });

  test('Security Hub CSPM: one check per control per change, no retirement, and the same configuration items', () => {
    expect(lineOf(estimate.securityHub, 'Security Hub CSPM').quantity).toBeCloseTo(events * 10);
    expect(lineOf(estimate.securityHub, 'AWS Config: configuration items').usd).toBeCloseTo(events * 0.003);
    expect(lineOf(estimate.rules, 'AWS Config: configuration items').usd).toBeCloseTo(events * 0.003);
  });

  test('the per-event table lists every resource type; a service change invokes the 3 service rules once each', () => {
    expect(estimate.perEvent.map((work) => work.resourceType).sort()).toEqual(['AWS::ECS::CapacityProvider', 'AWS::ECS::Cluster', 'AWS::ECS::Service', 'AWS::ECS::TaskDefinition', 'AWS::ECS::TaskSet']);
    expect(estimate.perEvent.find((work) => work.resourceType === 'AWS::ECS::Service')!.evaluations).toBe(3);
  });
});

test('supersession retirement is what the revisions add: a family with one ACTIVE revision costs one evaluation per rule', () => {
  expect(estimateCost({ accounts: 1, regions: 1, changesPerDay: 1, activeRevisions: 1 }).costliest.evaluations).toBe(10);
  expect(estimateCost({ accounts: 1, regions: 1, changesPerDay: 1, activeRevisions: 50 }).costliest.evaluations).toBe(500);
});

test('the Config and Security Hub tiers apply per account and Region: 600,000 evaluations cost 100 + 320 + 50 dollars', () => {
  expect(priced(PRICES.configRuleEvaluation, 600_000)).toBeCloseTo(470);
  expect(priced(PRICES.securityHubCheck, 50_000)).toBeCloseTo(50);
});

test('custom metrics are capped at every Evaluations metric every hour', () => {
  const busy = estimateCost({ accounts: 1, regions: 1, changesPerDay: 100_000, activeRevisions: 3 });
  expect(lineOf(busy.rules, 'CloudWatch: Evaluations metric-months').quantity).toBe(17 * 3);
});

test('accounts and Regions multiply the per-account bill', () => {
  const one = estimateCost({ accounts: 1, regions: 1, changesPerDay: 10, activeRevisions: 3 });
  const many = estimateCost({ accounts: 7, regions: 3, changesPerDay: 10, activeRevisions: 3 });
  expect(many.rulesUsd).toBeCloseTo(one.rulesUsd * 21);
  expect(many.securityHubUsd).toBeCloseTo(one.securityHubUsd * 21);
});

describe('the command', () => {
  test('prints the tables and the prices with their sources', async () => {
    const run = await runCli(['cost', '--accounts', '2', '--regions', '1', '--changes-per-day', '5']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('| AWS::ECS::TaskDefinition   | 10            | 30                        |');
    expect(run.stdout).toMatch(/\| AWS Config: rule evaluations +\| 9,125 +\|/);
    for (const price of Object.values(PRICES)) expect(run.stdout).toContain(price.source);
  });

  test.each([
    [['--accounts', '0', '--regions', '1', '--changes-per-day', '5'], '--accounts must be a whole number of at least 1, got "0"'],
    [['--accounts', '2', '--regions', '1.5', '--changes-per-day', '5'], '--regions must be a whole number of at least 1, got "1.5"'],
    [['--accounts', '2', '--regions', '1', '--changes-per-day', 'many'], '--changes-per-day must be a number of at least 0, got "many"'],
  ])('refuses %j, naming the option', async (options, message) => {
    const run = await runCli(['cost', ...options]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});

test("README's figure for 1,000 accounts × 4 Regions is what its command prints", async () => {
  const readme = readFileSync(join(REPOSITORY, 'README.md'), 'utf8');
  const [, command, rules, securityHub] = /`npx ecs-config-rules (cost [^`]+)`[^$]*(\$[\d,.]+) a month as these rules,\s+(\$[\d,.]+) as Security Hub CSPM/.exec(readme)!;
  expect(command).toBe('cost --accounts 1000 --regions 4 --changes-per-day 10');

  const run = await runCli(command.split(' '));
  expect(run.stdout).toContain(`Total: ${rules} a month as these Config rules, ${securityHub} as Security Hub CSPM checks.`);
});
