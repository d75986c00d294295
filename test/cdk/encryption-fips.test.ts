/**
 * The data-protection props: a customer-managed KMS key for the failed-invocations queue and the log
 * groups (as a construct prop or the `kmsKeyArn` context), and FIPS endpoints for the functions.
 * Template-only, so esbuild is skipped.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EcsControlRules } from '../../lib/ecs-control-rules';
import { NO_BUNDLING, synthTemplate } from './fleet';

type Resource = { Properties: Record<string, any> };
const resources = (template: Template, type: string) => Object.values(template.findResources(type)) as Resource[];
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('a customer-managed key defined in the app', () => {
  const app = new App({ context: NO_BUNDLING });
  const stack = new Stack(app, 'Fleet');
  const key = new kms.Key(stack, 'Key');
  new EcsControlRules(stack, 'Rules', { controls: ['ECS.12', 'ECS.20'], encryptionKey: key });
  const template = Template.fromStack(stack);
  const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);

  test('encrypts the failed-invocations queue and every log group', () => {
    expect(resources(template, 'AWS::SQS::Queue').map((queue) => queue.Properties.KmsMasterKeyId)).toEqual([{ 'Fn::GetAtt': [keyId, 'Arn'] }]);
    const logGroups = resources(template, 'AWS::Logs::LogGroup');
    expect(logGroups).toHaveLength(2);
    for (const logGroup of logGroups) expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });

  test('the key policy lets CloudWatch Logs use it for this account and Region only, once', () => {
    const statements = resources(template, 'AWS::KMS::Key')[0].Properties.KeyPolicy.Statement as Record<string, any>[];
    const forLogs = statements.filter((statement) => JSON.stringify(statement.Principal).includes('logs.'));
    expect(forLogs).toHaveLength(1);
    expect(JSON.stringify(forLogs[0].Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toContain(':log-group:*');
  });

  test('every function may encrypt the records it sends to the queue, the redrive role may decrypt them, and nothing more with the key', () => {
    const kmsStatements = resources(template, 'AWS::IAM::Policy').flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Record<string, any>[]).filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('kms:'))),
    );
    const onTheKey = (Action: string | string[]) => ({ Effect: 'Allow', Action, Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(kmsStatements).toEqual(expect.arrayContaining([onTheKey('kms:Decrypt'), onTheKey(['kms:GenerateDataKey', 'kms:Decrypt']), onTheKey(['kms:GenerateDataKey', 'kms:Decrypt'])]));
    expect(kmsStatements).toHaveLength(3);
  });
});

describe('the kmsKeyArn context', () => {
  const template = synthTemplate({ context: { ...NO_BUNDLING, controls: 'ECS.12', kmsKeyArn: KEY_ARN } });

  test('uses the existing key for the queue and the log groups', () => {
    expect(resources(template, 'AWS::SQS::Queue')[0].Properties.KmsMasterKeyId).toBe(KEY_ARN);
    for (const logGroup of resources(template, 'AWS::Logs::LogGroup')) expect(logGroup.Properties.KmsKeyId).toBe(KEY_ARN);
    expect(resources(template, 'AWS::KMS::Key')).toEqual([]);
  });
});

test('without a key: SQS-managed encryption for the queue, no KMS key on the log groups', () => {
  const template = synthTemplate({ context: { ...NO_BUNDLING, controls: 'ECS.12' } });
  expect(resources(template, 'AWS::SQS::Queue')[0].Properties).toMatchObject({ SqsManagedSseEnabled: true });
  for (const logGroup of resources(template, 'AWS::Logs::LogGroup')) expect(logGroup.Properties.KmsKeyId).toBeUndefined();
});

describe('fips', () => {
  const environments = (context: Record<string, unknown>) =>
    resources(synthTemplate({ context: { ...NO_BUNDLING, controls: 'ECS.12,ECS.20', ...context } }), 'AWS::Lambda::Function').map((fn) => fn.Properties.Environment?.Variables);

  test('-c fips=true makes every function use FIPS endpoints', () => {
    expect(environments({ fips: 'true' })).toEqual([{ AWS_USE_FIPS_ENDPOINT: 'true' }, { AWS_USE_FIPS_ENDPOINT: 'true' }]);
  });

  test('off by default', () => {
    expect(environments({})).toEqual([undefined, undefined]);
  });
});
