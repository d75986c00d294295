/**
 * A small AWS API client for the few calls a rule makes: AWS Config and Amazon ECS over the JSON 1.1
 * protocol, STS over the query protocol. The AWS SDK's clients bring a default runtime (credential
 * provider chain, endpoint rule engine, middleware stack, every command's serializers) that costs a
 * rule 300+ KB and most of its cold start (measured in docs/performance.md); this keeps what matters:
 *
 * - SigV4 signing, canonicalized as the SDK's signer does (./sigv4);
 * - the SDK's standard retry strategy: throttling and transient errors are retried with full-jitter
 *   exponential back-off under a retry quota
 *   (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html);
 * - per-attempt connection and request timeouts, keep-alive connections;
 * - `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL`
 *   (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), else the regional endpoint;
 * - credentials from the environment, where the Lambda runtime puts the function role's
 *   (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 *   or explicit ones (an assumed role).
 */
import type * as Http from 'node:http';
import { signedHeaders } from './sigv4';

// Node's modules are taken with process.getBuiltinModule, not `import`: in an ES module bundle an
// import makes Node 22+ evaluate every export of the module, and node:http's include WebSocket,
// which loads the whole fetch implementation (undici): 12 ms of a Node 24 cold start, for nothing.
const http = process.getBuiltinModule('node:http');
const https = process.getBuiltinModule('node:https');

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export interface ClientSettings {
  /** Explicit credentials (an assumed role); the environment's otherwise. */
  readonly credentials?: AwsCredentials;
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** Limit on one attempt, from sending the request to the end of the reply. */
  readonly requestTimeoutMs: number;
  /** Limit on opening a connection. */
  readonly connectionTimeoutMs: number;
}

export interface AwsService {
  /** Endpoint prefix and SigV4 signing name. */
  readonly name: string;
  /** The service-specific endpoint variable: `AWS_ENDPOINT_URL_` and the service id in upper snake case. */
  readonly endpointVariable: string;
}

export interface JsonService extends AwsService {
  /** The `X-Amz-Target` prefix of the service's operations. */
  readonly targetPrefix: string;
}

export interface QueryService extends AwsService {
  readonly apiVersion: string;
}

export const CONFIG_SERVICE: JsonService = { name: 'config', endpointVariable: 'AWS_ENDPOINT_URL_CONFIG_SERVICE', targetPrefix: 'StarlingDoveService' };
export const ECS_SERVICE: JsonService = { name: 'ecs', endpointVariable: 'AWS_ENDPOINT_URL_ECS', targetPrefix: 'AmazonEC2ContainerServiceV20141113' };
export const STS_SERVICE: QueryService = { name: 'sts', endpointVariable: 'AWS_ENDPOINT_URL_STS', apiVersion: '2011-06-15' };

/** An error reply from an AWS service; `name` is its error code, as the SDK names its errors. */
export class AwsServiceError extends Error {
  constructor(
    code: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = code;
  }
}

/** An attempt that ran out of time (`connectionTimeout` or `requestTimeout`): retried like the SDK's. */
export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/** Calls `operation` (e.g. `PutEvaluations`) with a JSON input; resolves with the JSON reply. */
export type JsonCall = <Reply>(operation: string, input: Record<string, unknown>) => Promise<Reply>;

export function jsonClient(service: JsonService, settings: ClientSettings): JsonCall {
  const send = createSender(service, settings, jsonError);
  return async <Reply>(operation: string, input: Record<string, unknown>) => {
    const body = await send({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${service.targetPrefix}.${operation}` }, JSON.stringify(input));
    return (body ? JSON.parse(body) : {}) as Reply;
  };
}

/** Calls `action` (e.g. `AssumeRole`) with form parameters; resolves with the XML reply. */
export type QueryCall = (action: string, parameters: Record<string, string>) => Promise<string>;

export function queryClient(service: QueryService, settings: ClientSettings): QueryCall {
  const send = createSender(service, settings, queryError);
  return (action, parameters) =>
    send({ 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ Action: action, Version: service.apiVersion, ...parameters }).toString());
}

/** The text of the first `<tag>` element of a (flat, known) XML reply, entities decoded. */
export function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return match ? decodeXmlEntities(match[1]) : undefined;
}

const XML_ENTITIES = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|\w+);/gi, (entity, name: string) => {
    if (name[0] !== '#') return XML_ENTITIES.get(name) ?? entity;
    return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
  });
}

interface HttpReply {
  readonly status: number;
  readonly headers: Http.IncomingHttpHeaders;
  readonly body: string;
}

type ErrorParser = (reply: HttpReply) => AwsServiceError;
type Sender = (headers: Record<string, string>, body: string) => Promise<string>;

/**
 * Signs and sends a POST to the service, retrying as the SDK's standard strategy does. The region
 * and endpoint are resolved on the first call, not when the client is created.
 */
function createSender(service: AwsService, settings: ClientSettings, parseError: ErrorParser): Sender {
  const quota = new RetryQuota();
  let target: { endpoint: URL; region: string } | undefined;

  async function attempt(headers: Record<string, string>, body: string): Promise<string> {
    target ??= resolveTarget(service);
    const { endpoint, region } = target;
    const request = {
      method: 'POST',
      path: endpoint.pathname,
      headers: { ...headers, host: endpoint.host, 'content-length': String(Buffer.byteLength(body)), 'user-agent': USER_AGENT },
      body,
    };
    // Signed per attempt, as the SDK does: a retry after a long back-off gets a fresh date.
    const signed = signedHeaders(request, { service: service.name, region, credentials: settings.credentials ?? environmentCredentials(), date: new Date() });
    const reply = await post(endpoint, signed, body, settings);
    if (reply.status >= 300) throw parseError(reply);
    return reply.body;
  }

  return async (headers, body) => {
    for (let retries = 0; ; retries++) {
      try {
        const result = await attempt(headers, body);
        quota.release(retries > 0);
        return result;
      } catch (error) {
        const kind = retryKind(error);
        if (!kind || retries + 1 >= settings.maxAttempts || !quota.acquire(kind)) throw error;
        await sleep(backoffMs(kind, retries));
      }
    }
  };
}

const USER_AGENT = 'ecs-config-rules';

function resolveTarget(service: AwsService): { endpoint: URL; region: string } {
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('AWS_REGION is not set: the Lambda runtime sets it; elsewhere set it to the region to call');
  return { endpoint: endpointOf(service, region), region };
}

function environmentCredentials(): AwsCredentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (the Lambda runtime sets them from the function role)');
  }
  return { accessKeyId, secretAccessKey, sessionToken: sessionToken || undefined };
}

/**
 * The configured endpoint, else the service's regional endpoint in the region's partition
 * (DNS suffixes as in the SDK's partitions table).
 */
export function endpointOf(service: AwsService, region: string): URL {
  const configured = process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true' ? undefined : process.env[service.endpointVariable] || process.env.AWS_ENDPOINT_URL;
  if (configured) {
    try {
      return new URL(configured);
    } catch {
      throw new Error(`${process.env[service.endpointVariable] ? service.endpointVariable : 'AWS_ENDPOINT_URL'} is not a URL: ${JSON.stringify(configured)}`);
    }
  }
  for (const variable of ['AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT']) {
    if (process.env[variable] === 'true') throw new Error(`${variable} is not supported by the rule functions: set ${service.endpointVariable} to the endpoint to use`);
  }
  return new URL(`https://${service.name}.${region}.${dnsSuffixOf(region)}`);
}

const PARTITION_DNS_SUFFIXES: readonly [RegExp, string][] = [
  [/^cn-/, 'amazonaws.com.cn'],
  [/^eusc-/, 'amazonaws.eu'],
  [/^us-iso-/, 'c2s.ic.gov'],
  [/^us-isob-/, 'sc2s.sgov.gov'],
  [/^eu-isoe-/, 'cloud.adc-e.uk'],
  [/^us-isof-/, 'csp.hci.ic.gov'],
];

function dnsSuffixOf(region: string): string {
  return PARTITION_DNS_SUFFIXES.find(([pattern]) => pattern.test(region))?.[1] ?? 'amazonaws.com';
}

let agents: { http: Http.Agent; https: Http.Agent } | undefined;

/** Keep-alive agents, shared by every client: a warm invocation reuses the connection. */
function agentFor(endpoint: URL): Http.Agent {
  agents ??= { http: new http.Agent({ keepAlive: true, maxSockets: 50 }), https: new https.Agent({ keepAlive: true, maxSockets: 50 }) };
  return endpoint.protocol === 'https:' ? agents.https : agents.http;
}

function post(endpoint: URL, headers: Record<string, string>, body: string, settings: ClientSettings): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const request = (endpoint.protocol === 'https:' ? https : http).request({
      hostname: endpoint.hostname,
      port: endpoint.port || undefined,
      path: endpoint.pathname,
      method: 'POST',
      headers,
      agent: agentFor(endpoint),
    });
    const fail = (error: Error) => {
      clearTimeout(deadline);
      reject(error);
    };
    const deadline = setTimeout(() => request.destroy(new TimeoutError(`no complete reply within ${settings.requestTimeoutMs} ms (requestTimeout)`)), settings.requestTimeoutMs);
    request.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connecting = setTimeout(() => request.destroy(new TimeoutError(`no connection within ${settings.connectionTimeoutMs} ms (connectionTimeout)`)), settings.connectionTimeoutMs);
      socket.once('connect', () => clearTimeout(connecting));
      socket.once('close', () => clearTimeout(connecting));
    });
    request.on('error', fail);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(deadline);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end(body);
  });
}

/** JSON 1.1 errors: the code from `X-Amzn-ErrorType` or `__type` (`prefix#Code:suffix` trimmed). */
function jsonError(reply: HttpReply): AwsServiceError {
  const body = parseJsonObject(reply.body);
  const raw = String(reply.headers['x-amzn-errortype'] ?? body.__type ?? body.code ?? '');
  const code = raw.split(':')[0].split('#').pop() || `Http${reply.status}Error`;
  const message = body.message ?? body.Message ?? body.errorMessage;
  return new AwsServiceError(code, typeof message === 'string' ? message : `${code} (HTTP ${reply.status})`, reply.status);
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Query-protocol errors: `<ErrorResponse><Error><Code/><Message/></Error></ErrorResponse>`. */
function queryError(reply: HttpReply): AwsServiceError {
  const code = xmlText(reply.body, 'Code') || `Http${reply.status}Error`;
  return new AwsServiceError(code, xmlText(reply.body, 'Message') ?? `${code} (HTTP ${reply.status})`, reply.status);
}

// The SDK's error classification (@smithy/service-error-classification) and standard retry settings.
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded', 'EC2ThrottledException', 'LimitExceededException', 'PriorRequestNotComplete', 'ProvisionedThroughputExceededException',
  'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ThrottledException', 'Throttling', 'ThrottlingException',
  'TooManyRequestsException', 'TransactionInProgressException',
]);
const TRANSIENT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);
const NETWORK_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const BACKOFF_BASE_MS = { throttling: 1_000, transient: 50 };
const MAX_BACKOFF_MS = 20_000;
const RETRY_QUOTA_CAPACITY = 500;
const RETRY_COST = { throttling: 5, transient: 14 };

export type RetryKind = 'throttling' | 'transient';

export function retryKind(error: unknown): RetryKind | undefined {
  if (error instanceof AwsServiceError) {
    if (error.statusCode === 429 || THROTTLING_CODES.has(error.name)) return 'throttling';
    return TRANSIENT_CODES.has(error.name) || TRANSIENT_STATUSES.has(error.statusCode) ? 'transient' : undefined;
  }
  if (error instanceof TimeoutError) return 'transient';
  return NETWORK_ERROR_CODES.has((error as NodeJS.ErrnoException)?.code ?? '') ? 'transient' : undefined;
}

/** Full jitter: a random wait up to base × 2^retries, capped. */
export function backoffMs(kind: RetryKind, retries: number): number {
  return Math.floor(Math.random() * Math.min(BACKOFF_BASE_MS[kind] * 2 ** retries, MAX_BACKOFF_MS));
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * The standard strategy's retry quota: retries spend tokens, successes refill them, so a client
 * facing a failing service stops retrying instead of multiplying the load.
 */
export class RetryQuota {
  private tokens = RETRY_QUOTA_CAPACITY;
  private lastCost = 0;

  acquire(kind: RetryKind): boolean {
    const cost = RETRY_COST[kind];
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    this.lastCost = cost;
    return true;
  }

  /** After a success: a retried call returns what its last retry cost, a first-attempt success one token. */
  release(retried: boolean): void {
    this.tokens = Math.min(RETRY_QUOTA_CAPACITY, this.tokens + (retried ? this.lastCost : 1));
  }
}
