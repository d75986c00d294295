/**
 * Structured logs and metrics with Powertools for AWS Lambda: one JSON object per line, which Logs
 * Insights filters on without parsing text. Every line carries the Lambda request id and cold start
 * flag (`addContext`), and the level comes from the environment (`POWERTOOLS_LOG_LEVEL`, or the
 * function's application log level, `AWS_LAMBDA_LOG_LEVEL`:
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/logger/). One logger and one
 * metrics instance per container.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMESPACE } from './metric-namespace';

const SERVICE_NAME = 'ecs-config-rules';

export const logger = new Logger({ serviceName: SERVICE_NAME });

const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE_NAME });
// Powertools adds a `service` dimension to every metric by default; the dashboard and alarms read
// `Evaluations` by exactly (Control, ComplianceType), so the default is removed.
metrics.clearDefaultDimensions();

/** An error as log fields: its name, message and the message of its cause, if any. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return { errorName: error.name, error: error.message, ...(cause ? { cause } : {}) };
}

function stageEvaluations(control: string, complianceType: string, count: number): void {
  metrics.addDimensions({ Control: control, ComplianceType: complianceType });
  metrics.addMetric('Evaluations', MetricUnit.Count, count);
}

/**
 * The `Evaluations` record in the embedded metric format, as `publishEvaluations` writes it: CloudWatch
 * Logs extracts the metric from the log line, no API call is made
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 */
export function evaluationMetric(control: string, complianceType: string, count = 1): Record<string, unknown> {
  stageEvaluations(control, complianceType, count);
  const record = metrics.serializeMetrics();
  metrics.clearMetrics();
  metrics.clearDimensions();
  return record as unknown as Record<string, unknown>;
}

/** Writes one `Evaluations` record per compliance type: how many results of that type this control reported. */
export function publishEvaluations(control: string, complianceTypes: readonly string[]): void {
  const counts = new Map<string, number>();
  for (const complianceType of complianceTypes) counts.set(complianceType, (counts.get(complianceType) ?? 0) + 1);
  for (const [complianceType, count] of counts) {
    stageEvaluations(control, complianceType, count);
    metrics.publishStoredMetrics();
  }
}
