/**
 * `npm run organization-sizes`: synthesizes organization mode for one Region and for seventeen, and
 * prints each template's size and resource count against CloudFormation's limits. The number of
 * accounts is no input: no template takes an account list (excluded accounts aside), so 1 and 5,000
 * accounts synthesize the same bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { resolveFleetSettings } from '../lib/ecs-control-rules';
import { EcsControlRulesStack } from '../lib/ecs-control-rules-stack';
import { conformancePackYaml, MAX_TEMPLATE_BODY_BYTES } from '../lib/organization/conformance-pack';

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html */
const MAX_TEMPLATE_URL_BYTES = 1_000_000;
const MAX_RESOURCES = 500;

export const SEVENTEEN_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1',
];

export interface TemplateSize {
  readonly template: string;
  readonly bytes: number;
  readonly resources: number;
}

/** The sizes of every template organization mode synthesizes for `regions`, as written to the cloud assembly. */
export function organizationTemplateSizes(regions: readonly string[]): TemplateSize[] {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new EcsControlRulesStack(app, 'EcsConfigRules', {
    env: { region: regions[0] },
    crossRegionReferences: true,
    deployment: 'organization',
    organization: { regions: [...regions], organizationId: 'o-a1b2c3d4e5', targetOrganizationalUnitIds: ['r-ab12'] },
  });
  const assembly = app.synth();
  const sizeOf = (name: string, file: string): TemplateSize => {
    const text = fs.readFileSync(path.join(assembly.directory, file), 'utf8');
    return { template: name, bytes: Buffer.byteLength(text), resources: Object.keys(JSON.parse(text).Resources).length };
  };
  const member = stack.controlRules.organization!.memberTemplate;
  const pack = conformancePackYaml({ settings: resolveFleetSettings({ deployment: 'organization' }, app) });
  return [
    sizeOf('member template (TemplateURL)', member.templateFile),
    ...assembly.stacks.map((artifact) => sizeOf(`stack ${artifact.stackName}`, artifact.templateFile)),
    { template: 'conformance pack (TemplateBody, YAML)', bytes: Buffer.byteLength(pack), resources: resolveFleetSettings({}, app).controls.length },
  ];
}

function report(regions: readonly string[]): void {
  console.log(`\n${regions.length} Region(s):`);
  for (const size of organizationTemplateSizes(regions)) {
    const limit = size.template.startsWith('conformance pack') ? MAX_TEMPLATE_BODY_BYTES : MAX_TEMPLATE_URL_BYTES;
    console.log(`  ${size.template.padEnd(42)} ${String(size.bytes).padStart(8)} bytes (${((100 * size.bytes) / limit).toFixed(1)}% of ${limit})  ${String(size.resources).padStart(3)} resources (limit ${MAX_RESOURCES})`);
  }
}

if (require.main === module) {
  report(['us-east-1']);
  report(SEVENTEEN_REGIONS);
}
