/**
 * The jsii kernel client (dev-support/jsii-kernel.ts) against constructs' own published assembly: the
 * handshake, objects created and read through the kernel, the kernel's errors and callbacks as thrown
 * errors, the program's output decoded, and no kernel process left behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsiiKernel, JsiiKernelError, LoadRequest, ObjRef } from '../../dev-support/jsii-kernel';
import { packInstalled } from '../../dev-support/jsii-tarballs';
import { REPOSITORY } from '../cli/run-cli';

const work = mkdtempSync(join(tmpdir(), 'jsii-kernel-client-'));
let constructs: LoadRequest;
let kernel: JsiiKernel;

beforeAll(async () => {
  constructs = packInstalled('constructs', work, REPOSITORY);
  kernel = await JsiiKernel.start();
  await kernel.load(constructs);
});

afterAll(async () => {
  await kernel?.close();
  rmSync(work, { recursive: true, force: true });
});

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('the kernel says hello as the installed @jsii/runtime and loads the tarball of the installed constructs', async () => {
  const runtime = require('@jsii/runtime/package.json').version;

  expect(kernel.runtime).toBe(`@jsii/runtime@${runtime}`);
  expect(constructs).toMatchObject({ name: 'constructs', version: require('constructs/package.json').version });
  expect(await kernel.request('naming', { assembly: 'constructs' })).toMatchObject({ naming: { python: { module: 'constructs' } } });
});

test('objects are created and their properties read through the kernel, by reference', async () => {
  const root = await kernel.create('constructs.RootConstruct', ['Root']);
  const child = await kernel.create('constructs.Construct', [root, 'Child']);
  const node = (await kernel.get(child, 'node')) as ObjRef;

  expect(root['$jsii.byref']).toMatch(/^constructs\.RootConstruct@\d+$/);
  expect(node['$jsii.byref']).toMatch(/^constructs\.Node@\d+$/);
  expect(await kernel.get(node, 'path')).toBe('Root/Child');
  expect(await kernel.invoke(node, 'tryFindChild', ['Missing'])).toBeUndefined();
});

test("an error answer is thrown with the kernel's message, and the kernel goes on answering", async () => {
  const root = await kernel.create('constructs.RootConstruct', ['Duplicates']);
  await kernel.create('constructs.Construct', [root, 'Twice']);

  const duplicate = kernel.create('constructs.Construct', [root, 'Twice']);

  await expect(duplicate).rejects.toThrow(JsiiKernelError);
  await expect(duplicate).rejects.toThrow("There is already a Construct with name 'Twice' in RootConstruct [Duplicates]");
  await expect(duplicate).rejects.toMatchObject({ kernelStack: expect.stringContaining('addChild') });
  await expect(kernel.create('constructs.NoSuchType')).rejects.toThrow(/constructs\.NoSuchType/);
  expect(await kernel.get(await kernel.create('constructs.RootConstruct', ['After']), 'node')).toHaveProperty(['$jsii.byref']);
});

test('a callback the client did not expect is refused with a clear error, and the kernel goes on answering', async () => {
  const root = await kernel.create('constructs.RootConstruct', ['Callbacks']);
  const overridden = (await kernel.request('create', { fqn: 'constructs.Construct', args: [root, 'Overridden'], overrides: [{ method: 'toString' }] })) as ObjRef;

  await expect(kernel.invoke(overridden, 'toString')).rejects.toThrow(/^unexpected jsii callback \S+ \(method toString\): this client declares no overrides$/);
  expect(await kernel.get((await kernel.get(overridden, 'node')) as ObjRef, 'path')).toBe('Callbacks/Overridden');
});

test("requests sent together are answered in order, each with its own answer", async () => {
  const root = await kernel.create('constructs.RootConstruct', ['Ordered']);
  const ids = ['A', 'B', 'C', 'D'];

  const children = await Promise.all(ids.map((id) => kernel.create('constructs.Construct', [root, id])));
  const paths = await Promise.all(children.map(async (child) => kernel.get((await kernel.get(child, 'node')) as ObjRef, 'path')));

  expect(paths).toEqual(ids.map((id) => `Ordered/${id}`));
});

test("the program's own standard error, forwarded base64-encoded by the host, is kept decoded", async () => {
  // JSII_DEBUG makes the kernel trace each request on its standard error.
  const traced = await JsiiKernel.using(
    async (debugging) => {
      await debugging.load(constructs);
      return debugging.programStderr;
    },
    { env: { JSII_DEBUG: '1' } },
  );

  expect(traced).toContain('"api":"load"');
  expect(traced).toContain('[@jsii/kernel] load');
  // The Node.js version banner of @jsii/check-node is silenced.
  expect(traced).not.toContain('!!!');
});

test('closing ends the kernel process, and a request after it rejects saying the kernel ended', async () => {
  const closing = await JsiiKernel.start();
  const pid = closing.pid!;
  expect(isRunning(pid)).toBe(true);

  await closing.close();

  expect(isRunning(pid)).toBe(false);
  await expect(closing.request('stats', {})).rejects.toThrow(/^the jsii kernel process ended \(exit code 0/);
});

test('`using` closes the kernel when the work fails, and rethrows the failure', async () => {
  let pid = 0;

  const failing = JsiiKernel.using(async (used) => {
    pid = used.pid!;
    await used.load({ name: 'constructs', version: '0.0.0-missing', tarball: join(work, 'missing.tgz') });
  });

  await expect(failing).rejects.toThrow(/missing\.tgz/);
  expect(pid).toBeGreaterThan(0);
  expect(isRunning(pid)).toBe(false);
});

describe('a host that breaks the protocol', () => {
  /** A stand-in host: says `hello` (or $GREETING; nothing if `none`), then answers each request by its `api`. */
  const HOST = `
    const lines = require('node:readline').createInterface({ input: process.stdin });
    const say = (message) => process.stdout.write((typeof message === 'string' ? message : JSON.stringify(message)) + '\\n');
    // The host forwards the program's own output base64-encoded on stderr (bin/jsii-runtime.ts).
    process.stderr.write(JSON.stringify({ stdout: Buffer.from('Successfully synthesized\\n').toString('base64') }) + '\\n');
    if (process.env.GREETING !== 'none') say(process.env.GREETING ?? { hello: '@jsii/runtime@0.0.0' });
    let completing = false;
    lines.on('line', (line) => {
      const request = JSON.parse(line);
      if ('exit' in request) process.exit(0);
      if (completing) return say({ ok: { result: 'the program caught the refusal' } });
      if (request.api === 'stats') return say('not json');
      if (request.api === 'naming') return say({ surprise: true });
      completing = true;
      say({ callback: { cbid: 'jsii::callback::1', invoke: { objref: request.objref, method: 'render' } } });
    });
  `;
  const host = join(work, 'host.js');
  beforeAll(() => require('node:fs').writeFileSync(host, HOST));

  test('an answer line that is not JSON, or neither ok, error nor callback, rejects naming it', async () => {
    await JsiiKernel.using(
      async (broken) => {
        await expect(broken.request('stats', {})).rejects.toThrow('the jsii kernel answered a line that is not JSON: not json');
        await expect(broken.request('naming', { assembly: 'constructs' })).rejects.toThrow('the jsii kernel answered neither ok, error nor callback: {"surprise":true}');
      },
      { runtime: host },
    );
  });

  test("the program's own standard output, forwarded on stderr, is kept decoded apart from its standard error", async () => {
    const forwarding = await JsiiKernel.start({ runtime: host });
    await forwarding.close();

    expect(forwarding.programStdout).toBe('Successfully synthesized\n');
    expect(forwarding.programStderr).toBe('');
  });

  test('a refused callback rejects the request even when the program caught the refusal and answered ok', async () => {
    await JsiiKernel.using(
      async (broken) => {
        await expect(broken.invoke({ '$jsii.byref': 'x.Y@10000' }, 'synth')).rejects.toThrow(/^unexpected jsii callback jsii::callback::1 \(method render\)/);
      },
      { runtime: host },
    );
  });

  test('a host that greets otherwise, or stays silent, fails the start and is not left running', async () => {
    const greetings = ['{"ok":null}', 'Debugger listening'];
    for (const greeting of greetings) await expect(JsiiKernel.start({ runtime: host, env: { GREETING: greeting } })).rejects.toThrow(`the jsii kernel did not say hello: ${greeting}`);
    const started = Date.now();

    await expect(JsiiKernel.start({ runtime: host, env: { GREETING: 'none' }, helloTimeoutMs: 300 })).rejects.toThrow('the jsii kernel did not say hello within 300 ms');

    expect(Date.now() - started).toBeLessThan(5_000); // killed, not left to exit after the `exit` request's grace
  });
});
