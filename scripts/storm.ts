/**
 * `npm run storm`: a deploy storm played through the bundled rule functions. Thousands of change
 * notifications (new task definition revisions of many families, the services moving to them,
 * cluster setting changes) go to every rule in scope, as AWS Config sends them, against the loopback
 * AWS endpoint, with a share of all API calls answered by throttling or 5xx errors.
 *
 * Lambda is simulated as it treats asynchronous invocations: each function gets `--concurrency`
 * execution environments (a fresh import of its bundle each, so its own SDK clients and retry quota),
 * a failed invocation is retried twice, then goes to the on-failure destination.
 *
 * The same storm is first played without faults: that reference run says what every invocation must
 * deliver. The fault run must deliver exactly the same evaluations (resource, result, annotation,
 * timestamp) for the same result tokens; invocations that cannot decide (malformed items, injected on
 * purpose) must fail loudly in both runs and deliver nothing.
 *
 *   npm run storm -- [--events 3000] [--fault-rate 0.3] [--faults throttling|5xx|mixed] [--concurrency 5] [--seed 1]
 *                     [--oversized-rate 0.05] [--malformed-rate 0.01]
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CONTROLS } from '../lambdas/controls';
import { Control } from '../lambdas/core/control';
import { ResourceType } from '../lambdas/core/model';
import { bundle, handlerEntry } from '../bench/bundles';
import { lambdaEnvironment } from '../bench/scenarios';
import { AwsLoopback, ErrorReply, Reply, Route } from '../dev-support/aws-loopback';
import { asHistoryItem, changeEventFor, clusterItem, oversizedEventWith, serviceItem, TASK_DEFINITION_ARN, taskDefinitionItem } from '../dev-support/events';

type Json = Record<string, any>;
type Handler = (event: unknown, context: { invokedFunctionArn: string }) => Promise<void>;

interface Options {
  readonly events: number;
  readonly faultRate: number;
  readonly faults: 'throttling' | '5xx' | 'mixed';
  readonly concurrency: number;
  readonly seed: number;
  readonly oversizedRate: number;
  /** The share of families whose latest revision ECS.4 cannot read. */
  readonly malformedRate: number;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '3000' },
      'fault-rate': { type: 'string', default: '0.3' },
      faults: { type: 'string', default: 'throttling' },
      concurrency: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      'oversized-rate': { type: 'string', default: '0.05' },
      'malformed-rate': { type: 'string', default: '0.01' },
    },
  });
  const number = (name: string, raw: string, check: (value: number) => boolean, expected: string) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || !check(value)) throw new Error(`--${name} must be ${expected}, got ${JSON.stringify(raw)}`);
    return value;
  };
  const rate = (name: string, raw: string) => number(name, raw, (value) => value >= 0 && value < 1, 'a rate from 0 to below 1');
  const positive = (name: string, raw: string) => number(name, raw, (value) => Number.isInteger(value) && value > 0, 'a positive integer');
  if (!['throttling', '5xx', 'mixed'].includes(values.faults)) throw new Error(`--faults must be throttling, 5xx or mixed, got ${JSON.stringify(values.faults)}`);
  return {
    events: positive('events', values.events),
    faultRate: rate('fault-rate', values['fault-rate']),
    faults: values.faults as Options['faults'],
    concurrency: positive('concurrency', values.concurrency),
    seed: positive('seed', values.seed),
    oversizedRate: rate('oversized-rate', values['oversized-rate']),
    malformedRate: rate('malformed-rate', values['malformed-rate']),
  };
}

/** mulberry32: a small seeded generator, so a storm can be replayed exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// The account and the storm of notifications.

interface Notification {
  readonly resourceType: ResourceType;
  /** The Config event, without the per-rule fields (result token, rule name). */
  readonly event: Json;
}

interface Account {
  readonly notifications: Notification[];
  /** ACTIVE revision ARNs by family, oldest first: ECS's state once the storm is over. */
  readonly activeArns: Map<string, string[]>;
  readonly operatingSystemFamilies: Map<string, string | undefined>;
  /** Items GetResourceConfigHistory returns, by resource id (oversized notifications). */
  readonly history: Map<string, Json>;
}

const OS_FAMILIES = ['LINUX', 'WINDOWS_SERVER_2022_CORE', undefined];

/** A new revision of `family`: hardened or not, Linux, Windows or unset, as real fleets mix them. */
function revisionItem(family: string, revision: number, random: () => number): Json {
  const item = taskDefinitionItem();
  const arn = TASK_DEFINITION_ARN(family, revision);
  const hardened = random() < 0.5;
  const operatingSystemFamily = OS_FAMILIES[Math.floor(random() * OS_FAMILIES.length)];
  Object.assign(item, { resourceId: `${family}:${revision}`, resourceName: `${family}:${revision}`, ARN: arn, tags: hardened ? { team: 'payments' } : {} });
  Object.assign(item.configuration, { Family: family, TaskDefinitionArn: arn, ...(operatingSystemFamily ? { RuntimePlatform: { OperatingSystemFamily: operatingSystemFamily } } : {}) });
  for (const container of item.configuration.ContainerDefinitions) {
    Object.assign(container, hardened ? { User: '1000:1000', ReadonlyRootFilesystem: true, LogConfiguration: { LogDriver: 'awslogs' } } : { Privileged: random() < 0.2 });
  }
  if (random() < 0.2) item.configuration.Volumes = [{ Name: 'data', EfsVolumeConfiguration: { FileSystemId: 'fs-1', TransitEncryption: hardened ? 'ENABLED' : 'DISABLED' } }];
  return item;
}

/** An item ECS.4 cannot read (it reads Privileged): that rule must fail loudly, the others decide. */
function malformed(item: Json): Json {
  const copy = structuredClone(item);
  copy.configuration.ContainerDefinitions[0].Privileged = 'true';
  return copy;
}

/** The notification of a task definition revision: the item itself, or for an oversized one a summary and the item in the history. */
function revisionNotification(item: Json, oversized: boolean, history: Map<string, Json>): Notification {
  if (!oversized) return { resourceType: 'AWS::ECS::TaskDefinition', event: changeEventFor(item) };
  history.set(item.resourceId, asHistoryItem(item));
  // The summary names the item in the history exactly (the handler refuses any other: lambdas/runtime/event-acceptance.ts).
  const summary = { resourceId: item.resourceId, resourceName: item.resourceName, ARN: item.ARN, configurationItemCaptureTime: item.configurationItemCaptureTime };
  return { resourceType: 'AWS::ECS::TaskDefinition', event: oversizedEventWith(summary) };
}

function serviceNotification(family: string, revision: number, cluster: string, random: () => number): Json {
  const arn = `arn:aws:ecs:us-east-1:123456789012:service/${cluster}/${family}`;
  const item = serviceItem({
    ServiceName: family,
    ServiceArn: arn,
    Cluster: `arn:aws:ecs:us-east-1:123456789012:cluster/${cluster}`,
    LaunchType: random() < 0.8 ? 'FARGATE' : 'EC2',
    PlatformVersion: ['LATEST', '1.4.0', '1.3.0'][Math.floor(random() * 3)],
    TaskDefinition: TASK_DEFINITION_ARN(family, revision),
    NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: random() < 0.2 ? 'ENABLED' : 'DISABLED', Subnets: ['subnet-0a1b2c3d'] } },
  });
  return { ...item, resourceId: arn, resourceName: family, ARN: arn, tags: random() < 0.5 ? { team: 'payments' } : {} };
}

function clusterNotification(cluster: string, random: () => number): Json {
  const item = clusterItem({ ClusterName: cluster, ClusterSettings: [{ Name: 'containerInsights', Value: random() < 0.7 ? 'enabled' : 'disabled' }] }, random() < 0.5 ? { team: 'platform' } : {});
  return { ...item, resourceId: cluster, resourceName: cluster, ARN: `arn:aws:ecs:us-east-1:123456789012:cluster/${cluster}` };
}

/**
 * The storm: deploys of many families, each registering a new revision and moving its service to
 * it, now and then a cluster setting change, shuffled as notifications arrive out of order.
 */
function buildAccount(options: Options, random: () => number): Account {
  const families = Array.from({ length: Math.max(1, Math.round(options.events / 8)) }, (_, index) => `app-${String(index).padStart(5, '0')}`);
  const clusters = Array.from({ length: Math.max(1, Math.round(families.length / 20)) }, (_, index) => `cluster-${index}`);
  const revisions = new Map(families.map((family) => [family, 1 + Math.floor(random() * 5)]));
  const activeArns = new Map(families.map((family) => [family, Array.from({ length: revisions.get(family)! }, (_, index) => TASK_DEFINITION_ARN(family, index + 1))]));
  const operatingSystemFamilies = new Map<string, string | undefined>();
  const history = new Map<string, Json>();
  const notifications: Notification[] = [];
  /** Each family's newest revision so far: where it sits in the storm and its item. */
  const newest = new Map<string, { index: number; item: Json; oversized: boolean }>();

  while (notifications.length < options.events) {
    const family = families[Math.floor(random() * families.length)];
    const revision = revisions.get(family)! + 1;
    revisions.set(family, revision);
    activeArns.get(family)!.push(TASK_DEFINITION_ARN(family, revision));
    const item = revisionItem(family, revision, random);
    operatingSystemFamilies.set(TASK_DEFINITION_ARN(family, revision), item.configuration.RuntimePlatform?.OperatingSystemFamily);
    const oversized = random() < options.oversizedRate;
    newest.set(family, { index: notifications.length, item, oversized });
    notifications.push(revisionNotification(item, oversized, history));
    const cluster = clusters[families.indexOf(family) % clusters.length];
    notifications.push({ resourceType: 'AWS::ECS::Service', event: changeEventFor(serviceNotification(family, revision, cluster, random)) });
    if (random() < 0.1) notifications.push({ resourceType: 'AWS::ECS::Cluster', event: changeEventFor(clusterNotification(cluster, random)) });
  }
  notifications.length = options.events;
  // Only a family's latest revision is read (older ones are NOT_APPLICABLE unread), so that is where
  // an unreadable item must sit to be noticed.
  for (const { index, item, oversized } of newest.values()) {
    if (index < notifications.length && random() < options.malformedRate) notifications[index] = revisionNotification(malformed(item), oversized, history);
  }
  for (let index = notifications.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [notifications[index], notifications[other]] = [notifications[other], notifications[index]];
  }
  return { notifications, activeArns, operatingSystemFamilies, history };
}

// ---------------------------------------------------------------------------------------------
// The loopback account: ECS and Config answers, a ledger of accepted evaluations, injected faults.

interface Ledger {
  /** Accepted evaluations by result token, then resource id (the last one accepted). */
  readonly accepted: Map<string, Map<string, Json>>;
  /** Evaluations accepted again for a token and resource that already had one. */
  duplicates: number;
}

const FAULT_REPLIES: Record<'throttling' | '5xx', Record<string, ErrorReply>> = {
  throttling: {
    config: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
    ecs: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
  },
  '5xx': {
    config: { status: 503, code: 'ServiceUnavailable', message: 'Service unavailable' },
    ecs: { status: 500, code: 'ServerException', message: 'Server error' },
  },
};

/** ECS and Config as the account answers them, PutEvaluations recording into `ledger`. */
function accountRoutes(account: Account, ledger: Ledger): Record<string, Route> {
  return {
    ListTaskDefinitions: (body) => {
      const prefix = String(body.familyPrefix);
      const arns = [...account.activeArns.entries()].filter(([family]) => family.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b)).flatMap(([, familyArns]) => familyArns);
      const start = Number(body.nextToken ?? 0);
      return { taskDefinitionArns: arns.slice(start, start + 100), ...(start + 100 < arns.length ? { nextToken: String(start + 100) } : {}) };
    },
    DescribeTaskDefinition: (body) => {
      const arn = String(body.taskDefinition);
      const operatingSystemFamily = account.operatingSystemFamilies.get(arn);
      return { taskDefinition: { taskDefinitionArn: arn, status: 'ACTIVE', ...(operatingSystemFamily ? { runtimePlatform: { operatingSystemFamily } } : {}) } };
    },
    GetResourceConfigHistory: (body) => ({ configurationItems: [account.history.get(String(body.resourceId))] }),
    PutEvaluations: (body) => {
      const token = String(body.ResultToken);
      if (!ledger.accepted.has(token)) ledger.accepted.set(token, new Map());
      for (const evaluation of body.Evaluations as Json[]) {
        if (ledger.accepted.get(token)!.has(evaluation.ComplianceResourceId)) ledger.duplicates++;
        ledger.accepted.get(token)!.set(evaluation.ComplianceResourceId, evaluation);
      }
      return { FailedEvaluations: [] };
    },
  };
}

interface FaultCounts {
  readonly calls: Map<string, number>;
  readonly faults: Map<string, number>;
}

/** Serves `routes`, answering a share of all calls with a fault; counts calls and faults by operation. */
function serveWithFaults(aws: AwsLoopback, routes: Record<string, Route>, options: Options, random: () => number): FaultCounts {
  const counts: FaultCounts = { calls: new Map(), faults: new Map() };
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const [operation, route] of Object.entries(routes)) {
    aws.on(operation, (body, call): Reply | Promise<Reply> => {
      bump(counts.calls, operation);
      if (random() >= options.faultRate) return route(body, call);
      bump(counts.faults, operation);
      const kind = options.faults === 'mixed' ? (random() < 0.5 ? 'throttling' : '5xx') : options.faults;
      return FAULT_REPLIES[kind][call.service];
    });
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Lambda's asynchronous invocation, simulated.

/** Lambda retries a failed asynchronous invocation twice (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). */
const ASYNC_ATTEMPTS = 3;
/** Lambda waits a minute, then two, between attempts; the storm compresses that. */
const RETRY_DELAY_MS = 50;

interface Invocation {
  readonly control: Control;
  readonly event: Json;
  attempts: number;
}

interface RunResult {
  readonly ledger: Ledger;
  readonly counts: FaultCounts;
  /** Result tokens whose invocation failed all its attempts: what the on-failure queue receives. */
  readonly failedTokens: Set<string>;
  readonly lambdaRetries: number;
  readonly durationsMs: number[];
  readonly wallMs: number;
}

/** The per-rule event: the rule's own name and a result token of its own, as Config sends them. */
function invocationsFor(notifications: readonly Notification[]): Invocation[] {
  return notifications.flatMap((notification, index) =>
    CONTROLS.filter((control) => control.resourceType === notification.resourceType).map((control) => ({
      control,
      event: { ...notification.event, configRuleName: control.slug, resultToken: `token-${index}-${control.slug}` },
      attempts: 0,
    })),
  );
}

async function play(invocations: readonly Invocation[], bundles: Map<Control, string>, concurrency: number, runId: string): Promise<Omit<RunResult, 'ledger' | 'counts' | 'wallMs'>> {
  const failedTokens = new Set<string>();
  const durationsMs: number[] = [];
  let lambdaRetries = 0;
  const queues = new Map<Control, Invocation[]>(CONTROLS.map((control) => [control, invocations.filter((invocation) => invocation.control === control).map((invocation) => ({ ...invocation }))]));
  /** Invocations of each function not finished yet: queued, running, or waiting to be retried. */
  const unfinished = new Map<Control, number>([...queues].map(([control, queue]) => [control, queue.length]));

  async function environment(control: Control, index: number): Promise<void> {
    const queue = queues.get(control)!;
    if (queue.length === 0) return;
    // A fresh module instance: this environment's own SDK clients, connections and retry quota.
    const { handler } = (await import(`${pathToFileURL(bundles.get(control)!).href}?${runId}-${index}`)) as { handler: Handler };
    const context = { invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${control.slug}` };
    while (unfinished.get(control)! > 0) {
      const invocation = queue.shift();
      if (!invocation) {
        await sleep(RETRY_DELAY_MS / 5); // retries are on their way back
        continue;
      }
      invocation.attempts++;
      const started = performance.now();
      try {
        await handler(structuredClone(invocation.event), context);
        unfinished.set(control, unfinished.get(control)! - 1);
      } catch {
        if (invocation.attempts < ASYNC_ATTEMPTS) {
          lambdaRetries++;
          setTimeout(() => queue.push(invocation), RETRY_DELAY_MS);
        } else {
          failedTokens.add(invocation.event.resultToken);
          unfinished.set(control, unfinished.get(control)! - 1);
        }
      } finally {
        durationsMs.push(performance.now() - started);
      }
    }
  }

  await Promise.all(CONTROLS.flatMap((control) => Array.from({ length: concurrency }, (_, index) => environment(control, index))));
  return { failedTokens, lambdaRetries, durationsMs };
}


async function run(account: Account, invocations: readonly Invocation[], bundles: Map<Control, string>, options: Options, runId: string): Promise<RunResult> {
  const aws = new AwsLoopback();
  const endpoint = await aws.start();
  Object.assign(process.env, lambdaEnvironment(endpoint));
  const ledger: Ledger = { accepted: new Map(), duplicates: 0 };
  const counts = serveWithFaults(aws, accountRoutes(account, ledger), options, seededRandom(options.seed + 1));
  const started = performance.now();
  try {
    const result = await play(invocations, bundles, options.concurrency, runId);
    return { ...result, ledger, counts, wallMs: performance.now() - started };
  } finally {
    await aws.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison and report.

interface Comparison {
  readonly expected: number;
  readonly delivered: number;
  /** Not delivered, and its invocation did not fail: silently lost. Must be empty. */
  readonly missing: string[];
  /** Not delivered because its invocation failed loudly: in the on-failure queue, to be re-driven. */
  readonly queued: string[];
  readonly different: string[];
  readonly unexpected: string[];
}

/** Every evaluation the reference run delivered must be delivered identically, and nothing else. */
function compare(reference: Ledger, faulty: RunResult): Comparison {
  const missing: string[] = [];
  const queued: string[] = [];
  const different: string[] = [];
  const unexpected: string[] = [];
  let expected = 0;
  let delivered = 0;
  for (const [token, evaluations] of reference.accepted) {
    for (const [resourceId, evaluation] of evaluations) {
      expected++;
      const got = faulty.ledger.accepted.get(token)?.get(resourceId);
      if (!got) (faulty.failedTokens.has(token) ? queued : missing).push(`${token} ${resourceId}`);
      else if (JSON.stringify(got) !== JSON.stringify(evaluation)) different.push(`${token} ${resourceId}`);
      else delivered++;
    }
  }
  for (const [token, evaluations] of faulty.ledger.accepted) {
    for (const resourceId of evaluations.keys()) if (!reference.accepted.get(token)?.has(resourceId)) unexpected.push(`${token} ${resourceId}`);
  }
  return { expected, delivered, missing, queued, different, unexpected };
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const total = (map: Map<string, number>) => [...map.values()].reduce((sum, value) => sum + value, 0);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const percent = (part: number, whole: number) => `${whole === 0 ? '100.00' : ((100 * part) / whole).toFixed(2)}%`;

function report(options: Options, account: Account, invocations: readonly Invocation[], reference: RunResult, faulty: RunResult, comparison: Comparison): string {
  const byType = (type: ResourceType) => account.notifications.filter((notification) => notification.resourceType === type).length;
  const oversized = account.notifications.filter((notification) => JSON.parse(notification.event.invokingEvent).messageType.startsWith('Oversized')).length;
  const referenceCalls = total(reference.counts.calls);
  const faultyCalls = total(faulty.counts.calls);
  const faults = total(faulty.counts.faults);
  const undecidedAlsoInReference = [...faulty.failedTokens].filter((token) => reference.failedTokens.has(token)).length;
  const lines = [
    `Deploy storm: ${account.notifications.length} change notifications (${byType('AWS::ECS::TaskDefinition')} task definition revisions, ${oversized} of them oversized; ${byType('AWS::ECS::Service')} services; ${byType('AWS::ECS::Cluster')} clusters)`,
    `  → ${invocations.length} rule invocations across ${CONTROLS.length} bundled functions, ${options.concurrency} execution environments each; seed ${options.seed}`,
    `Faults: ${percent(faults, faultyCalls)} of ${faultyCalls} API calls answered with ${options.faults === 'mixed' ? 'throttling or 5xx errors' : options.faults === '5xx' ? '5xx errors' : 'throttling errors'} (target rate ${options.faultRate})`,
    '',
    `Evaluations delivered:      ${comparison.delivered} / ${comparison.expected} (${percent(comparison.delivered, comparison.expected)}), identical to the fault-free run (result, annotation, timestamp)`,
    `  silently missing ${comparison.missing.length}, different ${comparison.different.length}, not computed ${comparison.unexpected.length}, in the on-failure queue ${comparison.queued.length}; accepted twice ${faulty.ledger.duplicates} (a retried invocation re-sending identical results)`,
    `Failed loudly:              ${faulty.failedTokens.size} invocations after ${ASYNC_ATTEMPTS} attempts → on-failure queue; ${undecidedAlsoInReference} of them undecidable in the fault-free run too (malformed items), ${faulty.failedTokens.size - undecidedAlsoInReference} because of faults`,
    `Lambda retries:             ${faulty.lambdaRetries} (fault-free run: ${reference.lambdaRetries})`,
    `API calls:                  ${faultyCalls}: ${(faultyCalls / comparison.expected).toFixed(2)} per evaluation, ${(faultyCalls / invocations.length).toFixed(2)} per invocation (fault-free ${referenceCalls}: ${(referenceCalls / comparison.expected).toFixed(2)} and ${(referenceCalls / invocations.length).toFixed(2)})`,
    `SDK retries:                ${faults} (every injected fault was retried or failed its invocation)`,
    '',
    '  operation                   calls   faults   fault-free calls',
    ...[...faulty.counts.calls.keys()].sort().map(
      (operation) =>
        `  ${operation.padEnd(26)}${String(faulty.counts.calls.get(operation)).padStart(7)}${String(faulty.counts.faults.get(operation) ?? 0).padStart(9)}${String(reference.counts.calls.get(operation) ?? 0).padStart(19)}`,
    ),
    '',
    `Invocation duration:        p50 ${seconds(percentile(faulty.durationsMs, 50))}, p99 ${seconds(percentile(faulty.durationsMs, 99))}, max ${seconds(Math.max(...faulty.durationsMs))} (fault-free: p99 ${seconds(percentile(reference.durationsMs, 99))})`,
    `Storm drained in:           ${seconds(faulty.wallMs)} (fault-free ${seconds(reference.wallMs)}; Lambda's retry delays compressed to ${RETRY_DELAY_MS} ms)`,
  ];
  return lines.join('\n');
}

/** The handlers log one JSON line per evaluation to stdout; a storm would print tens of thousands. */
function silenceHandlerLogs(): () => void {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
    String(chunk).startsWith('{"level"') ? true : (write as (...args: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
  return () => {
    process.stdout.write = write;
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const account = buildAccount(options, seededRandom(options.seed));
  const invocations = invocationsFor(account.notifications);
  process.stderr.write(`Bundling ${CONTROLS.length} handlers…\n`);
  const bundles = new Map<Control, string>();
  for (const control of CONTROLS) bundles.set(control, (await bundle(control.slug, handlerEntry(control.slug))).file);

  const restore = silenceHandlerLogs();
  let reference: RunResult;
  let faulty: RunResult;
  try {
    process.stderr.write(`Fault-free reference run: ${invocations.length} invocations…\n`);
    reference = await run(account, invocations, bundles, { ...options, faultRate: 0 }, 'reference');
    process.stderr.write(`Storm with ${options.faultRate * 100}% ${options.faults} faults…\n`);
    faulty = await run(account, invocations, bundles, options, 'storm');
  } finally {
    restore();
  }
  const comparison = compare(reference.ledger, faulty);
  process.stdout.write(`${report(options, account, invocations, reference, faulty, comparison)}\n`);
  const wrong = [...comparison.missing, ...comparison.different, ...comparison.unexpected];
  if (wrong.length > 0) {
    process.stdout.write(`\nLOST OR NOT AS COMPUTED (first 10): ${wrong.slice(0, 10).join('; ')}\n`);
    process.exitCode = 1;
  } else if (comparison.queued.length > 0) {
    process.stdout.write(`\nBelow 100%: ${comparison.queued.length} evaluations wait in the on-failure queue (npm run redrive would re-evaluate them).\n`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 2;
});
