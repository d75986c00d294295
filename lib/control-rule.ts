import * as path from 'path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
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
/** Periodic mode's trigger: the function re-evaluates the rule's whole scope (lambdas/runtime/periodic.ts). */
export const SCHEDULED_TRIGGER = 'ScheduledNotification';

/**
 * Lambda's own asynchronous retries (twice, within 6 hours) before an event goes to the on-failure
 * destination, stated explicitly because the redrive relies on them
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
 */
const ASYNC_RETRY_ATTEMPTS = 2;
const MAX_EVENT_AGE = Duration.hours(6);

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
  /** The functions call FIPS endpoints (`AWS_USE_FIPS_ENDPOINT`). */
  readonly fips: boolean;
  /** Encrypts the log group (a customer-managed key); CloudWatch Logs' own encryption otherwise. */
  readonly encryptionKey?: kms.IKey;
  /** Where Lambda sends an event whose invocation failed every attempt (the failed-invocations queue). */
  readonly onFailure: lambda.IDestination;
  /** Concurrent executions reserved for (and limiting) the function. */
  readonly reservedConcurrency: number;
  /** Periodic mode: also evaluate the whole scope at this frequency. Absent: change-triggered only. */
  readonly maximumExecutionFrequency?: config.MaximumExecutionFrequency;
  /** Organization mode: the function serves every account's rule. Absent: a rule in this account. */
  readonly organization?: OrganizationRuleSettings;
}

/**
 * Lets CloudWatch Logs use a customer-managed key for this Region's log groups of this account only
 * (the key policy AWS documents: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 * An imported key's policy cannot be changed here (a no-op): it must allow this already.
 */
export function allowLogGroupEncryption(key: kms.IKey, scope: Construct): void {
  const stack = Stack.of(scope);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` } },
    }),
    true,
  );
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
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, encryptionKey: props.encryptionKey });
    this.role = this.createRole(props);
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
  private createRole(props: ControlRuleProps): iam.Role {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Evaluates ${this.control.id} for AWS Config`,
    });
    const { config: configActions, ecs: ecsActions } = apiActionsFor(this.control, { periodic: props.maximumExecutionFrequency !== undefined });
    const actions = [...configActions, ...ecsActions];
    role.addToPolicy(new iam.PolicyStatement({ actions, resources: ['*'] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `Exactly the calls the ${this.control.id} function makes (${actions.join(', ')}), none of which takes resource-level permissions.`,
    });
    this.logGroup.grantWrite(role);
    return role;
  }

  /**
   * Organization mode, periodic: this account's own member rule is evaluated with the function's own
   * credentials, and AWS Config names that rule (and so its ARN) only when it creates it.
   */
  private grantOwnMemberRuleReads(periodic: boolean): void {
    const { configRule } = apiActionsFor(this.control, { periodic });
    if (configRule.length === 0) return;
    const stack = Stack.of(this);
    const rules = `arn:${stack.partition}:config:${stack.region}:${stack.account}:config-rule/*`;
    this.role.addToPolicy(new iam.PolicyStatement({ actions: [...configRule], resources: [rules] }));
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]`,
      reason: "Read-only results of this account's rules: AWS Config names the member rule it creates from the organization rule, so its ARN is unknown here.",
    });
  }

  /**
   * Periodic mode reads the rule's own results: that action takes the rule's ARN, which exists only
   * once the rule does, so it goes in a policy of its own (the function, which the rule needs first,
   * does not wait for it).
   */
  private grantRuleReads(rule: config.CfnConfigRule, periodic: boolean): void {
    const { configRule } = apiActionsFor(this.control, { periodic });
    if (configRule.length === 0) return;
    new iam.Policy(this, 'RulePolicy', { roles: [this.role], statements: [new iam.PolicyStatement({ actions: [...configRule], resources: [rule.attrArn] })] });
  }

  private createFunction(props: ControlRuleProps): NodejsFunction {
    const fn = new NodejsFunction(this, 'Function', {
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
      environment: props.fips ? { AWS_USE_FIPS_ENDPOINT: 'true' } : undefined,
      onFailure: props.onFailure,
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: MAX_EVENT_AGE,
      // A deploy storm queues up (Lambda keeps throttled asynchronous events and retries them) instead
      // of taking the account's concurrency from its other functions.
      reservedConcurrentExecutions: props.reservedConcurrency,
    });
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Failed asynchronous invocations go to the on-failure destination (the encrypted failed-invocations queue), whose records carry the error as well as the event; a dead-letter queue would receive the same events twice.',
    });
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaTracing',
      reason: 'One to three AWS calls per invocation, counted in the structured evaluation logs and metrics; X-Ray would add a Resource:* grant and a cost per invocation without telling more.',
    });
    return fn;
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
        sourceDetails: [
          ...CHANGE_TRIGGERS.map((messageType) => ({ eventSource: 'aws.config', messageType })),
          ...(props.maximumExecutionFrequency ? [{ eventSource: 'aws.config', messageType: SCHEDULED_TRIGGER, maximumExecutionFrequency: props.maximumExecutionFrequency }] : []),
        ],
      },
    });
    rule.node.addDependency(this.function.permissionsNode.findChild(permissionId));
    this.grantRuleReads(rule, props.maximumExecutionFrequency !== undefined);
    return rule;
  }

  /**
   * Organization mode: AWS Config in each listed account may invoke the function. (The rule functions
   * no longer assume the member role: they call AWS only in their own account, and organization mode
   * moves to a per-account fleet.) With the `organization-rules`
   * rollout the organization rule is created here, after the permissions: Config checks it can invoke.
   */
  private deployToOrganization(props: ControlRuleProps, organization: OrganizationRuleSettings): config.CfnOrganizationConfigRule | undefined {
    this.role.addToPolicy(assumeMemberRoleStatement(Stack.of(this), organization.memberRoleName));
    this.grantOwnMemberRuleReads(props.maximumExecutionFrequency !== undefined);
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
        triggerTypes: props.maximumExecutionFrequency ? [...CHANGE_TRIGGERS, SCHEDULED_TRIGGER] : CHANGE_TRIGGERS,
        maximumExecutionFrequency: props.maximumExecutionFrequency,
      }),
    );
    rule.node.addDependency(permissions);
    return rule;
  }
}
