/**
 * ECS.10 needs the OS family of a service's task definition, which the service's properties name
 * only by ARN: the hook asks ECS (DescribeTaskDefinition, the call the Config rule makes), with a
 * budget well inside the 30 seconds CloudFormation waits for the hook
 * (https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html).
 * A lookup that fails or runs out of time is never a guess: the OS family is unreadable, naming why,
 * and ECS.10 reports "could not evaluate".
 */
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { OperatingSystemFamily, Unreadable } from '../lambdas/core/model';

export type TaskDefinitionLookup = (taskDefinition: string, path: string) => Promise<OperatingSystemFamily | Unreadable>;

export interface LookupBudget {
  /** The whole lookup, retries included, is abandoned after this long. */
  readonly totalMs: number;
  /** One HTTP attempt. */
  readonly attemptMs: number;
  readonly maxAttempts: number;
}

/** 3 attempts of at most 3 s, all within 10 s: the function (timeout 20 s) still answers in time. */
export const LOOKUP_BUDGET: LookupBudget = { totalMs: 10_000, attemptMs: 3_000, maxAttempts: 3 };

/** A lookup through the AWS SDK's ECS client; the client is created once per function instance. */
export function createTaskDefinitionLookup(budget: LookupBudget = LOOKUP_BUDGET): TaskDefinitionLookup {
  let client: ECSClient | undefined;
  return async (taskDefinition, path) => {
    // Without throwOnRequestTimeout an attempt past requestTimeout only logs a warning and keeps waiting
    // (as in lambdas/runtime/aws-clients.ts): the attempt would not end at attemptMs, nor be retried.
    client ??= new ECSClient({ maxAttempts: budget.maxAttempts, requestHandler: { connectionTimeout: budget.attemptMs, requestTimeout: budget.attemptMs, throwOnRequestTimeout: true } });
    try {
      const reply = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition }), { abortSignal: AbortSignal.timeout(budget.totalMs) });
      if (!reply.taskDefinition) return new Unreadable(path, `DescribeTaskDefinition returned no task definition for ${taskDefinition}`);
      // No runtimePlatform means Linux, which ECS.10 reads as "not Windows".
      return reply.taskDefinition.runtimePlatform?.operatingSystemFamily;
    } catch (error) {
      return new Unreadable(path, `the task definition's OS family could not be looked up (DescribeTaskDefinition ${taskDefinition}: ${describeFailure(error)})`);
    }
  };
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === 'AbortError' || error.name === 'TimeoutError' ? 'no answer in time' : `${error.name}: ${error.message}`;
}
