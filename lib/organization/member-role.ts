/**
 * The role in every member account that the central rule functions assume, deployed by a
 * service-managed StackSet so accounts that join the targeted OUs later get it automatically.
 */
import { Aws, CfnParameter, CfnStackSet, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Control } from '../../lambdas/core/control';
import { apiActionsFor } from '../../lambdas/runtime/api-actions';
import { StackSetCallAs } from './options';

/** The stack parameter asking for the StackSet's targets when they are not given at synth. */
export const MEMBER_ROLE_TARGETS_PARAMETER = 'MemberRoleTargets';

export interface MemberRoleStackSetProps {
  /** The deployed controls: the role may make exactly the calls their functions make. */
  readonly controls: readonly Control[];
  /** The central functions' roles, the only principals the member role trusts. */
  readonly trustedRoles: readonly iam.IRole[];
  readonly roleName: string;
  /** Root or OU ids; undefined: asked for as the `MemberRoleTargets` stack parameter. */
  readonly targetOrganizationalUnitIds?: readonly string[];
  readonly callAs: StackSetCallAs;
  /** Makes the StackSet name unique when several fleets share an account. */
  readonly namePrefix: string;
  /** Periodic mode: the role also reads Config's inventory and the member rules' results. */
  readonly periodic?: boolean;
}

/** The actions the member role allows: what any deployed control's function calls, sorted. */
export function memberRoleActions(controls: readonly Control[], periodic = false): string[] {
  const actions = new Set(controls.flatMap((control) => {
    const { config, ecs } = apiActionsFor(control, { periodic });
    return [...config, ...ecs];
  }));
  return [...actions].sort();
}

/**
 * Periodic mode reads each member rule's results, an action that takes a rule ARN: AWS Config names
 * member rules itself, so any rule of the member account (`Fn::Sub` in the member stack, where
 * `AWS::AccountId` is the member's).
 */
function memberRuleReadStatements(controls: readonly Control[], periodic: boolean): Record<string, unknown>[] {
  const actions = [...new Set(controls.flatMap((control) => apiActionsFor(control, { periodic }).configRule))];
  if (actions.length === 0) return [];
  return [{ Effect: 'Allow', Action: actions, Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:config:*:${AWS::AccountId}:config-rule/*' } }];
}

/**
 * The member template. The trust names the central account and then pins the exact roles with
 * `aws:PrincipalArn`: a role ARN as principal is saved as the role's unique id
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles),
 * the condition is not, so it survives a central role being replaced
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
 * These Config and ECS actions support no resource-level permissions, hence `Resource: *`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
 */
export function memberRoleTemplate(props: Pick<MemberRoleStackSetProps, 'controls' | 'roleName' | 'periodic'>, trustedRoleArns: readonly string[]): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'ecs-config-rules: the role the central ECS rule functions assume to evaluate this account',
    Resources: {
      MemberRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: props.roleName,
          Description: 'Assumed by the central ecs-config-rules functions to read ECS / Config and report evaluations in this account',
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root` },
                Action: 'sts:AssumeRole',
                Condition: { ArnEquals: { 'aws:PrincipalArn': [...trustedRoleArns] } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'EvaluateEcsControls',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: memberRoleActions(props.controls, props.periodic), Resource: '*' },
                  ...memberRuleReadStatements(props.controls, props.periodic ?? false),
                ],
              },
            },
          ],
        },
      },
    },
  };
}

export class MemberRoleStackSet extends Construct {
  public readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberRoleStackSetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const template = memberRoleTemplate(props, props.trustedRoles.map((role) => role.roleArn));
    this.stackSet = new CfnStackSet(this, 'Resource', {
      stackSetName: `${props.namePrefix}ecs-config-rules-member-role`,
      description: `The ${props.roleName} role the central ecs-config-rules functions assume in member accounts`,
      permissionModel: 'SERVICE_MANAGED',
      callAs: props.callAs,
      // Accounts joining a targeted OU get the role; accounts leaving lose it.
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { maxConcurrentPercentage: 100, failureTolerancePercentage: 0, regionConcurrencyType: 'PARALLEL' },
      // IAM is global: one region's stack instance creates the role for every region's rules.
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: [...(props.targetOrganizationalUnitIds ?? this.targetsParameter())] }, regions: [stack.region] }],
      templateBody: stack.toJsonString(template),
    });
  }

  /** A stack parameter with a fixed name, so the deploy command can give it: `--parameters MemberRoleTargets=r-abcd`. */
  private targetsParameter(): string[] {
    const parameter = new CfnParameter(this, 'Targets', {
      type: 'CommaDelimitedList',
      description: 'Organization root id (r-…) or OU ids (ou-…) whose accounts get the ecs-config-rules member role',
    });
    parameter.overrideLogicalId(MEMBER_ROLE_TARGETS_PARAMETER);
    return parameter.valueAsList;
  }
}
