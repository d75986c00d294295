/**
 * The failed-invocations queue holds whole Config events (environment values included): only the
 * redrive role may receive its records, the role may do exactly what the redrive command calls, and
 * with the fleet's key the records are encrypted with it. Template-only, so esbuild is skipped.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { NO_BUNDLING, synthTemplate } from './fleet';
import { CfnResource, onlyResourceOfType, resourcesOfType } from './template-json';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function queueParts(template: Template) {
  const [[queueId, queue]] = resourcesOfType(template, 'AWS::SQS::Queue');
  const queueStatements = onlyResourceOfType(template, 'AWS::SQS::QueuePolicy').Properties.PolicyDocument.Statement as Record<string, any>[];
  const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
  const [roleOutput] = Object.entries(outputs).filter(([name]) => name.includes('RedriveRoleArn'));
  const roleId = (roleOutput[1].Value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const role = template.toJSON().Resources[roleId] as CfnResource;
  const roleStatements = resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => policy.Properties.Roles.some((attached: { Ref: string }) => attached.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Record<string, any>[]);
  return { queueId, queue, queueStatements, roleId, role, roleStatements };
}

describe('without a key', () => {
  const { queueId, queue, queueStatements, roleId, role, roleStatements } = queueParts(synthTemplate({ context: { ...NO_BUNDLING, controls: 'ECS.12' } }));

  test('every principal but the redrive role is denied receiving records, administrators and services included', () => {
    expect(queueStatements).toContainEqual({
      Sid: 'OnlyTheRedriveRoleReceives',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'sqs:ReceiveMessage',
      Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [roleId, 'Arn'] } } },
    });
    // Nothing in the queue policy allows anything: senders and the role get their rights from their own policies.
    expect(queueStatements.filter((statement) => statement.Effect === 'Allow')).toEqual([]);
  });

  test('the redrive role may receive and delete records of this queue and start evaluations of this account\'s rules, nothing else', () => {
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } } },
    ]);
    expect(roleStatements).toEqual([
      { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      {
        Effect: 'Allow',
        Action: 'config:StartConfigRulesEvaluation',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':config:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':config-rule/*']] },
      },
    ]);
  });

  test('records are kept 7 days under SQS-managed encryption', () => {
    expect(queue.Properties).toMatchObject({ MessageRetentionPeriod: 7 * 24 * 3600, SqsManagedSseEnabled: true });
  });
});

test("with the fleet's key: records are encrypted with it and the redrive role may decrypt them", () => {
  const { queue, roleStatements } = queueParts(synthTemplate({ context: { ...NO_BUNDLING, controls: 'ECS.12', kmsKeyArn: KEY_ARN } }));

  expect(queue.Properties.KmsMasterKeyId).toBe(KEY_ARN);
  expect(roleStatements).toContainEqual({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN });
});
