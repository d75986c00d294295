/**
 * Which events a rule function accepts: items of its own account and Region, of its rule's resource
 * type, and, for an oversized notification, only the item the summary names. AWS Config invokes a
 * rule's function for its own account only (the function's resource policy allows Config with
 * `SourceAccount`), so anything else is a crafted or misrouted invocation: evaluating it could report
 * a foreign resource's verdict under this account's result token, or retire this account's revisions
 * of a family another account's item names. It is refused before any evaluation is written, and the
 * invocation fails so it is logged and reaches the failed-invocations queue, visible.
 *
 * The function's own account and Region come from the Lambda context's `invokedFunctionArn`
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html), never from the event, which is
 * what is being checked.
 */
import { Control } from '../core/control';
import { ConfigurationItem } from '../adapters/config-item';
import { ItemSummary } from './config-event';

export class RefusedEventError extends Error {
  constructor(message: string) {
    super(`refused: ${message}; nothing is evaluated`);
    this.name = 'RefusedEventError';
  }
}

/** Where this function runs, and the one resource type its rule evaluates. */
export interface FunctionScope {
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: string;
}

/** What an event says about the resource it is about: an item, or an oversized notification's summary. */
type Origin = Pick<ConfigurationItem, 'resourceType' | 'resourceId' | 'accountId' | 'region'> & { readonly arn?: string };

/** `arn:<partition>:lambda:<Region>:<account>:function:<name>[:<qualifier>]`. */
const FUNCTION_ARN = /^arn:[a-z-]+:lambda:([a-z0-9-]+):(\d{12}):function:/;

/** The scope from the invocation; without a function ARN there is nothing trustworthy to compare with. */
export function functionScopeOf(control: Control, invokedFunctionArn: string | undefined): FunctionScope {
  const match = FUNCTION_ARN.exec(invokedFunctionArn ?? '');
  if (!match) {
    throw new RefusedEventError(`cannot tell this function's own account and Region: the invocation's invokedFunctionArn is ${JSON.stringify(invokedFunctionArn) ?? 'missing'}`);
  }
  return { region: match[1], accountId: match[2], resourceType: control.resourceType };
}

/** Refuses an item or summary of another account, Region or resource type, or one that does not say whose it is. */
export function refuseUnlessOwn(scope: FunctionScope, origin: Origin, what: string): void {
  const about = `${what} of ${origin.resourceType} ${origin.resourceId}`;
  if (origin.resourceType !== scope.resourceType) throw new RefusedEventError(`${about}: this rule evaluates ${scope.resourceType} only`);
  if (origin.accountId !== scope.accountId) throw new RefusedEventError(`${about} is in account ${origin.accountId ?? '(none given)'}, this function's is ${scope.accountId}`);
  if (origin.region !== scope.region) throw new RefusedEventError(`${about} is in Region ${origin.region ?? '(none given)'}, this function's is ${scope.region}`);
  const [, , , arnRegion, arnAccount] = origin.arn?.split(':') ?? [];
  if (origin.arn !== undefined && (arnRegion !== scope.region || arnAccount !== scope.accountId)) {
    throw new RefusedEventError(`${about} has the ARN ${origin.arn}, not one of account ${scope.accountId} in ${scope.region}`);
  }
}

/**
 * Refuses a history item that is not the one an oversized notification's summary names: the same
 * resource, account and Region, captured at the same time (the history is asked for the item at that
 * time, as AWS's own sample rule does:
 * https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_nodejs-sample.html).
 */
export function refuseUnlessNamed(summary: ItemSummary, item: ConfigurationItem): void {
  const named = `the item the summary names (${summary.resourceType} ${summary.resourceId})`;
  const differences = [
    ['resourceType', summary.resourceType, item.resourceType],
    ['resourceId', summary.resourceId, item.resourceId],
    ['account', summary.accountId, item.accountId],
    ['Region', summary.region, item.region],
    ['capture time', summary.captureTime.toISOString(), item.captureTime.toISOString()],
  ].filter(([, expected, actual]) => expected !== actual);
  if (differences.length > 0) {
    const listed = differences.map(([field, expected, actual]) => `${field} ${actual ?? '(none)'}, not ${expected ?? '(none)'}`).join('; ');
    throw new RefusedEventError(`GetResourceConfigHistory returned an item that is not ${named}: ${listed}`);
  }
}
