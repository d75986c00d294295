/**
 * Optional AWS Config remediation for the settings that can be changed in place (ECS.12, ECS.19,
 * ECS.2): per rule, an SSM Automation document this stack deploys, a role the automation runs as
 * with only that document's actions, and an `AWS::Config::RemediationConfiguration`
 * (https://docs.aws.amazon.com/config/latest/developerguide/remediation.html).
 *
 * `manual`: a person starts it from the Config console or `aws configservice
 * start-remediation-execution`; `automatic`: Config starts it for every NON_COMPLIANT result.
 */
import { Aws, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ControlRule } from '../control-rule';
import { Remediation, remediationFor } from './documents';

export type RemediationMode = 'off' | 'manual' | 'automatic';
export const REMEDIATION_MODES: readonly RemediationMode[] = ['off', 'manual', 'automatic'];

export interface ConfigRemediationProps {
  /** The deployed rules; those without a remediation are skipped. */
  readonly rules: readonly ControlRule[];
  readonly mode: Exclude<RemediationMode, 'off'>;
  /** Automatic mode: attempts per resource within `retryAttemptSeconds` before Config gives up. */
  readonly maximumAutomaticAttempts?: number;
}

/** Config's limits: 1–25 attempts, 1–2678000 seconds (https://docs.aws.amazon.com/config/latest/APIReference/API_RemediationConfiguration.html). */
const DEFAULT_ATTEMPTS = 3;
const RETRY_WINDOW_SECONDS = 600;

export class ConfigRemediation extends Construct {
  /** By control id. */
  public readonly documents: { [controlId: string]: ssm.CfnDocument };
  public readonly roles: { [controlId: string]: iam.Role };

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: ConfigRemediationProps): ConfigRemediation {
    return new ConfigRemediation(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: ConfigRemediationProps) {
    super(scope, id);
    const attempts = props.maximumAutomaticAttempts ?? DEFAULT_ATTEMPTS;
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 25) throw new Error(`\`maximumAutomaticAttempts\` must be a whole number from 1 to 25, got ${attempts}.`);
    const documents = new Map<string, ssm.CfnDocument>();
    const roles = new Map<string, iam.Role>();
    for (const rule of props.rules) {
      const remediation = remediationFor(rule.control.id);
      if (remediation === undefined) continue;
      const scopeOf = new Construct(this, rule.control.id);
      const document = new ssm.CfnDocument(scopeOf, 'Document', { documentType: 'Automation', documentFormat: 'JSON', content: remediation.document, updateMethod: 'NewVersion' });
      const role = automationRole(scopeOf, remediation);
      const configuration = new config.CfnRemediationConfiguration(scopeOf, 'Remediation', {
        configRuleName: rule.ruleName,
        targetType: 'SSM_DOCUMENT',
        targetId: document.ref,
        resourceType: rule.control.resourceType,
        parameters: {
          ResourceId: { ResourceValue: { Value: 'RESOURCE_ID' } },
          AutomationAssumeRole: { StaticValue: { Values: [role.roleArn] } },
        },
        automatic: props.mode === 'automatic',
        ...(props.mode === 'automatic' && { maximumAutomaticAttempts: attempts, retryAttemptSeconds: RETRY_WINDOW_SECONDS }),
      });
      // The rule must exist before a remediation can name it.
      if (rule.configRule) configuration.addResourceDependency(rule.configRule);
      documents.set(rule.control.id, document);
      roles.set(rule.control.id, role);
    }
    this.documents = Object.fromEntries(documents);
    this.roles = Object.fromEntries(roles);
  }
}

/**
 * Assumable only by Systems Manager running an automation of this account and Region (the
 * confused-deputy conditions, https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html),
 * allowed only the calls its document's script makes, on this account's and Region's resources of
 * that type.
 *
 * The trust cannot name the document: when Automation assumes a role, `aws:SourceArn` is the
 * automation execution's ARN (`automation-execution/<execution id>`, the form AWS's trust policy for
 * Automation roles uses: https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-setup-iam.html),
 * and no condition key carries the document. So the policy itself is held to the document's one change
 * wherever ECS has a condition key for it, and docs/fix.md says who else could run the role.
 */
function automationRole(scope: Construct, remediation: Remediation): iam.Role {
  const role = new iam.Role(scope, 'AutomationRole', {
    description: `ecs-config-rules ${remediation.controlId} remediation: ${remediation.summary}`.slice(0, 1000),
    assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:automation-execution/*` },
    }),
  });
  for (const grant of remediation.grants) {
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [...grant.actions],
        resources: [`arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:${grant.resource}`],
        ...(grant.conditions && { conditions: grant.conditions }),
      }),
    );
  }
  for (const resource of new Set(remediation.grants.map((grant) => grant.resource))) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:${resource}]`,
      reason: `Remediates whichever ${remediation.controlId} resource AWS Config found NON_COMPLIANT in this account and Region: which one is known only at run time.`,
    });
  }
  return role;
}
