/**
 * The AWS SDK clients of a rule function, built once per container (when the handler module loads,
 * outside the handler) and shared by every invocation: signing, endpoints, credentials, clock-skew
 * correction and retries are the SDK's. What is chosen here is how long a call may take in the worst
 * case, so that it always ends inside the function timeout: docs/reliability.md has the arithmetic.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { ECSClient } from '@aws-sdk/client-ecs';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface RetrySettings {
  /** Attempts per call, the first included (the SDK's `maxAttempts`). */
  readonly maxAttempts: number;
  /** Per attempt: no TCP/TLS connection within this fails the attempt. */
  readonly connectionTimeoutMs: number;
  /** Per attempt: no reply within this (from the start of the request) fails the attempt with a TimeoutError, which is retried. */
  readonly requestTimeoutMs: number;
}

/**
 * The SDK's standard retry mode (throttling and transient errors, full-jitter back-off, retry quota,
 * clock-skew correction: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html)
 * with three attempts, its default. Config and ECS answer in well under a second; 4 s per attempt
 * leaves room for a slow reply, and 1 s to connect is generous inside a Region.
 */
export const RETRY_SETTINGS: RetrySettings = { maxAttempts: 3, connectionTimeoutMs: 1_000, requestTimeoutMs: 4_000 };

/**
 * The standard mode's back-off bounds (@smithy/util-retry: 50 ms base, 1 s for throttling, doubling,
 * capped at 20 s) and how far a `Retry-After` header may stretch one wait (at most 5 s beyond the
 * computed back-off). Stated here so the worst case below is computed, not assumed.
 */
export const SDK_BACKOFF = { throttlingBaseMs: 1_000, capMs: 20_000, retryAfterExtraMs: 5_000 } as const;

/** The longest one call can take: every attempt times out and every retry waits the longest throttling back-off. */
export function worstCaseCallMs(settings: RetrySettings = RETRY_SETTINGS): number {
  let backoff = 0;
  for (let retry = 0; retry < settings.maxAttempts - 1; retry++) {
    backoff += Math.min(SDK_BACKOFF.throttlingBaseMs * 2 ** retry, SDK_BACKOFF.capMs) + SDK_BACKOFF.retryAfterExtraMs;
  }
  return settings.maxAttempts * settings.requestTimeoutMs + backoff;
}

export interface AwsClients {
  readonly config: ConfigServiceClient;
  /** Only for rules that call ECS (apiActionsFor): the others never build it. */
  readonly ecs: ECSClient | undefined;
}

/**
 * `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL` name the endpoint to use
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html). The SDK's endpoint
 * rules refuse one together with `AWS_USE_FIPS_ENDPOINT` or `AWS_USE_DUALSTACK_ENDPOINT` ("FIPS and
 * custom endpoint are not supported"): a configured endpoint is then used as it is (it is the FIPS or
 * dual-stack endpoint, e.g. an interface VPC endpoint), instead of every evaluation failing.
 */
function hasConfiguredEndpoint(serviceVariable: string): boolean {
  if (process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return false;
  return Boolean(process.env[serviceVariable] || process.env.AWS_ENDPOINT_URL);
}

function clientConfig(serviceVariable: string, settings: RetrySettings) {
  const endpointVariantsApply = !hasConfiguredEndpoint(serviceVariable);
  return {
    retryMode: 'standard',
    maxAttempts: settings.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: settings.connectionTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      // requestTimeout runs until the reply's headers; the body then may not stall longer than this.
      socketTimeout: settings.requestTimeoutMs,
      // Without it a request past requestTimeout only logs a warning and keeps waiting.
      throwOnRequestTimeout: true,
    }),
    ...(endpointVariantsApply ? {} : { useFipsEndpoint: false, useDualstackEndpoint: false }),
  };
}

export function createAwsClients({ callsEcs, settings = RETRY_SETTINGS }: { readonly callsEcs: boolean; readonly settings?: RetrySettings }): AwsClients {
  return {
    config: new ConfigServiceClient(clientConfig('AWS_ENDPOINT_URL_CONFIG_SERVICE', settings)),
    ecs: callsEcs ? new ECSClient(clientConfig('AWS_ENDPOINT_URL_ECS', settings)) : undefined,
  };
}
