/**
 * Fault injection through the rules' AWS SDK clients, over HTTP, against the loopback endpoint: throttling, 5xx replies,
 * `FailedEvaluations` in a 200 reply and hanging endpoints, on every API the handlers call. The
 * promise under test: every computed evaluation is delivered in the end (AWS Config accepted it), or
 * the invocation fails loudly (a structured ERROR line, a thrown error, so Lambda retries and then
 * hands the event to the on-failure destination); never a result that was not computed.
 *
 * "Accepted" below means a PutEvaluations call that got a 200 reply and was not listed in its
 * `FailedEvaluations`: the ledger records only those.
 */
import fc from 'fast-check';
import { Control } from '../../lambdas/core/control';
import { ecs10 } from '../../lambdas/controls/ecs-10';
import { ecs20 } from '../../lambdas/controls/ecs-20';
import { createAwsClients, RETRY_SETTINGS, RetrySettings } from '../../lambdas/runtime/aws-clients';
import { createRuleApis } from '../../lambdas/runtime/aws-apis';
import { createRuleHandler } from '../../lambdas/runtime/rule-handler';
import { ErrorReply, Route } from '../../dev-support/aws-loopback';
import { asOwnFunction, loopbackPerTest } from './loopback-harness';
import { changeEventFor, oversizedEventWith, recordedHistoryReply, serviceItem, TASK_DEFINITION_ARN, taskDefinitionItem } from '../../dev-support/events';

type Json = Record<string, any>;

const THROTTLING: ErrorReply = { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' };
const SERVER_ERROR: ErrorReply = { status: 500, code: 'InternalFailure', message: 'We encountered an internal error. Please try again.' };
const UNAVAILABLE: ErrorReply = { status: 503, code: 'ServiceUnavailable', message: 'Service is unavailable' };

/** One API a handler calls, with an event that makes the handler call it and the verdict it must deliver. */
interface Scenario {
  readonly control: Control;
  readonly event: () => Json;
  readonly expected: { readonly resourceId: string; readonly compliance: string };
  /** The 5xx error this service's faults use. */
  readonly serverError: ErrorReply;
  readonly throttling: ErrorReply;
}

const taskDefinitionChange: Omit<Scenario, 'serverError' | 'throttling'> = {
  control: ecs20,
  event: () => changeEventFor(taskDefinitionItem()),
  expected: { resourceId: 'checkout-api:7', compliance: 'NON_COMPLIANT' },
};

const SCENARIOS: Record<string, Scenario> = {
  ListTaskDefinitions: { ...taskDefinitionChange, serverError: SERVER_ERROR, throttling: THROTTLING },
  DescribeTaskDefinition: {
    control: ecs10,
    event: () => changeEventFor(serviceItem({ LaunchType: 'FARGATE', PlatformVersion: '1.3.0', TaskDefinition: TASK_DEFINITION_ARN('checkout-api', 7) })),
    expected: { resourceId: 'arn:aws:ecs:us-east-1:123456789012:service/prod/checkout-api', compliance: 'NON_COMPLIANT' },
    serverError: SERVER_ERROR,
    throttling: THROTTLING,
  },
  GetResourceConfigHistory: { ...taskDefinitionChange, event: () => oversizedEventWith(), serverError: UNAVAILABLE, throttling: THROTTLING },
  PutEvaluations: { ...taskDefinitionChange, serverError: SERVER_ERROR, throttling: THROTTLING },
};
const OPERATIONS = Object.keys(SCENARIOS);

const harness = loopbackPerTest();
/** Evaluations AWS Config accepted. */
let accepted: Json[];

/** Fault-free answers; PutEvaluations accepts everything and records it in the ledger. */
const ROUTES: Record<string, Route> = {
  PutEvaluations: (body) => {
    accepted.push(...(body.Evaluations as Json[]));
    return { FailedEvaluations: [] };
  },
  ListTaskDefinitions: () => ({ taskDefinitionArns: [TASK_DEFINITION_ARN('checkout-api', 7)] }),
  DescribeTaskDefinition: () => ({ taskDefinition: { family: 'checkout-api', revision: 7, runtimePlatform: { operatingSystemFamily: 'LINUX' } } }),
  GetResourceConfigHistory: () => recordedHistoryReply(),
};

beforeEach(() => {
  accepted = [];
  for (const [operation, route] of Object.entries(ROUTES)) harness.aws.on(operation, route);
});

/** A handler whose clients take `retry` (fewer attempts, a short timeout) and whose FailedEvaluations back-off does not wait. */
const handlerFor = (control: Control, retry: Partial<RetrySettings> = {}) =>
  asOwnFunction(createRuleHandler(control, { retrySettings: { ...RETRY_SETTINGS, ...retry }, backoff: async () => {} }));

const run = (scenario: Scenario, retry: Partial<RetrySettings> = {}) => handlerFor(scenario.control, retry)(scenario.event());

const acceptedSummary = () => accepted.map((evaluation) => [evaluation.ComplianceResourceId, evaluation.ComplianceType]);

const errorLogs = () => harness.logLines.filter((line) => line.level === 'ERROR');

describe('transient faults are retried and every evaluation is delivered exactly once', () => {
  const cases = OPERATIONS.flatMap((operation) => [
    [operation, 'throttling', SCENARIOS[operation].throttling] as const,
    [operation, '5xx', SCENARIOS[operation].serverError] as const,
  ]);

  test.each(cases)('%s: %s twice', async (operation, _kind, fault) => {
    const scenario = SCENARIOS[operation];
    harness.aws.failFirst(operation, 2, fault);

    await run(scenario);

    expect(harness.aws.callsOf(operation)).toHaveLength(3);
    expect(acceptedSummary()).toEqual([[scenario.expected.resourceId, scenario.expected.compliance]]);
    expect(errorLogs()).toEqual([]);
  });
});

describe('persistent faults fail the invocation loudly and report nothing they did not compute', () => {
  // Two attempts per call instead of three keep these tests fast; the outcome is the same.
  const FEW_ATTEMPTS: Partial<RetrySettings> = { maxAttempts: 2 };

  test.each(OPERATIONS)('%s keeps throttling', async (operation) => {
    const scenario = SCENARIOS[operation];
    harness.aws.on(operation, () => scenario.throttling);

    await expect(run(scenario, FEW_ATTEMPTS)).rejects.toThrow('Rate exceeded');

    expect(harness.aws.callsOf(operation)).toHaveLength(2);
    expect(accepted).toEqual([]);
    expect(errorLogs()).toEqual([expect.objectContaining({ control: scenario.control.id, errorName: 'ThrottlingException', message: expect.stringContaining('the invocation fails so it is retried') })]);
  });

  test('ECS.10 never reports a Fargate service COMPLIANT when the OS family lookup keeps failing', async () => {
    const scenario = SCENARIOS.DescribeTaskDefinition;
    const item = serviceItem({ LaunchType: 'FARGATE', PlatformVersion: '1.0.0', TaskDefinition: TASK_DEFINITION_ARN('win', 3) });
    harness.aws.on('DescribeTaskDefinition', () => scenario.serverError);

    await expect(handlerFor(ecs10, FEW_ATTEMPTS)(changeEventFor(item))).rejects.toThrow('internal error');

    expect(harness.aws.callsOf('PutEvaluations')).toHaveLength(0);
  });
});

describe('hanging endpoints', () => {
  const SHORT_TIMEOUT: Partial<RetrySettings> = { requestTimeoutMs: 200 };

  test.each(OPERATIONS)('%s hangs once: the attempt times out, the retry delivers', async (operation) => {
    const scenario = SCENARIOS[operation];
    harness.aws.failFirst(operation, 1, 'hang');

    await run(scenario, SHORT_TIMEOUT);

    expect(harness.aws.callsOf(operation)).toHaveLength(2);
    expect(acceptedSummary()).toEqual([[scenario.expected.resourceId, scenario.expected.compliance]]);
  });

  test('PutEvaluations never answers: the invocation fails with a TimeoutError, nothing was accepted', async () => {
    harness.aws.on('PutEvaluations', () => 'hang');

    await expect(run(SCENARIOS.PutEvaluations, { ...SHORT_TIMEOUT, maxAttempts: 2 })).rejects.toThrow('requestTimeout');

    expect(harness.aws.callsOf('PutEvaluations')).toHaveLength(2);
    expect(errorLogs()).toEqual([expect.objectContaining({ errorName: 'TimeoutError' })]);
  });

  test('the production clients have a request timeout: one hung attempt fails within seconds', async () => {
    harness.aws.on('ListTaskDefinitions', () => 'hang');
    const started = Date.now();

    const clients = createAwsClients({ callsEcs: true, settings: { ...RETRY_SETTINGS, maxAttempts: 1 } });

    await expect(createRuleApis(clients).listActiveRevisions('checkout-api')).rejects.toThrow('requestTimeout');

    expect(Date.now() - started).toBeLessThan(10_000);
  }, 15_000);
});

describe('FailedEvaluations in a 200 reply', () => {
  /** checkout-api:150 with 149 older ACTIVE revisions: 150 evaluations, two PutEvaluations batches. */
  function bigFamily(): Json {
    harness.aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: Array.from({ length: 150 }, (_, index) => TASK_DEFINITION_ARN('checkout-api', index + 1)) }));
    const item = taskDefinitionItem();
    item.configuration.TaskDefinitionArn = item.ARN = TASK_DEFINITION_ARN('checkout-api', 150);
    item.resourceId = 'checkout-api:150';
    return changeEventFor(item);
  }

  test('mixed with throttling, across batches: each evaluation is accepted exactly once', async () => {
    let replies = 0;
    harness.aws.on('PutEvaluations', (body) => {
      const evaluations = body.Evaluations as Json[];
      // The second batch's first reply rejects three evaluations; everything else is accepted.
      const failed = ++replies === 2 ? evaluations.slice(0, 3) : [];
      accepted.push(...evaluations.filter((evaluation) => !failed.includes(evaluation)));
      return { FailedEvaluations: failed };
    });
    harness.aws.failFirst('PutEvaluations', 1, THROTTLING);

    await handlerFor(ecs20)(bigFamily());

    expect(harness.aws.callsOf('PutEvaluations').map((call) => (call.body.Evaluations as unknown[]).length)).toEqual([100, 100, 50, 3]);
    const ids = accepted.map((evaluation) => evaluation.ComplianceResourceId);
    expect(ids).toHaveLength(150);
    expect(new Set(ids).size).toBe(150);
  });

  test('a batch that cannot be delivered fails the invocation; the Lambda retry delivers the rest, re-sending the same results', async () => {
    const event = bigFamily();
    let calls = 0;
    harness.aws.on('PutEvaluations', (body) => {
      if (++calls === 2) return SERVER_ERROR; // the second batch's only attempt fails
      accepted.push(...(body.Evaluations as Json[]));
      return { FailedEvaluations: [] };
    });

    await expect(handlerFor(ecs20, { maxAttempts: 1 })(event)).rejects.toThrow('internal error');
    expect(accepted).toHaveLength(100);
    const firstDelivery = new Map(accepted.map((evaluation) => [evaluation.ComplianceResourceId, evaluation]));

    await handlerFor(ecs20, { maxAttempts: 1 })(event); // Lambda's asynchronous retry of the same event

    const latest = new Map(accepted.map((evaluation) => [evaluation.ComplianceResourceId, evaluation]));
    expect(latest.size).toBe(150);
    // Re-sent evaluations are identical (same result, same OrderingTimestamp): AWS Config keeps one result per resource.
    for (const [resourceId, evaluation] of firstDelivery) expect(latest.get(resourceId)).toEqual(evaluation);
  });
});

describe('any schedule of faults', () => {
  /** What one call meets: success, a 5xx, a hang, or (PutEvaluations only) a reply listing every evaluation as failed. */
  const FAULTS = ['ok', '5xx', 'hang', 'failedEvaluations'] as const;
  type Fault = (typeof FAULTS)[number];
  const COMPUTED = ['checkout-api:7 NON_COMPLIANT', 'checkout-api:6 NOT_APPLICABLE'];

  const routes: Record<string, Route> = { ...ROUTES, ListTaskDefinitions: () => ({ taskDefinitionArns: [6, 7].map((revision) => TASK_DEFINITION_ARN('checkout-api', revision)) }) };

  /** Serves each operation's calls from its schedule, then without faults. */
  function scheduleFaults(schedules: Record<string, Fault[]>): void {
    for (const [operation, planned] of Object.entries(schedules)) {
      const schedule = [...planned];
      harness.aws.on(operation, (body, call) => {
        const fault = schedule.shift() ?? 'ok';
        if (fault === '5xx') return SERVER_ERROR;
        if (fault === 'hang') return 'hang';
        if (fault === 'failedEvaluations' && operation === 'PutEvaluations') return { FailedEvaluations: body.Evaluations };
        return routes[operation](body, call);
      });
    }
  }

  test('with Lambda retrying a failed invocation twice: every computed result is delivered, or every attempt failed loudly', async () => {
    const schedule = fc.array(fc.constantFrom(...FAULTS), { maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.record({ ListTaskDefinitions: schedule, PutEvaluations: schedule }), async (schedules) => {
        accepted = [];
        harness.logLines.length = 0;
        scheduleFaults(schedules);
        const handler = handlerFor(ecs20, { maxAttempts: 3, requestTimeoutMs: 100 });

        let failures = 0;
        while (failures < 3) {
          try {
            await handler(changeEventFor(taskDefinitionItem()));
            break;
          } catch {
            failures++;
          }
        }

        for (const [resourceId, compliance] of acceptedSummary()) expect(COMPUTED).toContain(`${resourceId} ${compliance}`);
        if (failures < 3) {
          expect(new Set(acceptedSummary().map(([resourceId, compliance]) => `${resourceId} ${compliance}`))).toEqual(new Set(COMPUTED));
        } else {
          expect(errorLogs()).toHaveLength(3); // three loud failures: the event goes to the on-failure destination
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
