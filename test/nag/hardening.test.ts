/**
 * The hardening the construct adds beyond cdk-nag's checks, asserted on the synthesized template:
 * nothing lost when an invocation fails (on-failure queue, alarm), bounded concurrency, timeouts,
 * log retention, no wildcard actions, and periodic mode's trigger and grants in both deployment modes (organization mode: in the member template).
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CONTROLS } from '../../lambdas/controls';
import { apiActionsFor } from '../../lambdas/runtime/api-actions';
import { actionsOf, NO_BUNDLING, resourcesOfRule, synthStack, SynthOptions } from '../cdk/fleet';
import { memberTemplateOf, synthOrganization } from '../cdk/organization-fleet';

type Json = Record<string, any>;

const synth = (options: SynthOptions = {}) => Template.fromStack(synthStack({ ...options, context: { ...NO_BUNDLING, ...options.context } }));
const resources = (template: Template, type: string): Json[] => Object.values(template.findResources(type));

describe('account mode, defaults', () => {
  const template = synth();
  const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue'));

  test('one failed-invocations queue: encrypted with SQS-managed keys, TLS only, records kept 7 days', () => {
    expect(Object.keys(template.findResources('AWS::SQS::Queue'))).toHaveLength(1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 7 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      // Beside the redrive role's receive-only rule (test/cdk/failed-invocations.test.ts).
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Principal: { AWS: '*' } })]) },
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
  const member = memberTemplateOf(synthOrganization({}, { maximumExecutionFrequency: 'TwentyFour_Hours' as never }).stack);

  test.each(CONTROLS.map((control) => [control.id, control] as const))("%s: the member template's rule is also scheduled and its function reads its own rule's results", (_id, control) => {
    const { rule, ruleLogicalId, statements } = resourcesOfRule(member, control.slug);
    expect(rule.Properties.Source.SourceDetails).toContainEqual({ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'TwentyFour_Hours' });
    const { configRule } = apiActionsFor(control, { periodic: true });
    for (const action of configRule) expect(statements).toContainEqual({ Effect: 'Allow', Action: action, Resource: { 'Fn::GetAtt': [ruleLogicalId, 'Arn'] } });
  });

  test("with the conformance-pack rollout, the functions may read this account's rule results in their Region only", () => {
    const packMember = memberTemplateOf(synthOrganization({ rollout: 'conformance-pack' }, { controls: ['ECS.20'], maximumExecutionFrequency: 'One_Hour' as never }).stack);
    const statements = resources(packMember, 'AWS::IAM::Policy').flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'config:GetComplianceDetailsByConfigRule',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':config:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':config-rule/*']] },
    });
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
