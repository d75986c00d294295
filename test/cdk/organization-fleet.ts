/**
 * Organization mode synthesized the way bin/app.ts does it, and the member template read back from
 * the cloud assembly (it is no stack artifact of its own: the StackSet deploys it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { EcsControlRulesProps } from '../../lib/ecs-control-rules';
import { EcsControlRulesStack } from '../../lib/ecs-control-rules-stack';
import { NO_BUNDLING } from './fleet';

export interface OrganizationSynthOptions {
  /** The home stack's Region; undefined: environment-agnostic. */
  readonly region?: string;
  /** Run esbuild (slow): for tests that execute the bundles. */
  readonly bundle?: boolean;
}

export function synthOrganization(organization: EcsControlRulesProps['organization'] = {}, props: EcsControlRulesProps = {}, options: OrganizationSynthOptions = {}) {
  const app = new App({ context: options.bundle ? {} : NO_BUNDLING });
  const stack = new EcsControlRulesStack(app, 'Central', {
    env: options.region ? { region: options.region } : undefined,
    crossRegionReferences: options.region !== undefined,
    deployment: 'organization',
    organization,
    ...props,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The member template of an organization-mode stack, as the StackSet receives it. */
export function memberTemplateOf(stack: EcsControlRulesStack): Template {
  return Template.fromJSON(memberTemplateJson(stack));
}

export function memberTemplateJson(stack: EcsControlRulesStack): Record<string, any> {
  const member = stack.controlRules.organization!.memberTemplate;
  const assembly = (stack.node.root as App).synth();
  return JSON.parse(fs.readFileSync(path.join(assembly.directory, member.templateFile), 'utf8'));
}

/** The asset manifest that uploads the member template's rule code to every Region. */
export function memberCodeManifest(stack: EcsControlRulesStack): cxschema.AssetManifest {
  const member = stack.controlRules.organization!.memberTemplate;
  const assembly = (stack.node.root as App).synth();
  const artifact = assembly.tryGetArtifact(member.artifactId)!;
  return cxschema.Manifest.loadAssetManifest(path.join(assembly.directory, (artifact.manifest.properties as cxschema.AssetManifestProperties).file));
}
