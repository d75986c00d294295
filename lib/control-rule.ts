import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IDependable } from 'constructs';
import { Control, Severity } from '../lambdas/core/control';
import { ResourceType } from '../lambdas/core/model';
import { apiActionsFor } from '../lambdas/runtime/api-actions';
import { bundledFunction, controlEntry } from './bundling';

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

/**
 * What a rule tells of its control. Not the registry's `Control`: that one carries the evaluator
 * (behaviour), which jsii cannot hand to other languages (docs/jsii.md).
 */
export interface ControlSummary {
  /** `ECS.20` */
  readonly id: string;
  /** `ecs-20`: the rule-name and file-name form of the id. */
  readonly slug: string;
  readonly title: string;
  readonly severity: Severity;
  readonly resourceType: ResourceType;
}

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
  /**
   * A fixed function name (organization mode: a conformance pack and the central dashboard name it).
   * Absent: CloudFormation names it.
   */
  readonly functionName?: string;
  /**
   * Whether this construct creates the Config rule. `false` when an organization conformance pack
   * creates it: the function and AWS Config's permission to invoke it are still deployed.
   *
   * @default true
   */
  readonly createRule?: boolean;
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

/**
 * One control deployed as one AWS Config custom rule: its own bundled function, a role allowed exactly
 * the API calls that control makes, a log group with retention, the invoke permission for AWS Config
 * and the rule. Everything per rule is built here, so every rule gets the same treatment.
 */
export class ControlRule extends Construct {
  public readonly control: ControlSummary;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly function: lambda.Function;
  /** The rule's `ConfigRuleName`. */
  public readonly ruleName: string;
  /** The rule in this account; absent when a conformance pack creates it. */
  public readonly configRule?: config.CfnConfigRule;
  /** The registry's control, evaluator included, which the grants are derived from. */
  private readonly registered: Control;

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: ControlRuleProps): ControlRule {
    return new ControlRule(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: ControlRuleProps) {
    super(scope, id);
    this.control = props.control;
    this.registered = props.control;
    this.ruleName = props.ruleName;
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, encryptionKey: props.encryptionKey });
    this.role = this.createRole(props);
    this.function = this.createFunction(props);
    const permission = this.allowConfigToInvoke();
    if (props.createRule ?? true) {
      this.configRule = this.createConfigRule(props, permission);
    } else {
      this.grantPackRuleReads(props.maximumExecutionFrequency !== undefined);
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
    const { config: configActions, ecs: ecsActions } = apiActionsFor(this.registered, { periodic: props.maximumExecutionFrequency !== undefined });
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
   * Periodic mode with a conformance pack creating the rule: AWS Config names a pack's rule itself
   * (`<name>-conformance-pack-<suffix>`), so its ARN is unknown here and the grant covers this
   * account's rules in this Region, read-only.
   */
  private grantPackRuleReads(periodic: boolean): void {
    const { configRule } = apiActionsFor(this.registered, { periodic });
    if (configRule.length === 0) return;
    const stack = Stack.of(this);
    const rules = `arn:${stack.partition}:config:${stack.region}:${stack.account}:config-rule/*`;
    this.role.addToPolicy(new iam.PolicyStatement({ actions: [...configRule], resources: [rules] }));
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]',
      reason: "Read-only results of this account's rules in this Region: the conformance pack names the rule it creates, so its ARN is unknown here.",
    });
  }

  /**
   * Periodic mode reads the rule's own results: that action takes the rule's ARN, which exists only
   * once the rule does, so it goes in a policy of its own (the function, which the rule needs first,
   * does not wait for it).
   */
  private grantRuleReads(rule: config.CfnConfigRule, periodic: boolean): void {
    const { configRule } = apiActionsFor(this.registered, { periodic });
    if (configRule.length === 0) return;
    new iam.Policy(this, 'RulePolicy', { roles: [this.role], statements: [new iam.PolicyStatement({ actions: [...configRule], resources: [rule.attrArn] })] });
  }

  private createFunction(props: ControlRuleProps): lambda.Function {
    const fn = bundledFunction(this, 'Function', controlEntry(this.control.slug), {
      description: `${this.control.id} ${this.control.title}`,
      functionName: props.functionName,
      runtime: props.runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
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
   * The function is invocable only by AWS Config acting for this account (`SourceAccount` guards
   * against the confused deputy: https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html).
   * In a member template `AWS::AccountId` is that member account: no account list, in any mode.
   */
  private allowConfigToInvoke(): IDependable {
    const permissionId = 'ConfigInvoke';
    this.function.addPermission(permissionId, {
      principal: new iam.ServicePrincipal('config.amazonaws.com'),
      sourceAccount: Stack.of(this).account,
    });
    return this.function.permissionsNode.findChild(permissionId);
  }

  /** The rule depends on the permission: AWS Config checks it can invoke the function when the rule is created. */
  private createConfigRule(props: ControlRuleProps, permission: IDependable): config.CfnConfigRule {
    const rule = new config.CfnConfigRule(this, 'Resource', {
      configRuleName: props.ruleName,
      description: `${this.control.id} ${this.control.title}`,
      scope: { complianceResourceTypes: [this.control.resourceType] },
      inputParameters: Object.keys(props.inputParameters).length > 0 ? props.inputParameters : undefined,
      source: {
        owner: 'CUSTOM_LAMBDA',
        sourceIdentifier: this.function.functionArn,
        sourceDetails: ruleSourceDetails(props.maximumExecutionFrequency).map(({ messageType, maximumExecutionFrequency }) => ({ eventSource: 'aws.config', messageType, maximumExecutionFrequency })),
      },
    });
    rule.node.addDependency(permission);
    this.grantRuleReads(rule, props.maximumExecutionFrequency !== undefined);
    return rule;
  }
}

/** A rule's triggers: change notifications, and in periodic mode the schedule too. Shared with the conformance pack. */
export function ruleSourceDetails(maximumExecutionFrequency?: string): Array<{ messageType: string; maximumExecutionFrequency?: string }> {
  return [
    ...CHANGE_TRIGGERS.map((messageType) => ({ messageType })),
    ...(maximumExecutionFrequency ? [{ messageType: SCHEDULED_TRIGGER, maximumExecutionFrequency }] : []),
  ];
}
