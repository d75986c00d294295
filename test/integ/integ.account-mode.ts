/**
 * Account mode on a real account: the fleet as `bin/app.ts` deploys it (with manual remediation), and a
 * workload stack of ECS resources whose verdicts are known. The assertion stack then waits for them:
 * - a privileged task definition whose user is `0` is NON_COMPLIANT under ECS.4 and ECS.20, a
 *   hardened one COMPLIANT under both;
 * - registering a newer revision of the hardened family retires the older one's result (NOT_APPLICABLE,
 *   superseded) and the newer one is COMPLIANT; deregistering that latest revision retires its result
 *   too (docs/CONTROLS.md: a task definition whose Status is not ACTIVE is NOT_APPLICABLE). The newer
 *   revision is registered through the ECS API, not the stack, so CloudFormation never deletes a
 *   revision the test deregistered;
 * - a service assigning public IPs fails ECS.2, a cluster with Container Insights off ECS.12, an Auto
 *   Scaling group capacity provider without managed termination protection ECS.19;
 * - starting ECS.12's remediation for that cluster turns Container Insights on.
 * Nothing runs: the service wants no tasks and the Auto Scaling group no instances.
 */
import { App, Fn, Stack, Tags } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { EcsControlRulesStack } from '../../lib/ecs-control-rules-stack';
import { POLL_INTERVAL, VERDICT_TIMEOUT, expectVerdict, inOrder } from './assertions';

/** Physical names, so the assertions can find the resources in Config's results. */
export const ACCOUNT_MODE_NAMES = {
  fleetStack: 'EcsConfigRulesIntegFleet',
  workloadStack: 'EcsConfigRulesIntegWorkload',
  privilegedFamily: 'ecs-config-rules-integ-privileged',
  hardenedFamily: 'ecs-config-rules-integ-hardened',
  cluster: 'ecs-config-rules-integ',
  service: 'ecs-config-rules-integ-public-ip',
  capacityProvider: 'integ-ecs-config-rules-unprotected',
} as const;

const IMAGE_NAME = 'public.ecr.aws/docker/library/busybox:stable';
const IMAGE = ecs.ContainerImage.fromRegistry(IMAGE_NAME);

/** A newer revision of the hardened family, as RegisterTaskDefinition takes it: passes ECS.4 and ECS.20. */
const HARDENED_REVISION = {
  family: ACCOUNT_MODE_NAMES.hardenedFamily,
  requiresCompatibilities: ['EC2'],
  containerDefinitions: [{ name: 'app', image: IMAGE_NAME, memory: 128, privileged: false, user: '1000', readonlyRootFilesystem: true }],
};
const NEW_ARN = 'taskDefinition.taskDefinitionArn';

export function buildAccountModeCase(app: App): void {
  const names = ACCOUNT_MODE_NAMES;
  const fleet = new EcsControlRulesStack(app, names.fleetStack, { remediation: 'manual' });
  const ruleName = (controlId: string): string => {
    const rule = fleet.controlRules.rules.find((candidate) => candidate.control.id === controlId);
    if (!rule) throw new Error(`integ.account-mode: the fleet has no rule for ${controlId}`);
    return rule.ruleName;
  };

  const workload = new Stack(app, names.workloadStack);
  const privileged = privilegedTaskDefinition(workload);
  const hardened = hardenedTaskDefinition(workload);
  const cluster = clusterWithoutInsights(workload);
  publicIpService(workload, cluster);
  unprotectedCapacityProvider(workload, cluster);

  const integ = new IntegTest(app, 'AccountMode', { testCases: [fleet, workload] });
  const { assertions } = integ;
  const taskDefinition = 'AWS::ECS::TaskDefinition';
  // Config names a recorded task definition `family:revision`; the revision is known only once registered.
  const privilegedId = familyAndRevision(privileged.taskDefinitionArn);
  const hardenedId = familyAndRevision(hardened.taskDefinitionArn);
  const newerRevision = assertions.awsApiCall('ECS', 'registerTaskDefinition', HARDENED_REVISION, [NEW_ARN]);
  const newerArn = newerRevision.getAttString(NEW_ARN);
  const newerId = familyAndRevision(newerArn);

  inOrder([
    expectVerdict(assertions, { ruleName: ruleName('ECS.4'), compliance: 'NON_COMPLIANT', resourceType: taskDefinition, resourceIdPattern: privilegedId }),
    expectVerdict(assertions, { ruleName: ruleName('ECS.20'), compliance: 'NON_COMPLIANT', resourceType: taskDefinition, resourceIdPattern: privilegedId }),
    expectVerdict(assertions, { ruleName: ruleName('ECS.4'), compliance: 'COMPLIANT', resourceType: taskDefinition, resourceIdPattern: hardenedId }),
    expectVerdict(assertions, { ruleName: ruleName('ECS.20'), compliance: 'COMPLIANT', resourceType: taskDefinition, resourceIdPattern: hardenedId }),
    newerRevision,
    expectVerdict(assertions, { ruleName: ruleName('ECS.4'), compliance: 'COMPLIANT', resourceType: taskDefinition, resourceIdPattern: newerId }),
    expectVerdict(assertions, { ruleName: ruleName('ECS.4'), compliance: 'NOT_APPLICABLE', resourceType: taskDefinition, resourceIdPattern: hardenedId }),
    assertions.awsApiCall('ECS', 'deregisterTaskDefinition', { taskDefinition: newerArn }, ['taskDefinition.status']),
    expectVerdict(assertions, { ruleName: ruleName('ECS.4'), compliance: 'NOT_APPLICABLE', resourceType: taskDefinition, resourceIdPattern: newerId }),
    expectVerdict(assertions, { ruleName: ruleName('ECS.2'), compliance: 'NON_COMPLIANT', resourceType: 'AWS::ECS::Service', resourceIdPattern: names.service }),
    expectVerdict(assertions, { ruleName: ruleName('ECS.19'), compliance: 'NON_COMPLIANT', resourceType: 'AWS::ECS::CapacityProvider', resourceIdPattern: names.capacityProvider }),
    expectVerdict(assertions, { ruleName: ruleName('ECS.12'), compliance: 'NON_COMPLIANT', resourceType: 'AWS::ECS::Cluster', resourceIdPattern: names.cluster }),
    // The remediation's document takes the cluster from the result's resource id
    // (lib/remediation/documents.ts), which for a cluster is its name: the schema's primary identifier.
    assertions.awsApiCall('ConfigService', 'startRemediationExecution', {
      ConfigRuleName: ruleName('ECS.12'),
      ResourceKeys: [{ resourceType: 'AWS::ECS::Cluster', resourceId: names.cluster }],
    }),
    assertions
      .awsApiCall('ECS', 'describeClusters', { clusters: [names.cluster], include: ['SETTINGS'] })
      .expect(ExpectedResult.objectLike({ clusters: [Match.objectLike({ settings: Match.arrayWith([{ name: 'containerInsights', value: 'enabled' }]) })] }))
      .waitForAssertions({ totalTimeout: VERDICT_TIMEOUT, interval: POLL_INTERVAL }),
  ]);
}

/** `arn:…:task-definition/family:revision` → `family:revision`, anchored, as a pattern. */
function familyAndRevision(taskDefinitionArn: string): string {
  return Fn.join('', ['^', Fn.select(1, Fn.split('/', taskDefinitionArn)), '$']);
}

/** Fails ECS.4 (privileged) and ECS.20 (user `0`). EC2 compatibility: Fargate refuses privileged containers. */
function privilegedTaskDefinition(scope: Stack): ecs.Ec2TaskDefinition {
  const definition = new ecs.Ec2TaskDefinition(scope, 'Privileged', { family: ACCOUNT_MODE_NAMES.privilegedFamily });
  definition.addContainer('app', { image: IMAGE, memoryLimitMiB: 128, privileged: true, user: '0' });
  return definition;
}

/** Passes ECS.4 and ECS.20: not privileged, a non-root user. */
function hardenedTaskDefinition(scope: Stack): ecs.Ec2TaskDefinition {
  const definition = new ecs.Ec2TaskDefinition(scope, 'Hardened', { family: ACCOUNT_MODE_NAMES.hardenedFamily });
  definition.addContainer('app', {
    image: IMAGE,
    memoryLimitMiB: 128,
    privileged: false,
    user: '1000',
    readonlyRootFilesystem: true,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app' }),
  });
  Tags.of(definition).add('owner', 'ecs-config-rules-integ');
  return definition;
}

/**
 * Container Insights off explicitly: a cluster left unset takes the account's `containerInsights`
 * setting (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html),
 * which a sandbox account may have turned on.
 */
function clusterWithoutInsights(scope: Stack): ecs.Cluster {
  const vpc = new ec2.Vpc(scope, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  return new ecs.Cluster(scope, 'Cluster', { vpc, clusterName: ACCOUNT_MODE_NAMES.cluster, containerInsightsV2: ecs.ContainerInsights.DISABLED });
}

/** Fails ECS.2: public IPs assigned. No tasks wanted, so none runs. */
function publicIpService(scope: Stack, cluster: ecs.Cluster): void {
  const definition = new ecs.FargateTaskDefinition(scope, 'ServiceTask');
  definition.addContainer('app', { image: IMAGE, user: '1000', readonlyRootFilesystem: true });
  new ecs.FargateService(scope, 'Service', {
    cluster,
    taskDefinition: definition,
    serviceName: ACCOUNT_MODE_NAMES.service,
    desiredCount: 0,
    // The CDK's advice for services that run tasks; set so the synth stays free of warnings.
    minHealthyPercent: 100,
    circuitBreaker: { rollback: true },
    assignPublicIp: true,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
  });
}

/** Fails ECS.19: managed termination protection off. The group wants no instances. (A capacity provider's name may not start with `ecs`, ECS's CreateCapacityProvider says.) */
function unprotectedCapacityProvider(scope: Stack, cluster: ecs.Cluster): void {
  const autoScalingGroup = new autoscaling.AutoScalingGroup(scope, 'Instances', {
    vpc: cluster.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    instanceType: new ec2.InstanceType('t3.micro'),
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    minCapacity: 0,
    maxCapacity: 1,
  });
  const provider = new ecs.AsgCapacityProvider(scope, 'CapacityProvider', {
    autoScalingGroup,
    capacityProviderName: ACCOUNT_MODE_NAMES.capacityProvider,
    enableManagedTerminationProtection: false,
  });
  cluster.addAsgCapacityProvider(provider);
}
