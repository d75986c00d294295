/**
 * Re-drives failed rule invocations. Lambda sends an asynchronous invocation that failed every attempt
 * to the fleet's failed-invocations queue as an invocation record: the Config event (`requestPayload`)
 * and the error (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
 * A record's result token is single-use and may have expired, so the event is not replayed: AWS Config
 * is asked to evaluate the record's rule again (StartConfigRulesEvaluation), which sends fresh events
 * for the rule's resources, and each record is deleted only once that request succeeded.
 * A record that cannot be re-driven (unreadable, a rule of another account, an API error) stays on the
 * queue, visible again after the visibility timeout, and keeps the queue's alarm on.
 *
 * Runs on an operator's machine (`ecs-config-rules redrive`), with the AWS SDK's credential chain.
 */
import { ConfigServiceClient, StartConfigRulesEvaluationCommand } from '@aws-sdk/client-config-service';
import { DeleteMessageBatchCommand, Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { isJsonObject } from '../adapters/reader';

/** SQS hands out at most 10 messages a call and deletes at most 10 a batch (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html). */
const SQS_BATCH = 10;
/** How long received records stay invisible to others while they are re-driven. */
const VISIBILITY_TIMEOUT_S = 300;

export interface RedriveClients {
  readonly sqs: SQSClient;
  readonly config: ConfigServiceClient;
}

export interface RedriveOptions {
  readonly queueUrl: string;
  /** Stops receiving after this many records (a run works on a bounded batch). */
  readonly maxMessages: number;
}

/** What one failed invocation was about, from its record. */
export interface FailedInvocation {
  readonly configRuleName: string;
  /** The account whose rule it was (organization mode: a member account). */
  readonly accountId: string | undefined;
  readonly messageType: string;
  /** `type id` of the resource, for change notifications. */
  readonly resource: string | undefined;
  /** Why the function failed, as Lambda recorded it. */
  readonly error: string | undefined;
}

export interface RuleOutcome {
  readonly configRuleName: string;
  readonly invocations: readonly FailedInvocation[];
  /** Undefined when AWS Config accepted the re-evaluation and the records were deleted. */
  readonly error?: string;
}

export interface RedriveReport {
  readonly received: number;
  readonly rules: readonly RuleOutcome[];
  /** Records that are not Lambda invocation records of a Config rule event: left on the queue. */
  readonly unrecognized: readonly { readonly messageId: string; readonly reason: string }[];
  readonly deleted: number;
  /** Records whose re-evaluation succeeded but whose deletion failed: re-driven again next time. */
  readonly notDeleted: readonly string[];
}

export async function redrive(clients: RedriveClients, options: RedriveOptions): Promise<RedriveReport> {
  const messages = await receiveAll(clients.sqs, options);
  const byRule = new Map<string, { invocation: FailedInvocation; message: Message }[]>();
  const unrecognized: RedriveReport['unrecognized'][number][] = [];
  for (const message of messages) {
    const parsed = failedInvocationOf(message.Body);
    if (typeof parsed === 'string') {
      unrecognized.push({ messageId: message.MessageId ?? '(no id)', reason: parsed });
      continue;
    }
    if (!byRule.has(parsed.configRuleName)) byRule.set(parsed.configRuleName, []);
    byRule.get(parsed.configRuleName)?.push({ invocation: parsed, message });
  }

  const rules: RuleOutcome[] = [];
  const redriven: Message[] = [];
  // One rule a call: a rule AWS Config does not know (another account's) fails only its own records.
  for (const [configRuleName, records] of byRule) {
    const invocations = records.map((record) => record.invocation);
    try {
      await clients.config.send(new StartConfigRulesEvaluationCommand({ ConfigRuleNames: [configRuleName] }));
      redriven.push(...records.map((record) => record.message));
      rules.push({ configRuleName, invocations });
    } catch (error) {
      rules.push({ configRuleName, invocations, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  const notDeleted = await deleteAll(clients.sqs, options.queueUrl, redriven);
  return { received: messages.length, rules, unrecognized, deleted: redriven.length - notDeleted.length, notDeleted };
}

async function receiveAll(sqs: SQSClient, options: RedriveOptions): Promise<Message[]> {
  const messages: Message[] = [];
  while (messages.length < options.maxMessages) {
    const reply = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(SQS_BATCH, options.maxMessages - messages.length),
        VisibilityTimeout: VISIBILITY_TIMEOUT_S,
        // Long polling asks every SQS server, so an empty reply means no record is left to receive.
        WaitTimeSeconds: 1,
      }),
    );
    if (!reply.Messages?.length) break;
    messages.push(...reply.Messages);
  }
  return messages;
}

/** Deletes the messages in batches; returns the ids SQS did not delete. */
async function deleteAll(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<string[]> {
  const notDeleted: string[] = [];
  for (let start = 0; start < messages.length; start += SQS_BATCH) {
    const batch = messages.slice(start, start + SQS_BATCH);
    const reply = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })) }),
    );
    notDeleted.push(...(reply.Failed ?? []).map((failure) => batch[Number(failure.Id)]?.MessageId ?? String(failure.Id)));
  }
  return notDeleted;
}

/** The failed invocation a record describes, or why it is not one. */
export function failedInvocationOf(body: string | undefined): FailedInvocation | string {
  let record: unknown;
  try {
    record = JSON.parse(body ?? '');
  } catch {
    return 'the body is not JSON';
  }
  const payload = isJsonObject(record) ? record.requestPayload : undefined;
  if (!isJsonObject(payload)) return 'no requestPayload: not a Lambda invocation record';
  if (typeof payload.configRuleName !== 'string' || payload.configRuleName === '') return 'the event names no configRuleName: not an AWS Config rule event';
  let invokingEvent: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(String(payload.invokingEvent));
    if (isJsonObject(parsed)) invokingEvent = parsed;
  } catch {
    // The rule is what is re-driven; an unreadable invokingEvent only leaves the resource unnamed.
  }
  const item = isJsonObject(invokingEvent.configurationItem) ? invokingEvent.configurationItem : isJsonObject(invokingEvent.configurationItemSummary) ? invokingEvent.configurationItemSummary : undefined;
  const responsePayload = isJsonObject(record) && isJsonObject(record.responsePayload) ? record.responsePayload : undefined;
  return {
    configRuleName: payload.configRuleName,
    accountId: typeof payload.accountId === 'string' ? payload.accountId : undefined,
    messageType: typeof invokingEvent.messageType === 'string' ? invokingEvent.messageType : 'unknown',
    resource: item ? `${String(item.resourceType)} ${String(item.resourceId)}` : undefined,
    error: responsePayload ? `${String(responsePayload.errorType ?? 'Error')}: ${String(responsePayload.errorMessage ?? '')}` : undefined,
  };
}

/** The report as the command prints it. */
export function formatRedriveReport(report: RedriveReport): string {
  const lines = [`Received ${report.received} failed invocation record(s).`];
  for (const rule of report.rules) {
    const accounts = [...new Set(rule.invocations.map((invocation) => invocation.accountId).filter(Boolean))];
    const head = `${rule.configRuleName}${accounts.length ? ` (account ${accounts.join(', ')})` : ''}: ${rule.invocations.length} record(s)`;
    lines.push(rule.error ? `  ✗ ${head} kept: ${rule.error}` : `  ✓ ${head}, re-evaluation started, deleted`);
    for (const invocation of rule.invocations.slice(0, 5)) {
      lines.push(`      ${invocation.resource ?? invocation.messageType}${invocation.error ? ` (failed with ${invocation.error})` : ''}`);
    }
    if (rule.invocations.length > 5) lines.push(`      … and ${rule.invocations.length - 5} more`);
  }
  for (const record of report.unrecognized) lines.push(`  ? message ${record.messageId} kept: ${record.reason}`);
  if (report.notDeleted.length > 0) lines.push(`  ! ${report.notDeleted.length} re-driven record(s) could not be deleted and will be re-driven again: ${report.notDeleted.join(', ')}`);
  lines.push(`Deleted ${report.deleted}; kept ${report.received - report.deleted}.`);
  return lines.join('\n');
}

export interface RedriveCommandOptions {
  readonly queueUrl: string;
  readonly region?: string;
  readonly profile?: string;
  readonly maxMessages: string;
}

/**
 * `ecs-config-rules redrive`: exit 0 when every record was re-driven, 1 when some stay on the queue,
 * 2 for a bad option or when the queue cannot be read.
 */
export async function runRedriveCommand(options: RedriveCommandOptions, io: { readonly stdout: NodeJS.WritableStream; readonly stderr: NodeJS.WritableStream }): Promise<number> {
  const maxMessages = Number(options.maxMessages);
  if (!Number.isInteger(maxMessages) || maxMessages < 1) {
    io.stderr.write(`--max-messages must be a positive whole number, got ${JSON.stringify(options.maxMessages)}\n`);
    return 2;
  }
  const clientConfig = { ...(options.region && { region: options.region }), ...(options.profile && { profile: options.profile }) };
  try {
    const report = await redrive({ sqs: new SQSClient(clientConfig), config: new ConfigServiceClient(clientConfig) }, { queueUrl: options.queueUrl, maxMessages });
    io.stdout.write(`${formatRedriveReport(report)}\n`);
    return report.deleted === report.received ? 0 : 1;
  } catch (error) {
    io.stderr.write(`Could not re-drive from ${options.queueUrl}: ${(error as Error).name}: ${(error as Error).message}\n`);
    return 2;
  }
}
