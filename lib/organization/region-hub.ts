/**
 * What the central account holds in each target Region besides the code bucket (code-bucket.ts):
 * the CloudWatch observability sink the members link to, and the alarm on failed evaluations in any
 * account of that Region. The sink's policy names the organization, never an account, so it does not
 * grow with it.
 */
import { CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as oam from 'aws-cdk-lib/aws-oam';
import { Construct } from 'constructs';
import { failedInvocationsQueueName } from '../rule-fleet';

/** The stack parameter asking for the organization id when it is not given at synth. */
export const ORGANIZATION_ID_PARAMETER = 'OrganizationId';

/** What cross-account observability shares: metrics only (https://docs.aws.amazon.com/OAM/latest/APIReference/API_CreateLink.html). */
export const SHARED_RESOURCE_TYPES = ['AWS::CloudWatch::Metric'];

export interface RegionHubProps {
  /** `o-…`, or the `OrganizationId` parameter's value. */
  readonly organizationId: string;
  readonly namePrefix: string;
}

/**
 * A Metrics Insights query over every linked account's failed-invocations queue: one metric per
 * account, so it stays complete up to Metrics Insights' 10,000 metrics per query
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-limits.html).
 */
export function failedEvaluationsQuery(namePrefix: string, groupByAccount = false): string {
  const query = `SELECT MAX(ApproximateNumberOfMessagesVisible) FROM SCHEMA("AWS/SQS", QueueName) WHERE QueueName = '${failedInvocationsQueueName(namePrefix)}'`;
  return groupByAccount ? `${query} GROUP BY AWS.AccountId ORDER BY MAX() DESC LIMIT 20` : query;
}

/** The regional alarm's fixed name, so the home Region's dashboard can show every Region's alarm. */
export function failedEvaluationsAlarmName(namePrefix: string): string {
  return `${namePrefix}ecs-config-rules-failed-evaluations`;
}

export class RegionHub extends Construct {
  public readonly sink: oam.CfnSink;
  /** In alarm while any account of this Region has a failed evaluation waiting for its re-drive. */
  public readonly failedEvaluationsAlarm: cloudwatch.Alarm;

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: RegionHubProps): RegionHub {
    return new RegionHub(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: RegionHubProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.sink = new oam.CfnSink(this, 'Sink', {
      name: `${props.namePrefix}ecs-config-rules`,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: ['oam:CreateLink', 'oam:UpdateLink'],
            Resource: '*',
            // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Unified-Cross-Account-Setup.html
            Condition: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId }, 'ForAllValues:StringEquals': { 'oam:ResourceTypes': SHARED_RESOURCE_TYPES } },
          },
        ],
      },
    });
    this.failedEvaluationsAlarm = new cloudwatch.Alarm(this, 'FailedEvaluations', {
      alarmName: failedEvaluationsAlarmName(props.namePrefix),
      // In a monitoring account a Metrics Insights alarm watches the source accounts too
      // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-alarms.html).
      metric: new cloudwatch.MathExpression({ expression: failedEvaluationsQuery(props.namePrefix), usingMetrics: {}, period: Duration.minutes(5), label: 'Failed evaluations waiting' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Some account's rule invocations in ${Token.isUnresolved(stack.region) ? 'this Region' : stack.region} failed three times: their resources have no current result. The central dashboard names the account; run npx ecs-config-rules redrive there.`,
    });
  }
}

/** The organization id given at synth, or this stack's `OrganizationId` parameter (one per stack). */
export function organizationIdIn(stack: Stack, given: string | undefined): string {
  if (given) return given;
  const existing = stack.node.tryFindChild(ORGANIZATION_ID_PARAMETER) as CfnParameter | undefined;
  const parameter =
    existing ??
    new CfnParameter(stack, ORGANIZATION_ID_PARAMETER, {
      type: 'String',
      allowedPattern: '^o-[a-z0-9]{10,32}$',
      description: 'Your AWS Organizations id (o-…): only its accounts may read the rule code and link to the observability sink',
    });
  return parameter.valueAsString;
}
