/**
 * The SDK clients as the rule functions configure them (lambdas/runtime/aws-clients.ts), through the
 * real handler against the loopback endpoint: endpoint settings, clock-skew correction, and a retry
 * budget that always ends before the function timeout.
 */
import { ecs12 } from '../../lambdas/controls/ecs-12';
import { ecs20 } from '../../lambdas/controls/ecs-20';
import { createAwsClients, RETRY_SETTINGS, worstCaseCallMs } from '../../lambdas/runtime/aws-clients';
import { createRuleHandler, DEADLINE_MARGIN_MS, InvocationContext } from '../../lambdas/runtime/rule-handler';
import { DEFAULT_TIMEOUT } from '../../lib/ecs-control-rules';
import { asOwnFunction, loopbackPerTest } from './loopback-harness';
import { changeEventFor, clusterItem, TASK_DEFINITION_ARN, taskDefinitionItem } from '../../dev-support/events';

const harness = loopbackPerTest();

beforeEach(() => {
  harness.aws.on('PutEvaluations', () => ({ FailedEvaluations: [] }));
  harness.aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [TASK_DEFINITION_ARN('checkout-api', 7)] }));
});

const handlerFor = (control = ecs20) => asOwnFunction(createRuleHandler(control, { backoff: async () => {} }));
const clusterEvent = () => changeEventFor(clusterItem({ ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }] }));

describe('endpoints', () => {
  test('with AWS_USE_FIPS_ENDPOINT and AWS_USE_DUALSTACK_ENDPOINT set, an explicitly configured endpoint is still used and the rule evaluates', async () => {
    Object.assign(process.env, { AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' });

    await handlerFor()(changeEventFor(taskDefinitionItem()));

    expect(harness.aws.calls.map((call) => call.operation)).toEqual(['ListTaskDefinitions', 'PutEvaluations']);
  });

  test('without a configured endpoint, AWS_USE_FIPS_ENDPOINT resolves the FIPS endpoints of Config and ECS', async () => {
    Object.assign(process.env, { AWS_USE_FIPS_ENDPOINT: 'true' });
    delete process.env.AWS_ENDPOINT_URL;

    const clients = createAwsClients({ callsEcs: true });

    const endpointOf = async (client: typeof clients.config | NonNullable<typeof clients.ecs>) =>
      (await client.config.endpointProvider({ Region: await client.config.region(), UseFIPS: await client.config.useFipsEndpoint(), UseDualStack: false })).url.hostname;
    expect(await endpointOf(clients.config)).toBe('config-fips.us-east-1.amazonaws.com');
    expect(await endpointOf(clients.ecs!)).toBe('ecs-fips.us-east-1.amazonaws.com');
  });

  test('AWS_ENDPOINT_URL_<SERVICE> wins over AWS_ENDPOINT_URL', async () => {
    const loopback = process.env.AWS_ENDPOINT_URL as string;
    Object.assign(process.env, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_ECS: loopback, AWS_ENDPOINT_URL_CONFIG_SERVICE: loopback });

    await handlerFor()(changeEventFor(taskDefinitionItem()));

    expect(harness.aws.calls.map((call) => call.operation)).toEqual(['ListTaskDefinitions', 'PutEvaluations']);
  });

  test('a rule that never calls ECS builds no ECS client', async () => {
    expect(createAwsClients({ callsEcs: false }).ecs).toBeUndefined();
    await handlerFor(ecs12)(clusterEvent());
    expect(harness.aws.calls.map((call) => call.service)).toEqual(['config']);
  });
});

describe('clock skew', () => {
  test('a signature rejected for a skewed clock is retried, signed with the server\'s time', async () => {
    const serverTime = new Date(Date.now() + 60 * 60 * 1000);
    harness.aws.failFirst('PutEvaluations', 1, {
      status: 400,
      code: 'InvalidSignatureException',
      message: 'Signature expired: the request time is now earlier than 15 min ago',
      headers: { date: serverTime.toUTCString() },
    });

    await handlerFor(ecs12)(clusterEvent());

    const signedAt = harness.aws.callsOf('PutEvaluations').map((call) => Date.parse(String(call.headers['x-amz-date']).replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')));
    expect(signedAt).toHaveLength(2);
    // The retry is signed with the corrected clock: about an hour ahead of the first attempt.
    expect(signedAt[1] - signedAt[0]).toBeGreaterThan(55 * 60 * 1000);
  });
});

describe('the retry budget', () => {
  test('with the configured attempts and timeouts, the longest change invocation (history, ECS, PutEvaluations) ends before the function timeout, with the deadline margin to spare', () => {
    const changeInvocationCalls = 3;
    expect(RETRY_SETTINGS.maxAttempts).toBeGreaterThanOrEqual(3);
    expect(worstCaseCallMs() * changeInvocationCalls + DEADLINE_MARGIN_MS).toBeLessThan(DEFAULT_TIMEOUT.toMilliseconds());
  });

  test('the worst case is computed from the attempts, timeouts and back-off caps: 3 × 4 s + (1 s + 5 s) + (2 s + 5 s)', () => {
    expect(worstCaseCallMs()).toBe(25_000);
    expect(worstCaseCallMs({ ...RETRY_SETTINGS, maxAttempts: 1 })).toBe(RETRY_SETTINGS.requestTimeoutMs);
  });

  test('a call that keeps being throttled is attempted exactly maxAttempts times, then the invocation fails', async () => {
    harness.aws.on('PutEvaluations', () => ({ status: 400, code: 'ThrottlingException', message: 'Rate exceeded' }));

    await expect(handlerFor(ecs12)(clusterEvent())).rejects.toThrow('Rate exceeded');

    expect(harness.aws.callsOf('PutEvaluations')).toHaveLength(RETRY_SETTINGS.maxAttempts);
    // The SDK numbers its attempts: the last one says it is the last allowed.
    expect(harness.aws.callsOf('PutEvaluations').map((call) => call.headers['amz-sdk-request'])).toEqual(
      Array.from({ length: RETRY_SETTINGS.maxAttempts }, (_, index) => `attempt=${index + 1}; max=${RETRY_SETTINGS.maxAttempts}`),
    );
  }, 20_000);

  test('calls still running at the deadline are aborted: the invocation fails, logged, before the function timeout', async () => {
    harness.aws.on('PutEvaluations', () => 'hang');
    const almostOutOfTime: InvocationContext = { awsRequestId: 'late', getRemainingTimeInMillis: () => DEADLINE_MARGIN_MS + 200 };

    await expect(handlerFor(ecs12)(clusterEvent(), almostOutOfTime)).rejects.toThrow(`stopped ${DEADLINE_MARGIN_MS} ms before the function timeout`);

    expect(harness.aws.callsOf('PutEvaluations')).toHaveLength(1);
    expect(harness.logLines.filter((line) => line.level === 'ERROR')).toEqual([expect.objectContaining({ errorName: 'InvocationDeadlineError', function_request_id: 'late' })]);
  });
});
