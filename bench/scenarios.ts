/**
 * What each rule is invoked with: one realistic change event per resource type (built from the
 * handler tests' recorded-shape fixtures), answered by the same loopback AWS endpoint the handler
 * tests use. Task definition events exercise the full path: the latest revision is evaluated and two
 * superseded ones are retired, so "one ECS call" is measured on the case that needs the most.
 */
import { Control } from '../lambdas/core/control';
import { ResourceType } from '../lambdas/core/model';
import { AwsLoopback, RecordedCall } from '../dev-support/aws-loopback';
import { changeEventFor, clusterItem, serviceItem, TASK_DEFINITION_ARN, taskDefinitionItem } from '../dev-support/events';

type Json = Record<string, any>;

/** Revisions ListTaskDefinitions reports ACTIVE for any family: the event's (7) is the latest. */
const ACTIVE_REVISIONS = [5, 6, 7];

/** The ACTIVE revisions older than the event's, which its rule retires. */
export const OLDER_ACTIVE_REVISIONS = ACTIVE_REVISIONS.length - 1;

/** Starts a loopback endpoint answering every call a rule makes. */
export async function startLoopback(): Promise<{ aws: AwsLoopback; endpoint: string }> {
  const aws = new AwsLoopback();
  const endpoint = await aws.start();
  aws.on('PutEvaluations', () => ({ FailedEvaluations: [] }));
  aws.on('ListTaskDefinitions', (body) => ({ taskDefinitionArns: ACTIVE_REVISIONS.map((revision) => TASK_DEFINITION_ARN(String(body.familyPrefix), revision)) }));
  aws.on('DescribeTaskDefinition', (body) => ({
    taskDefinition: { taskDefinitionArn: String(body.taskDefinition), family: 'checkout-api', revision: 7, status: 'ACTIVE', runtimePlatform: { operatingSystemFamily: 'LINUX' } },
  }));
  return { aws, endpoint };
}

/** The environment a Lambda function has: region and its role's temporary credentials. */
export function lambdaEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'ASIABENCHMARK0000000',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
  };
}

/** The recorded item's envelope around another resource. */
function recordedAs(resourceType: ResourceType, resourceId: string, arn: string, configuration: Json): Json {
  return { ...taskDefinitionItem(), resourceType, resourceId, resourceName: resourceId, ARN: arn, configuration };
}

const ITEMS: Record<ResourceType, () => Json> = {
  'AWS::ECS::TaskDefinition': taskDefinitionItem,
  'AWS::ECS::Service': () =>
    serviceItem({
      LaunchType: 'FARGATE',
      PlatformVersion: '1.4.0',
      TaskDefinition: TASK_DEFINITION_ARN('checkout-api', 7),
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: ['subnet-0a1b2c3d'], SecurityGroups: ['sg-0a1b2c3d'] } },
    }),
  'AWS::ECS::Cluster': () => clusterItem({ ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] }, { team: 'payments' }),
  'AWS::ECS::TaskSet': () =>
    recordedAs('AWS::ECS::TaskSet', 'ecs-svc/1234567890123456789', 'arn:aws:ecs:us-east-1:123456789012:task-set/prod/checkout-api/ecs-svc/1234567890123456789', {
      Id: 'ecs-svc/1234567890123456789',
      NetworkConfiguration: { AwsVpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: ['subnet-0a1b2c3d'] } },
    }),
  'AWS::ECS::CapacityProvider': () =>
    recordedAs('AWS::ECS::CapacityProvider', 'prod-asg', 'arn:aws:ecs:us-east-1:123456789012:capacity-provider/prod-asg', {
      Name: 'prod-asg',
      AutoScalingGroupProvider: { AutoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/prod', ManagedTerminationProtection: 'ENABLED' },
    }),
};

/** A ConfigurationItemChangeNotification for a resource of the control's type. */
export function ruleEventFor(control: Control): Json {
  return changeEventFor(ITEMS[control.resourceType]());
}

/** `service:Operation` → count, e.g. `{ 'ecs:ListTaskDefinitions': 1, 'config:PutEvaluations': 1 }`. */
export function callsByKind(calls: readonly RecordedCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[`${call.service}:${call.operation}`] = (counts[`${call.service}:${call.operation}`] ?? 0) + 1;
  return counts;
}

/** The evaluations the PutEvaluations calls among `calls` reported. */
export function evaluationsReported(calls: readonly RecordedCall[]): number {
  return calls.filter((call) => call.operation === 'PutEvaluations').reduce((sum, call) => sum + (call.body.Evaluations as unknown[]).length, 0);
}

/** ECS reads asking about the same family (or task definition) twice in one invocation. */
export function repeatedEcsReads(calls: readonly RecordedCall[]): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const call of calls.filter((recorded) => recorded.service === 'ecs')) {
    const subject = `${call.operation} ${String(call.body.familyPrefix ?? call.body.taskDefinition)} ${String(call.body.nextToken ?? '')}`;
    if (seen.has(subject)) repeated.push(subject);
    seen.add(subject);
  }
  return repeated;
}
