/**
 * `fix`: a task definition in any shape the scanner reads → a hardened one, checked by the same
 * engine as `scan`.
 *
 * - describe-task-definition output, a registered task definition or a register-task-definition
 *   input → a register-task-definition input (`aws ecs register-task-definition --cli-input-json`);
 *   the fields DescribeTaskDefinition returns but RegisterTaskDefinition does not accept are dropped
 *   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html,
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html);
 * - a CloudFormation template → a JSON Patch for its task definition resources: the user's file is
 *   never rewritten.
 */
import { detectEcsApiDocument, taskDefinitionFromEcsApi } from '../../lambdas/adapters/ecs-api';
import { isJsonObject, JsonObject } from '../../lambdas/adapters/reader';
import { resourcesFromTemplate } from '../../lambdas/adapters/cloudformation';
import { TaskDefinition } from '../../lambdas/core/model';
import { evaluateTargets, Finding } from '../evaluate';
import { DocumentKind, documentKind, TargetCollector } from '../inputs/documents';
import { InputError, ParsedText } from '../inputs/parse';
import { ScanSettings } from '../settings';
import { Edit, jsonPatch } from './edits';
import { Note, Planner } from './planner';
import { FixChoices, fixTaskDefinition } from './task-definition';

/**
 * What DescribeTaskDefinition returns and RegisterTaskDefinition rejects: ECS sets them on
 * registration. test/fix/register-input.test.ts checks this list against the SDK's types.
 */
export const DESCRIBE_ONLY_FIELDS = ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt', 'deleteRequestedAt'] as const;

export interface FixResult {
  /** What is printed: a register-task-definition input, or a template's JSON Patch. */
  readonly kind: 'register-input' | 'template-patch';
  readonly output: unknown;
  readonly edits: readonly Edit[];
  /** Describe-only fields dropped from the input. */
  readonly dropped: readonly string[];
  readonly needsInput: readonly Note[];
  readonly checks: readonly Note[];
  /** The fixed task definitions, scanned: failing or not-evaluated ones mean the fix must not be printed. */
  readonly findings: readonly Finding[];
  /** Failing findings of the template's other resources: `fix` changes task definitions only. */
  readonly notFixed: readonly Finding[];
}

export interface FixInput {
  readonly parsed: ParsedText;
  /** As messages name the input. */
  readonly file: string;
  readonly settings: ScanSettings;
  readonly choices: FixChoices;
}

/** Findings that keep a fixed task definition from being printed. */
export function blockingFindings(result: Pick<FixResult, 'findings'>): Finding[] {
  return result.findings.filter((finding) => finding.status === 'failed' || finding.status === 'notEvaluated');
}

export function fix(input: FixInput): FixResult {
  const kind = documentKind(input.parsed.value);
  if (kind === 'cloudformation') return fixTemplate(input);
  const ecsKind = kind === 'ecs-api' ? detectEcsApiDocument(input.parsed.value) : undefined;
  if (ecsKind === 'describe-task-definition' || ecsKind === 'task-definition' || ecsKind === 'register-task-definition-input') return fixRegisterInput(input);
  throw new InputError(kind === undefined ? 'not a task definition or a CloudFormation template (see `ecs-config-rules fix --help`)' : notFixable(kind, ecsKind), input.file);
}

/** Why `fix` does not rewrite a document of this shape, and where to go instead. */
function notFixable(kind: DocumentKind, ecsKind: string | undefined): string {
  if (kind === 'ecs-api') return `fix rewrites task definitions; this is ${ecsKind} output. Services, clusters and capacity providers are changed in place: see docs/fix.md (Config remediation)`;
  if (kind === 'terraform' || kind === 'container-definitions') {
    return 'fix prints a register-task-definition input or a CloudFormation patch; for Terraform, scan it and change the aws_ecs_task_definition in your configuration, or fix the describe-task-definition output of the registered revision';
  }
  return 'fix does not rewrite AWS Config records: fix the describe-task-definition output of the revision (aws ecs describe-task-definition --include TAGS) or its template';
}

/** The register-task-definition input for a task definition document, and the fields dropped. */
function registerInputOf(document: JsonObject): { registerInput: JsonObject; dropped: string[]; tagsKnown: boolean } {
  const described = isJsonObject(document.taskDefinition);
  const taskDefinition = described ? (document.taskDefinition as JsonObject) : document;
  const dropped = DESCRIBE_ONLY_FIELDS.filter((field) => field in taskDefinition);
  const registerInput: Record<string, unknown> = Object.fromEntries(Object.entries(taskDefinition).filter(([key]) => !(DESCRIBE_ONLY_FIELDS as readonly string[]).includes(key)));
  const tags = described ? document.tags : taskDefinition.tags;
  if (tags !== undefined) registerInput.tags = tags;
  // A register input lists its tags or has none; registered definitions carry them only when fetched.
  return { registerInput, dropped, tagsKnown: tags !== undefined || dropped.length === 0 };
}

function regionOf(document: JsonObject): string | undefined {
  const taskDefinition = isJsonObject(document.taskDefinition) ? document.taskDefinition : document;
  const arn = typeof taskDefinition.taskDefinitionArn === 'string' ? taskDefinition.taskDefinitionArn : '';
  return /^arn:[^:]+:ecs:([^:]+):/.exec(arn)?.[1];
}

function fixRegisterInput(input: FixInput): FixResult {
  const document = input.parsed.value as JsonObject;
  const { registerInput, dropped, tagsKnown } = registerInputOf(document);
  const planner = new Planner(registerInput, 'ecs-api');
  const model = taskDefinitionFromEcsApi(registerInput, { fallbackName: input.file });
  if (!tagsKnown) {
    planner.needsInput.push({
      control: 'register',
      subject: `task definition ${model.family}`,
      message: 'the input has no tags (describe-task-definition returns them only with --include TAGS): the new revision would be registered untagged; describe it again with --include TAGS, or add them with --tag',
    });
  }
  fixTaskDefinition(planner, { at: [], model, region: regionOf(document) }, input.settings.controls, input.settings.parameters, input.choices);
  const output = planner.result();
  const collector = new TargetCollector();
  collector.addEcsApiDocument(output, { file: input.file });
  return {
    kind: 'register-input',
    output,
    edits: planner.edits,
    dropped,
    needsInput: planner.needsInput,
    checks: planner.checks,
    findings: evaluateTargets(collector.finish(), input.settings),
    notFixed: [],
  };
}

function fixTemplate(input: FixInput): FixResult {
  const template = input.parsed.value as JsonObject;
  const resources = resourcesFromTemplate(template);
  const planner = new Planner(template, 'cloudformation');
  for (const { logicalId, resource } of resources) {
    if (resource.kind !== 'AWS::ECS::TaskDefinition') continue;
    fixTaskDefinition(planner, { at: ['Resources', logicalId, 'Properties'], model: resource as TaskDefinition, region: { Ref: 'AWS::Region' } }, input.settings.controls, input.settings.parameters, input.choices);
  }
  const collector = new TargetCollector();
  collector.addDocument({ value: planner.result(), lineOf: (path) => input.parsed.lineOf(path) }, { file: input.file });
  const findings = evaluateTargets(collector.finish(), input.settings);
  const isTaskDefinition = (finding: Finding) => finding.target.resourceType === 'AWS::ECS::TaskDefinition';
  return {
    kind: 'template-patch',
    output: jsonPatch(planner.edits),
    edits: planner.edits,
    dropped: [],
    needsInput: planner.needsInput,
    checks: planner.checks,
    findings: findings.filter(isTaskDefinition),
    notFixed: findings.filter((finding) => !isTaskDefinition(finding) && finding.status === 'failed'),
  };
}
