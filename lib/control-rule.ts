import * as path from 'path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Control } from '../lambdas/core/control';
import { apiActionsFor } from '../lambdas/runtime/api-actions';
import { ruleBundling } from './bundling';
import { InvokePermissions } from './organization/invoke-permissions';
import { Rollout } from './organization/options';
import { assumeMemberRoleStatement, organizationConfigRuleProps } from './organization/organization-rule';

export { esbuildTarget } from './bundling';

/** `lambdas/handlers/<slug>.ts`: one Lambda entry per control, so each bundle holds only its control. */
const HANDLERS_DIR = path.resolve(__dirname, '..', 'lambdas', 'handlers');

/**
 * The triggers of a change-triggered custom rule. Both are needed: an item over 256 KB arrives as an
 * oversized notification without its configuration
 * (https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html).
 */
export const CHANGE_TRIGGERS = ['ConfigurationItemChangeNotification', 'OversizedConfigurationItemChangeNotification'];

export interface ControlRuleProps {
  readonly control: Control;
  /** The full `ConfigRuleName` (prefix included). */
  readonly ruleName: string;
  /** Validated `InputParameters`: the control's defaults merged with the overrides. */
  readonly inputParameters: Readonly<Record<string, string>>;
  readonly runtime: lambda.Runtime;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  /** Organization mode: the function serves every account's rule. Absent: a rule in this account. */
  readonly organization?: OrganizationRuleSettings;
}

export interface OrganizationRuleSettings {
  /** A fixed function name, so a conformance pack can point at it (see `centralFunctionName`). */
  readonly functionName: string;
  /** The accounts whose AWS Config may invoke the function, this one included. */
  readonly invokingAccounts: readonly string[];
  readonly memberRoleName: string;
  readonly excludedAccounts: readonly string[];
  readonly rollout: Rollout;
}

/**
 * One control deployed as one AWS Config custom rule: its own bundled function, a role allowed exactly
 * the API calls that control makes, a log group with retention, the invoke permission for AWS Config
 * and the rule. Everything per rule is built here, so every rule gets the same treatment.
 */
export class ControlRule extends Construct {
  public readonly control: Control;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly function: NodejsFunction;
  /** The rule's name as deployed: `ConfigRuleName`, or `OrganizationConfigRuleName` in organization mode. */
  public readonly ruleName: string;
  /** The rule in this account (account mode). */
  public readonly configRule?: config.CfnConfigRule;
  /** The rule every member account gets (organization mode, `organization-rules` rollout). */
  public readonly organizationConfigRule?: config.CfnOrganizationConfigRule;

  constructor(scope: Construct, id: string, props: ControlRuleProps) {
    super(scope, id);
    this.control = props.control;
    this.ruleName = props.ruleName;
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = this.createRole();
    this.function = this.createFunction(props);
    if (props.organization) {
      this.organizationConfigRule = this.deployToOrganization(props, props.organization);
    } else {
      this.configRule = this.createConfigRule(props);
    }
  }

  /**
   * Allowed exactly what the runtime calls for this control (`apiActionsFor`), and writing to its own
   * log group. These Config and ECS actions support no resource-level permissions, so they need
   * `Resource: *` (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html,
   * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
   */
  private createRole(): iam.Role {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Evaluates ${this.control.id} for AWS Config`,
    });
    const { config: configActions, ecs: ecsActions } = apiActionsFor(this.control);
    role.addToPolicy(new iam.PolicyStatement({ actions: [...configActions, ...ecsActions], resources: ['*'] }));
    this.logGroup.grantWrite(role);
    return role;
  }

  private createFunction(props: ControlRuleProps): NodejsFunction {
    return new NodejsFunction(this, 'Function', {
      entry: path.join(HANDLERS_DIR, `${this.control.slug}.ts`),
      handler: 'handler',
      description: `${this.control.id} ${this.control.title}`,
      functionName: props.organization?.functionName,
      runtime: props.runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      bundling: ruleBundling(props.runtime),
    });
  }

  /**
   * The rule, invocable only by AWS Config on behalf of this account (`SourceAccount` guards against
   * the confused deputy: https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html).
   * The rule depends on the permission: AWS Config checks it can invoke the function when the rule is created.
   */
  private createConfigRule(props: ControlRuleProps): config.CfnConfigRule {
    const permissionId = 'ConfigInvoke';
    this.function.addPermission(permissionId, {
      principal: new iam.ServicePrincipal('config.amazonaws.com'),
      sourceAccount: Stack.of(this).account,
    });
    const rule = new config.CfnConfigRule(this, 'Resource', {
      configRuleName: props.ruleName,
      description: `${this.control.id} ${this.control.title}`,
      scope: { complianceResourceTypes: [this.control.resourceType] },
      inputParameters: Object.keys(props.inputParameters).length > 0 ? props.inputParameters : undefined,
      source: {
        owner: 'CUSTOM_LAMBDA',
        sourceIdentifier: this.function.functionArn,
        sourceDetails: CHANGE_TRIGGERS.map((messageType) => ({ eventSource: 'aws.config', messageType })),
      },
    });
    rule.node.addDependency(this.function.permissionsNode.findChild(permissionId));
    return rule;
  }

  /**
   * Organization mode: AWS Config in each listed account may invoke the function, which assumes the
   * member role in the event's account (lambdas/runtime/cross-account.ts). With the `organization-rules`
   * rollout the organization rule is created here, after the permissions: Config checks it can invoke.
   */
  private deployToOrganization(props: ControlRuleProps, organization: OrganizationRuleSettings): config.CfnOrganizationConfigRule | undefined {
    this.role.addToPolicy(assumeMemberRoleStatement(Stack.of(this), organization.memberRoleName));
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${organization.memberRoleName}]`,
      reason: 'The member role of that name in any account: only listed accounts can invoke the function, and each member role trusts only these function roles.',
    });
    const permissions = new InvokePermissions(this, 'InvokePermissions', { function: this.function, accounts: organization.invokingAccounts });
    if (organization.rollout !== 'organization-rules') return undefined;
    const rule = new config.CfnOrganizationConfigRule(
      this,
      'Resource',
      organizationConfigRuleProps({
        control: this.control,
        ruleName: props.ruleName,
        functionArn: this.function.functionArn,
        inputParameters: props.inputParameters,
        memberRoleName: organization.memberRoleName,
        excludedAccounts: organization.excludedAccounts,
        triggerTypes: CHANGE_TRIGGERS,
      }),
    );
    rule.node.addDependency(permissions);
    return rule;
  }
}
