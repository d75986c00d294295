/**
 * A loopback HTTP server that speaks the AWS JSON 1.1 protocol (Config, ECS, Organizations), the
 * query protocol (STS) and REST-JSON (Account, Security Hub), so tests drive the real AWS SDK over the wire via `AWS_ENDPOINT_URL`: serialization,
 * signing, retries and endpoint resolution are all exercised, unlike with client mocks.
 *
 * Operations are routed by the `X-Amz-Target` header (`StarlingDoveService.PutEvaluations`,
 * `AmazonEC2ContainerServiceV20141113.ListTaskDefinitions`) or, for STS, the `Action` form field.
 */
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedCall {
  /** `config`, `ecs` or `sts`. */
  readonly service: string;
  readonly operation: string;
  readonly body: Record<string, unknown>;
  /** The body as sent (what its SigV4 payload hash covers). */
  readonly rawBody: string;
  readonly headers: IncomingMessage['headers'];
}

/** An error reply in the protocol's shape, e.g. `{ status: 400, code: 'ThrottlingException' }`. */
export interface ErrorReply {
  readonly status: number;
  readonly code: string;
  readonly message?: string;
  /** Extra reply headers, e.g. a `Date` from a server whose clock differs from the caller's. */
  readonly headers?: Record<string, string>;
}

/** What a route returns: a JSON body (or XML string for STS), an error, or `'hang'` to never answer. */
export type Reply = Record<string, unknown> | string | ErrorReply | 'hang';
export type Route = (body: Record<string, unknown>, call: RecordedCall) => Reply | Promise<Reply>;

const SERVICES: Record<string, string> = {
  StarlingDoveService: 'config',
  AmazonEC2ContainerServiceV20141113: 'ecs',
};

export function isErrorReply(reply: Reply): reply is ErrorReply {
  return typeof reply === 'object' && typeof (reply as ErrorReply).code === 'string' && typeof (reply as ErrorReply).status === 'number';
}

export class AwsLoopback {
  readonly calls: RecordedCall[] = [];
  private readonly routes = new Map<string, Route>();
  private server: Server | undefined;
  private readonly hanging = new Set<() => void>();

  /** Answers `operation` (e.g. `PutEvaluations`) with `route`; replaces any earlier route. */
  on(operation: string, route: Route): this {
    this.routes.set(operation, route);
    return this;
  }

  /** The first `times` calls of `operation` get `error` (or hang); later ones go to the route. */
  failFirst(operation: string, times: number, error: ErrorReply | 'hang'): this {
    const route = this.routes.get(operation);
    let remaining = times;
    return this.on(operation, (body, call) => {
      if (remaining > 0) {
        remaining--;
        return error;
      }
      if (!route) return { status: 400, code: 'UnknownOperationException', message: `no route for ${operation}` };
      return route(body, call);
    });
  }

  callsOf(operation: string): RecordedCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const target = String(request.headers['x-amz-target'] ?? '');
        // REST-JSON services (Account) name the operation in the path: POST /listRegions is ListRegions.
        const restOperation = !target && String(request.headers['content-type'] ?? '').startsWith('application/json') ? restOperationOf(request.url ?? '') : undefined;
        const isQuery = !target && restOperation === undefined;
        const body: Record<string, unknown> = isQuery ? Object.fromEntries(new URLSearchParams(raw)) : raw ? JSON.parse(raw) : {};
        const [prefix, jsonOperation] = target.split('.');
        const operation = restOperation ?? (isQuery ? String(body.Action) : jsonOperation);
        const service = restOperation !== undefined ? signingService(request.headers) : isQuery ? 'sts' : (SERVICES[prefix] ?? prefix);
        const call: RecordedCall = { service, operation, body, rawBody: raw, headers: request.headers };
        this.calls.push(call);
        const route = this.routes.get(operation);
        const reply: Reply = route ? await route(body, call) : { status: 400, code: 'UnknownOperationException', message: `no route for ${operation}` };
        if (reply === 'hang') {
          this.hanging.add(() => response.destroy());
          return;
        }
        if (isErrorReply(reply)) {
          if (isQuery) {
            response.writeHead(reply.status, { 'content-type': 'text/xml' });
            response.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${reply.code}</Code><Message>${reply.message ?? reply.code}</Message></Error><RequestId>r</RequestId></ErrorResponse>`);
          } else {
            response.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': reply.code, ...reply.headers });
            response.end(JSON.stringify({ __type: reply.code, message: reply.message ?? reply.code }));
          }
          return;
        }
        response.writeHead(200, { 'content-type': isQuery ? 'text/xml' : 'application/x-amz-json-1.1', 'x-amzn-requestid': 'loopback' });
        response.end(typeof reply === 'string' ? reply : JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const close of this.hanging) close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** REST-JSON paths whose operation is not their first segment, capitalized (Security Hub's). */
const REST_OPERATIONS: Readonly<Record<string, string>> = {
  '/findings/import': 'BatchImportFindings',
  '/findings': 'GetFindings',
};

function restOperationOf(url: string): string {
  const path = url.split('?')[0];
  const name = path.split('/').filter(Boolean)[0] ?? '';
  return REST_OPERATIONS[path] ?? name.charAt(0).toUpperCase() + name.slice(1);
}

/** The service a request was signed for (its SigV4 credential scope: key/date/region/service/aws4_request). */
function signingService(headers: IncomingMessage['headers']): string {
  return /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(headers.authorization ?? ''))?.[1] ?? 'rest';
}

/** The Region a call was signed for (its SigV4 credential scope). */
export function signingRegion(call: RecordedCall): string | undefined {
  return /Credential=[^/]+\/[^/]+\/([^/]+)\//.exec(String(call.headers.authorization ?? ''))?.[1];
}

/** Points the AWS SDK at `endpoint` with fake credentials; returns a function that restores the environment. */
export function useLoopbackEnvironment(endpoint: string): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOOPBACKTEST0000',
    AWS_SECRET_ACCESS_KEY: 'loopback-secret',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  return () => {
    process.env = saved;
  };
}

/** The access key id that signed a call (from its SigV4 Authorization header). */
export function signingAccessKey(call: RecordedCall): string | undefined {
  return /Credential=([^/]+)\//.exec(String(call.headers.authorization ?? ''))?.[1];
}
