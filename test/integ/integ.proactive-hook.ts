/**
 * The proactive hook on a real account: the hook deployed on its own (FAIL mode, every control), then
 * two stacks created through CloudFormation as a user would:
 * - one with a privileged container running as root (test/integ/stacks/privileged-task-definition.json)
 *   fails: it rolls back, and the hook's message, as CloudFormation records it in the stack's events,
 *   names ECS.4;
 * - one that passes every control (test/integ/stacks/hardened-task-definition.json) is created.
 * Both are deleted at the end. The templates are checked offline by the scanner (snapshots.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ExpectedResult, IApiCall, IDeployAssert, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { ProactiveHook } from '../../lib/proactive-hook';
import { inOrder } from './assertions';

export const HOOK_STACKS = {
  privileged: { stackName: 'ecs-config-rules-integ-hook-privileged', template: path.join(__dirname, 'stacks', 'privileged-task-definition.json') },
  hardened: { stackName: 'ecs-config-rules-integ-hook-hardened', template: path.join(__dirname, 'stacks', 'hardened-task-definition.json') },
} as const;

/** A one-resource stack is created or rolled back in a few minutes; ten is the allowance. */
const STACK_TIMEOUT = Duration.minutes(10);
const STACK_POLL_INTERVAL = Duration.seconds(15);

/**
 * What the assertion provider needs for CloudFormation to create and delete the task definitions with
 * its credentials (no service role is passed, so CloudFormation uses the caller's:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html).
 */
const TASK_DEFINITION_ACTIONS = ['ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DeleteTaskDefinitions', 'ecs:DescribeTaskDefinition', 'ecs:TagResource'];

/**
 * The hook's verdicts from a stack's events. `DescribeStackEvents` returns every event of the stack,
 * more than the 4,096 bytes a custom resource may answer with, so a small function keeps only the
 * hook events' status and reason (`HookStatus`, `HookStatusReason`:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackEvent.html).
 */
const HOOK_EVENTS_CODE = `
const { CloudFormationClient, DescribeStackEventsCommand } = require('@aws-sdk/client-cloudformation');
exports.handler = async ({ stackName }) => {
  const { StackEvents = [] } = await new CloudFormationClient({}).send(new DescribeStackEventsCommand({ StackName: stackName }));
  return StackEvents.filter((event) => event.HookStatus).map((event) => event.HookStatus + ': ' + (event.HookStatusReason || '')).join('\\n');
};
`;

export function buildProactiveHookCase(app: App): void {
  const stack = new Stack(app, 'EcsConfigRulesIntegHook');
  new ProactiveHook(stack, 'Hook', { failureMode: 'FAIL' });
  const hookEvents = new lambda.Function(stack, 'HookEvents', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(HOOK_EVENTS_CODE),
    timeout: Duration.seconds(30),
  });
  hookEvents.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStackEvents'], resources: ['*'] }));

  const { assertions } = new IntegTest(app, 'ProactiveHook', { testCases: [stack] });
  const { privileged, hardened } = HOOK_STACKS;
  const createPrivileged = createStack(assertions, privileged);
  inOrder([
    createPrivileged,
    stackReaches(assertions, privileged.stackName, 'ROLLBACK_COMPLETE'),
    assertions
      .invokeFunction({ functionName: hookEvents.functionName, payload: JSON.stringify({ stackName: privileged.stackName }) })
      .expect(ExpectedResult.objectLike({ Payload: Match.stringLikeRegexp('HOOK_COMPLETE_FAILED: [^\\n]*ECS\\.4') })),
    createStack(assertions, hardened),
    stackReaches(assertions, hardened.stackName, 'CREATE_COMPLETE'),
    assertions.awsApiCall('CloudFormation', 'deleteStack', { StackName: privileged.stackName }),
    assertions.awsApiCall('CloudFormation', 'deleteStack', { StackName: hardened.stackName }),
  ]);
  createPrivileged.provider.addToRolePolicy({ Effect: 'Allow', Action: TASK_DEFINITION_ACTIONS, Resource: ['*'] });
}

function createStack(assertions: IDeployAssert, { stackName, template }: { stackName: string; template: string }): IApiCall {
  return assertions.awsApiCall('CloudFormation', 'createStack', { StackName: stackName, TemplateBody: fs.readFileSync(template, 'utf8') }, ['StackId']);
}

function stackReaches(assertions: IDeployAssert, stackName: string, status: string): IApiCall {
  return assertions
    .awsApiCall('CloudFormation', 'describeStacks', { StackName: stackName })
    .expect(ExpectedResult.objectLike({ Stacks: [Match.objectLike({ StackStatus: status })] }))
    .waitForAssertions({ totalTimeout: STACK_TIMEOUT, interval: STACK_POLL_INTERVAL });
}
