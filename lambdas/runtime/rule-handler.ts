/**
 * The Lambda edge of one Config rule: parse the event, load the configuration item (inflating an
 * oversized one), adapt it to the model, evaluate the control, report with PutEvaluations.
 * It never reports a result it did not compute: when it cannot decide it logs and throws, so Lambda
 * retries and the failure is visible. It calls AWS only in its own account, with its own role, and
 * evaluates only items of that account, its Region and its rule's resource type (./event-acceptance).
 */
import type { Context } from 'aws-lambda';
import { Control } from '../core/control';
import { ConfigurationItem, configurationItemFromEvent, configurationItemFromHistory, isGone } from '../adapters/config-item';
import { apiActionsFor } from './api-actions';
import { createRuleApis, RuleApis } from './aws-apis';
import { createAwsClients, RetrySettings } from './aws-clients';
import { ItemEvent, parseConfigEvent } from './config-event';
import { decide, deliver, LogContext } from './decisions';
import { FunctionScope, functionScopeOf, RefusedEventError, refuseUnlessNamed, refuseUnlessOwn } from './event-acceptance';
import { errorFields, logger } from './log';
import { evaluateScope } from './periodic';

/**
 * An invocation stops this long before the function timeout: every call still running or waiting to
 * retry is aborted, and the failure is logged and thrown while Lambda still runs the function, instead
 * of the function being killed mid-call with nothing logged (docs/reliability.md).
 */
export const DEADLINE_MARGIN_MS = 5_000;

export class InvocationDeadlineError extends Error {
  constructor(options: { cause: unknown }) {
    super(`stopped ${DEADLINE_MARGIN_MS} ms before the function timeout: AWS calls were still running or retrying`, options);
    this.name = 'InvocationDeadlineError';
  }
}

export interface RuleHandlerOptions {
  /** Attempts and per-attempt timeouts of the SDK clients; tests of persistent faults pass fewer or shorter. */
  readonly retrySettings?: RetrySettings;
  /** Waits between FailedEvaluations re-sends; tests pass one that does not wait. */
  readonly backoff?: (attempt: number) => Promise<void>;
}

/** The part of the Lambda context the handler reads (all of it in Lambda; tests pass what they need). */
export type InvocationContext = Partial<Context>;

export function createRuleHandler(control: Control, options: RuleHandlerOptions = {}): (event: unknown, invocation?: InvocationContext) => Promise<void> {
  // Built when the handler module loads: one set of clients (and connections) per container.
  const clients = createAwsClients({ callsEcs: apiActionsFor(control, { periodic: true }).ecs.length > 0, settings: options.retrySettings });

  return async function handler(rawEvent: unknown, invocation?: InvocationContext): Promise<void> {
    if (invocation?.awsRequestId) logger.addContext(invocation as Context);
    const deadline = deadlineOf(invocation);
    const apis = createRuleApis(clients, { deadline, backoff: options.backoff });
    const context: LogContext = { control: control.id };
    try {
      const event = parseConfigEvent(rawEvent);
      Object.assign(context, { configRuleName: event.configRuleName, accountId: event.accountId });
      if (event.messageType === 'ScheduledNotification') return await evaluateScope(control, event, apis, context);
      const item = await loadConfigurationItem(event, functionScopeOf(control, invocation?.invokedFunctionArn), apis);
      Object.assign(context, { accountId: item.accountId ?? event.accountId, resourceType: item.resourceType, resourceId: item.resourceId });
      await deliver(context, event.resultToken, await decide(control, event, item, apis), item.captureTime, apis);
    } catch (error) {
      const failure = deadline?.aborted ? new InvocationDeadlineError({ cause: error }) : error;
      const message = failure instanceof RefusedEventError ? 'refused an event this rule function does not evaluate; nothing reported, the invocation fails' : 'could not evaluate; no undecided result reported, the invocation fails so it is retried';
      logger.error(message, { ...context, ...errorFields(failure) });
      throw failure;
    }
  };
}

/** Aborts `DEADLINE_MARGIN_MS` before the function timeout, when the invocation tells its remaining time. */
function deadlineOf(invocation: InvocationContext | undefined): AbortSignal | undefined {
  if (!invocation?.getRemainingTimeInMillis) return undefined;
  return AbortSignal.timeout(Math.max(0, invocation.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS));
}

/**
 * The item itself, or for an oversized notification the one GetResourceConfigHistory holds for the
 * summary's capture time; either only when it is this function's to evaluate (./event-acceptance).
 */
async function loadConfigurationItem(event: ItemEvent, scope: FunctionScope, apis: RuleApis): Promise<ConfigurationItem> {
  if (event.messageType === 'ConfigurationItemChangeNotification') {
    const item = configurationItemFromEvent(event.configurationItem);
    refuseUnlessOwn(scope, item, 'the configuration item');
    return item;
  }
  const { summary } = event;
  refuseUnlessOwn(scope, summary, 'the oversized notification');
  // A deleted resource has no configuration to fetch; the summary is enough to say NOT_APPLICABLE.
  if (isGone(summary)) return { ...summary, resourceName: undefined, arn: undefined, configuration: undefined, tags: {} };
  const item = configurationItemFromHistory(await apis.getConfigurationItem(summary.resourceType, summary.resourceId, summary.captureTime));
  refuseUnlessNamed(summary, item);
  refuseUnlessOwn(scope, item, 'the item from GetResourceConfigHistory');
  return item;
}
