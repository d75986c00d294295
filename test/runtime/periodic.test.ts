/**
 * Periodic mode through the real handler and SDK: a ScheduledNotification re-evaluates the rule's
 * whole scope from AWS Config's inventory and retires stale results, against a loopback that holds a
 * small account (Config's inventory and the rule's results, ECS's ACTIVE revisions).
 */
import { Control } from '../../lambdas/core/control';
import { ecs4 } from '../../lambdas/controls/ecs-4';
import { ecs10 } from '../../lambdas/controls/ecs-10';
import { ecs12 } from '../../lambdas/controls/ecs-12';
import { ecs14 } from '../../lambdas/controls/ecs-14';
import { ecs20 } from '../../lambdas/controls/ecs-20';
import { createRuleHandler } from '../../lambdas/runtime/rule-handler';
import { loopbackPerTest } from './loopback-harness';
import { asHistoryItem, clusterItem, serviceItem, TASK_DEFINITION_ARN, taskDefinitionItem } from '../../dev-support/events';

type Json = Record<string, any>;

const NOTIFICATION_TIME = '2026-11-21T06:00:00.000Z';
const RULE_NAME = 'ecs-20';

/** A ScheduledNotification as AWS Config sends it to a periodic custom rule. */
function scheduledEvent(overrides: Json = {}): Json {
  return {
    version: '1.0',
    invokingEvent: JSON.stringify({ awsAccountId: '123456789012', notificationCreationTime: NOTIFICATION_TIME, messageType: 'ScheduledNotification', recordVersion: '1.0' }),
    ruleParameters: '{}',
    resultToken: 'periodic-token',
    eventLeftScope: false,
    executionRoleArn: 'arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
    configRuleArn: 'arn:aws:config:us-east-1:123456789012:config-rule/config-rule-a1b2c3',
    configRuleName: RULE_NAME,
    accountId: '123456789012',
    ...overrides,
  };
}

/** A task definition revision as the event fixture records it, with its containers' users changed. */
function revision(family: string, number: number, options: { status?: string; users?: string[] } = {}): Json {
  const item = taskDefinitionItem();
  item.configuration.Family = family;
  item.configuration.TaskDefinitionArn = item.ARN = TASK_DEFINITION_ARN(family, number);
  item.configuration.Status = options.status ?? 'ACTIVE';
  if (options.users) options.users.forEach((user, index) => (item.configuration.ContainerDefinitions[index].User = user));
  item.resourceId = item.resourceName = `${family}:${number}`;
  return item;
}

/** An item as BatchGetResourceConfig returns it: the history shape without tags. */
function asBaseItem(item: Json): Json {
  const { tags: _tags, ...base } = asHistoryItem(item);
  return base;
}

/** Pages `items` the way Config and ECS do: `pageSize` at a time, the next offset as the token. */
function page<T>(items: readonly T[], token: unknown, pageSize: number): { page: T[]; next: string | undefined } {
  const start = Number(token ?? 0);
  return { page: items.slice(start, start + pageSize), next: start + pageSize < items.length ? String(start + pageSize) : undefined };
}

const harness = loopbackPerTest();

/** Serves an account: Config records `items`, the rule holds results for `results`, ECS lists `activeArns`. */
function account({ items, results = [], activeArns = [] }: { items: Json[]; results?: [string, string][]; activeArns?: string[] }): void {
  const byKey = new Map(items.map((item) => [`${item.resourceType} ${item.resourceId}`, item]));
  harness.aws.on('GetComplianceDetailsByConfigRule', (body) => {
    const { page: results_, next } = page(results, body.NextToken, Number(body.Limit));
    return {
      EvaluationResults: results_.map(([resourceType, resourceId]) => ({
        EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: body.ConfigRuleName, ResourceType: resourceType, ResourceId: resourceId } },
        ComplianceType: 'NON_COMPLIANT',
      })),
      NextToken: next,
    };
  });
  harness.aws.on('ListDiscoveredResources', (body) => {
    const ofType = items.filter((item) => item.resourceType === body.resourceType);
    const { page: found, next } = page(ofType, body.nextToken, Number(body.limit));
    return { resourceIdentifiers: found.map((item) => ({ resourceType: item.resourceType, resourceId: item.resourceId })), nextToken: next };
  });
  harness.aws.on('BatchGetResourceConfig', (body) => ({
    baseConfigurationItems: (body.resourceKeys as Json[]).flatMap((key) => {
      const item = byKey.get(`${key.resourceType} ${key.resourceId}`);
      return item ? [asBaseItem(item)] : [];
    }),
    unprocessedResourceKeys: [],
  }));
  harness.aws.on('GetResourceConfigHistory', (body) => {
    const item = byKey.get(`${body.resourceType} ${body.resourceId}`)!;
    return { configurationItems: [asHistoryItem(item)] };
  });
  harness.aws.on('ListTaskDefinitions', (body) => {
    const { page: arns, next } = page(activeArns, body.nextToken, Number(body.maxResults));
    return { taskDefinitionArns: arns, nextToken: next };
  });
}

beforeEach(() => {
  harness.aws.on('PutEvaluations', () => ({ FailedEvaluations: [] }));
});

const handlerFor = (control: Control) => createRuleHandler(control, { backoff: async () => {} });
const evaluationsSent = () => harness.aws.callsOf('PutEvaluations').flatMap((call) => call.body.Evaluations as Json[]);
const verdicts = () => Object.fromEntries(evaluationsSent().map((evaluation) => [evaluation.ComplianceResourceId, evaluation.ComplianceType]));

describe('a scheduled evaluation', () => {
  test('evaluates the latest ACTIVE revision of every family, and retires superseded, inactive and vanished ones', async () => {
    account({
      items: [revision('checkout-api', 5, { users: ['1000', '1000'] }), revision('checkout-api', 6, { status: 'INACTIVE' }), revision('checkout-api', 7), revision('web', 1, { users: ['1000', '1000'] })],
      results: [['AWS::ECS::TaskDefinition', 'checkout-api:5'], ['AWS::ECS::TaskDefinition', 'web:1'], ['AWS::ECS::TaskDefinition', 'old-app:3']],
      activeArns: [TASK_DEFINITION_ARN('checkout-api', 5), TASK_DEFINITION_ARN('checkout-api', 7), TASK_DEFINITION_ARN('web', 1)],
    });

    await handlerFor(ecs20)(scheduledEvent());

    expect(verdicts()).toEqual({
      'checkout-api:5': 'NOT_APPLICABLE',
      'checkout-api:6': 'NOT_APPLICABLE',
      'checkout-api:7': 'NON_COMPLIANT',
      'web:1': 'COMPLIANT',
      'old-app:3': 'NOT_APPLICABLE',
    });
    const annotations = Object.fromEntries(evaluationsSent().map((evaluation) => [evaluation.ComplianceResourceId, evaluation.Annotation]));
    expect(annotations['checkout-api:5']).toContain('latest ACTIVE revision, checkout-api:7');
    expect(annotations['checkout-api:6']).toContain('INACTIVE');
    expect(annotations['old-app:3']).toContain('no longer records this resource');
    expect(new Set(evaluationsSent().map((evaluation) => evaluation.OrderingTimestamp))).toEqual(new Set([Date.parse(NOTIFICATION_TIME) / 1000]));
    expect(harness.aws.callsOf('PutEvaluations').map((call) => call.body.ResultToken)).toEqual(['periodic-token']);
  });

  test('asks in the right order and scope: results of this rule, then Config inventory of its resource type, then one ECS listing', async () => {
    account({ items: [revision('web', 1)], activeArns: [TASK_DEFINITION_ARN('web', 1)] });

    await handlerFor(ecs20)(scheduledEvent());

    expect(harness.aws.calls.map((call) => call.operation)).toEqual(['GetComplianceDetailsByConfigRule', 'ListDiscoveredResources', 'BatchGetResourceConfig', 'ListTaskDefinitions', 'PutEvaluations']);
    expect(harness.aws.callsOf('GetComplianceDetailsByConfigRule')[0].body).toEqual({ ConfigRuleName: RULE_NAME, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'], Limit: 100 });
    expect(harness.aws.callsOf('ListDiscoveredResources')[0].body).toEqual({ resourceType: 'AWS::ECS::TaskDefinition', includeDeletedResources: false, limit: 100 });
    expect(harness.aws.callsOf('ListTaskDefinitions')[0].body).toEqual({ status: 'ACTIVE', sort: 'ASC', maxResults: 100 });
  });

  test('pages every listing and sends batches of at most 100, with one ECS listing for all families', async () => {
    const families = Array.from({ length: 230 }, (_, index) => `app-${String(index).padStart(3, '0')}`);
    account({
      items: families.map((family) => revision(family, 2, { users: ['1000', '1000'] })),
      results: families.slice(0, 150).map((family) => ['AWS::ECS::TaskDefinition', `${family}:1`]),
      activeArns: families.flatMap((family) => [TASK_DEFINITION_ARN(family, 1), TASK_DEFINITION_ARN(family, 2)]),
    });

    await handlerFor(ecs20)(scheduledEvent());

    expect(harness.aws.callsOf('ListDiscoveredResources')).toHaveLength(3);
    expect(harness.aws.callsOf('BatchGetResourceConfig').map((call) => (call.body.resourceKeys as unknown[]).length)).toEqual([100, 100, 30]);
    expect(harness.aws.callsOf('GetComplianceDetailsByConfigRule')).toHaveLength(2);
    expect(harness.aws.callsOf('ListTaskDefinitions')).toHaveLength(5); // 460 ARNs, 100 a page: never one call per family
    expect(harness.aws.callsOf('PutEvaluations').map((call) => (call.body.Evaluations as unknown[]).length)).toEqual([100, 100, 100, 80]);
    const sent = evaluationsSent();
    expect(sent.filter((evaluation) => evaluation.ComplianceType === 'COMPLIANT')).toHaveLength(230);
    expect(sent.filter((evaluation) => evaluation.ComplianceType === 'NOT_APPLICABLE')).toHaveLength(150); // the vanished :1 results
    expect(new Set(sent.map((evaluation) => evaluation.ComplianceResourceId)).size).toBe(sent.length);
  });

  test('asks AWS Config again for keys it left unprocessed', async () => {
    const web = revision('web', 1, { users: ['1000', '1000'] });
    account({ items: [web], activeArns: [TASK_DEFINITION_ARN('web', 1)] });
    let calls = 0;
    harness.aws.on('BatchGetResourceConfig', (body) =>
      calls++ === 0 ? { baseConfigurationItems: [], unprocessedResourceKeys: body.resourceKeys } : { baseConfigurationItems: [asBaseItem(web)], unprocessedResourceKeys: [] },
    );

    await handlerFor(ecs20)(scheduledEvent());

    expect(harness.aws.callsOf('BatchGetResourceConfig')).toHaveLength(2);
    expect(verdicts()).toEqual({ 'web:1': 'COMPLIANT' });
  });

  test('a resource deleted between the listing and the batch read is retired', async () => {
    account({ items: [revision('web', 1)], activeArns: [] });
    harness.aws.on('BatchGetResourceConfig', () => ({ baseConfigurationItems: [], unprocessedResourceKeys: [] }));

    await handlerFor(ecs20)(scheduledEvent());

    expect(verdicts()).toEqual({ 'web:1': 'NOT_APPLICABLE' });
  });

  test('tag controls read tags from the history, which BatchGetResourceConfig leaves out', async () => {
    const tagged = { ...clusterItem({ ClusterName: 'prod' }, { team: 'payments' }) };
    const untagged = { ...clusterItem({ ClusterName: 'dev' }), resourceId: 'dev', resourceName: 'dev' };
    account({ items: [tagged, untagged] });

    await handlerFor(ecs14)(scheduledEvent({ configRuleName: 'ecs-14' }));

    expect(verdicts()).toEqual({ prod: 'COMPLIANT', dev: 'NON_COMPLIANT' });
    expect(harness.aws.callsOf('GetResourceConfigHistory')).toHaveLength(2);
  });

  test('controls that do not read tags never fetch history', async () => {
    account({ items: [clusterItem({ ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] })] });

    await handlerFor(ecs12)(scheduledEvent({ configRuleName: 'ecs-12' }));

    expect(verdicts()).toEqual({ prod: 'COMPLIANT' });
    expect(harness.aws.callsOf('GetResourceConfigHistory')).toHaveLength(0);
  });

  test('ECS.10 asks the OS family of a task definition once, however many services run it', async () => {
    const services = ['a', 'b', 'c'].map((name) => {
      const item = serviceItem({ ServiceName: name, LaunchType: 'FARGATE', PlatformVersion: '1.3.0', TaskDefinition: TASK_DEFINITION_ARN('shared', 1) });
      return { ...item, resourceId: `arn:aws:ecs:us-east-1:123456789012:service/prod/${name}` };
    });
    account({ items: services });
    harness.aws.on('DescribeTaskDefinition', () => ({ taskDefinition: { family: 'shared', revision: 1 } }));

    await handlerFor(ecs10)(scheduledEvent({ configRuleName: 'ecs-10' }));

    expect(harness.aws.callsOf('DescribeTaskDefinition')).toHaveLength(1);
    expect(Object.values(verdicts())).toEqual(['NON_COMPLIANT', 'NON_COMPLIANT', 'NON_COMPLIANT']);
  });
});

describe('a scheduled evaluation that cannot decide everything', () => {
  test('reports what it could decide, keeps the earlier result of the rest, and fails loudly naming them', async () => {
    const unreadable = revision('bad', 1);
    unreadable.configuration.ContainerDefinitions[0].Privileged = 'true';
    account({ items: [unreadable, revision('web', 1)], activeArns: [TASK_DEFINITION_ARN('bad', 1), TASK_DEFINITION_ARN('web', 1)] });

    await expect(handlerFor(ecs4)(scheduledEvent({ configRuleName: 'ecs-4' }))).rejects.toThrow(
      '1 resource(s) could not be evaluated (bad:1); their earlier results are kept, the other 1 result(s) were reported',
    );

    expect(verdicts()).toEqual({ 'web:1': 'COMPLIANT' });
    expect(harness.logLines).toContainEqual(expect.objectContaining({ level: 'ERROR', resourceId: 'bad:1', error: expect.stringContaining('ContainerDefinitions[0].Privileged: expected a boolean') }));
  });

  test('an inventory call that keeps failing reports nothing', async () => {
    account({ items: [revision('web', 1)] });
    harness.aws.on('ListDiscoveredResources', () => ({ status: 400, code: 'AccessDeniedException', message: 'not authorized to perform config:ListDiscoveredResources' }));

    await expect(handlerFor(ecs20)(scheduledEvent())).rejects.toThrow('not authorized');
    expect(harness.aws.callsOf('PutEvaluations')).toHaveLength(0);
  });
});

describe('scheduled event validation', () => {
  test('a ScheduledNotification without a rule name is rejected before any call', async () => {
    await expect(handlerFor(ecs20)(scheduledEvent({ configRuleName: undefined }))).rejects.toThrow('event.configRuleName must be a non-empty string');
    expect(harness.aws.calls).toHaveLength(0);
  });

  test('a ScheduledNotification whose time is not a time is rejected', async () => {
    const invokingEvent = JSON.stringify({ messageType: 'ScheduledNotification', notificationCreationTime: 'yesterday' });
    await expect(handlerFor(ecs20)(scheduledEvent({ invokingEvent }))).rejects.toThrow('invokingEvent.notificationCreationTime is not a time: "yesterday"');
  });
});
