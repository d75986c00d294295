/**
 * The central account's view of every account: per target Region, the failed evaluations waiting,
 * the rule functions' errors and the NON_COMPLIANT evaluations, each by account (CloudWatch
 * cross-account observability: the members link their metrics to this account's sink in that
 * Region), and every Region's failed-evaluations alarm.
 *
 * Metrics Insights processes at most 10,000 metrics per query and returns at most 500 series
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-limits.html),
 * so each graph is a top-20 by account over a query that touches few metrics per account; the
 * limits are spelled out in docs/organization.md.
 */
import { Aws, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { Control } from '../../lambdas/core/control';
import { METRIC_NAMESPACE } from '../../lambdas/runtime/metric-namespace';
import { fleetFunctionName } from '../rule-fleet';
import { failedEvaluationsAlarmName, failedEvaluationsQuery } from './region-hub';

const PERIOD = Duration.minutes(5);
const TOP = 'GROUP BY AWS.AccountId ORDER BY SUM() DESC LIMIT 20';

export interface CentralDashboardProps {
  readonly controls: readonly Control[];
  readonly namePrefix: string;
  /** The target Regions: concrete names, or the stack's `AWS::Region` token. */
  readonly regions: readonly string[];
}

/** Errors of one control's function in every linked account: one metric per account. */
export function functionErrorsQuery(namePrefix: string, control: Control): string {
  return `SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = '${fleetFunctionName(namePrefix, control)}' ${TOP}`;
}

/** NON_COMPLIANT evaluations in every linked account: one metric per control and account. */
export const NON_COMPLIANT_QUERY = `SELECT SUM(Evaluations) FROM SCHEMA(${METRIC_NAMESPACE}, ComplianceType, Control) WHERE ComplianceType = 'NON_COMPLIANT' ${TOP}`;

export class CentralDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: CentralDashboardProps): CentralDashboard {
    return new CentralDashboard(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: CentralDashboardProps) {
    super(scope, id);
    // `${LABEL}` is each series' own label: with GROUP BY AWS.AccountId, the account
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/graph-dynamic-labels.html).
    const query = (expression: string, label = '${LABEL}') => new cloudwatch.MathExpression({ expression, usingMetrics: {}, period: PERIOD, label });
    const rows = props.regions.map((region) => {
      const where = Token.isUnresolved(region) ? {} : { region };
      const titled = (title: string) => (Token.isUnresolved(region) ? title : `${title} (${region})`);
      return [
        new cloudwatch.GraphWidget({ ...where, title: titled('Failed evaluations waiting, by account'), width: 8, left: [query(failedEvaluationsQuery(props.namePrefix, true))] }),
        new cloudwatch.GraphWidget({
          ...where,
          title: titled('Rule function errors by control and account'),
          width: 8,
          left: props.controls.map((control) => query(functionErrorsQuery(props.namePrefix, control), `${control.id} \${LABEL}`)),
        }),
        new cloudwatch.GraphWidget({ ...where, title: titled('NON_COMPLIANT evaluations by account'), width: 8, stacked: true, left: [query(NON_COMPLIANT_QUERY)] }),
      ];
    });
    const alarms = props.regions.map((region) =>
      cloudwatch.Alarm.fromAlarmArn(this, `FailedEvaluations-${Token.isUnresolved(region) ? 'Home' : region}`, `arn:${Aws.PARTITION}:cloudwatch:${region}:${Aws.ACCOUNT_ID}:alarm:${failedEvaluationsAlarmName(props.namePrefix)}`),
    );
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: `${props.namePrefix}EcsConfigRules-Organization`,
      widgets: [...rows, [new cloudwatch.AlarmStatusWidget({ title: 'Failed evaluations, by Region', width: 24, alarms })]],
    });
  }
}
