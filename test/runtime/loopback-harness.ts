/**
 * What every handler test needs: a fresh loopback AWS endpoint per test, the environment pointing
 * the rule's clients at it, and the handler's structured log lines captured instead of printed.
 */
import { AwsLoopback, useLoopbackEnvironment } from '../../dev-support/aws-loopback';

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
