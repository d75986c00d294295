/**
 * Nothing is lost when a rule invocation fails. AWS Config invokes the rule functions
 * asynchronously; Lambda retries a failed invocation twice, then sends an invocation record (the
 * Config event, the error) to this queue
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html). An alarm
 * fires while the queue holds anything; `ecs-config-rules redrive` asks AWS Config to evaluate those
 * rules again and deletes each record only once that request succeeded.
 *
 * A record is Lambda's, not ours: it holds the whole Config event (`requestPayload`), task
 * definitions' environment values included, and Lambda offers no way to trim it short of a relay
 * function between the two, which would be one more thing that can fail on the path of last resort.
 * So the records are protected instead of trimmed: encrypted with the fleet's key whenever one is
 * given, and readable by one role only, the redrive role (`redriveRole`).
 */
import { Aws, CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface FailedInvocationsProps {
  /** A customer-managed key for the queue; SQS-managed encryption otherwise. */
  readonly encryptionKey?: kms.IKey;
  /**
   * A fixed queue name: in organization mode the central alarm finds every account's queue by it.
   *
   * @default - CloudFormation names it
   */
  readonly queueName?: string;
}

/**
 * How long a record waits for its re-drive. A record holds the whole Config event, task definitions'
 * environment values included, so it is kept no longer than an operator needs to act (and only the
 * redrive role can read it meanwhile): the alarm fires within 5 minutes, and a week covers a weekend
 * and the time to fix the cause (a permission, a quota) before running the redrive. The redrive needs only the rule's name from a record (AWS
 * Config sends fresh events), so nothing is lost by not keeping events longer; a record that expires
 * unredriven leaves its resources on their previous result until their next change or periodic sweep.
 */
export const RECORD_RETENTION = Duration.days(7);

export class FailedInvocations extends Construct {
  /** The on-failure destination of every rule function. */
  public readonly queue: sqs.Queue;
  /** In alarm while any record waits: some resources have no current result until it is re-driven. */
  public readonly alarm: cloudwatch.Alarm;
  /**
   * The only principal that may receive (and so read and delete) the queue's records: the role to run
   * `ecs-config-rules redrive` with. Principals of this account whose own policies allow
   * `sts:AssumeRole` on it may assume it.
   */
  public readonly redriveRole: iam.Role;

  private readonly encryptionKey: kms.IKey | undefined;

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: FailedInvocationsProps = {}): FailedInvocations {
    return new FailedInvocations(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: FailedInvocationsProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName,
      // Without a customer-managed key, SQS-managed keys: encrypted at rest with no key policy to keep in step with the functions' roles.
      ...(props.encryptionKey ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey } : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
      enforceSSL: true,
      retentionPeriod: RECORD_RETENTION,
      // While the redrive command works on a record, nobody else sees it.
      visibilityTimeout: Duration.minutes(5),
    });
    const lastResort = 'This queue is itself the destination of last resort for failed rule invocations: records leave it only through the redrive command, which deletes one after AWS Config accepted the re-evaluation; one that cannot be re-driven stays visible and keeps the alarm on.';
    Validations.of(this.queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: lastResort });
    Validations.of(this.queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: lastResort });

    this.redriveRole = this.readableOnlyByRedriveRole();

    this.alarm = new cloudwatch.Alarm(this, 'NotEmpty', {
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'Rule invocations failed three times and wait in the failed-invocations queue: those resources have no current result. Fix the cause (the function logs name it), then, as the redrive role (<FailedInvocationsRedriveRoleArn>), run: npx ecs-config-rules redrive --queue-url <FailedInvocationsQueueUrl>',
    });
    new CfnOutput(this, 'QueueUrl', {
      description: 'Failed rule invocations, for `npx ecs-config-rules redrive --queue-url`',
      value: this.queue.queueUrl,
    });
    new CfnOutput(this, 'RedriveRoleArn', {
      description: 'The only role that may read the failed-invocations queue: run `npx ecs-config-rules redrive` as this role (a profile with role_arn)',
      value: this.redriveRole.roleArn,
    });
  }

  /**
   * The redrive role, with exactly what `lambdas/runtime/redrive.ts` calls, and a queue policy that
   * denies `sqs:ReceiveMessage` to every other principal, administrators included: without receiving
   * a record nobody reads it (deleting one needs the receipt handle a receive returns). An explicit
   * deny in the queue policy wins over any identity policy
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
   * for a role session, `aws:PrincipalArn` is the role's ARN
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
   */
  private readableOnlyByRedriveRole(): iam.Role {
    const role = new iam.Role(this, 'RedriveRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Reads and deletes failed rule invocation records while asking AWS Config to evaluate their rules again (ecs-config-rules redrive)',
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], resources: [this.queue.queueArn] }));
    // A rule's ARN ends in an id AWS Config generates (config-rule/config-rule-a1b2c3), not its name.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['config:StartConfigRulesEvaluation'], resources: [`arn:${Aws.PARTITION}:config:${Aws.REGION}:${Aws.ACCOUNT_ID}:config-rule/*`] }));
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]`,
      reason: "StartConfigRulesEvaluation for this account's and Region's rules: a rule's ARN ends in an id AWS Config generates, so the records' rules cannot be listed in advance.",
    });
    if (this.encryptionKey) role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [this.encryptionKey.keyArn] }));
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheRedriveRoleReceives',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sqs:ReceiveMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn } },
      }),
    );
    return role;
  }

  /**
   * The on-failure destination of a function. Lambda needs only `sqs:SendMessage` on the queue
   * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html), where
   * `SqsDestination` would also grant GetQueueAttributes and GetQueueUrl; with a customer-managed key,
   * a sender also needs `kms:GenerateDataKey` and `kms:Decrypt` on it
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
   */
  public destination(): lambda.IDestination {
    const queueArn = this.queue.queueArn;
    const key = this.encryptionKey;
    return {
      bind(_scope, fn) {
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queueArn] }));
        if (key) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }));
        return { destination: queueArn };
      },
    };
  }
}
