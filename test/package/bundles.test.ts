/**
 * Both ways the functions' code reaches a deployment deploy the same code: the bundles an installed
 * package ships (prebuilt by scripts/build-bundles.ts) and the ones `NodejsFunction` bundles from
 * source in this repository's app are byte-identical, and so get the same asset hash (S3 key).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CONTROLS } from '../../lambdas/controls';
import { bundledFunction, bundleFile, controlEntry, FUNCTION_ENTRIES, HOOK_ENTRY } from '../../lib/bundling';
import { buildBundles } from '../../scripts/build-bundles';
import { capturingOutput } from '../capture-output';
import { resourcesOfRule, synthStack } from '../cdk/fleet';

/** The S3 key CDK gives a directory asset: the same for the same files, whoever made them. */
function assetKeyOf(directory: string): string {
  const stack = new Stack(new App(), 'Prebuilt');
  new lambda.Function(stack, 'Function', { code: lambda.Code.fromAsset(directory), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  return fn.Properties.Code.S3Key;
}

describe('the prebuilt bundles and those NodejsFunction builds from source', () => {
  let prebuiltDir: string;
  let fromSource: Template;
  let assemblyDir: string;

  beforeAll(async () => {
    prebuiltDir = mkdtempSync(join(tmpdir(), 'ecs-config-rules-bundles-'));
    await buildBundles(prebuiltDir);
    // What the synth prints is test/cdk/ecs-control-rules.test.ts's to check.
    const stack = capturingOutput(() => synthStack()).result;
    fromSource = Template.fromStack(stack);
    assemblyDir = (stack.node.root as App).synth().directory;
  });

  afterAll(() => rmSync(prebuiltDir, { recursive: true, force: true }));

  test('a bundle is prebuilt for every registry control', () => {
    expect(FUNCTION_ENTRIES.map((entry) => entry.name)).toEqual(expect.arrayContaining(CONTROLS.map((control) => control.slug)));
  });

  test('the hook is prebuilt too, as the CommonJS bundle its construct deploys', () => {
    expect(FUNCTION_ENTRIES).toContain(HOOK_ENTRY);
    expect(readFileSync(join(prebuiltDir, HOOK_ENTRY.name, bundleFile(HOOK_ENTRY)), 'utf8')).toMatch(/exports\.handler|module\.exports/);
  });

  describe.each(CONTROLS.map((control) => [control.id, control.slug] as const))('%s', (_id, slug) => {
    test('the prebuilt bundle is the one NodejsFunction builds from source, byte for byte, under the same asset key', () => {
      const key: string = resourcesOfRule(fromSource, slug).function.Properties.Code.S3Key;
      const fromSourceBundle = readFileSync(join(assemblyDir, `asset.${key.replace(/\.zip$/, '')}`, bundleFile(controlEntry(slug))));
      const prebuilt = readFileSync(join(prebuiltDir, slug, bundleFile(controlEntry(slug))));

      expect(prebuilt.equals(fromSourceBundle)).toBe(true);
      expect(assetKeyOf(join(prebuiltDir, slug))).toBe(key);
    });
  });
});

test('a function with neither a prebuilt bundle nor a source entry is an error naming both', () => {
  const stack = new Stack(new App(), 'Missing');
  const entry = { name: 'no-such-handler', entry: 'lambdas/handlers/no-such-handler.ts' };

  expect(() => bundledFunction(stack, 'Function', entry, { runtime: lambda.Runtime.NODEJS_24_X })).toThrow(
    /^The no-such-handler function has neither a prebuilt bundle \(.*bundles[/\\]no-such-handler\) nor its source \(.*lambdas[/\\]handlers[/\\]no-such-handler\.ts\): reinstall ecs-config-rules/,
  );
});
