/**
 * What every handler test needs: a fresh loopback AWS endpoint per test, the environment pointing
 * the rule's clients at it, and the handler's structured log lines captured instead of printed.
 */
import { AwsLoopback, useLoopbackEnvironment } from '../../dev-support/aws-loopback';
import type { InvocationContext } from '../../lambdas/runtime/rule-handler';

export interface LoopbackHarness {
  /** This test's endpoint (replaced before each test). */
  readonly aws: AwsLoopback;
  /** This test's log lines, parsed. */
  readonly logLines: Record<string, any>[];
}

export function loopbackPerTest(): LoopbackHarness {
  const harness = { aws: new AwsLoopback(), logLines: [] as Record<string, any>[] };
  let restoreEnvironment: () => void;
  beforeEach(async () => {
    harness.aws = new AwsLoopback();
    restoreEnvironment = useLoopbackEnvironment(await harness.aws.start());
    harness.logLines = [];
    captureLogLines(harness.logLines);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    restoreEnvironment();
    await harness.aws.stop();
  });
  return harness;
}

/**
 * Parses every line the handler writes, to stdout (INFO, WARN, metrics) or stderr (ERROR: Powertools
 * writes errors there), into `lines` instead of printing it. Restored by `jest.restoreAllMocks()`.
 */
export function captureLogLines(lines: Record<string, any>[]): void {
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(JSON.parse(String(chunk)));
      return true;
    });
  }
}

/** The account and Region of the recorded events (dev-support/events): the function's own, in these tests. */
export const FUNCTION_ACCOUNT = '123456789012';
export const FUNCTION_REGION = 'us-east-1';

/**
 * The Lambda context as the runtime passes it to a function of `FUNCTION_ACCOUNT` in `FUNCTION_REGION`:
 * the handler takes its own account and Region from `invokedFunctionArn`.
 */
export function lambdaContext(awsRequestId = 'request', accountId = FUNCTION_ACCOUNT, region = FUNCTION_REGION): InvocationContext {
  return {
    awsRequestId,
    functionName: 'ecs-config-rules-ecs-20',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:ecs-config-rules-ecs-20`,
    memoryLimitInMB: '128',
    getRemainingTimeInMillis: () => 90_000,
  };
}

type Handler = (event: unknown, invocation?: InvocationContext) => Promise<void>;

/** `handler` invoked as Lambda invokes it: with `lambdaContext()` unless a test passes its own context. */
export function asOwnFunction(handler: Handler): (event: unknown, invocation?: Partial<InvocationContext>) => Promise<void> {
  return (event, invocation = {}) => handler(event, { ...lambdaContext(), ...invocation });
}
