/**
 * The CloudFormation Lambda hook: before CloudFormation or Cloud Control API creates or updates an
 * ECS resource, the chosen controls evaluate its proposed properties through the scan engine, and
 * the answer refuses a resource that fails a control at or above the severity threshold.
 *
 * Request and response as the CloudFormation Hooks user guide documents them
 * (https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html):
 * `hookStatus` SUCCESS or FAILED, `errorCode` `NonCompliant` (evaluated and refused) or
 * `InternalFailure` (could not evaluate), a `message`, the request's `clientRequestToken`, and one
 * annotation per control. With the hook's FailureMode WARN, CloudFormation shows a FAILED answer as
 * a warning and goes on; with FAIL it stops the operation.
 *
 * Undecidable policy (docs/pipeline.md): what a control cannot decide is never a pass. A property
 * it cannot read, or a lookup that fails (ECS.10's DescribeTaskDefinition), answers FAILED with
 * `InternalFailure` when that control is at or above the threshold. A request the hook cannot read
 * at all is answered `InternalFailure` too, without throwing: a thrown error would leave
 * CloudFormation to retry and then fail the hook with a less helpful message.
 *
 * Stack and change set requests (the same guide's "Evaluating stack operations" and "Evaluating
 * change set operations") are answered too, though the construct targets resource operations only:
 * reusing the function for those targets must not block every stack operation (docs/pipeline.md).
 */
import { Finding, countStatuses, evaluateTarget, reasonOf } from '../scan/evaluate';
import { TargetCollector } from '../scan/inputs/documents';
import { parseText } from '../scan/inputs/parse';
import { printable } from '../scan/printable';
import { controlDocumentation } from '../scan/report';
import { today } from '../scan/suppressions';
import { ScanTarget } from '../scan/target';
import {
  HookRequest,
  ProposedResource,
  TemplateHookRequest,
  changedResourcesOf,
  clientRequestTokenOf,
  isCoveredType,
  parseHookRequest,
  proposedResourceOf,
  resourceFromProposed,
  stackTemplateOf,
  taskDefinitionIn,
  taskDefinitionPath,
} from '../lambdas/adapters/cloudformation-hook';
import { OperatingSystemFamily, Unreadable } from '../lambdas/core/model';
import { errorFields, logger } from '../lambdas/runtime/log';
import { HOOK_SETTINGS_VARIABLE, HookSettings, hookSettingsFrom } from './hook-settings';
import { TaskDefinitionLookup, createTaskDefinitionLookup } from './task-definition-lookup';

export type AnnotationStatus = 'PASSED' | 'FAILED' | 'SKIPPED';

export interface HookAnnotation {
  readonly annotationName: string;
  readonly status: AnnotationStatus;
  readonly statusMessage: string;
  readonly remediationMessage?: string;
  readonly remediationLink?: string;
  readonly severityLevel: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
}

export interface HookResponse {
  readonly hookStatus: 'SUCCESS' | 'FAILED';
  readonly errorCode?: 'NonCompliant' | 'InternalFailure';
  readonly message: string;
  readonly clientRequestToken?: string;
  readonly annotations?: readonly HookAnnotation[];
}

/**
 * CloudFormation cuts the message at 4,096 characters, Cloud Control API at 1,024 (the guide
 * above): the hook keeps to the shorter, so both show the whole message.
 */
export const MESSAGE_LIMIT = 1024;

export interface HookHandlerOptions {
  /** The settings; by default parsed from `ECS_CONFIG_RULES_HOOK_SETTINGS` on the first request. */
  readonly settings?: () => HookSettings;
  /** ECS.10's task definition lookup; by default DescribeTaskDefinition through the AWS SDK. */
  readonly lookup?: TaskDefinitionLookup;
  /** How long a stack or change set request's payload may take to download. */
  readonly payloadTimeoutMs?: number;
}

/** A stack or change set payload must arrive well inside the function's 20 s, which must leave ECS.10's 10 s lookup budget. */
const PAYLOAD_TIMEOUT_MS = 5000;

export function createHookHandler(options: HookHandlerOptions = {}): (event: unknown) => Promise<HookResponse> {
  const loadSettings = options.settings ?? (() => hookSettingsFrom(process.env[HOOK_SETTINGS_VARIABLE]));
  let settings: HookSettings | undefined;
  let lookup = options.lookup;
  return async function handler(event: unknown): Promise<HookResponse> {
    const clientRequestToken = clientRequestTokenOf(event);
    try {
      settings ??= loadSettings();
      lookup ??= createTaskDefinitionLookup();
      const context = { settings, lookup, payloadTimeoutMs: options.payloadTimeoutMs ?? PAYLOAD_TIMEOUT_MS };
      const response = await answer(parseHookRequest(event), context);
      logger.info('hook answer', { clientRequestToken, hookStatus: response.hookStatus, errorCode: response.errorCode, hookMessage: response.message });
      return response;
    } catch (error) {
      logger.error('hook could not evaluate the request', { clientRequestToken, ...errorFields(error) });
      return withToken({ hookStatus: 'FAILED', errorCode: 'InternalFailure', message: fitMessage(`ecs-config-rules could not evaluate this request: ${(error as Error).message}`) }, clientRequestToken);
    }
  };
}

interface AnswerContext {
  readonly settings: HookSettings;
  readonly lookup: TaskDefinitionLookup;
  readonly payloadTimeoutMs: number;
}

const DELETIONS = 'ecs-config-rules does not evaluate deletions.';

function answer(request: HookRequest | TemplateHookRequest, context: AnswerContext): Promise<HookResponse> {
  return request.targetType === 'RESOURCE' ? answerResource(request, context) : answerTemplate(request, context);
}

async function answerResource(request: HookRequest, context: AnswerContext): Promise<HookResponse> {
  const success = (message: string): HookResponse => withToken({ hookStatus: 'SUCCESS', message }, request.clientRequestToken);
  if (request.invocationPoint === 'DELETE_PRE_PROVISION') return success(DELETIONS);
  const { targetName } = request;
  if (!isCoveredType(targetName)) return success(`ecs-config-rules has no control for ${targetName}.`);
  if (!context.settings.controls.some((control) => control.resourceType === targetName)) return success(`None of the chosen controls applies to ${targetName}.`);
  const findings = await evaluateProposed(proposedResourceOf({ ...request, targetName }), request.stackId, context);
  return responseFor(findings, `${request.targetName} ${request.logicalId}`, request.clientRequestToken, 'one resource');
}

/**
 * A stack or change set request. A stack's payload holds the template as written (parameters and
 * intrinsics unresolved), read exactly as `ecs-config-rules scan` reads a template; a change set's
 * holds each changed resource's properties as the change set would set them, read as a resource
 * request's. A deletion has nothing to evaluate (its payload template is empty).
 */
async function answerTemplate(request: TemplateHookRequest, context: AnswerContext): Promise<HookResponse> {
  const subject = request.targetType === 'STACK' ? `Stack ${request.logicalId}` : `Change set ${request.logicalId}`;
  if (request.invocationPoint === 'DELETE_PRE_PROVISION') return withToken({ hookStatus: 'SUCCESS', message: DELETIONS }, request.clientRequestToken);
  const payload = await downloadPayload(request.payloadUrl, context.payloadTimeoutMs);
  const findings = request.targetType === 'STACK' ? stackFindings(payload, context) : await changeSetFindings(payload, request, context);
  if (findings.length === 0) return withToken({ hookStatus: 'SUCCESS', message: `${subject} has no resource that a chosen control covers.` }, request.clientRequestToken);
  return responseFor(findings, subject, request.clientRequestToken, 'several resources');
}

/** The payload behind the presigned URL, as JSON; any failure is an error naming what went wrong (the handler answers InternalFailure). */
async function downloadPayload(url: string, timeoutMs: number): Promise<unknown> {
  const where = new URL(url);
  const shown = `${where.origin}${where.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(`could not download the request payload from ${shown}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) throw new Error(`could not download the request payload from ${shown}: HTTP ${response.status}`);
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`the request payload from ${shown} is not JSON (${(error as Error).message})`, { cause: error });
  }
}

function stackFindings(payload: unknown, context: AnswerContext): Finding[] {
  const template = stackTemplateOf(payload);
  if (template === undefined) return [];
  const collector = new TargetCollector();
  collector.addDocument(parseText(template, 'template'), { file: 'template', synthesized: true });
  return collector.finish().flatMap((target) => evaluateTarget(target, { ...context.settings, today: today() }));
}

async function changeSetFindings(payload: unknown, request: TemplateHookRequest, context: AnswerContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const change of changedResourcesOf(payload)) {
    const { resourceType } = change;
    if (!isCoveredType(resourceType) || !context.settings.controls.some((control) => control.resourceType === resourceType)) continue;
    findings.push(...(await evaluateProposed({ ...change, resourceType }, request.stackId, context)));
  }
  return findings;
}

/**
 * The findings for one resource. ECS.10's fact, the OS family of a service's task definition, is
 * looked up only when a verdict turns on it: ECS.10 decides most services without it (not on Fargate,
 * LATEST, a version at least the latest for every OS family), and those cost no DescribeTaskDefinition.
 */
async function evaluateProposed(proposed: ProposedResource, stackId: string | undefined, context: AnswerContext): Promise<Finding[]> {
  const evaluate = (operatingSystemFamily: OperatingSystemFamily | Unreadable) => {
    const resource = resourceFromProposed(proposed, operatingSystemFamily);
    const target: ScanTarget = { resourceType: proposed.resourceType, name: proposed.logicalId, location: { logicalId: proposed.logicalId, stack: stackId }, resource, suppressions: [] };
    return evaluateTarget(target, { ...context.settings, today: today() });
  };
  const withoutLookup = evaluate(new Unreadable(taskDefinitionPath(proposed), 'the OS family was not looked up'));
  const turnsOnIt = withoutLookup.some((finding) => finding.outcome === 'NOT_EVALUATED' && finding.control.lookups?.includes('taskDefinitionOperatingSystemFamily'));
  return turnsOnIt ? evaluate(await lookupsFor(proposed, context)) : withoutLookup;
}

/** ECS.10's fact: the OS family of the service's task definition, as ECS has it. */
async function lookupsFor(proposed: ProposedResource, { lookup }: AnswerContext): Promise<OperatingSystemFamily | Unreadable> {
  const path = taskDefinitionPath(proposed);
  const taskDefinition = taskDefinitionIn(proposed.properties);
  if (taskDefinition === undefined) return new Unreadable(path, 'the service names no task definition, so its OS family is unknown');
  return lookup(taskDefinition, path);
}

/** A resource request answers for one resource; a stack or change set request for each of its resources, so findings and annotations name theirs. */
type Scope = 'one resource' | 'several resources';

function responseFor(findings: readonly Finding[], subject: string, clientRequestToken: string | undefined, scope: Scope): HookResponse {
  const annotations = findings.map((finding) => annotationOf(finding, scope));
  const list = scope === 'one resource' ? listFindings : listFindingsByResource;
  const gating = findings.filter((finding) => finding.gating);
  const refused = gating.filter((finding) => finding.status === 'failed');
  const undecided = gating.filter((finding) => finding.status === 'notEvaluated');
  const base = { annotations };
  if (refused.length > 0) {
    return withToken({ ...base, hookStatus: 'FAILED', errorCode: 'NonCompliant', message: fitMessage(`${subject} fails ${list([...refused, ...undecided])}`) }, clientRequestToken);
  }
  if (undecided.length > 0) {
    return withToken({ ...base, hookStatus: 'FAILED', errorCode: 'InternalFailure', message: fitMessage(`${subject} could not be evaluated, which is never a pass: ${list(undecided)}`) }, clientRequestToken);
  }
  const counts = countStatuses(findings);
  const belowThreshold = counts.failed + counts.notEvaluated;
  const note = belowThreshold > 0 ? `; ${belowThreshold} finding(s) below the severity threshold, see the annotations` : '';
  return withToken({ ...base, hookStatus: 'SUCCESS', message: fitMessage(`${subject} passes ${counts.passed} control(s)${note}.`) }, clientRequestToken);
}

/** "AWS::ECS::TaskDefinition Web: ECS.4 (HIGH): …" for a stack or change set, where several resources answer at once. */
function listFindingsByResource(findings: readonly Finding[]): string {
  return findings.map((finding) => `${finding.target.resourceType} ${finding.target.name}: ${listFindings([finding])}`).join(' ');
}

/** "ECS.4 (HIGH): Task definition web has privileged containers: app. Fix: … ECS.5 (HIGH): …" */
function listFindings(findings: readonly Finding[]): string {
  return findings.map((finding) => `${finding.control.id} (${finding.control.severity}): ${reasonOf(finding)}${finding.status === 'failed' ? ` Fix: ${finding.control.remediation}` : ''}`).join(' ');
}

function annotationOf(finding: Finding, scope: Scope): HookAnnotation {
  const { control } = finding;
  const failed = finding.status === 'failed' || finding.status === 'notEvaluated';
  return {
    annotationName: scope === 'one resource' ? control.id : `${control.id} ${finding.target.name}`,
    status: failed ? 'FAILED' : finding.status === 'passed' ? 'PASSED' : 'SKIPPED',
    statusMessage: printable(finding.status === 'notEvaluated' ? `Could not evaluate: ${finding.annotation}` : reasonOf(finding)),
    ...(failed && { remediationMessage: control.remediation }),
    remediationLink: controlDocumentation(control),
    severityLevel: control.severity,
  };
}

function withToken(response: HookResponse, clientRequestToken: string | undefined): HookResponse {
  return clientRequestToken === undefined ? response : { ...response, clientRequestToken };
}

/** Escaped (names and values come from the request: scan/printable.ts), then cut to the limit. */
function fitMessage(message: string): string {
  const shown = printable(message);
  return shown.length <= MESSAGE_LIMIT ? shown : `${shown.slice(0, MESSAGE_LIMIT - 1)}…`;
}
