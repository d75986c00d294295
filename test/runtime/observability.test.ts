/**
 * What the rule functions write to CloudWatch Logs, through the real handler and SDK against the
 * loopback endpoint: every evaluation and error line names the request, the account and the resource;
 * the `Evaluations` metric keeps the dashboard's dimensions; and no environment value or secret of a
 * task definition ever appears in any line, whatever the outcome.
 */
import { CONTROLS } from '../../lambdas/controls';
import { ecs20 } from '../../lambdas/controls/ecs-20';
import { createRuleHandler } from '../../lambdas/runtime/rule-handler';
import { lambdaContext, loopbackPerTest } from './loopback-harness';
import { changeEventFor, oversizedEventWith, recordedHistoryReply, TASK_DEFINITION_ARN, taskDefinitionItem } from '../../dev-support/events';

const harness = loopbackPerTest();

beforeEach(() => {
  harness.aws.on('PutEvaluations', () => ({ FailedEvaluations: [] }));
  harness.aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [5, 6, 7].map((revision) => TASK_DEFINITION_ARN('checkout-api', revision)) }));
});

const handlerFor = (control = ecs20) => createRuleHandler(control, { backoff: async () => {} });
const linesWith = (message: string) => harness.logLines.filter((line) => line.message === message);

describe('log lines', () => {
  test('every evaluation line carries the request id, cold start flag, control, resource, account, verdict and reason', async () => {
    await handlerFor()(changeEventFor(taskDefinitionItem()), lambdaContext('request-1'));

    const lines = linesWith('evaluation');
    expect(lines.map((line) => [line.resourceId, line.verdict])).toEqual([
      ['checkout-api:7', 'NON_COMPLIANT'],
      ['checkout-api:5', 'NOT_APPLICABLE'],
      ['checkout-api:6', 'NOT_APPLICABLE'],
    ]);
    for (const line of lines) {
      expect(line).toEqual(
        expect.objectContaining({
          level: 'INFO',
          function_request_id: 'request-1',
          cold_start: expect.any(Boolean),
          control: 'ECS.20',
          configRuleName: 'ecs-20-linux-non-root',
          resourceType: 'AWS::ECS::TaskDefinition',
          accountId: '123456789012',
          reason: expect.any(String),
        }),
      );
    }
  });

  test('the cold start flag is true on a container\'s first invocation only', async () => {
    const handler = handlerFor();
    await handler(changeEventFor(taskDefinitionItem()), lambdaContext('first'));
    await handler(changeEventFor(taskDefinitionItem()), lambdaContext('second'));

    const flags = new Map(linesWith('evaluation').map((line) => [line.function_request_id, line.cold_start]));
    // Powertools' flag is per process: whichever invocation ran first in this test file was the cold one.
    expect(flags.get('second')).toBe(false);
  });

  test('an error line carries the request id, the account and the resource, for an item that had to be fetched', async () => {
    harness.aws.on('GetResourceConfigHistory', () => recordedHistoryReply());
    harness.aws.on('ListTaskDefinitions', () => ({ status: 400, code: 'AccessDeniedException', message: 'not authorized to perform ecs:ListTaskDefinitions' }));

    await expect(handlerFor()(oversizedEventWith(), lambdaContext('request-2'))).rejects.toThrow('not authorized');

    expect(harness.logLines.filter((line) => line.level === 'ERROR')).toEqual([
      expect.objectContaining({ function_request_id: 'request-2', accountId: '123456789012', resourceId: 'checkout-api:7', errorName: 'AccessDeniedException' }),
    ]);
  });

  test('the level comes from the environment: POWERTOOLS_LOG_LEVEL=ERROR keeps evaluation lines out', async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    let isolated: typeof createRuleHandler | undefined;
    jest.isolateModules(() => {
      isolated = (require('../../lambdas/runtime/rule-handler') as { createRuleHandler: typeof createRuleHandler }).createRuleHandler;
    });
    delete process.env.POWERTOOLS_LOG_LEVEL;

    await isolated!(ecs20)(changeEventFor(taskDefinitionItem()), lambdaContext('request-3'));

    expect(linesWith('evaluation')).toEqual([]);
    expect(harness.aws.callsOf('PutEvaluations')).toHaveLength(1);
  });
});

describe('the Evaluations metric', () => {
  test('one embedded-metric record per compliance type, by Control and ComplianceType only, counting the results', async () => {
    await handlerFor()(changeEventFor(taskDefinitionItem()), lambdaContext('request-4'));

    const records = harness.logLines.filter((line) => line._aws);
    expect(records.map((record) => [record.Control, record.ComplianceType, record.Evaluations])).toEqual([
      ['ECS.20', 'NON_COMPLIANT', 1],
      ['ECS.20', 'NOT_APPLICABLE', 2],
    ]);
    for (const record of records) {
      expect(record._aws.CloudWatchMetrics).toEqual([{ Namespace: 'EcsConfigRules', Dimensions: [['Control', 'ComplianceType']], Metrics: [{ Name: 'Evaluations', Unit: 'Count' }] }]);
    }
  });
});

describe('no environment value or secret of a task definition reaches a log line', () => {
  /** Values that must never be logged, in every place a task definition holds one. */
  const SECRETS = ['hunter2-db-password', 'AKIAIOSFODNN7EXAMPLE', 'tok-7f3a9c-session', 'wJalrXUtnFEMI-K7MDENG', 'https://user:pa55w0rd@db.internal'];

  function itemWithSecrets(): Record<string, any> {
    const item = taskDefinitionItem();
    const [app, sidecar] = item.configuration.ContainerDefinitions;
    app.Environment.push({ Name: 'DB_PASSWORD', Value: SECRETS[0] }, { Name: 'AWS_ACCESS_KEY_ID', Value: SECRETS[1] }, { Name: 'DATABASE_URL', Value: SECRETS[4] });
    app.Secrets.push({ Name: 'API_TOKEN', ValueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api-token' });
    // Values of the wrong type, which the adapter cannot read: their errors must not quote them.
    sidecar.Environment.push({ Name: 'SESSION', Value: { nested: SECRETS[2] } }, { Name: 'SECRET_KEY', Value: [SECRETS[3]] });
    app.DockerLabels = { password: SECRETS[0] };
    return item;
  }

  const assertNoSecretLogged = () => {
    expect(harness.logLines.length).toBeGreaterThan(0);
    const logged = harness.logLines.map((line) => JSON.stringify(line)).join('\n');
    for (const secret of SECRETS) expect(logged).not.toContain(secret);
  };

  const taskDefinitionControls = CONTROLS.filter((control) => control.resourceType === 'AWS::ECS::TaskDefinition');

  test.each(taskDefinitionControls.map((control) => [control.id, control] as const))('%s evaluating it', async (_id, control) => {
    await handlerFor(control)(changeEventFor(itemWithSecrets()), lambdaContext('request-5')).catch(() => undefined);
    assertNoSecretLogged();
  });

  test('when AWS calls fail and the invocation fails', async () => {
    harness.aws.on('PutEvaluations', () => ({ status: 400, code: 'ValidationException', message: 'bad evaluation' }));

    await expect(handlerFor()(changeEventFor(itemWithSecrets()), lambdaContext('request-6'))).rejects.toThrow('bad evaluation');
    assertNoSecretLogged();
  });

  test('when the event itself is malformed', async () => {
    const event = changeEventFor(itemWithSecrets());
    event.invokingEvent = event.invokingEvent.replace('"messageType":"ConfigurationItemChangeNotification"', '"messageType":"Unknown"');

    await expect(handlerFor()(event, lambdaContext('request-7'))).rejects.toThrow('invokingEvent.messageType');
    assertNoSecretLogged();
  });
});
