/**
 * Periodic mode: on a `ScheduledNotification` (the rule's `MaximumExecutionFrequency`) the rule
 * re-evaluates its whole scope and retires stale results, so a dashboard never keeps a result for a
 * resource that no longer exists or was superseded, even when a change notification was lost.
 *
 * The inventory comes from AWS Config itself (ListDiscoveredResources, then BatchGetResourceConfig),
 * not from ECS listings: its resource ids are exactly the ones results are recorded under (an id is
 * never invented here), its items go through the same adapter and the same decisions as change
 * notifications (so both paths give the same verdict), and one pair of calls covers all five
 * resource types. ECS is asked only what it alone knows: the latest ACTIVE revision of each family,
 * from one ListTaskDefinitions listing of the account instead of one listing per family.
 * A periodic evaluation has no configuration item: its results are ordered by the notification time.
 */
import { Control, notApplicable } from '../core/control';
import { Unreadable } from '../core/model';
import { ConfigurationItem, configurationItemFromHistory } from '../adapters/config-item';
import { isJsonObject } from '../adapters/reader';
import { ResourceKey, RuleApis, TaskDefinitionRevision } from './aws-apis';
import { ScheduledEvent } from './config-event';
import { CouldNotEvaluateError, decide, Decision, deliver, LogContext } from './decisions';
import { errorFields, logger } from './log';

/** Thrown after the decidable results were reported, so the sweep fails loudly and is retried. */
export class ScopeNotFullyEvaluatedError extends Error {
  constructor(
    readonly failed: readonly string[],
    reported: number,
  ) {
    const shown = failed.slice(0, 10).join(', ') + (failed.length > 10 ? `, and ${failed.length - 10} more` : '');
    super(`${failed.length} resource(s) could not be evaluated (${shown}); their earlier results are kept, the other ${reported} result(s) were reported`);
    this.name = 'ScopeNotFullyEvaluatedError';
  }
}

interface Failure {
  readonly resourceId: string;
  readonly error: unknown;
}

/** BatchGetResourceConfig's limit per call (https://docs.aws.amazon.com/config/latest/APIReference/API_BatchGetResourceConfig.html). */
const ITEMS_PER_PAGE = 100;

const GONE = notApplicable('AWS Config no longer records this resource (deleted, or outside the recorder\'s scope): its earlier result is retired.');

export async function evaluateScope(control: Control, event: ScheduledEvent, apis: RuleApis, context: LogContext): Promise<void> {
  // Results first, inventory second: a resource created in between has no result yet, so a current
  // resource is never retired as gone.
  const withResults = await apis.listResultsOfRule(event.configRuleName);
  const resourceIds = await apis.listDiscoveredResourceIds(control.resourceType);

  const decisions: Decision[] = [];
  const failures: Failure[] = [];
  const sweepApis = sharedLookups(apis);
  // A page of items at a time: a large account's items would not all fit a small function's memory.
  for (let start = 0; start < resourceIds.length; start += ITEMS_PER_PAGE) {
    const page = resourceIds.slice(start, start + ITEMS_PER_PAGE);
    const { items, unprocessed } = await apis.getConfigurationItems(control.resourceType, page);
    failures.push(...unprocessed.map((resourceId) => ({ resourceId, error: new Error('BatchGetResourceConfig left it unprocessed') })));
    const returned = new Set<string>(unprocessed);
    for (const raw of items) {
      const resourceId = isJsonObject(raw) && typeof raw.resourceId === 'string' ? raw.resourceId : '(an item without a resourceId)';
      returned.add(resourceId);
      try {
        decisions.push(await decideCurrent(control, event, raw, sweepApis));
      } catch (error) {
        failures.push({ resourceId, error });
      }
    }
    // BatchGetResourceConfig returns nothing for a resource deleted since the listing.
    const deletedMeanwhile = page.filter((resourceId) => !returned.has(resourceId));
    decisions.push(...deletedMeanwhile.map((resourceId) => ({ resourceType: control.resourceType, resourceId, verdict: GONE })));
  }
  decisions.push(...retireGone(withResults, control, new Set(resourceIds)));

  for (const failure of failures) {
    logger.error('could not evaluate this resource; its earlier result is kept', { ...context, resourceType: control.resourceType, resourceId: failure.resourceId, ...errorFields(failure.error) });
  }
  await deliver(context, event.resultToken, decisions, event.notificationTime, apis);
  logger.info('periodic evaluation', { ...context, inScope: resourceIds.length, reported: decisions.length, failed: failures.length });
  if (failures.length > 0) throw new ScopeNotFullyEvaluatedError(failures.map((failure) => failure.resourceId), decisions.length);
}

/**
 * The decision about one current item, exactly as for a change notification. BatchGetResourceConfig
 * leaves tags out, so they are marked unreadable: a control that reads them (ECS.13–15) cannot decide
 * from the batch item, and the full item is fetched from the history, which has them.
 */
async function decideCurrent(control: Control, event: ScheduledEvent, raw: unknown, apis: RuleApis): Promise<Decision> {
  const batchItem = configurationItemFromHistory(raw);
  try {
    return await ownDecision(control, event, { ...batchItem, tags: new Unreadable('tags', 'BatchGetResourceConfig does not return tags') }, apis);
  } catch (error) {
    if (!(error instanceof CouldNotEvaluateError)) throw error;
    const fullItem = configurationItemFromHistory(await apis.getConfigurationItem(batchItem.resourceType, batchItem.resourceId));
    return ownDecision(control, event, fullItem, apis);
  }
}

/**
 * `decide` also retires the revisions an item supersedes; in a sweep every revision gets its own
 * decision, so only the item's own is kept.
 */
async function ownDecision(control: Control, event: ScheduledEvent, item: ConfigurationItem, apis: RuleApis): Promise<Decision> {
  const decisions = await decide(control, event, item, apis);
  const own = decisions.find((decision) => decision.resourceType === item.resourceType && decision.resourceId === item.resourceId);
  if (!own) throw new Error(`no decision about ${item.resourceType} ${item.resourceId}`);
  return own;
}

/**
 * Lookups shared by the whole sweep: one ListTaskDefinitions listing answers every family's latest
 * revision, and each task definition's OS family (ECS.10) is asked once however many services run it.
 */
function sharedLookups(apis: RuleApis): RuleApis {
  let activeRevisions: Promise<Map<string, TaskDefinitionRevision[]>> | undefined;
  const operatingSystemFamilies = new Map<string, Promise<string | undefined>>();
  return {
    ...apis,
    async listActiveRevisions(family) {
      return (await (activeRevisions ??= apis.listAllActiveRevisions())).get(family) ?? [];
    },
    taskDefinitionOperatingSystemFamily(taskDefinition) {
      if (!operatingSystemFamilies.has(taskDefinition)) operatingSystemFamilies.set(taskDefinition, apis.taskDefinitionOperatingSystemFamily(taskDefinition));
      return operatingSystemFamilies.get(taskDefinition) as Promise<string | undefined>;
    },
  };
}

/** NOT_APPLICABLE for every resource the rule holds a result for that AWS Config no longer lists. */
function retireGone(withResults: readonly ResourceKey[], control: Control, current: ReadonlySet<string>): Decision[] {
  return withResults
    .filter((key) => key.resourceType !== control.resourceType || !current.has(key.resourceId))
    .map((key) => ({ resourceType: key.resourceType, resourceId: key.resourceId, verdict: GONE }));
}
