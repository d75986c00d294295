/**
 * The fleet's own health: a CloudWatch dashboard of evaluations per control by compliance type (the
 * embedded-metric-format records the handler logs) and of each function's errors, throttles and
 * duration, with an alarm on each function's errors. A failed invocation reports nothing, so an
 * error alarm is the signal that results are missing, never that something is non-compliant.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Compliance } from '../lambdas/core/control';
import { ControlSummary } from './control-rule';
import { METRIC_NAMESPACE } from '../lambdas/runtime/metric-namespace';

export interface MonitoredRule {
  readonly control: ControlSummary;
  readonly function: lambda.IFunction;
}

export interface FleetDashboardProps {
  readonly rules: readonly MonitoredRule[];
  readonly namePrefix: string;
}

export const COMPLIANCE_TYPES: readonly Compliance[] = ['NON_COMPLIANT', 'COMPLIANT', 'NOT_APPLICABLE'];
const PERIOD = Duration.minutes(5);

/** `Evaluations` of one control with one compliance type, as `evaluationMetric` (lambdas/runtime/log.ts) emits it. */
export function evaluationsMetric(control: ControlSummary, complianceType: Compliance): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName: 'Evaluations',
    dimensionsMap: { Control: control.id, ComplianceType: complianceType },
    statistic: cloudwatch.Stats.SUM,
    period: PERIOD,
    label: control.id,
  });
}

export class FleetDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  /** One per function: any error in five minutes means some resources were not evaluated. */
  public readonly errorAlarms: cloudwatch.Alarm[];

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: FleetDashboardProps): FleetDashboard {
    return new FleetDashboard(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: FleetDashboardProps) {
    super(scope, id);
    this.errorAlarms = props.rules.map(
      (rule) =>
        new cloudwatch.Alarm(this, `${rule.control.id}Errors`, {
          metric: rule.function.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription: `The ${rule.control.id} rule function failed: the resources it was invoked for have no new result until it succeeds. Its log group names the reason.`,
        }),
    );
    const perFunction = (title: string, metric: (fn: lambda.IFunction, options: cloudwatch.MetricOptions) => cloudwatch.IMetric, statistic: string) =>
      new cloudwatch.GraphWidget({ title, width: 8, left: props.rules.map((rule) => metric(rule.function, { period: PERIOD, label: rule.control.id, statistic })) });
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: `${props.namePrefix}EcsConfigRules-${Aws.REGION}`,
      widgets: [
        COMPLIANCE_TYPES.map(
          (complianceType) =>
            new cloudwatch.GraphWidget({
              title: `Evaluations ${complianceType} by control`,
              width: 8,
              stacked: true,
              left: props.rules.map((rule) => evaluationsMetric(rule.control, complianceType)),
            }),
        ),
        [
          perFunction('Errors by control', (fn, options) => fn.metricErrors(options), cloudwatch.Stats.SUM),
          perFunction('Throttles by control', (fn, options) => fn.metricThrottles(options), cloudwatch.Stats.SUM),
          perFunction('Duration p99 by control', (fn, options) => fn.metricDuration(options), cloudwatch.Stats.p(99)),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Rule function errors', width: 24, alarms: [...this.errorAlarms] })],
      ],
    });
  }
}
