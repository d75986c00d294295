/**
 * A client of the jsii kernel process, driving it over its wire protocol exactly as the Python, Java,
 * .NET and Go runtimes do: they embed `@jsii/runtime`'s self-contained `webpack/bin/jsii-runtime.js`
 * (the runtime host with the kernel inside), spawn it with Node.js and exchange one JSON message a line.
 * It exists so that a test can prove the construct works from another language without installing one.
 *
 * Sources read (aws/jsii): packages/@jsii/runtime/lib/host.ts and program.ts (the `hello` line, `ok` /
 * `error` / `callback` answers, the `exit` request), packages/@jsii/runtime/bin/jsii-runtime.ts (the
 * program's own stdout/stderr forwarded as `{"stdout"|"stderr": "<base64>"}` lines on stderr),
 * packages/@jsii/kernel/src/api.ts (request and response shapes) and
 * packages/@jsii/python-runtime/src/jsii/_kernel/providers/process.py (handshake, send, stop).
 */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/** A reference to an object living in the kernel: `{"$jsii.byref": "aws-cdk-lib.App@10000"}`. */
export interface ObjRef {
  readonly '$jsii.byref': string;
  readonly '$jsii.interfaces'?: readonly string[];
}

export interface LoadRequest {
  readonly name: string;
  readonly version: string;
  /** Path of the package's npm tarball. */
  readonly tarball: string;
}

export interface LoadResponse {
  readonly assembly: string;
  readonly types: number;
}

/** The `api` names of the kernel's requests this client sends (api.ts' KernelRequest). */
export type KernelApi = 'load' | 'create' | 'del' | 'get' | 'set' | 'sget' | 'sset' | 'invoke' | 'sinvoke' | 'naming' | 'stats';

/** An `error` answer of the kernel, or the kernel process failing. */
export class JsiiKernelError extends Error {
  constructor(
    message: string,
    /** The kernel's error name (`@jsii/kernel.RuntimeError` for the program's own errors, `@jsii/kernel.Fault` for the kernel's). */
    readonly kernelName?: string,
    /** The JavaScript stack inside the kernel process. */
    readonly kernelStack?: string,
  ) {
    super(message);
    this.name = 'JsiiKernelError';
  }
}

interface ErrorAnswer {
  readonly error: string;
  readonly name?: string;
  readonly stack?: string;
}

interface CallbackAnswer {
  readonly callback: { readonly cbid: string; readonly cookie?: string; readonly invoke?: { readonly method: string } };
}

type Answer = { readonly ok: unknown } | ErrorAnswer | CallbackAnswer;

export interface KernelOptions {
  /** Added to the kernel process' environment (e.g. `JSII_RUNTIME_PACKAGE_CACHE_ROOT`). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The host script to run instead of @jsii/runtime's, as Python's `JSII_RUNTIME` variable allows.
   *
   * @default JSII_RUNTIME
   */
  readonly runtime?: string;
  /**
   * How long the host may take to say hello (it does before loading anything) before it is killed.
   *
   * @default HELLO_TIMEOUT_MS
   */
  readonly helloTimeoutMs?: number;
}

/** The host says hello within a second here; a host that stays silent is not waited for forever. */
const HELLO_TIMEOUT_MS = 30_000;

/** How long the kernel may take to exit after the `exit` request before it is killed (process.py waits 5 s). */
const EXIT_GRACE_MS = 5_000;

/**
 * The host prints a banner on every start when this Node.js nears or passed its end of life for jsii
 * (@jsii/check-node: Node 20 is deprecated until 2026-10-30, end of life after); the caller's output
 * is the report, so both are silenced, the second by major version as check-node reads it.
 */
const SILENCED_NODE_BANNERS = {
  JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1',
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.versions.node.split('.')[0],
};

/** The host every jsii runtime spawns (Python ships it as `jsii/_embedded/jsii/bin/jsii-runtime.js`). */
export const JSII_RUNTIME = join(dirname(require.resolve('@jsii/runtime/package.json')), 'webpack', 'bin', 'jsii-runtime.js');

/**
 * Reads a stream line by line; `next()` resolves with the next line, or, once the stream ended,
 * rejects with what `ended` resolves to.
 */
class Lines {
  private readonly buffered: string[] = [];
  private waiting?: { resolve: (line: string) => void; reject: (error: Error) => void };
  private ended?: Error;

  constructor(stream: NodeJS.ReadableStream, ended: () => Promise<Error>) {
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    reader.on('line', (line) => (this.waiting ? this.take().resolve(line) : this.buffered.push(line)));
    reader.on('close', () =>
      ended().then((error) => {
        this.ended = error;
        this.waiting && this.take().reject(error);
      }),
    );
  }

  next(): Promise<string> {
    const line = this.buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private take() {
    const waiting = this.waiting!;
    this.waiting = undefined;
    return waiting;
  }
}

/** The kernel's first line: `{"hello": "@jsii/runtime@<version>"}` (program.ts). */
function helloOf(line: string): string {
  let hello: unknown;
  try {
    hello = (JSON.parse(line) as { hello?: unknown }).hello;
  } catch {
    // not JSON: reported below
  }
  if (typeof hello !== 'string') throw new JsiiKernelError(`the jsii kernel did not say hello: ${line.slice(0, 200)}`);
  return hello;
}

/** One line of the kernel's stdout, which carries the protocol only (the program's own output goes to stderr). */
function answerOf(line: string): Answer {
  let answer: unknown;
  try {
    answer = JSON.parse(line);
  } catch {
    throw new JsiiKernelError(`the jsii kernel answered a line that is not JSON: ${line.slice(0, 200)}`);
  }
  const known = typeof answer === 'object' && answer !== null && ['ok', 'error', 'callback'].some((key) => key in answer);
  if (!known) throw new JsiiKernelError(`the jsii kernel answered neither ok, error nor callback: ${line.slice(0, 200)}`);
  return answer as Answer;
}

export class JsiiKernel {
  private hello = '';
  private readonly stdout: string[] = [];
  private readonly stderr: string[] = [];
  private readonly answers: Lines;
  private readonly exited: Promise<void>;
  private inFlight: Promise<unknown> = Promise.resolve();

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    // `close`: the process exited and its output is all read (its exit code and last words are known).
    this.exited = new Promise((resolve) => child.once('close', () => resolve()).once('error', () => resolve()));
    this.answers = new Lines(child.stdout, () => this.exited.then(() => this.ended()));
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => this.forwarded(line));
    // A failed spawn, or a write to a kernel that died, also closes stdout: `ended()` reports it.
    child.on('error', (error) => this.stderr.push(`${error.message}\n`));
    child.stdin.on('error', (error) => this.stderr.push(`${error.message}\n`));
  }

  /** Spawns the kernel with the current Node.js and waits for its `hello`. */
  static async start(options: KernelOptions = {}): Promise<JsiiKernel> {
    const kernel = new JsiiKernel(
      spawn(process.execPath, [options.runtime ?? JSII_RUNTIME], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, ...SILENCED_NODE_BANNERS, ...options.env },
      }),
    );
    const waitMs = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    const silent = setTimeout(() => kernel.child.kill('SIGKILL'), waitMs);
    try {
      const line = await kernel.answers.next().catch((error) => {
        throw kernel.child.signalCode === 'SIGKILL' ? new JsiiKernelError(`the jsii kernel did not say hello within ${waitMs} ms`) : error;
      });
      kernel.hello = helloOf(line);
      return kernel;
    } catch (error) {
      await kernel.close();
      throw error;
    } finally {
      clearTimeout(silent);
    }
  }

  /** Starts a kernel, runs `use` with it, and closes it whatever happens. */
  static async using<T>(use: (kernel: JsiiKernel) => Promise<T>, options?: KernelOptions): Promise<T> {
    const kernel = await JsiiKernel.start(options);
    try {
      return await use(kernel);
    } finally {
      await kernel.close();
    }
  }

  /** The kernel's `hello`: `@jsii/runtime@<version>`. */
  get runtime(): string {
    return this.hello;
  }

  /** The kernel process' id: whoever started it can tell it is gone after `close()`. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** What the program running in the kernel wrote to its standard output so far. */
  get programStdout(): string {
    return this.stdout.join('');
  }

  /** What the program (and the host, outside the protocol) wrote to standard error so far. */
  get programStderr(): string {
    return this.stderr.join('');
  }

  load(request: LoadRequest): Promise<LoadResponse> {
    return this.request('load', request) as Promise<LoadResponse>;
  }

  create(fqn: string, args: readonly unknown[] = []): Promise<ObjRef> {
    return this.request('create', { fqn, args }) as Promise<ObjRef>;
  }

  async get(objref: ObjRef, property: string): Promise<unknown> {
    return ((await this.request('get', { objref, property })) as { value: unknown }).value;
  }

  async invoke(objref: ObjRef, method: string, args: readonly unknown[] = []): Promise<unknown> {
    return ((await this.request('invoke', { objref, method, args })) as { result: unknown }).result;
  }

  async sinvoke(fqn: string, method: string, args: readonly unknown[] = []): Promise<unknown> {
    return ((await this.request('sinvoke', { fqn, method, args })) as { result: unknown }).result;
  }

  /**
   * Sends one request and resolves with the kernel's `ok` value. Requests go one at a time (the
   * protocol answers in order, one line each); an `error` answer rejects with the kernel's message.
   */
  request(api: KernelApi, body: object): Promise<unknown> {
    const answered = this.inFlight.then(() => this.exchange({ ...body, api }));
    this.inFlight = answered.catch(() => undefined);
    return answered;
  }

  /** Sends `exit` (host.ts ends its loop on it), ends stdin, and kills the kernel if it lingers. */
  async close(): Promise<void> {
    if (this.child.stdin.writable) this.child.stdin.end('{"exit":0}\n');
    const lingering = setTimeout(() => this.child.kill('SIGKILL'), EXIT_GRACE_MS);
    await this.exited;
    clearTimeout(lingering);
  }

  private async exchange(request: object): Promise<unknown> {
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    let refused: string | undefined;
    for (;;) {
      const answer = answerOf(await this.answers.next());
      if ('callback' in answer) {
        refused = this.refuse(answer);
        continue;
      }
      if (refused) throw new JsiiKernelError(refused, 'error' in answer ? answer.name : undefined, 'error' in answer ? answer.stack : undefined);
      if ('error' in answer) throw new JsiiKernelError(answer.error, answer.name, answer.stack);
      return answer.ok;
    }
  }

  /**
   * This client declares no overrides, so a callback is a program calling back into a host that has
   * nothing to run: it is answered with an error (the kernel then fails the request and stays usable),
   * and the request rejects naming it even if the program caught that error and answered `ok`.
   */
  private refuse({ callback }: CallbackAnswer): string {
    const what = callback.invoke ? `method ${callback.invoke.method}` : JSON.stringify(callback);
    const message = `unexpected jsii callback ${callback.cbid} (${what}): this client declares no overrides`;
    this.child.stdin.write(`${JSON.stringify({ complete: { cbid: callback.cbid, err: message } })}\n`);
    return message;
  }

  private forwarded(line: string): void {
    try {
      const { stdout, stderr } = JSON.parse(line) as { stdout?: string; stderr?: string };
      if (stdout !== undefined) this.stdout.push(Buffer.from(stdout, 'base64').toString('utf8'));
      if (stderr !== undefined) this.stderr.push(Buffer.from(stderr, 'base64').toString('utf8'));
      if (stdout === undefined && stderr === undefined) this.stderr.push(`${line}\n`);
    } catch {
      this.stderr.push(`${line}\n`); // the host's own messages (a Node.js warning, a crash) are not JSON
    }
  }

  private ended(): JsiiKernelError {
    const { exitCode, signalCode } = this.child;
    return new JsiiKernelError(`the jsii kernel process ended (exit code ${exitCode}, signal ${signalCode}); its stderr:\n${this.programStderr.slice(-4000)}`);
  }
}
