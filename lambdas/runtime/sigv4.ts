/**
 * AWS Signature Version 4 for the rules' POST requests
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
 * canonicalized exactly as the AWS SDK's signer (`@smithy/signature-v4`) does: test/runtime/sigv4.test.ts
 * signs random requests with both and requires identical signatures. Written out rather than
 * importing that signer because it is the last ES-module import of node:crypto in a rule's bundle
 * and a quarter of its code (docs/performance.md); node's crypto does the hashing.
 */
import type { AwsCredentials } from './aws-client';

const { createHash, createHmac } = process.getBuiltinModule('node:crypto');

export interface SigningScope {
  /** The service's signing name (`config`, `ecs`, `sts`). */
  readonly service: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly date: Date;
}

export interface RequestToSign {
  readonly method: string;
  /** The URL path, as it goes on the request line. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Headers the SDK never signs: proxies and the runtime may add or change them. */
const UNSIGNABLE_HEADERS = new Set([
  'authorization', 'cache-control', 'connection', 'expect', 'from', 'keep-alive', 'max-forwards', 'pragma', 'referer', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'user-agent', 'x-amzn-trace-id',
]);
const UNSIGNABLE_PREFIXES = /^(proxy|sec)-/;

/** The request's headers with `x-amz-date`, `x-amz-content-sha256`, the session token and `authorization` added. */
export function signedHeaders(request: RequestToSign, scope: SigningScope): Record<string, string> {
  const amzDate = scope.date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(request.body);
  const { accessKeyId, secretAccessKey, sessionToken } = scope.credentials;
  const headers: Record<string, string> = { ...request.headers, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash };
  if (sessionToken) headers['x-amz-security-token'] = sessionToken;

  const canonical = canonicalHeaders(headers);
  const signedNames = canonical.map(([name]) => name).join(';');
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const canonicalRequest = [request.method, canonicalPath(request.path), '', ...canonical.map(([name, value]) => `${name}:${value}`), '', signedNames, payloadHash].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = [day, scope.region, scope.service, 'aws4_request'].reduce<string | Buffer>((key, part) => hmac(key, part), `AWS4${secretAccessKey}`);
  const signature = hmac(signingKey, stringToSign).toString('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${credentialScope}, SignedHeaders=${signedNames}, Signature=${signature}`;
  return headers;
}

/** Signable headers, lower-cased and sorted, values with line breaks and runs of blanks made one space. */
function canonicalHeaders(headers: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(headers)
    .map(([name, value]): [string, string] => [name.toLowerCase(), value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '')])
    .filter(([name]) => !UNSIGNABLE_HEADERS.has(name) && !UNSIGNABLE_PREFIXES.test(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The path with `.` and `..` segments resolved and empty ones dropped, then URI-encoded again (every service but S3). */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return encodeUriStrictly(normalized).replace(/%2F/g, '/');
}

/** RFC 3986 encoding: encodeURIComponent plus the reserved characters it leaves alone. */
function encodeUriStrictly(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}
