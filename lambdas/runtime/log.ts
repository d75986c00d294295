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
