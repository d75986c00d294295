/**
 * The real handler, through the real AWS SDK, against a loopback AWS endpoint: what goes over the
 * wire is what AWS Config and ECS would receive.
 */
import { ecs4 } from '../../lambdas/controls/ecs-4';
import { ecs8 } from '../../lambdas/controls/ecs-8';
import { ecs10 } from '../../lambdas/controls/ecs-10';
import { ecs12 } from '../../lambdas/controls/ecs-12';
import { ecs20 } from '../../lambdas/controls/ecs-20';
import { createRuleHandler } from '../../lambdas/runtime/rule-handler';
import { AwsLoopback, useLoopbackEnvironment } from '../../dev-support/aws-loopback';
import { changeEventFor, clusterItem, oversizedEventWith, recordedHistoryReply, serviceItem, TASK_DEFINITION_ARN, taskDefinitionItem } from '../../dev-support/events';
import { asOwnFunction, captureLogLines, lambdaContext } from './loopback-harness';

let aws: AwsLoopback;
let restoreEnvironment: () => void;
let logLines: Record<string, any>[];

beforeEach(async () => {
  aws = new AwsLoopback();
  restoreEnvironment = useLoopbackEnvironment(await aws.start());
  aws.on('PutEvaluations', () => ({ FailedEvaluations: [] }));
  aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [TASK_DEFINITION_ARN('checkout-api', 7)] }));
  logLines = [];
  captureLogLines(logLines);
});

afterEach(async () => {
  jest.restoreAllMocks();
  restoreEnvironment();
  await aws.stop();
});

/** A handler whose FailedEvaluations back-off does not wait, so retry tests stay fast. */
const handlerFor = (control = ecs20) => asOwnFunction(createRuleHandler(control, { backoff: async () => {} }));

const evaluationsSent = () => aws.callsOf('PutEvaluations').flatMap((call) => call.body.Evaluations as Record<string, unknown>[]);

describe('a task definition change', () => {
  test('reports the latest revision on its own resource id, capture time and result token', async () => {
    await handlerFor()(changeEventFor(taskDefinitionItem()));

    const [put] = aws.callsOf('PutEvaluations');
    expect(put.body.ResultToken).toBe('eyJlbmNyeXB0ZWREYXRhIjpbXX0=');
    expect(put.body.Evaluations).toEqual([
      {
        ComplianceResourceType: 'AWS::ECS::TaskDefinition',
        ComplianceResourceId: 'checkout-api:7',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: expect.stringContaining('checkout-api (no user) and log-sidecar (user 0)'),
        OrderingTimestamp: Date.parse('2026-11-20T10:00:00.000Z') / 1000,
      },
    ]);
    expect(aws.callsOf('ListTaskDefinitions').map((call) => call.body)).toEqual([{ familyPrefix: 'checkout-api', status: 'ACTIVE', sort: 'ASC', maxResults: 100 }]);
  });

  test('makes one ECS call and one Config call, and logs one JSON line per evaluation', async () => {
    await handlerFor()(changeEventFor(taskDefinitionItem()));

    expect(aws.calls.map((call) => `${call.service}:${call.operation}`)).toEqual(['ecs:ListTaskDefinitions', 'config:PutEvaluations']);
    expect(logLines.filter((line) => line.message === 'evaluation')).toEqual([
      expect.objectContaining({ level: 'INFO', control: 'ECS.20', resourceId: 'checkout-api:7', verdict: 'NON_COMPLIANT', reason: expect.stringContaining('running as root') }),
    ]);
    // The Evaluations metric, in the embedded metric format, by Control and ComplianceType only (the dashboard's dimensions).
    const metricLines = logLines.filter((entry) => entry._aws);
    expect(metricLines).toEqual([expect.objectContaining({ Control: 'ECS.20', ComplianceType: 'NON_COMPLIANT', Evaluations: 1 })]);
    expect(metricLines[0]._aws.CloudWatchMetrics).toEqual([
      { Namespace: 'EcsConfigRules', Dimensions: [['Control', 'ComplianceType']], Metrics: [{ Name: 'Evaluations', Unit: 'Count' }] },
    ]);
  });

  test('retires the older ACTIVE revisions of the family to NOT_APPLICABLE in the same call', async () => {
    aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [5, 6, 7].map((revision) => TASK_DEFINITION_ARN('checkout-api', revision)) }));

    await handlerFor()(changeEventFor(taskDefinitionItem()));

    expect(aws.callsOf('PutEvaluations')).toHaveLength(1);
    expect(evaluationsSent().map((evaluation) => [evaluation.ComplianceResourceId, evaluation.ComplianceType])).toEqual([
      ['checkout-api:7', 'NON_COMPLIANT'],
      ['checkout-api:5', 'NOT_APPLICABLE'],
      ['checkout-api:6', 'NOT_APPLICABLE'],
    ]);
    expect(evaluationsSent()[1].Annotation).toBe('Superseded by checkout-api:7: only the latest ACTIVE revision of a family is evaluated.');
  });

  test('retires with ARN resource ids when the item uses its ARN as resource id', async () => {
    aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [6, 7].map((revision) => TASK_DEFINITION_ARN('checkout-api', revision)) }));
    const item = { ...taskDefinitionItem(), resourceId: TASK_DEFINITION_ARN('checkout-api', 7) };

    await handlerFor()(changeEventFor(item));

    expect(evaluationsSent().map((evaluation) => evaluation.ComplianceResourceId)).toEqual([TASK_DEFINITION_ARN('checkout-api', 7), TASK_DEFINITION_ARN('checkout-api', 6)]);
  });

  test('ignores families the prefix listing also returns (checkout-api-v2 is not checkout-api)', async () => {
    aws.on('ListTaskDefinitions', () => ({
      taskDefinitionArns: [TASK_DEFINITION_ARN('checkout-api', 7), TASK_DEFINITION_ARN('checkout-api-v2', 9)],
      nextToken: 'more-of-checkout-api-v2',
    }));

    await handlerFor()(changeEventFor(taskDefinitionItem()));

    expect(evaluationsSent().map((evaluation) => [evaluation.ComplianceResourceId, evaluation.ComplianceType])).toEqual([['checkout-api:7', 'NON_COMPLIANT']]);
    expect(aws.callsOf('ListTaskDefinitions')).toHaveLength(1);
  });

  test('pages through a family with more ACTIVE revisions than one listing holds', async () => {
    aws.on('ListTaskDefinitions', (body) =>
      body.nextToken ? { taskDefinitionArns: [TASK_DEFINITION_ARN('checkout-api', 7)] } : { taskDefinitionArns: [TASK_DEFINITION_ARN('checkout-api', 6)], nextToken: 'page-2' },
    );

    await handlerFor()(changeEventFor(taskDefinitionItem()));

    expect(aws.callsOf('ListTaskDefinitions').map((call) => call.body.nextToken)).toEqual([undefined, 'page-2']);
    expect(evaluationsSent().map((evaluation) => evaluation.ComplianceResourceId)).toEqual(['checkout-api:7', 'checkout-api:6']);
  });

  test('a superseded revision is NOT_APPLICABLE naming the latest revision, and retires nothing', async () => {
    aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [7, 8].map((revision) => TASK_DEFINITION_ARN('checkout-api', revision)) }));

    await handlerFor()(changeEventFor(taskDefinitionItem()));

    expect(evaluationsSent()).toEqual([
      expect.objectContaining({ ComplianceResourceId: 'checkout-api:7', ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringContaining('latest ACTIVE revision, checkout-api:8') }),
    ]);
  });

  test('an item without a status still gets the latest-revision check', async () => {
    aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [7, 8].map((revision) => TASK_DEFINITION_ARN('checkout-api', revision)) }));
    const item = taskDefinitionItem();
    delete item.configuration.Status;

    await handlerFor()(changeEventFor(item));

    expect(evaluationsSent()).toEqual([expect.objectContaining({ ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringContaining('checkout-api:8') })]);
  });

  test('an INACTIVE revision is NOT_APPLICABLE without asking ECS', async () => {
    const item = taskDefinitionItem();
    item.configuration.Status = 'INACTIVE';

    await handlerFor()(changeEventFor(item));

    expect(aws.callsOf('ListTaskDefinitions')).toHaveLength(0);
    expect(evaluationsSent()).toEqual([expect.objectContaining({ ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringContaining('INACTIVE') })]);
  });

  test('sends more than 100 evaluations in batches of at most 100', async () => {
    aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: Array.from({ length: 150 }, (_, index) => TASK_DEFINITION_ARN('checkout-api', index + 1)) }));
    const item = taskDefinitionItem();
    item.configuration.TaskDefinitionArn = item.ARN = TASK_DEFINITION_ARN('checkout-api', 150);
    item.resourceId = 'checkout-api:150';

    await handlerFor()(changeEventFor(item));

    expect(aws.callsOf('PutEvaluations').map((call) => (call.body.Evaluations as unknown[]).length)).toEqual([100, 50]);
    expect(new Set(evaluationsSent().map((evaluation) => evaluation.ComplianceResourceId)).size).toBe(150);
  });
});

describe('events that need no evaluation of the configuration', () => {
  test.each(['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded'])('a %s resource is NOT_APPLICABLE', async (status) => {
    const item = { ...taskDefinitionItem(), configurationItemStatus: status, configuration: null };

    await handlerFor()(changeEventFor(item));

    expect(aws.callsOf('ListTaskDefinitions')).toHaveLength(0);
    expect(evaluationsSent()).toEqual([expect.objectContaining({ ComplianceResourceId: 'checkout-api:7', ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringContaining(status) })]);
  });

  test('a resource that left the rule scope is NOT_APPLICABLE', async () => {
    await handlerFor()(changeEventFor(taskDefinitionItem(), { eventLeftScope: true }));

    expect(evaluationsSent()).toEqual([expect.objectContaining({ ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringContaining('left') })]);
  });
});

describe('events from elsewhere are refused: nothing evaluated, nothing written, one ERROR line', () => {
  /** The refusal: the invocation fails with `message`, no AWS call was made, and the ERROR line says it was refused. */
  async function expectRefused(run: Promise<void>, message: string, callsMade: string[] = []): Promise<void> {
    await expect(run).rejects.toThrow(message);
    expect(aws.calls.map((call) => call.operation)).toEqual(callsMade);
    expect(logLines.filter((line) => line.level === 'ERROR')).toEqual([
      expect.objectContaining({ errorName: 'RefusedEventError', message: expect.stringContaining('refused'), error: expect.stringContaining('nothing is evaluated') }),
    ]);
  }

  test("an item of another account: this account's revisions of its family are neither listed nor retired", async () => {
    aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [3, 5, 7].map((revision) => TASK_DEFINITION_ARN('checkout-api', revision)) }));
    const foreign = { ...taskDefinitionItem(), awsAccountId: '222222222222' };

    await expectRefused(handlerFor()(changeEventFor(foreign, { accountId: '222222222222' })), 'is in account 222222222222, this function\'s is 123456789012');
  });

  test('an item of another Region', async () => {
    await expectRefused(handlerFor()(changeEventFor({ ...taskDefinitionItem(), awsRegion: 'eu-west-1' })), 'is in Region eu-west-1, this function\'s is us-east-1');
  });

  test('an item that does not say whose it is', async () => {
    const item = taskDefinitionItem();
    delete item.awsAccountId;

    await expectRefused(handlerFor()(changeEventFor(item)), 'is in account (none given)');
  });

  test("an item claiming this account whose ARN is another account's", async () => {
    const item = { ...taskDefinitionItem(), ARN: 'arn:aws:ecs:us-east-1:222222222222:task-definition/checkout-api:7' };

    await expectRefused(handlerFor()(changeEventFor(item)), 'has the ARN arn:aws:ecs:us-east-1:222222222222:task-definition/checkout-api:7');
  });

  test("an item of another resource type than the rule's", async () => {
    await expectRefused(handlerFor(ecs12)(changeEventFor(taskDefinitionItem())), 'AWS::ECS::TaskDefinition checkout-api:7: this rule evaluates AWS::ECS::Cluster only');
  });

  test('a deleted item of another account is refused too, not retired as NOT_APPLICABLE', async () => {
    const item = { ...taskDefinitionItem(), awsAccountId: '222222222222', configurationItemStatus: 'ResourceDeleted', configuration: null };

    await expectRefused(handlerFor()(changeEventFor(item)), 'is in account 222222222222');
  });

  test('an invocation without a function ARN: there is no own account to compare with', async () => {
    await expectRefused(handlerFor()(changeEventFor(taskDefinitionItem()), { invokedFunctionArn: undefined }), "cannot tell this function's own account and Region");
  });

  test('the own account is the invoked function\'s, not the event\'s', async () => {
    await expectRefused(handlerFor()(changeEventFor(taskDefinitionItem()), lambdaContext('r', '222222222222')), 'is in account 123456789012, this function\'s is 222222222222');
  });

  test('an oversized notification of another account is refused before its item is fetched', async () => {
    aws.on('GetResourceConfigHistory', () => recordedHistoryReply());

    await expectRefused(handlerFor()(oversizedEventWith({ awsAccountId: '222222222222' })), 'the oversized notification of AWS::ECS::TaskDefinition checkout-api:7 is in account 222222222222');
  });

  test.each([
    ['captured at another time (a later change)', { configurationItemCaptureTime: 1763636400 }, 'capture time 2025-11-20T11:00:00.000Z, not 2025-11-20T10:00:00.000Z'],
    ['of another resource', { resourceId: 'checkout-api:6' }, 'resourceId checkout-api:6, not checkout-api:7'],
    ['of another account', { accountId: '222222222222' }, 'account 222222222222, not 123456789012'],
    ['of another Region', { awsRegion: 'eu-west-1' }, 'Region eu-west-1, not us-east-1'],
  ])('an oversized notification whose history item is %s is refused', async (_case, changes, message) => {
    const reply = recordedHistoryReply();
    Object.assign(reply.configurationItems[0], changes);
    aws.on('GetResourceConfigHistory', () => reply);

    await expectRefused(handlerFor()(oversizedEventWith()), message, ['GetResourceConfigHistory']);
  });
});

describe('an oversized change', () => {
  test('is inflated from GetResourceConfigHistory and evaluated', async () => {
    aws.on('GetResourceConfigHistory', () => recordedHistoryReply());

    await handlerFor()(oversizedEventWith());

    // The item the summary names: the latest captured at or before its capture time.
    expect(aws.callsOf('GetResourceConfigHistory').map((call) => call.body)).toEqual([{ resourceType: 'AWS::ECS::TaskDefinition', resourceId: 'checkout-api:7', laterTime: 1763632800, limit: 1 }]);
    expect(evaluationsSent()).toEqual([
      expect.objectContaining({ ComplianceResourceId: 'checkout-api:7', ComplianceType: 'NON_COMPLIANT', OrderingTimestamp: 1763632800 }),
    ]);
  });

  test('of a deleted resource is NOT_APPLICABLE without fetching history', async () => {
    await handlerFor()(oversizedEventWith({ configurationItemStatus: 'ResourceDeleted' }));

    expect(aws.callsOf('GetResourceConfigHistory')).toHaveLength(0);
    expect(evaluationsSent()).toEqual([expect.objectContaining({ ComplianceType: 'NOT_APPLICABLE' })]);
  });

  test('fails loudly when the history has no item', async () => {
    aws.on('GetResourceConfigHistory', () => ({ configurationItems: [] }));

    await expect(handlerFor()(oversizedEventWith())).rejects.toThrow('GetResourceConfigHistory returned no configuration item');
    expect(aws.callsOf('PutEvaluations')).toHaveLength(0);
  });
});

describe('faults', () => {
  test('throttled calls are retried and every evaluation is delivered once', async () => {
    aws.failFirst('ListTaskDefinitions', 2, { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' });
    aws.failFirst('PutEvaluations', 2, { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' });

    await handlerFor()(changeEventFor(taskDefinitionItem()));

    expect(aws.callsOf('ListTaskDefinitions')).toHaveLength(3);
    expect(aws.callsOf('PutEvaluations')).toHaveLength(3);
    expect(aws.calls.filter((call) => call.operation === 'PutEvaluations').at(-1)?.body.Evaluations).toHaveLength(1);
  });

  test('evaluations listed in FailedEvaluations are re-sent until accepted', async () => {
    aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [6, 7].map((revision) => TASK_DEFINITION_ARN('checkout-api', revision)) }));
    let replies = 0;
    aws.on('PutEvaluations', (body) => ({ FailedEvaluations: replies++ === 0 ? [(body.Evaluations as unknown[])[1]] : [] }));

    await handlerFor()(changeEventFor(taskDefinitionItem()));

    expect(aws.callsOf('PutEvaluations').map((call) => (call.body.Evaluations as Record<string, unknown>[]).map((evaluation) => evaluation.ComplianceResourceId))).toEqual([
      ['checkout-api:7', 'checkout-api:6'],
      ['checkout-api:6'],
    ]);
  });

  test('evaluations that keep failing make the invocation fail', async () => {
    aws.on('PutEvaluations', (body) => ({ FailedEvaluations: body.Evaluations }));

    await expect(handlerFor()(changeEventFor(taskDefinitionItem()))).rejects.toThrow('did not accept 1 evaluation(s) after 5 attempts: checkout-api:7');
  });

  test('an ECS API failure reports nothing, logs a structured error and throws', async () => {
    aws.on('ListTaskDefinitions', () => ({ status: 400, code: 'AccessDeniedException', message: 'not authorized to perform ecs:ListTaskDefinitions' }));

    await expect(handlerFor()(changeEventFor(taskDefinitionItem()))).rejects.toThrow('not authorized');
    expect(aws.callsOf('PutEvaluations')).toHaveLength(0);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 'ERROR', control: 'ECS.20', resourceId: 'checkout-api:7', errorName: 'AccessDeniedException' }));
  });

  test('an item with a field the control cannot read is never reported, and the invocation fails', async () => {
    const item = taskDefinitionItem();
    item.configuration.ContainerDefinitions[1].Privileged = 'true';

    await expect(handlerFor(ecs4)(changeEventFor(item))).rejects.toThrow('ContainerDefinitions[1].Privileged: expected a boolean, got string "true"');
    expect(aws.callsOf('PutEvaluations')).toHaveLength(0);
  });

  test('the same unreadable field does not stop a control that does not read it', async () => {
    const item = taskDefinitionItem();
    item.configuration.ContainerDefinitions[1].Privileged = 'true';

    await handlerFor(ecs20)(changeEventFor(item));

    expect(evaluationsSent()).toEqual([expect.objectContaining({ ComplianceType: 'NON_COMPLIANT' })]);
  });

  test('a malformed event is rejected with a clear error before any call', async () => {
    await expect(handlerFor()({ ...changeEventFor(taskDefinitionItem()), invokingEvent: '{not json' })).rejects.toThrow('event.invokingEvent is not valid JSON');
    await expect(handlerFor()({ ...changeEventFor(taskDefinitionItem()), invokingEvent: JSON.stringify({ messageType: 'SomethingElse' }) })).rejects.toThrow(
      'invokingEvent.messageType "SomethingElse"',
    );
    expect(aws.calls).toHaveLength(0);
  });

  test('an invalid rule parameter fails loudly', async () => {
    await expect(handlerFor(ecs8)(changeEventFor(taskDefinitionItem(), { ruleParameters: JSON.stringify({ detectCredentialValues: 'maybe' }) }))).rejects.toThrow(
      'ECS.8 parameter "detectCredentialValues" must be "true" or "false"',
    );
    expect(aws.callsOf('PutEvaluations')).toHaveLength(0);
  });
});

describe('rule parameters and lookups', () => {
  test('rule parameters reach the control', async () => {
    const item = taskDefinitionItem();
    item.configuration.ContainerDefinitions[0].Environment.push({ Name: 'DB_PASSWORD', Value: 'x' });

    await handlerFor(ecs8)(changeEventFor(item, { ruleParameters: JSON.stringify({ secretKeys: 'DB_PASSWORD, API_TOKEN' }) }));

    expect(evaluationsSent()).toEqual([expect.objectContaining({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringContaining('checkout-api: DB_PASSWORD') })]);
  });

  test('ECS.10 asks ECS for the service task definition OS family', async () => {
    aws.on('DescribeTaskDefinition', () => ({ taskDefinition: { family: 'win', revision: 3, runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } } }));
    const item = serviceItem({ LaunchType: 'FARGATE', PlatformVersion: '1.0.0', TaskDefinition: TASK_DEFINITION_ARN('win', 3) });

    await handlerFor(ecs10)(changeEventFor(item));

    expect(aws.callsOf('DescribeTaskDefinition').map((call) => call.body)).toEqual([{ taskDefinition: TASK_DEFINITION_ARN('win', 3) }]);
    expect(evaluationsSent()).toEqual([expect.objectContaining({ ComplianceResourceId: item.resourceId, ComplianceType: 'COMPLIANT', Annotation: expect.stringContaining('Windows') })]);
  });

  test.each([
    ['at least the latest for every OS family', { LaunchType: 'FARGATE', PlatformVersion: '1.4.0' }, 'COMPLIANT'],
    ['LATEST', { LaunchType: 'FARGATE', PlatformVersion: 'LATEST' }, 'COMPLIANT'],
    ['not on Fargate', { LaunchType: 'EC2', PlatformVersion: '1.0.0' }, 'NOT_APPLICABLE'],
  ])('ECS.10 does not ask ECS for the OS family when the verdict does not turn on it: %s', async (_, fields, compliance) => {
    const item = serviceItem({ ...fields, TaskDefinition: TASK_DEFINITION_ARN('win', 3) });

    await handlerFor(ecs10)(changeEventFor(item));

    expect(aws.calls.map((call) => call.operation)).toEqual(['PutEvaluations']);
    expect(evaluationsSent()).toEqual([expect.objectContaining({ ComplianceResourceId: item.resourceId, ComplianceType: compliance })]);
  });

  test('a cluster rule makes no ECS call', async () => {
    await handlerFor(ecs12)(changeEventFor(clusterItem({ ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }] })));

    expect(aws.calls.map((call) => call.operation)).toEqual(['PutEvaluations']);
    expect(evaluationsSent()).toEqual([expect.objectContaining({ ComplianceResourceId: 'prod', ComplianceType: 'COMPLIANT' })]);
  });
});
