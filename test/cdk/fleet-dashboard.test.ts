/**
 * The fleet dashboard and error alarms of account mode: the evaluations graphs read exactly the
 * metric the handler emits (lambdas/runtime/log.ts), and every function has its errors, throttles,
 * duration and an error alarm. Organization mode's central dashboard: test/cdk/organization.test.ts.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { CONTROLS } from '../../lambdas/controls';
import { evaluationMetric } from '../../lambdas/runtime/log';
import { METRIC_NAMESPACE } from '../../lambdas/runtime/metric-namespace';
import { EcsControlRulesProps } from '../../lib/ecs-control-rules';
import { COMPLIANCE_TYPES } from '../../lib/fleet-dashboard';
import { NO_BUNDLING, synthTemplate } from './fleet';
import { joinedJson, onlyResourceOfType, renderJoin, resourcesOfType } from './template-json';

type Widget = { type: string; properties: { title: string; metrics?: unknown[][]; stacked?: boolean; alarms?: string[] } };

/** A dashboard metric row `[namespace, name, dim1, value1, …, options]`, dimension order ignored (CloudWatch ignores it). */
function metricOf(row: unknown[]): { namespace: unknown; name: unknown; dimensions: Record<string, unknown>; options: unknown } {
  const [namespace, name, ...rest] = row;
  const options = rest.pop();
  const dimensions: Record<string, unknown> = {};
  for (let i = 0; i < rest.length; i += 2) dimensions[String(rest[i])] = rest[i + 1];
  return { namespace, name, dimensions, options };
}

function dashboardOf(template: Template): { name: string; widgets: Widget[] } {
  const dashboard = onlyResourceOfType(template, 'AWS::CloudWatch::Dashboard');
  return { name: renderJoin(dashboard.Properties.DashboardName), widgets: joinedJson(dashboard.Properties.DashboardBody).widgets };
}

const functionIds = (template: Template) => resourcesOfType(template, 'AWS::Lambda::Function').map(([logicalId]) => logicalId);
const widgetTitled = (widgets: Widget[], title: string) => widgets.find((widget) => widget.properties.title === title)!;

describe.each<[string, EcsControlRulesProps]>([
  ['account mode', {}],
])('%s', (_mode, props) => {
  const template = synthTemplate({ context: NO_BUNDLING, props });
  const { name, widgets } = dashboardOf(template);

  test('one dashboard per region, named after the fleet', () => {
    expect(name).toBe('EcsConfigRules-${AWS::Region}');
  });

  test.each(COMPLIANCE_TYPES)('graphs %s evaluations of every control from the metric the handler emits', (complianceType) => {
    const widget = widgetTitled(widgets, `Evaluations ${complianceType} by control`);
    expect(widget.properties.stacked).toBe(true);
    const emitted = CONTROLS.map((control) => {
      const { _aws: format, ...fields } = evaluationMetric(control.id, complianceType) as { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> } } & Record<string, unknown>;
      const [directive] = format.CloudWatchMetrics;
      const dimensions = Object.fromEntries(directive.Dimensions[0].map((dimension) => [dimension, fields[dimension]]));
      return { namespace: directive.Namespace, name: directive.Metrics[0].Name, dimensions, options: { label: control.id, stat: 'Sum' } };
    });
    expect(emitted[0].namespace).toBe(METRIC_NAMESPACE);
    expect(widget.properties.metrics!.map(metricOf)).toEqual(emitted);
  });

  test.each([
    ['Errors by control', 'Errors', 'Sum'],
    ['Throttles by control', 'Throttles', 'Sum'],
    ['Duration p99 by control', 'Duration', 'p99'],
  ])('%s: one line per function, labelled by its control', (title, metricName, stat) => {
    const widget = widgetTitled(widgets, title);
    expect(widget.properties.metrics).toEqual(
      functionIds(template).map((logicalId, index) => ['AWS/Lambda', metricName, 'FunctionName', `\${${logicalId}}`, { label: CONTROLS[index].id, stat }]),
    );
  });

  test('alarms on any error of any function, and shows the alarms', () => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(([, alarm]) => alarm.Properties.Namespace === 'AWS/Lambda');
    expect(alarms.map(([, alarm]) => alarm.Properties.Dimensions)).toEqual(functionIds(template).map((logicalId) => [{ Name: 'FunctionName', Value: { Ref: logicalId } }]));
    for (const [, alarm] of alarms) {
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    expect(widgetTitled(widgets, 'Rule function errors').properties.alarms).toEqual(alarms.map(([logicalId]) => `\${${logicalId}.Arn}`));
  });
});

test('the dashboard name carries the rule-name prefix', () => {
  expect(dashboardOf(synthTemplate({ context: NO_BUNDLING, props: { controls: ['ECS.2'], ruleNamePrefix: 'prod-' } })).name).toBe('prod-EcsConfigRules-${AWS::Region}');
});
