/**
 * The service-managed StackSet that gives every account of the targeted OUs its own fleet, in each
 * target Region, and keeps it current: accounts that join later get it with no redeploy
 * (automatic deployment, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html).
 * Nothing in it lists accounts: OUs, Regions and one parameter override per Region.
 */
import { CfnParameter, CfnStackSet, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MEMBER_PARAMETERS } from './member-template';
import { ResolvedOrganizationOptions } from './options';

/** The stack parameter asking for the targets when they are not given at synth. */
export const TARGET_OUS_PARAMETER = 'TargetOus';

export interface FleetStackSetProps {
  readonly organization: ResolvedOrganizationOptions;
  /** The member template's `TemplateURL`. */
  readonly templateUrl: string;
  /** Each target Region with its observability sink's ARN. */
  readonly regions: ReadonlyArray<{ readonly region: string; readonly sinkArn: string }>;
  readonly namePrefix: string;
}

export class FleetStackSet extends Construct {
  public readonly stackSet: CfnStackSet;

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: FleetStackSetProps): FleetStackSet {
    return new FleetStackSet(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: FleetStackSetProps) {
    super(scope, id);
    const { organization } = props;
    const deploymentTargets: CfnStackSet.DeploymentTargetsProperty = {
      organizationalUnitIds: [...(organization.targetOrganizationalUnitIds ?? this.targetsParameter())],
      ...(organization.excludedAccounts.length > 0 ? { accountFilterType: 'DIFFERENCE', accounts: [...organization.excludedAccounts] } : {}),
    };
    this.stackSet = new CfnStackSet(this, 'Resource', {
      stackSetName: `${props.namePrefix}ecs-config-rules`,
      description: "AWS Security Hub's ECS controls as each account's own AWS Config rules (ecs-config-rules)",
      permissionModel: 'SERVICE_MANAGED',
      callAs: organization.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: organization.retainStacksOnAccountRemoval },
      // The rule functions' roles: CloudFormation names them, so no CAPABILITY_NAMED_IAM.
      capabilities: ['CAPABILITY_IAM'],
      // Operations queue instead of failing while another one (an automatic deployment) runs.
      managedExecution: { Active: true },
      operationPreferences: {
        regionConcurrencyType: 'PARALLEL',
        maxConcurrentPercentage: organization.maxConcurrentPercentage,
        failureTolerancePercentage: organization.failureTolerancePercentage,
        // Keeps MaxConcurrent accounts busy while failures stay under the tolerance, instead of
        // shrinking each batch by the failures so far (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html#concurrency-mode).
        concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
      },
      parameters: [{ parameterKey: MEMBER_PARAMETERS.centralAccountId, parameterValue: Stack.of(this).account }],
      stackInstancesGroup: props.regions.map(({ region, sinkArn }) => ({
        deploymentTargets,
        regions: [region],
        parameterOverrides: [{ parameterKey: MEMBER_PARAMETERS.sinkArn, parameterValue: sinkArn }],
      })),
      templateUrl: props.templateUrl,
    });
  }

  /** A stack parameter with a fixed name, so the deploy command can give it: `--parameters TargetOus=r-abcd`. */
  private targetsParameter(): string[] {
    const parameter = new CfnParameter(this, 'Targets', {
      type: 'CommaDelimitedList',
      description: 'Organization root id (r-…) or OU ids (ou-…) whose accounts get the ecs-config-rules fleet',
    });
    parameter.overrideLogicalId(TARGET_OUS_PARAMETER);
    return parameter.valueAsList;
  }
}
