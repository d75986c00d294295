/**
 * The rules as a conformance pack: custom Lambda rules that name each account's own function through
 * pseudo parameters, so one template serves every account and Region the member fleet runs in.
 * Every rule parameter is a pack parameter (`--conformance-pack-input-parameters` changes it without
 * a new template). Used by the `conformance-pack` rollout (an `AWS::Config::OrganizationConformancePack`
 * here) and by `npm run conformance-pack` for teams that manage packs themselves.
 */
import * as config from 'aws-cdk-lib/aws-config';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { Control } from '../../lambdas/core/control';
import { ruleSourceDetails } from '../control-rule';
import { fleetFunctionName, FleetSettings } from '../rule-fleet';

/** `TemplateBody` of PutOrganizationConformancePack (https://docs.aws.amazon.com/config/latest/APIReference/API_PutOrganizationConformancePack.html). */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

export class ConformancePackTooLargeError extends Error {
  constructor(bytes: number) {
    super(
      `The conformance pack template is ${bytes} bytes; put-organization-conformance-pack accepts at most ${MAX_TEMPLATE_BODY_BYTES} as --template-body. ` +
        'Deploy fewer controls per pack (--controls), or upload it to S3 and pass --template-s3-uri.',
    );
    this.name = 'ConformancePackTooLargeError';
  }
}

export interface ConformancePackOptions {
  readonly settings: FleetSettings;
  /** Periodic mode: the rules are also scheduled. */
  readonly maximumExecutionFrequency?: string;
}

/** `ecs-20` + `latestLinuxVersion` → `Ecs20LatestLinuxVersion`: pack parameter names are alphanumeric. */
export function packParameterName(control: Control, parameter: string): string {
  const pascal = (text: string) => text.split(/[^A-Za-z0-9]+/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  return `${pascal(control.slug)}${pascal(parameter)}`;
}

/** The function of a control in the account and Region the pack's stack runs in. */
export function memberFunctionArn(prefix: string, control: Control): { 'Fn::Sub': string } {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${fleetFunctionName(prefix, control)}` };
}

export function conformancePackTemplate(options: ConformancePackOptions): Record<string, unknown> {
  const { controls, prefix } = options.settings;
  const parameters: Record<string, unknown> = {};
  const resources: Record<string, unknown> = {};
  for (const control of controls) {
    const inputParameters: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(options.settings.inputParameters(control))) {
      const packName = packParameterName(control, name);
      parameters[packName] = { Type: 'String', Default: value, Description: `${control.id} ${name}: ${control.parameters[name].description}` };
      inputParameters[name] = { Ref: packName };
    }
    resources[packParameterName(control, 'rule')] = {
      Type: 'AWS::Config::ConfigRule',
      Properties: {
        ConfigRuleName: `${prefix}${control.slug}`,
        Description: `${control.id} ${control.title}`,
        Scope: { ComplianceResourceTypes: [control.resourceType] },
        ...(Object.keys(inputParameters).length > 0 ? { InputParameters: inputParameters } : {}),
        Source: {
          Owner: 'CUSTOM_LAMBDA',
          SourceIdentifier: memberFunctionArn(prefix, control),
          SourceDetails: ruleSourceDetails(options.maximumExecutionFrequency).map(({ messageType, maximumExecutionFrequency }) => ({
            EventSource: 'aws.config',
            MessageType: messageType,
            ...(maximumExecutionFrequency ? { MaximumExecutionFrequency: maximumExecutionFrequency } : {}),
          })),
        },
      },
    };
  }
  return { ...(Object.keys(parameters).length > 0 ? { Parameters: parameters } : {}), Resources: resources };
}

/** The template as YAML, refused when AWS would refuse it. */
export function conformancePackYaml(options: ConformancePackOptions): string {
  const body = `# ecs-config-rules conformance pack: custom Lambda rules backed by each account's own rule functions.\n${stringify(conformancePackTemplate(options))}`;
  checkTemplateBodySize(body);
  return body;
}

export function checkTemplateBodySize(body: string): void {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_TEMPLATE_BODY_BYTES) throw new ConformancePackTooLargeError(bytes);
}

export interface OrganizationConformancePackProps extends ConformancePackOptions {
  readonly excludedAccounts: readonly string[];
}

/** The `conformance-pack` rollout: the pack across the organization, created by this stack. */
export class OrganizationConformancePack extends Construct {
  public readonly pack: config.CfnOrganizationConformancePack;

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: OrganizationConformancePackProps): OrganizationConformancePack {
    return new OrganizationConformancePack(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: OrganizationConformancePackProps) {
    super(scope, id);
    this.pack = new config.CfnOrganizationConformancePack(this, 'Resource', {
      organizationConformancePackName: `${props.settings.prefix}ecs-config-rules`,
      templateBody: conformancePackYaml(props),
      excludedAccounts: props.excludedAccounts.length > 0 ? [...props.excludedAccounts] : undefined,
    });
  }
}
