/**
 * The hardening the construct adds beyond cdk-nag's checks, asserted on the synthesized template:
 * nothing lost when an invocation fails (on-failure queue, alarm), bounded concurrency, timeouts,
 * log retention, no wildcard actions, and periodic mode's trigger and grants in both deployment modes.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CONTROLS } from '../../lambdas/controls';
import { apiActionsFor } from '../../lambdas/runtime/api-actions';
import { actionsOf, NO_BUNDLING, resourcesOfRule, synthStack, SynthOptions } from '../cdk/fleet';

type Json = Record<string, any>;

const synth = (options: SynthOptions = {}) => Template.fromStack(synthStack({ ...options, context: { ...NO_BUNDLING, ...options.context } }));
const resources = (template: Template, type: string): Json[] => Object.values(template.findResources(type));
const ORGANIZATION = { deployment: 'organization', targetOus: 'r-ab12', memberAccounts: '111111111111' };

describe('account mode, defaults', () => {
  const template = synth();
  const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue'));

  test('one failed-invocations queue: encrypted with SQS-managed keys, TLS only, records kept 7 days', () => {
    expect(Object.keys(template.findResources('AWS::SQS::Queue'))).toHaveLength(1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 7 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: { Statement: [{ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Principal: { AWS: '*' } }] },
    });
  });

  test('an alarm fires as soon as one record is visible, and the queue URL is an output for the redrive command', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmDescription: Match.stringLikeRegexp('npx ecs-config-rules redrive --queue-url'),
    });
    expect(Object.values(template.toJSON().Outputs as Json).map((output) => output.Value)).toContainEqual({ Ref: queueId });
  });

  test.each(CONTROLS.map((control) => [control.id, control] as const))('%s: retried twice within 6 hours, then sent to the queue; 5 reserved executions; 90 s; 128 MB', (_id, control) => {
    const { function: fn, functionLogicalId } = resourcesOfRule(template, control.slug);
    expect(resources(template, 'AWS::Lambda::EventInvokeConfig').filter((config) => config.Properties.FunctionName.Ref === functionLogicalId)).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } } }),
      }),
    ]);
    expect(fn.Properties).toMatchObject({ ReservedConcurrentExecutions: 5, Timeout: 90, MemorySize: 128 });
  });

  test('every log group has a retention, no IAM statement has a wildcard action, and change-triggered rules get no periodic grants', () => {
    for (const logGroup of resources(template, 'AWS::Logs::LogGroup')) expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    const statements = resources(template, 'AWS::IAM::Policy').flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements.flatMap(actionsOf).filter((action) => action.includes('*'))).toEqual([]);
    expect(statements.flatMap(actionsOf)).not.toContain('config:ListDiscoveredResources');
    for (const rule of resources(template, 'AWS::Config::ConfigRule')) {
      expect(rule.Properties.Source.SourceDetails.map((detail: Json) => detail.MessageType)).not.toContain('ScheduledNotification');
    }
  });
});

describe('periodic mode (-c maximumExecutionFrequency)', () => {
  const template = synth({ context: { maximumExecutionFrequency: 'Six_Hours' } });

  test.each(CONTROLS.map((control) => [control.id, control] as const))('%s: also scheduled, may read the inventory, and reads the results of its own rule only', (_id, control) => {
    const { rule, ruleLogicalId, statements, function: fn } = resourcesOfRule(template, control.slug);
    expect(rule.Properties.Source.SourceDetails).toContainEqual({ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'Six_Hours' });
    const { config, ecs } = apiActionsFor(control, { periodic: true });
    expect(statements.filter((statement) => statement.Resource === '*').flatMap(actionsOf).sort()).toEqual([...config, ...ecs].sort());
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'config:GetComplianceDetailsByConfigRule', Resource: { 'Fn::GetAtt': [ruleLogicalId, 'Arn'] } });
    expect(fn.Properties.Timeout).toBe(900);
  });
});

describe('organization mode, periodic', () => {
  const template = synth({ context: { ...ORGANIZATION, maximumExecutionFrequency: 'TwentyFour_Hours' } });

  test('the organization rules are also scheduled', () => {
    for (const rule of resources(template, 'AWS::Config::OrganizationConfigRule')) {
      expect(rule.Properties.OrganizationCustomRuleMetadata).toMatchObject({
        OrganizationConfigRuleTriggerTypes: ['ConfigurationItemChangeNotification', 'OversizedConfigurationItemChangeNotification', 'ScheduledNotification'],
        MaximumExecutionFrequency: 'TwentyFour_Hours',
      });
    }
  });

  test("the member role may read the inventory, and its own account's rule results only", () => {
    const [stackSet] = resources(template, 'AWS::CloudFormation::StackSet');
    const body = JSON.stringify(stackSet.Properties.TemplateBody);
    for (const action of ['config:ListDiscoveredResources', 'config:BatchGetResourceConfig', 'config:GetComplianceDetailsByConfigRule']) expect(body).toContain(action);
    expect(body).toContain('arn:${AWS::Partition}:config:*:${AWS::AccountId}:config-rule/*');
  });
});

describe('settings', () => {
  test('reserved concurrency can be chosen, and must be a whole number of at least 1', () => {
    expect(synth({ context: { reservedConcurrency: '20' } }).findResources('AWS::Lambda::Function', { Properties: { ReservedConcurrentExecutions: 20 } })).not.toEqual({});
    expect(() => synth({ props: { reservedConcurrency: 0 } })).toThrow('`reservedConcurrency` must be a whole number of at least 1, got 0.');
    expect(() => synth({ context: { reservedConcurrency: 'lots' } })).toThrow('Context `reservedConcurrency` must be a whole number; got "lots".');
  });

  test('an unknown frequency is refused naming the valid ones', () => {
    expect(() => synth({ context: { maximumExecutionFrequency: 'Daily' } })).toThrow(
      'Context `maximumExecutionFrequency` must be one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours; got "Daily".',
    );
  });
});
