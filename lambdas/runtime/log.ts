/**
 * Structured logs: one JSON object per line on stdout, which Lambda ships to CloudWatch Logs as is,
 * so Logs Insights can filter on `control`, `verdict` or `level` without parsing text.
 */
export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level, message, ...fields, timestamp: new Date().toISOString() })}\n`);
}

/** An error as log fields: its name, message and the message of its cause, if any. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return { errorName: error.name, error: error.message, ...(cause ? { cause } : {}) };
}

/** The CloudWatch namespace of the fleet's own metrics (dashboards and alarms read it). */
export const METRIC_NAMESPACE = 'EcsConfigRules';

/**
 * Fields that make an evaluation log line also a CloudWatch metric, `Evaluations` by `Control` and
 * `ComplianceType`, in the embedded metric format: CloudWatch Logs extracts it, no API call is made
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 */
export function evaluationMetric(control: string, complianceType: string): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [['Control', 'ComplianceType']], Metrics: [{ Name: 'Evaluations', Unit: 'Count' }] }],
    },
    Control: control,
    ComplianceType: complianceType,
    Evaluations: 1,
  };
}
