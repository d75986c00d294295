/**
 * What a rule decides about one configuration item, and how decisions are reported: shared by the
 * change path (./rule-handler) and the periodic sweep (./periodic).
 */
import { Control, notApplicable, Verdict } from '../core/control';
import { resolveParameters } from '../core/parameters';
import { Resource, TaskDefinition, Unreadable } from '../core/model';
import { ConfigurationItem, isGone, resourceFromConfigurationItem } from '../adapters/config-item';
import { Evaluation, RuleApis } from './aws-apis';
import { ParsedEvent } from './config-event';
import { logger, publishEvaluations } from './log';

/** Rule parameters meant for the edge, not the control (organization mode's role name). */
export const EDGE_PARAMETERS: readonly string[] = ['ExecutionRoleName'];

export class CouldNotEvaluateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CouldNotEvaluateError';
  }
}

/**
 * Fields every log line of an invocation carries: the control, then the rule, the account and the
 * resource once known.
 */
export type LogContext = { readonly control: string } & Record<string, unknown>;

/** What the rule decided for one resource, before it becomes an `Evaluation`. */
export interface Decision {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly verdict: Verdict;
}

/**
 * Logs one line per decision, counts them in the `Evaluations` metric and reports them with
 * PutEvaluations, ordered by `orderingTimestamp`.
 */
export async function deliver(context: LogContext, resultToken: string, decisions: readonly Decision[], orderingTimestamp: Date, apis: RuleApis): Promise<void> {
  for (const decision of decisions) {
    const verdict = decision.verdict.compliance;
    logger.info('evaluation', { ...context, resourceType: decision.resourceType, resourceId: decision.resourceId, verdict, reason: decision.verdict.annotation });
  }
  publishEvaluations(context.control, decisions.map((decision) => decision.verdict.compliance));
  await apis.putEvaluations(resultToken, decisions.map((decision) => toEvaluation(decision, orderingTimestamp)));
}

/** The results for one configuration item: its own, and retirements of the revisions it supersedes. */
export async function decide(control: Control, event: ParsedEvent, item: ConfigurationItem, apis: RuleApis): Promise<Decision[]> {
  const parameters = controlParameters(control, event.ruleParameters);
  const about = (verdict: Verdict): Decision[] => [{ resourceType: item.resourceType, resourceId: item.resourceId, verdict }];
  // Change notifications of another type are refused before this (./event-acceptance); a periodic
  // sweep asks for this type only, so another one here is a fault, never a result to report.
  if (item.resourceType !== control.resourceType) throw new CouldNotEvaluateError(`${control.id} evaluates ${control.resourceType}, not ${item.resourceType}`);
  if (event.eventLeftScope) return about(notApplicable('The resource left this rule\'s scope.'));
  if (isGone(item)) return about(notApplicable(`The resource is ${item.status}; there is nothing to evaluate.`));
  const resource = resourceFromConfigurationItem(item, await lookups(control, item, parameters, apis));
  if (resource.kind === 'AWS::ECS::TaskDefinition') return decideTaskDefinition(control, resource, item, parameters, apis);
  return about(evaluateOrThrow(control, resource, parameters));
}

/** The control's own parameters; the edge's are removed first. */
function controlParameters(control: Control, ruleParameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const parameters = Object.fromEntries(Object.entries(ruleParameters).filter(([name]) => !EDGE_PARAMETERS.includes(name)));
  resolveParameters(control.parameters, parameters, control.id); // a bad value fails loudly, whatever the resource
  return parameters;
}

/**
 * Facts the control needs that the item lacks: a service's task definition OS family (ECS.10), asked
 * of ECS only when the verdict turns on it. ECS.10 decides most services without it (not on Fargate,
 * LATEST, a version at least the latest for every OS family), so those cost no DescribeTaskDefinition.
 */
async function lookups(control: Control, item: ConfigurationItem, parameters: Record<string, unknown>, apis: RuleApis) {
  if (!control.lookups?.includes('taskDefinitionOperatingSystemFamily')) return {};
  const notLookedUp = { taskDefinitionOperatingSystemFamily: new Unreadable('configuration.TaskDefinition', 'the OS family was not looked up') };
  if (control.evaluate(resourceFromConfigurationItem(item, notLookedUp), parameters).compliance !== 'NOT_EVALUATED') return notLookedUp;
  const service = resourceFromConfigurationItem(item);
  const taskDefinition = readOrUndefined(() => service.kind === 'AWS::ECS::Service' && service.taskDefinition);
  if (!taskDefinition) {
    return { taskDefinitionOperatingSystemFamily: new Unreadable('configuration.TaskDefinition', 'the service names no readable task definition') };
  }
  return { taskDefinitionOperatingSystemFamily: await apis.taskDefinitionOperatingSystemFamily(taskDefinition) };
}

function readOrUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * Only the latest ACTIVE revision of a family is evaluated; older ones are NOT_APPLICABLE. When the
 * latest is evaluated, the family's older ACTIVE revisions are retired to NOT_APPLICABLE in the same
 * PutEvaluations call, so no superseded revision keeps a stale result on the dashboard. (INACTIVE
 * revisions are retired by their own deregistration change, which Config delivers as an event.)
 */
async function decideTaskDefinition(
  control: Control,
  taskDefinition: TaskDefinition,
  item: ConfigurationItem,
  parameters: Record<string, unknown>,
  apis: RuleApis,
): Promise<Decision[]> {
  const self = (verdict: Verdict): Decision => ({ resourceType: item.resourceType, resourceId: item.resourceId, verdict });
  const status = readOrUndefined(() => taskDefinition.status);
  // A recorded INACTIVE revision needs no lookup; an item without a status still gets the latest check.
  if (status !== undefined && status !== 'ACTIVE') return [self(evaluateOrThrow(control, taskDefinition, parameters))];
  const { family, revision } = taskDefinition;
  if (revision === undefined) throw new CouldNotEvaluateError(`cannot tell the revision of task definition ${item.resourceId}: no revision in its ARN`);

  const active = await apis.listActiveRevisions(family);
  const latest = active[active.length - 1];
  if (latest && latest.revision > revision) {
    return [self(notApplicable(`Task definition ${family}:${revision} is superseded: only the latest ACTIVE revision, ${family}:${latest.revision}, is evaluated.`))];
  }
  const superseded = active.filter((older) => older.revision < revision);
  return [self(evaluateOrThrow(control, taskDefinition, parameters)), ...retire(superseded, item, `${family}:${revision}`)];
}

/**
 * NOT_APPLICABLE for superseded revisions. Their resource ids take the same form as the evaluated
 * item's own: recorded items use `family:revision`, but samples disagree, so an id is never invented
 * in a form Config did not use; with an unknown form nothing is retired and a warning is logged.
 */
function retire(superseded: readonly { arn: string; revision: number }[], item: ConfigurationItem, latestName: string): Decision[] {
  const idFor = resourceIdForm(item);
  if (!idFor) {
    if (superseded.length > 0) logger.warn('superseded revisions not retired: unrecognised resourceId form', { resourceId: item.resourceId });
    return [];
  }
  return superseded.map((older) => ({
    resourceType: item.resourceType,
    resourceId: idFor(older.arn),
    verdict: notApplicable(`Superseded by ${latestName}: only the latest ACTIVE revision of a family is evaluated.`),
  }));
}

function resourceIdForm(item: ConfigurationItem): ((arn: string) => string) | undefined {
  if (item.arn && item.resourceId === item.arn) return (arn) => arn;
  if (item.arn && item.arn.endsWith(`task-definition/${item.resourceId}`)) return (arn) => arn.slice(arn.indexOf('task-definition/') + 'task-definition/'.length);
  return undefined;
}

function evaluateOrThrow(control: Control, resource: Resource, parameters: Record<string, unknown>): Verdict {
  const verdict = control.evaluate(resource, parameters);
  if (verdict.compliance === 'NOT_EVALUATED') throw new CouldNotEvaluateError(verdict.annotation);
  return verdict;
}

function toEvaluation(decision: Decision, orderingTimestamp: Date): Evaluation {
  return {
    ComplianceResourceType: decision.resourceType,
    ComplianceResourceId: decision.resourceId,
    ComplianceType: decision.verdict.compliance as Evaluation['ComplianceType'],
    Annotation: decision.verdict.annotation,
    // Config orders results by this time: the capture time of the item that triggered the evaluation,
    // or for a periodic evaluation the time Config triggered it
    // (https://docs.aws.amazon.com/config/latest/APIReference/API_Evaluation.html).
    OrderingTimestamp: orderingTimestamp,
  };
}
