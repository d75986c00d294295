/**
 * An organization-wide configuration aggregator: the delegated administrator's Config dashboards
 * and advanced queries then see every account and region.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface OrganizationAggregatorProps {
  readonly aggregatorName: string;
}

/**
 * The read-only Organizations calls of the `AWSConfigRoleForOrganizations` managed policy, inline so
 * the grant is visible and cannot grow with a policy update
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSConfigRoleForOrganizations.html).
 * These actions take no resource-level permissions, hence `Resource: *`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html).
 */
export const AGGREGATOR_ACTIONS = [
  'organizations:DescribeOrganization',
  'organizations:ListAWSServiceAccessForOrganization',
  'organizations:ListAccounts',
  'organizations:ListDelegatedAdministrators',
];

export class OrganizationAggregator extends Construct {
  public readonly role: iam.Role;
  public readonly aggregator: config.CfnConfigurationAggregator;

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: OrganizationAggregatorProps): OrganizationAggregator {
    return new OrganizationAggregator(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: OrganizationAggregatorProps) {
    super(scope, id);
    // Only AWS Config acting for this account may assume the role (the confused-deputy guard AWS
    // Config documents for its roles: https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': Stack.of(this).account } }),
      description: 'Lets AWS Config list the organization accounts for the ecs-config-rules aggregator',
      inlinePolicies: {
        ListOrganizationAccounts: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: AGGREGATOR_ACTIONS, resources: ['*'] })] }),
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'The four read-only Organizations calls AWS Config needs to list the accounts take no resource-level permissions.',
    });
    this.aggregator = new config.CfnConfigurationAggregator(this, 'Resource', {
      configurationAggregatorName: props.aggregatorName,
      organizationAggregationSource: { roleArn: this.role.roleArn, allAwsRegions: true },
    });
  }
}
