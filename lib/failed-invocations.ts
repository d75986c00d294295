/**
 * Nothing is lost when a rule invocation fails. AWS Config invokes the rule functions
 * asynchronously; Lambda retries a failed invocation twice, then sends an invocation record (the
 * Config event, the error) to this queue
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html). An alarm
 * fires while the queue holds anything; `ecs-config-rules redrive` asks AWS Config to evaluate those
 * rules again and deletes each record only once that request succeeded.
 */
import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface FailedInvocationsProps {
  /** A customer-managed key for the queue; SQS-managed encryption otherwise. */
  readonly encryptionKey?: kms.IKey;
}

/**
 * How long a record waits for its re-drive. A record holds the whole Config event, task definitions'
 * environment values included, so it is kept no longer than an operator needs to act: the alarm
 * fires within 5 minutes, and a week covers a weekend and the time to fix the cause (a permission,
 * a quota) before running the redrive. The redrive needs only the rule's name from a record (AWS
 * Config sends fresh events), so nothing is lost by not keeping events longer; a record that expires
 * unredriven leaves its resources on their previous result until their next change or periodic sweep.
 */
export const RECORD_RETENTION = Duration.days(7);

export class FailedInvocations extends Construct {
  /** The on-failure destination of every rule function. */
  public readonly queue: sqs.Queue;
  /** In alarm while any record waits: some resources have no current result until it is re-driven. */
  public readonly alarm: cloudwatch.Alarm;

  private readonly encryptionKey: kms.IKey | undefined;

  constructor(scope: Construct, id: string, props: FailedInvocationsProps = {}) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.queue = new sqs.Queue(this, 'Queue', {
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

    this.alarm = new cloudwatch.Alarm(this, 'NotEmpty', {
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'Rule invocations failed three times and wait in the failed-invocations queue: those resources have no current result. Fix the cause (the function logs name it), then run: npx ecs-config-rules redrive --queue-url <FailedInvocationsQueueUrl>',
    });
    new CfnOutput(this, 'QueueUrl', {
      description: 'Failed rule invocations, for `npx ecs-config-rules redrive --queue-url`',
      value: this.queue.queueUrl,
    });
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
