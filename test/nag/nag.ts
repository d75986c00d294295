/**
 * cdk-nag v3 (the AwsSolutions and Serverless packs) over the app this project synthesizes, built
 * the way bin/app.ts builds it: its stack from context. cdk-nag registers as a policy-validation
 * plugin (`Validations.of(app).addPlugins`) and writes its findings to the cloud assembly's
 * validation report; acknowledgements (`Validations.of(construct).acknowledge`) are recorded as
 * construct metadata, so both can be listed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { controlRulesPropsFromContext } from '../../lib/app-context';
import { resolveFleetSettings, resolveFunctionSettings } from '../../lib/ecs-control-rules';
import { EcsControlRulesStack } from '../../lib/ecs-control-rules-stack';
import { MemberTemplate } from '../../lib/organization/member-template';
import { NO_BUNDLING } from '../cdk/fleet';

export interface NagRun {
  /** Every stack the app synthesized, nested stacks included. */
  readonly stacks: readonly string[];
  /** `RuleId construct/path` for every unacknowledged finding (the report lists no pack that found none). */
  readonly findings: readonly string[];
  readonly acknowledgements: readonly Acknowledgement[];
}

export interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
  readonly constructPath: string;
}

interface PluginReport {
  readonly violations?: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }>;
}

/**
 * Synthesizes the app for `context` (as `-c key=value` would give it) with both packs; `extend`
 * may add to the stack first (the harness's own test adds a resource the packs must flag).
 */
export function runNag(context: Record<string, unknown>, extend: (stack: Stack) => void = () => undefined): NagRun {
  const app = new App({ context: { ...NO_BUNDLING, ...context } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  const props = controlRulesPropsFromContext(app.node);
  // Organization mode deploys to several Regions from a known one, as bin/app.ts does.
  const organization = props.deployment === 'organization';
  extend(new EcsControlRulesStack(app, 'EcsConfigRules', { ...props, ...(organization ? { env: { region: 'us-east-1' }, crossRegionReferences: true } : {}) }));
  // The member template is no stack artifact (the StackSet deploys it), so the packs would not see
  // it: the same template, as an ordinary stack.
  if (organization) {
    MemberTemplate._create(app, 'MemberTemplate', { settings: resolveFleetSettings(props, app), functions: resolveFunctionSettings(props), createRules: props.organization?.rollout !== 'conformance-pack' });
  }
  const silence = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch {
    // Unacknowledged findings fail the synth; the report below lists them.
  } finally {
    silence.mockRestore();
  }
  const report: { pluginReports: PluginReport[] } = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  return {
    stacks: app.node.findAll().filter(Stack.isStack).map((stack) => stack.node.path),
    findings: report.pluginReports.flatMap((plugin) =>
      (plugin.violations ?? []).flatMap((violation) => violation.violatingConstructs.map((construct) => `${violation.ruleName} ${construct.constructPath}`)),
    ),
    // Each entry's data maps `Annotation::<rule id>` to the reason.
    acknowledgements: app.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
        .map(([id, reason]) => ({ id: id.replace(/^Annotation::/, ''), reason, constructPath: construct.node.path })),
    ),
  };
}
