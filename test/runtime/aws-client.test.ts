/**
 * The rules' own AWS client (lambdas/runtime/aws-client.ts), on what the handler tests do not pin
 * down: that AWS would accept its signatures (recomputed here, independently, from what the server
 * received), where it sends calls, how it reads error replies, and which failures it retries.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  AwsServiceError,
  backoffMs,
  ClientSettings,
  CONFIG_SERVICE,
  ECS_SERVICE,
  endpointOf,
  jsonClient,
  queryClient,
  retryKind,
  RetryQuota,
  STS_SERVICE,
  TimeoutError,
  xmlText,
} from '../../lambdas/runtime/aws-client';
import { AwsLoopback, RecordedCall, useLoopbackEnvironment } from '../../dev-support/aws-loopback';

const SETTINGS: ClientSettings = { maxAttempts: 3, requestTimeoutMs: 2_000, connectionTimeoutMs: 1_000 };
const LOOPBACK_SECRET = 'loopback-secret';

let aws: AwsLoopback;
let restoreEnvironment: () => void;

beforeEach(async () => {
  aws = new AwsLoopback();
  restoreEnvironment = useLoopbackEnvironment(await aws.start());
});

afterEach(async () => {
  restoreEnvironment();
  await aws.stop();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();

/**
 * Recomputes a call's SigV4 signature from the request as received, following the specification
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
 * any header changed or added after signing, a wrong scope or payload hash makes it differ.
 */
function recomputedSignature(call: RecordedCall, secret: string): { signature: string; expected: string; scope: string; signedHeaders: string[] } {
  const match = /^AWS4-HMAC-SHA256 Credential=[^/]+\/([^,]+), SignedHeaders=([^,]+), Signature=(\w+)$/.exec(String(call.headers.authorization));
  if (!match) throw new Error(`not a SigV4 authorization header: ${call.headers.authorization}`);
  const [, scope, signedHeaderList, signature] = match;
  const [day, region, service] = scope.split('/');
  const signedHeaders = signedHeaderList.split(';');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${String(call.headers[name]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaderList, sha256(call.rawBody)].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', String(call.headers['x-amz-date']), scope, sha256(canonicalRequest)].join('\n');
  const signingKey = [day, region, service, 'aws4_request'].reduce<string | Buffer>((key, part) => hmac(key, part), `AWS4${secret}`);
  return { signature, expected: hmac(signingKey, stringToSign).toString('hex'), scope, signedHeaders };
}

describe('signing', () => {
  test('a JSON call is signed for its service and region over every header that matters', async () => {
    aws.on('ListTaskDefinitions', () => ({ taskDefinitionArns: [] }));

    await jsonClient(ECS_SERVICE, SETTINGS)('ListTaskDefinitions', { familyPrefix: 'web' });

    const [call] = aws.calls;
    const { signature, expected, scope, signedHeaders } = recomputedSignature(call, LOOPBACK_SECRET);
    expect(signature).toBe(expected);
    expect(scope).toMatch(/^\d{8}\/us-east-1\/ecs\/aws4_request$/);
    expect(signedHeaders).toEqual(expect.arrayContaining(['content-length', 'content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-target']));
  });

  test('a query call with session credentials signs its security token too', async () => {
    aws.on('AssumeRole', () => '<AssumeRoleResponse/>');
    const credentials = { accessKeyId: 'ASIASESSION', secretAccessKey: 'session-secret', sessionToken: 'token+/=' };

    await queryClient(STS_SERVICE, { ...SETTINGS, credentials })('AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 's' });

    const [call] = aws.calls;
    const { signature, expected, scope, signedHeaders } = recomputedSignature(call, 'session-secret');
    expect(signature).toBe(expected);
    expect(scope).toMatch(/\/us-east-1\/sts\/aws4_request$/);
    expect(signedHeaders).toContain('x-amz-security-token');
    expect(call.headers['x-amz-security-token']).toBe('token+/=');
    expect(call.body).toEqual({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 's' });
  });

  test('without credentials in the environment a call fails before sending anything, saying what is missing', async () => {
    delete process.env.AWS_SECRET_ACCESS_KEY;

    await expect(jsonClient(CONFIG_SERVICE, SETTINGS)('PutEvaluations', {})).rejects.toThrow('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
    expect(aws.calls).toHaveLength(0);
  });
});

describe('endpoints', () => {
  test('the service-specific variable wins over AWS_ENDPOINT_URL', async () => {
    aws.on('PutEvaluations', () => ({ FailedEvaluations: [] }));
    process.env.AWS_ENDPOINT_URL_CONFIG_SERVICE = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';

    await expect(jsonClient(CONFIG_SERVICE, SETTINGS)('PutEvaluations', { Evaluations: [] })).resolves.toEqual({ FailedEvaluations: [] });
  });

  test.each([
    ['us-east-1', 'https://ecs.us-east-1.amazonaws.com/'],
    ['us-gov-west-1', 'https://ecs.us-gov-west-1.amazonaws.com/'],
    ['cn-north-1', 'https://ecs.cn-north-1.amazonaws.com.cn/'],
    ['eusc-de-east-1', 'https://ecs.eusc-de-east-1.amazonaws.eu/'],
    ['us-iso-east-1', 'https://ecs.us-iso-east-1.c2s.ic.gov/'],
    ['us-isob-east-1', 'https://ecs.us-isob-east-1.sc2s.sgov.gov/'],
  ])('without a configured endpoint, %s is called at %s', (region, endpoint) => {
    delete process.env.AWS_ENDPOINT_URL;

    expect(endpointOf(ECS_SERVICE, region).href).toBe(endpoint);
  });

  test('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns the configured endpoints off', () => {
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';

    expect(endpointOf(STS_SERVICE, 'eu-west-1').href).toBe('https://sts.eu-west-1.amazonaws.com/');
  });

  test('settings it does not implement fail loudly instead of calling another endpoint', () => {
    delete process.env.AWS_ENDPOINT_URL;
    process.env.AWS_USE_FIPS_ENDPOINT = 'true';

    expect(() => endpointOf(CONFIG_SERVICE, 'us-east-1')).toThrow('AWS_USE_FIPS_ENDPOINT is not supported by the rule functions: set AWS_ENDPOINT_URL_CONFIG_SERVICE to the endpoint to use');
  });

  test('a malformed endpoint is named', () => {
    process.env.AWS_ENDPOINT_URL_ECS = 'not a url';

    expect(() => endpointOf(ECS_SERVICE, 'us-east-1')).toThrow('AWS_ENDPOINT_URL_ECS is not a URL: "not a url"');
  });
});

describe('error replies', () => {
  let server: Server;
  let reply: (response: import('node:http').ServerResponse) => void;
  let requests: number;

  beforeEach(async () => {
    requests = 0;
    server = createServer((request, response) => {
      requests++;
      request.resume();
      request.on('end', () => reply(response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('a JSON error without X-Amzn-ErrorType is named by its __type, namespace removed', async () => {
    reply = (response) => response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'com.amazonaws.ecs#ClientException', message: 'Unable to describe' }));

    const call = jsonClient(ECS_SERVICE, SETTINGS)('DescribeTaskDefinition', { taskDefinition: 'web' });

    await expect(call).rejects.toMatchObject({ name: 'ClientException', message: 'Unable to describe', statusCode: 400 });
    expect(requests).toBe(1);
  });

  test('a 5xx without a body is still an error naming its status, and is retried', async () => {
    reply = (response) => response.writeHead(502).end();

    await expect(jsonClient(CONFIG_SERVICE, SETTINGS)('PutEvaluations', {})).rejects.toMatchObject({ name: 'Http502Error', message: 'Http502Error (HTTP 502)' });
    expect(requests).toBe(3);
  });

  test('a connection reset is retried, and the retry delivers', async () => {
    reply = (response) => (requests === 1 ? response.socket?.destroy() : response.writeHead(200).end('{"taskDefinitionArns":[]}'));

    await expect(jsonClient(ECS_SERVICE, SETTINGS)('ListTaskDefinitions', {})).resolves.toEqual({ taskDefinitionArns: [] });
    expect(requests).toBe(2);
  });
});

describe('retry policy (the SDK standard strategy)', () => {
  test.each([
    { description: 'ThrottlingException (400)', error: new AwsServiceError('ThrottlingException', 'Rate exceeded', 400), kind: 'retried as throttling' },
    { description: 'Throttling (400, STS)', error: new AwsServiceError('Throttling', 'Rate exceeded', 400), kind: 'retried as throttling' },
    { description: 'any code with status 429', error: new AwsServiceError('SomethingElse', 'Slow down', 429), kind: 'retried as throttling' },
    { description: 'InternalFailure (500)', error: new AwsServiceError('InternalFailure', 'internal error', 500), kind: 'retried as transient' },
    { description: 'ServiceUnavailable (503)', error: new AwsServiceError('ServiceUnavailable', 'unavailable', 503), kind: 'retried as transient' },
    { description: 'RequestTimeoutException (408)', error: new AwsServiceError('RequestTimeoutException', 'timeout', 408), kind: 'retried as transient' },
    { description: 'a timed-out attempt', error: new TimeoutError('no reply (requestTimeout)'), kind: 'retried as transient' },
    { description: 'a connection reset', error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), kind: 'retried as transient' },
    { description: 'NotImplemented (501)', error: new AwsServiceError('NotImplemented', 'not implemented', 501), kind: 'not retried' },
    { description: 'AccessDeniedException (400)', error: new AwsServiceError('AccessDeniedException', 'not authorized', 400), kind: 'not retried' },
    { description: 'a configuration error', error: new Error('AWS_REGION is not set'), kind: 'not retried' },
  ])('$description: $kind', ({ error, kind }) => {
    expect(retryKind(error) ?? 'not retried').toBe(kind.replace('retried as ', ''));
  });

  test('back-off is full jitter: up to 50 ms × 2^retries for transient errors, 1 s × 2^retries for throttling, 20 s at most', () => {
    const samples = (kind: 'throttling' | 'transient', retries: number) => Array.from({ length: 200 }, () => backoffMs(kind, retries));
    expect(Math.max(...samples('transient', 2))).toBeLessThan(200);
    expect(Math.max(...samples('throttling', 1))).toBeLessThan(2_000);
    expect(Math.max(...samples('throttling', 1))).toBeGreaterThan(200);
    expect(Math.max(...samples('throttling', 10))).toBeLessThan(20_000);
    expect(Math.min(...samples('transient', 0))).toBeGreaterThanOrEqual(0);
  });

  test('the retry quota runs out when retries keep failing, and successes refill it', () => {
    const quota = new RetryQuota();
    let transientRetries = 0;
    while (quota.acquire('transient')) transientRetries++;
    expect(transientRetries).toBe(Math.floor(500 / 14));
    expect(quota.acquire('throttling')).toBe(true); // 500 - 35 × 14 = 10 tokens left: two throttling retries
    expect(quota.acquire('throttling')).toBe(true);
    expect(quota.acquire('throttling')).toBe(false);

    quota.release(true); // the retried call succeeded: its last retry's cost comes back
    expect(quota.acquire('throttling')).toBe(true);
  });
});

test('xmlText reads a leaf element and decodes its entities', () => {
  const xml = '<Credentials><SessionToken>a&amp;b&#x2B;c&#61;</SessionToken><Code>Throttling</Code></Credentials>';

  expect(xmlText(xml, 'SessionToken')).toBe('a&b+c=');
  expect(xmlText(xml, 'Code')).toBe('Throttling');
  expect(xmlText(xml, 'Message')).toBeUndefined();
});
