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
 */
import { Finding, countStatuses, evaluateTarget, reasonOf } from '../scan/evaluate';
import { controlDocumentation } from '../scan/report';
import { today } from '../scan/suppressions';
import { ScanTarget } from '../scan/target';
import {
  HookRequest,
  TASK_DEFINITION_PATH,
  clientRequestTokenOf,
  isCoveredType,
  parseHookRequest,
  resourceFromHookRequest,
  serviceTaskDefinitionOf,
} from '../lambdas/adapters/cloudformation-hook';
import { OperatingSystemFamily, ResourceType, Unreadable } from '../lambdas/core/model';
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
}

export function createHookHandler(options: HookHandlerOptions = {}): (event: unknown) => Promise<HookResponse> {
  const loadSettings = options.settings ?? (() => hookSettingsFrom(process.env[HOOK_SETTINGS_VARIABLE]));
  let settings: HookSettings | undefined;
  let lookup = options.lookup;
  return async function handler(event: unknown): Promise<HookResponse> {
    const clientRequestToken = clientRequestTokenOf(event);
    try {
      settings ??= loadSettings();
      lookup ??= createTaskDefinitionLookup();
      const response = await answer(parseHookRequest(event), settings, lookup);
      logger.info('hook answer', { clientRequestToken, hookStatus: response.hookStatus, errorCode: response.errorCode, hookMessage: response.message });
      return response;
    } catch (error) {
      logger.error('hook could not evaluate the request', { clientRequestToken, ...errorFields(error) });
      return withToken({ hookStatus: 'FAILED', errorCode: 'InternalFailure', message: fitMessage(`ecs-config-rules could not evaluate this request: ${(error as Error).message}`) }, clientRequestToken);
    }
  };
}

async function answer(request: HookRequest, settings: HookSettings, lookup: TaskDefinitionLookup): Promise<HookResponse> {
  const success = (message: string): HookResponse => withToken({ hookStatus: 'SUCCESS', message }, request.clientRequestToken);
  if (request.invocationPoint === 'DELETE_PRE_PROVISION') return success('ecs-config-rules does not evaluate deletions.');
  const { targetName } = request;
  if (!isCoveredType(targetName)) return success(`ecs-config-rules has no control for ${targetName}.`);
  if (!settings.controls.some((control) => control.resourceType === targetName)) return success(`None of the chosen controls applies to ${targetName}.`);
  const resource = resourceFromHookRequest({ ...request, targetName }, await lookupsFor(request, targetName, settings, lookup));
  const target: ScanTarget = { resourceType: targetName, name: request.logicalId, location: { logicalId: request.logicalId, stack: request.stackId }, resource, suppressions: [] };
  return responseFor(evaluateTarget(target, { ...settings, today: today() }), request);
}

/** ECS.10's fact: the OS family of the service's task definition, looked up only when ECS.10 runs. */
async function lookupsFor(request: HookRequest, targetName: ResourceType, settings: HookSettings, lookup: TaskDefinitionLookup): Promise<OperatingSystemFamily | Unreadable> {
  const needed = targetName === 'AWS::ECS::Service' && settings.controls.some((control) => control.lookups?.includes('taskDefinitionOperatingSystemFamily'));
  if (!needed) return new Unreadable(TASK_DEFINITION_PATH, 'no chosen control needs the task definition');
  const taskDefinition = serviceTaskDefinitionOf(request);
  if (taskDefinition === undefined) return new Unreadable(TASK_DEFINITION_PATH, 'the service names no task definition, so its OS family is unknown');
  return lookup(taskDefinition, TASK_DEFINITION_PATH);
}

function responseFor(findings: readonly Finding[], request: HookRequest): HookResponse {
  const annotations = findings.map(annotationOf);
  const gating = findings.filter((finding) => finding.gating);
  const refused = gating.filter((finding) => finding.status === 'failed');
  const undecided = gating.filter((finding) => finding.status === 'notEvaluated');
  const base = { annotations };
  const resource = `${request.targetName} ${request.logicalId}`;
  if (refused.length > 0) {
    return withToken({ ...base, hookStatus: 'FAILED', errorCode: 'NonCompliant', message: fitMessage(`${resource} fails ${listFindings([...refused, ...undecided])}`) }, request.clientRequestToken);
  }
  if (undecided.length > 0) {
    return withToken({ ...base, hookStatus: 'FAILED', errorCode: 'InternalFailure', message: fitMessage(`${resource} could not be evaluated, which is never a pass: ${listFindings(undecided)}`) }, request.clientRequestToken);
  }
  const counts = countStatuses(findings);
  const belowThreshold = counts.failed + counts.notEvaluated;
  const note = belowThreshold > 0 ? `; ${belowThreshold} finding(s) below the severity threshold, see the annotations` : '';
  return withToken({ ...base, hookStatus: 'SUCCESS', message: fitMessage(`${resource} passes ${counts.passed} control(s)${note}.`) }, request.clientRequestToken);
}

/** "ECS.4 (HIGH): Task definition web has privileged containers: app. Fix: … ECS.5 (HIGH): …" */
function listFindings(findings: readonly Finding[]): string {
  return findings.map((finding) => `${finding.control.id} (${finding.control.severity}): ${reasonOf(finding)}${finding.status === 'failed' ? ` Fix: ${finding.control.remediation}` : ''}`).join(' ');
}

function annotationOf(finding: Finding): HookAnnotation {
  const { control } = finding;
  const failed = finding.status === 'failed' || finding.status === 'notEvaluated';
  return {
    annotationName: control.id,
    status: failed ? 'FAILED' : finding.status === 'passed' ? 'PASSED' : 'SKIPPED',
    statusMessage: finding.status === 'notEvaluated' ? `Could not evaluate: ${finding.annotation}` : reasonOf(finding),
    ...(failed && { remediationMessage: control.remediation }),
    remediationLink: controlDocumentation(control),
    severityLevel: control.severity,
  };
}

function withToken(response: HookResponse, clientRequestToken: string | undefined): HookResponse {
  return clientRequestToken === undefined ? response : { ...response, clientRequestToken };
}

function fitMessage(message: string): string {
  return message.length <= MESSAGE_LIMIT ? message : `${message.slice(0, MESSAGE_LIMIT - 1)}…`;
}
