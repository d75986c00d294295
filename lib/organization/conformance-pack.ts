/**
 * The conformance-pack rollout: a template of custom Lambda rules that point at the central
 * functions, ready for `aws configservice put-organization-conformance-pack`. Each rule parameter is
 * a pack parameter, so `--conformance-pack-input-parameters` can change it without a new template.
 */
import { stringify } from 'yaml';
import { Control } from '../../lambdas/core/control';
import { CHANGE_TRIGGERS } from '../control-rule';
import { centralFunctionName, FleetSettings } from '../ecs-control-rules';
import { EXECUTION_ROLE_NAME_PARAMETER } from './organization-rule';

/** `TemplateBody` of PutOrganizationConformancePack (https://docs.aws.amazon.com/config/latest/APIReference/API_PutOrganizationConformancePack.html). */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

/** The `--function-arn-prefix` the stack outputs as `FunctionArnPrefix`. */
const FUNCTION_ARN_PREFIX = /^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:$/;

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
  /** `arn:<partition>:lambda:<region>:<account>:function:`: the central functions' ARNs minus their names. */
  readonly functionArnPrefix: string;
  readonly memberRoleName: string;
}

/** `ecs-20` + `latestLinuxVersion` → `Ecs20LatestLinuxVersion`: pack parameter names are alphanumeric. */
export function packParameterName(control: Control, parameter: string): string {
  const pascal = (text: string) => text.split(/[^A-Za-z0-9]+/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  return `${pascal(control.slug)}${pascal(parameter)}`;
}

export function conformancePackTemplate(options: ConformancePackOptions): Record<string, unknown> {
  if (!FUNCTION_ARN_PREFIX.test(options.functionArnPrefix)) {
    throw new Error(`--function-arn-prefix must look like arn:aws:lambda:<region>:<account>:function: (the stack's FunctionArnPrefix output), got ${JSON.stringify(options.functionArnPrefix)}.`);
  }
  const { controls, prefix } = options.settings;
  const parameters: Record<string, unknown> = {
    [EXECUTION_ROLE_NAME_PARAMETER]: { Type: 'String', Default: options.memberRoleName, Description: 'The role the central functions assume in each member account' },
  };
  const resources: Record<string, unknown> = {};
  for (const control of controls) {
    const inputParameters: Record<string, unknown> = { [EXECUTION_ROLE_NAME_PARAMETER]: { Ref: EXECUTION_ROLE_NAME_PARAMETER } };
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
        InputParameters: inputParameters,
        Source: {
          Owner: 'CUSTOM_LAMBDA',
          SourceIdentifier: `${options.functionArnPrefix}${centralFunctionName(prefix, control)}`,
          SourceDetails: CHANGE_TRIGGERS.map((messageType) => ({ EventSource: 'aws.config', MessageType: messageType })),
        },
      },
    };
  }
  return { Parameters: parameters, Resources: resources };
}

/** The template as YAML, refused when AWS would refuse it. */
export function conformancePackYaml(options: ConformancePackOptions): string {
  const body = `# ecs-config-rules conformance pack: custom Lambda rules backed by the central functions.\n${stringify(conformancePackTemplate(options))}`;
  checkTemplateBodySize(body);
  return body;
}

export function checkTemplateBodySize(body: string): void {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_TEMPLATE_BODY_BYTES) throw new ConformancePackTooLargeError(bytes);
}
