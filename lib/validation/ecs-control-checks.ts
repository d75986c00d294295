/**
 * The CDK policy-validation plugin: the ECS controls run on the synthesized templates, so `cdk synth`
 * fails on a NON_COMPLIANT resource at or above a severity threshold, naming the construct path and
 * the reason. The same core, template reading and suppressions as `ecs-config-rules scan`.
 *
 *   Validations.of(app).addPlugins(new EcsControlChecks({ severityThreshold: 'HIGH' }));
 */
import { CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Severity } from '../../lambdas/core/control';
import { countStatuses, evaluateTargets, Finding, reasonOf } from '../../scan/evaluate';
import { NestedStackNotRead, stackTemplateFiles } from '../../scan/inputs/cloud-assembly';
import { TargetCollector } from '../../scan/inputs/documents';
import { Discovery } from '../../scan/inputs/input-file';
import { InputError, parseText, readInputText } from '../../scan/inputs/parse';
import { printable } from '../../scan/printable';
import { describeSuppression, needsAttention, TOOL } from '../../scan/report';
import { checkGateCanFail, ControlParameters, named, parseParameters, ScanSettings, selectControls, SETTING, severityThreshold } from '../../scan/settings';
import { loadSuppressionsFile, METADATA_KEY, Suppression, today } from '../../scan/suppressions';
import { ScanTarget } from '../../scan/target';

export interface EcsControlChecksProps {
  /**
   * The controls to check, by id (`ECS.20`; `ecs-20` is accepted too).
   *
   * @default - every control in the registry
   */
  readonly controls?: string[];

  /**
   * Rule parameter overrides by control id, as `EcsControlRules` takes them, e.g.
   * `{ 'ECS.8': { secretKeys: 'AWS_SECRET_ACCESS_KEY,DB_PASSWORD' } }`.
   *
   * @default - every parameter keeps its default
   */
  readonly parameters?: ControlParameters;

  /**
   * Findings at or above this severity fail the synth; those below are reported as warnings.
   *
   * @default 'LOW'
   */
  readonly severityThreshold?: Severity;

  /**
   * Run even when no selected control reaches `severityThreshold` (no control is CRITICAL): such a
   * gate cannot fail the synth, so it is refused unless asked for here.
   *
   * @default false
   */
  readonly allowEmptyGate?: boolean;

  /**
   * A suppressions file (YAML or JSON, as `ecs-config-rules scan --suppressions` reads it), relative
   * to the working directory. Suppressions can also be written on a resource: see `suppressEcsControls`.
   *
   * @default - only suppressions in resources' metadata
   */
  readonly suppressionsFile?: string;
}

/** A construct's suppression: the control id, why it is accepted, and optionally until when (`YYYY-MM-DD`). */
export interface EcsControlSuppression {
  readonly id: string;
  readonly reason: string;
  readonly expires?: string;
}

export class EcsControlChecks implements IPolicyValidationPlugin {
  public readonly name = TOOL.name;
  // Optional, as in IPolicyValidationPlugin: jsii rejects an implementation that makes them required (docs/jsii.md).
  public readonly version?: string = TOOL.version;
  public readonly ruleIds?: string[];
  private readonly settings: Omit<ScanSettings, 'today'>;

  /**
   * Accepts findings of the given controls on one resource: `suppressEcsControls` for every language
   * jsii targets (it leaves free functions out of an assembly). Python:
   * `EcsControlChecks.suppress(task_definition, [EcsControlSuppression(id="ECS.4", reason="…")])`.
   */
  public static suppress(construct: IConstruct, suppressions: EcsControlSuppression[]): void {
    suppressEcsControls(construct, suppressions);
  }

  constructor(props: EcsControlChecksProps = {}) {
    const settings = {
      controls: selectControls(props.controls, SETTING.prop('controls')),
      parameters: parseParameters(props.parameters ?? {}, SETTING.prop('parameters')),
      threshold: severityThreshold(props.severityThreshold, SETTING.prop('severityThreshold')),
      suppressions: props.suppressionsFile === undefined ? [] : named(SETTING.prop('suppressionsFile'), () => loadSuppressionsFile(props.suppressionsFile as string)),
    };
    const gate = { threshold: SETTING.prop('severityThreshold'), ...(props.controls !== undefined && { controls: SETTING.prop('controls') }), allowEmptyGate: SETTING.prop('allowEmptyGate') };
    checkGateCanFail(settings, gate, props.allowEmptyGate);
    this.settings = settings;
    this.ruleIds = settings.controls.map((control) => control.id);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const discovery: Discovery = { cwd: process.cwd(), unread: [] };
    const targets = this.targetsOf(context, discovery);
    const findings = evaluateTargets(targets, { ...this.settings, today: today() });
    const counts = countStatuses(findings);
    return {
      // An input not read is no pass, whatever was found in the rest.
      success: counts.gating === 0 && discovery.unread.length === 0,
      violations: [...discovery.unread.map(unreadViolationOf), ...findings.filter(needsAttention).map((finding) => this.violationOf(finding))],
      metadata: {
        severityThreshold: this.settings.threshold,
        summary: `${counts.failed} failed, ${counts.notEvaluated} not evaluated, ${counts.suppressed} suppressed, ${counts.passed} passed, ${counts.notApplicable} not applicable, ${discovery.unread.length} not read`,
      },
    };
  }

  /**
   * Every template the CDK hands the plugin, then its nested stacks' templates, which the CDK does not
   * hand it (scan/inputs/cloud-assembly.ts). Acknowledgements in the assembly's metadata are left to the CDK,
   * which applies them to this report, so no stack metadata is read into the targets.
   */
  private targetsOf(context: IPolicyValidationContext, discovery: Discovery): ScanTarget[] {
    const collector = new TargetCollector();
    // The assembly's manifest names the stacks it lists; the context names one it does not (`stackTemplates` is absent from the older Beta1 context).
    const stackOf = new Map((context.stackTemplates ?? []).map((stack) => [stack.templatePath, stack.stackConstructPath]));
    for (const templatePath of context.templatePaths) {
      const files = attempt(discovery, () => stackTemplateFiles(templatePath, stackOf.get(templatePath), discovery)) ?? [];
      for (const file of files) {
        attempt(discovery, () => collector.addDocument(file.parsed ?? parseText(readInputText(file.path, file.display), file.display, 'json'), { file: file.path, synthesized: true, ...(file.stack !== undefined && { stack: file.stack }) }));
      }
    }
    return collector.finish();
  }

  private violationOf(finding: Finding): PolicyViolation {
    const { control, target } = finding;
    const suppression = describeSuppression(finding);
    const prefix = finding.status === 'suppressed' ? 'Suppressed: ' : finding.status === 'notEvaluated' ? 'Could not evaluate: ' : '';
    return {
      ruleName: control.id,
      // Printed by `cdk synth`: names and reasons come from the templates (scan/printable.ts).
      description: printable(`${prefix}${control.title}. ${reasonOf(finding)}${suppression ? ` (${suppression})` : ''}`),
      fix: control.remediation,
      // 'error' fails the synth only through `success`; the rest is shown and recorded, never hidden.
      severity: finding.gating ? 'error' : finding.status === 'suppressed' ? 'info' : 'warning',
      ruleMetadata: { severity: control.severity, outcome: finding.outcome, status: finding.status },
      violatingResources: [
        {
          resourceLogicalId: target.location.logicalId ?? target.name,
          templatePath: target.location.file ?? '',
          locations: [],
          // CDK derives the path from the logical id when the template carries no `aws:cdk:path`.
          ...(target.location.constructPath !== undefined && { constructPath: target.location.constructPath }),
        },
      ],
    };
  }
}

/** `read()`, or undefined when it throws an input error, which is listed as not read. */
function attempt<T>(discovery: Discovery, read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    discovery.unread.push(error);
    return undefined;
  }
}

/**
 * An input not read, as a violation: `fatal`, which the CDK never lets an acknowledgement suppress
 * (aws-cdk-lib core/lib/validation/private/report.js, `isSuppressibleViolation`).
 */
function unreadViolationOf(unread: InputError): PolicyViolation {
  return {
    ruleName: UNREAD_RULE,
    description: printable(`Not read, so not checked: ${unread.message}.`),
    fix: 'Correct what the description names and synthesize again; a nested stack is read from its template in the cloud assembly (a NestedStack), never from S3.',
    severity: 'fatal',
    // The CDK names the construct from the template and logical id of a nested stack not followed.
    violatingResources: [{ resourceLogicalId: unread instanceof NestedStackNotRead ? unread.logicalId : 'N/A', templatePath: unread.file ?? '', locations: unread.line === undefined ? [] : [`line ${unread.line}`] }],
  };
}

/** The rule an unread input is reported under (no control: the controls could not run on it). */
export const UNREAD_RULE = 'not-read';

/**
 * Suppresses controls on a construct's CloudFormation resource (its default child, or the construct
 * itself if it is one), in the resource's `Metadata` where `ecs-config-rules scan` reads them too.
 * A suppressed finding is still reported, as suppressed; after `expires` it fails again.
 */
export function suppressEcsControls(construct: IConstruct, suppressions: readonly EcsControlSuppression[]): void {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource to suppress controls on; pass the CfnResource itself.`);
  }
  const blank = suppressions.find((suppression) => suppression.reason.trim() === '');
  if (blank) throw new Error(`Suppressing ${blank.id} on ${construct.node.path} needs a \`reason\`: say why the finding is accepted.`);
  const existing = resource.getMetadata(METADATA_KEY) as { suppressions?: Suppression[] } | undefined;
  resource.addMetadata(METADATA_KEY, { suppressions: [...(existing?.suppressions ?? []), ...suppressions.map((suppression) => ({ ...suppression }))] });
}
