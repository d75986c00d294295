/**
 * The rules' SigV4 signer against the AWS SDK's (`@smithy/signature-v4`, the signer every SDK client
 * uses): for any POST the rules could send (paths, header names in any case, values with blanks and
 * line breaks, bodies in any script, dates, session credentials or not), both must produce the
 * same headers, signature included.
 */
import { createHash, createHmac, Hash, Hmac } from 'node:crypto';
import fc from 'fast-check';
import { SignatureV4 } from '@smithy/signature-v4';
import { signedHeaders } from '../../lambdas/runtime/sigv4';

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytesOf = (data: SourceData) =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** SHA-256 and HMAC for the SDK's signer (its `Checksum` interface) from node's crypto. */
class Sha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.create();
  }

  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.create();
  }

  private create(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(this.secret));
  }
}

const headerName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
const headerValue = fc.array(fc.constantFrom('a', 'B', '7', ' ', '  ', '\t', '\r\n', ':', '/', '=', '+', 'é'), { maxLength: 12 }).map((parts) => parts.join(''));

const request = fc.record({
  path: fc.constantFrom('/', '/a/b', '/a/./b/', '/a/../b', '//x', '/with space', '/%20encoded/', "/it's(*)!"),
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 6 }),
  body: fc.string({ unit: 'grapheme', maxLength: 64 }),
  date: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
  service: fc.constantFrom('config', 'ecs', 'sts'),
  region: fc.constantFrom('us-east-1', 'eu-central-1', 'cn-north-1', 'us-gov-west-1'),
  sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/), { nil: undefined }),
});

/** Distinct names whatever their case (a request never carries one header twice). */
function distinctHeaders(headers: Record<string, string>): Record<string, string> {
  const seen = new Set<string>();
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase())));
}

test('signs exactly as the AWS SDK signer does', async () => {
  await fc.assert(
    fc.asyncProperty(request, async ({ path, headers, body, date, service, region, sessionToken }) => {
      const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken };
      const allHeaders = { ...distinctHeaders(headers), host: `${service}.${region}.amazonaws.com`, 'content-type': 'application/x-amz-json-1.1', 'user-agent': 'ecs-config-rules' };
      const sdkSigner = new SignatureV4({ service, region, credentials, sha256: Sha256, uriEscapePath: true, applyChecksum: true });

      const expected = await sdkSigner.sign({ method: 'POST', protocol: 'https:', hostname: allHeaders.host, path, query: {}, headers: allHeaders, body }, { signingDate: date });
      const actual = signedHeaders({ method: 'POST', path, headers: allHeaders, body }, { service, region, credentials, date });

      expect(actual).toEqual(expected.headers);
    }),
    { numRuns: 500 },
  );
});

test('a known request signs to the signature openssl computes step by step', () => {
  // The credentials and time of AWS's SigV4 examples; the expected values were computed with
  // `openssl dgst -sha256` and `-mac HMAC`, following the documented steps by hand.
  const headers = signedHeaders(
    { method: 'POST', path: '/', headers: { host: 'sts.us-east-1.amazonaws.com', 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' },
    { service: 'sts', region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, date: new Date('2015-08-30T12:36:00Z') },
  );

  expect(headers).toEqual({
    host: 'sts.us-east-1.amazonaws.com',
    'content-type': 'application/x-www-form-urlencoded',
    'x-amz-date': '20150830T123600Z',
    'x-amz-content-sha256': 'ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=417670da5735b649ab3a758e7d7666720e48a852a571454d139183ad60054b31',
  });
});
