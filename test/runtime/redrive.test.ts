/**
 * The redrive through the real AWS SDK against the loopback endpoint, which here also plays the
 * failed-invocations queue (SQS's JSON protocol): records are read, their rules re-evaluated with
 * StartConfigRulesEvaluation, and a record is deleted only once that succeeded.
 */
import { createHash } from 'node:crypto';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { SQSClient } from '@aws-sdk/client-sqs';
import { failedInvocationOf, formatRedriveReport, redrive } from '../../lambdas/runtime/redrive';
import { runCli } from '../cli/run-cli';
import { AwsLoopback, useLoopbackEnvironment } from '../../dev-support/aws-loopback';
import { changeEventFor, clusterItem, taskDefinitionItem } from '../../dev-support/events';

type Json = Record<string, any>;

/** An invocation record as Lambda sends it to an on-failure destination. */
function invocationRecord(event: Json, errorMessage = 'Rate exceeded'): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: '2026-11-21T06:00:00.000Z',
    requestContext: { requestId: 'r-1', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ecs-20:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'ThrottlingException', errorMessage },
  });
}

const taskDefinitionFailure = (revision: number, configRuleName = 'ecs-20') => {
  const item = taskDefinitionItem();
  item.resourceId = `checkout-api:${revision}`;
  return invocationRecord(changeEventFor(item, { configRuleName }));
};

/**
 * A queue on the loopback: ReceiveMessage hides what it hands out (with the body's MD5, which the SDK
 * checks), DeleteMessageBatch removes by receipt handle.
 */
function serveQueue(aws: AwsLoopback, bodies: string[]) {
  const queue = bodies.map((body, index) => ({ MessageId: `m-${index}`, ReceiptHandle: `h-${index}`, Body: body, inFlight: false }));
  aws.on('ReceiveMessage', (body) => {
    const available = queue.filter((message) => !message.inFlight).slice(0, Number(body.MaxNumberOfMessages));
    for (const message of available) message.inFlight = true;
    return { Messages: available.map(({ MessageId, ReceiptHandle, Body }) => ({ MessageId, ReceiptHandle, Body, MD5OfBody: createHash('md5').update(Body).digest('hex') })) };
  });
  aws.on('DeleteMessageBatch', (body) => {
    for (const entry of body.Entries as Json[]) queue.splice(queue.findIndex((message) => message.ReceiptHandle === entry.ReceiptHandle), 1);
    return { Successful: (body.Entries as Json[]).map((entry) => ({ Id: entry.Id })), Failed: [] };
  });
  return queue;
}

let aws: AwsLoopback;
let endpoint: string;
let restoreEnvironment: () => void;

beforeEach(async () => {
  aws = new AwsLoopback();
  endpoint = await aws.start();
  restoreEnvironment = useLoopbackEnvironment(endpoint);
});

afterEach(async () => {
  restoreEnvironment();
  await aws.stop();
});

const run = (maxMessages = 100) =>
  redrive({ sqs: new SQSClient({}), config: new ConfigServiceClient({}) }, { queueUrl: `${endpoint}/123456789012/failed-invocations`, maxMessages });

describe('re-driving failed invocations', () => {
  test('re-evaluates each rule once, then deletes its records; what cannot be re-driven stays', async () => {
    const clusterRecord = invocationRecord(changeEventFor(clusterItem({ ClusterSettings: [] }), { configRuleName: 'ecs-12' }));
    const memberRecord = taskDefinitionFailure(3, 'OrgConfigRule-ecs-20-abcdefgh');
    const queue = serveQueue(aws, [taskDefinitionFailure(7), taskDefinitionFailure(8), clusterRecord, memberRecord, 'not a record']);
    aws.on('StartConfigRulesEvaluation', (body) =>
      (body.ConfigRuleNames as string[])[0].startsWith('OrgConfigRule') ? { status: 400, code: 'NoSuchConfigRuleException', message: 'The ConfigRule does not exist' } : {},
    );

    const report = await run();

    expect(aws.callsOf('StartConfigRulesEvaluation').map((call) => call.body.ConfigRuleNames)).toEqual([['ecs-20'], ['ecs-12'], ['OrgConfigRule-ecs-20-abcdefgh']]);
    expect(report).toMatchObject({ received: 5, deleted: 3, notDeleted: [] });
    expect(report.rules.find((rule) => rule.configRuleName === 'OrgConfigRule-ecs-20-abcdefgh')?.error).toBe('NoSuchConfigRuleException: The ConfigRule does not exist');
    expect(queue.map((message) => message.Body)).toEqual([memberRecord, 'not a record']);
    expect(formatRedriveReport(report)).toBe(
      [
        'Received 5 failed invocation record(s).',
        '  ✓ ecs-20 (account 123456789012): 2 record(s), re-evaluation started, deleted',
        '      AWS::ECS::TaskDefinition checkout-api:7 (failed with ThrottlingException: Rate exceeded)',
        '      AWS::ECS::TaskDefinition checkout-api:8 (failed with ThrottlingException: Rate exceeded)',
        '  ✓ ecs-12 (account 123456789012): 1 record(s), re-evaluation started, deleted',
        '      AWS::ECS::Cluster prod (failed with ThrottlingException: Rate exceeded)',
        '  ✗ OrgConfigRule-ecs-20-abcdefgh (account 123456789012): 1 record(s) kept: NoSuchConfigRuleException: The ConfigRule does not exist',
        '      AWS::ECS::TaskDefinition checkout-api:3 (failed with ThrottlingException: Rate exceeded)',
        '  ? message m-4 kept: the body is not JSON',
        'Deleted 3; kept 2.',
      ].join('\n'),
    );
  });

  test('reads page after page of 10, up to the limit, and leaves the rest for the next run', async () => {
    const queue = serveQueue(aws, Array.from({ length: 25 }, (_, index) => taskDefinitionFailure(index + 1)));
    aws.on('StartConfigRulesEvaluation', () => ({}));

    const report = await run(22);

    expect(aws.callsOf('ReceiveMessage').map((call) => call.body.MaxNumberOfMessages)).toEqual([10, 10, 2]);
    expect(aws.callsOf('DeleteMessageBatch').map((call) => (call.body.Entries as unknown[]).length)).toEqual([10, 10, 2]);
    expect(report).toMatchObject({ received: 22, deleted: 22 });
    expect(queue).toHaveLength(3);
  });

  test('a throttled re-evaluation request is retried; one that keeps failing keeps every record of its rule', async () => {
    serveQueue(aws, [taskDefinitionFailure(7)]);
    aws.on('StartConfigRulesEvaluation', () => ({})).failFirst('StartConfigRulesEvaluation', 1, { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' });
    expect((await run()).deleted).toBe(1);

    const queue = serveQueue(aws, [taskDefinitionFailure(7)]);
    aws.on('StartConfigRulesEvaluation', () => ({ status: 400, code: 'InsufficientPermissionsException', message: 'not authorized to perform config:StartConfigRulesEvaluation' }));
    const report = await run();
    expect(report.deleted).toBe(0);
    expect(aws.callsOf('DeleteMessageBatch')).toHaveLength(1); // only the first run's
    expect(queue).toHaveLength(1);
  });

  test('records SQS would not delete are reported, to be re-driven again', async () => {
    serveQueue(aws, [taskDefinitionFailure(7)]);
    aws.on('StartConfigRulesEvaluation', () => ({}));
    aws.on('DeleteMessageBatch', (body) => ({ Successful: [], Failed: (body.Entries as Json[]).map((entry) => ({ Id: entry.Id, Code: 'ReceiptHandleIsInvalid', SenderFault: true })) }));

    const report = await run();

    expect(report).toMatchObject({ deleted: 0, notDeleted: ['m-0'] });
    expect(formatRedriveReport(report)).toContain('1 re-driven record(s) could not be deleted and will be re-driven again: m-0');
  });
});

describe('ecs-config-rules redrive', () => {
  test('prints the report; exits 0 when every record was re-driven, 1 when some stay', async () => {
    serveQueue(aws, [taskDefinitionFailure(7)]);
    aws.on('StartConfigRulesEvaluation', () => ({}));
    const queueUrl = `${endpoint}/123456789012/failed-invocations`;

    const done = await runCli(['redrive', '--queue-url', queueUrl, '--region', 'us-east-1']);
    expect(done).toMatchObject({ code: 0, stdout: expect.stringContaining('✓ ecs-20 (account 123456789012): 1 record(s), re-evaluation started, deleted') });

    serveQueue(aws, ['not a record']);
    expect(await runCli(['redrive', '--queue-url', queueUrl])).toMatchObject({ code: 1, stdout: expect.stringContaining('Deleted 0; kept 1.') });
  });

  test('a bad option or an unreadable queue exits 2 with the reason', async () => {
    expect(await runCli(['redrive', '--queue-url', 'https://sqs.example/q', '--max-messages', 'all'])).toMatchObject({ code: 2, stderr: '--max-messages must be a positive whole number, got "all"\n' });
    expect(await runCli(['redrive'])).toMatchObject({ code: 2, stderr: expect.stringContaining("required option '--queue-url <url>' not specified") });
    aws.on('ReceiveMessage', () => ({ status: 400, code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.' }));
    expect(await runCli(['redrive', '--queue-url', `${endpoint}/123456789012/gone`])).toMatchObject({ code: 2, stderr: expect.stringContaining('The specified queue does not exist.') });
  });
});

describe('reading a record', () => {
  test.each([
    ['{', 'the body is not JSON'],
    [JSON.stringify({ requestContext: {} }), 'no requestPayload: not a Lambda invocation record'],
    [JSON.stringify({ requestPayload: { invokingEvent: '{}' } }), 'the event names no configRuleName: not an AWS Config rule event'],
  ])('%s is not re-driven: %s', (body, reason) => {
    expect(failedInvocationOf(body)).toBe(reason);
  });

  test('a periodic event names its rule and message type; an unreadable invokingEvent leaves only the resource unnamed', () => {
    const scheduled = invocationRecord({ configRuleName: 'ecs-20', invokingEvent: JSON.stringify({ messageType: 'ScheduledNotification' }) });
    expect(failedInvocationOf(scheduled)).toMatchObject({ configRuleName: 'ecs-20', messageType: 'ScheduledNotification', resource: undefined });
    expect(failedInvocationOf(invocationRecord({ configRuleName: 'ecs-20', invokingEvent: '{bad' }))).toMatchObject({ configRuleName: 'ecs-20', messageType: 'unknown' });
  });
});
