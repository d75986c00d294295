/**
 * Who may invoke a central rule function: AWS Config acting for one of the listed accounts, and
 * nobody else.
 *
 * Why one `SourceAccount` permission per account rather than one for the organization: the keys
 * that would say "any account of my organization" for a service principal, `aws:SourceOrgID` and
 * `aws:SourceOrgPaths`, cannot be put in a Lambda resource policy, whose only conditions are the
 * `AddPermission` fields (`SourceAccount`, `SourceArn`, `PrincipalOrgID`, `EventSourceToken`,
 * `FunctionUrlAuthType`: https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html);
 * `PrincipalOrgID` tests the caller's own organization, which a service principal does not have
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid),
 * and without any condition every account's Config could invoke the function. docs/organization.md
 * has the whole comparison.
 */
import { NestedStack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface InvokePermissionsProps {
  readonly function: lambda.IFunction;
  /** 12-digit account ids (or the stack's own account token), without duplicates. */
  readonly accounts: readonly string[];
}

/**
 * The permissions live in a nested stack per function: one resource per account per control would
 * soon pass CloudFormation's 500 resources per stack
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
 */
export class InvokePermissions extends NestedStack {
  constructor(scope: Construct, id: string, props: InvokePermissionsProps) {
    super(scope, id, { description: `Lets AWS Config in ${props.accounts.length} account(s) invoke one ecs-config-rules function` });
    for (const account of props.accounts) {
      props.function.addPermission(`Config${/^\d{12}$/.test(account) ? account : 'ThisAccount'}`, {
        principal: new iam.ServicePrincipal('config.amazonaws.com'),
        sourceAccount: account,
        scope: this,
      });
    }
  }
}
