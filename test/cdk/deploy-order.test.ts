/**
 * The first `cdk deploy` in every mode: each asset is uploaded only after its destination bucket
 * exists. The deploy order is the CDK CLI's own: its `WorkGraphBuilder` (the code `cdk deploy` runs,
 * from the `aws-cdk` package this project pins) turns the cloud assembly (manifest.json's artifacts
 * and dependencies, each asset manifest's destinations) into the graph `cdk deploy` executes. A
 * bucket exists once the stack whose template creates it is deployed, or it is the bootstrap bucket
 * (`cdk bootstrap` in every target Region is a prerequisite, docs/organization.md).
 *
 * The proof holds for any `--concurrency`: every upload must depend, through the graph, on the
 * stack that creates its bucket; the CLI's scheduler is also run once with its defaults.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { EcsControlRulesStack } from '../../lib/ecs-control-rules-stack';
import { EcsControlRulesProps } from '../../lib/ecs-control-rules';
import { NO_BUNDLING } from './fleet';

/**
 * The CLI's library entry: `aws-cdk`'s package exports map lists no entry point, so it is loaded by
 * its file (lib/index.js, which exports `WorkGraphBuilder` as `cdk deploy` uses it in lib/cli/cdk-toolkit.js).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cli = require(path.join(path.dirname(require.resolve('aws-cdk/package.json')), 'lib', 'index.js'));

interface GraphNode {
  readonly id: string;
  readonly type: 'stack' | 'asset-build' | 'asset-publish' | 'marker';
  readonly stack?: cxapi.CloudFormationStackArtifact;
  readonly parentStack?: cxapi.CloudFormationStackArtifact;
  readonly asset?: { readonly id: { readonly assetId: string }; readonly destination: { readonly bucketName?: string; readonly region?: string } };
}
interface WorkGraph {
  readonly nodes: Record<string, GraphNode>;
  reachable(from: string, to: string): boolean;
  doParallel(concurrency: Record<string, number>, actions: Record<string, (node: GraphNode) => Promise<void>>): Promise<void>;
}

const SILENT_IO = { defaults: { debug: async () => {}, trace: async () => {}, info: async () => {}, warn: async () => {} }, notify: async () => {} };
const ACCOUNT = '${AWS::AccountId}';
/** The bootstrap bucket of any qualifier, in any Region: `cdk-<qualifier>-assets-<account>-<Region>`. */
const BOOTSTRAP_BUCKET = /^cdk-[a-z0-9]+-assets-\$\{AWS::AccountId\}-/;

/** `cdk deploy --all` (or the given stacks and, as the CLI adds them, the stacks they depend on) as the CLI builds it. */
function deployGraph(assembly: cxapi.CloudAssembly, selected?: readonly string[]): WorkGraph {
  const stacks = selected ? withUpstreamStacks(assembly, selected) : assembly.stacks;
  // lib/cli/cdk-toolkit.js, deploy(): each selected stack and the asset manifests it depends on.
  const artifacts = stacks.flatMap((stack) => [stack, ...stack.dependencies.filter((dependency) => cxapi.AssetManifestArtifact.isAssetManifestArtifact(dependency))]);
  // `true`: assets are built before deploying (--asset-build-time all-before-deploy, the default).
  return new cli.WorkGraphBuilder(SILENT_IO, true).build(artifacts);
}

/** The CLI's `includeUpstreamStacks`: a selected stack brings the stacks it depends on, transitively. */
function withUpstreamStacks(assembly: cxapi.CloudAssembly, selected: readonly string[]): cxapi.CloudFormationStackArtifact[] {
  const chosen = new Map(selected.map((id) => [id, assembly.getStackArtifact(id)]));
  for (const stack of chosen.values()) {
    for (const dependency of stack.dependencies) {
      if (cxapi.CloudFormationStackArtifact.isCloudFormationStackArtifact(dependency)) chosen.set(dependency.id, dependency);
    }
  }
  return [...chosen.values()];
}

/** The Region an artifact deploys to, or `${AWS::Region}` for an environment-agnostic stack. */
function regionOf(stack: cxapi.CloudFormationStackArtifact): string {
  return stack.environment.region === cxapi.UNKNOWN_REGION ? '${AWS::Region}' : stack.environment.region;
}

/** The buckets a stack's template creates, named as asset destinations name them (`${AWS::AccountId}` left symbolic). */
function bucketsCreatedBy(stack: cxapi.CloudFormationStackArtifact): string[] {
  const resources = Object.entries((stack.template.Resources ?? {}) as Record<string, { Type: string; Properties?: Record<string, unknown> }>);
  return resources.filter(([, resource]) => resource.Type === 'AWS::S3::Bucket').map(([logicalId, resource]) => bucketName(stack, logicalId, resource.Properties ?? {}));
}

function bucketName(stack: cxapi.CloudFormationStackArtifact, logicalId: string, properties: Record<string, unknown>): string {
  const region = regionOf(stack);
  // In the account regional namespace CloudFormation names the bucket `<prefix>-<account>-<Region>-an`
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/gpbucketnamespaces.html).
  if (properties.BucketNamespace === 'account-regional') return `${pseudo(properties.BucketNamePrefix, region)}-${ACCOUNT}-${region}-an`;
  if (properties.BucketName === undefined) return `(generated by CloudFormation for ${stack.id}/${logicalId})`;
  return pseudo(properties.BucketName, region);
}

/** A name written with pseudo parameters only; anything else cannot be told at synth, so the test fails on it. */
function pseudo(value: unknown, region: string): string {
  const part = (item: unknown): string => {
    if (typeof item === 'string') return item;
    const ref = (item as { Ref?: string }).Ref;
    if (ref === 'AWS::AccountId') return ACCOUNT;
    if (ref === 'AWS::Region') return region;
    throw new Error(`A bucket name the test cannot resolve: ${JSON.stringify(value)}`);
  };
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(part).join(join[0]);
  return part(value);
}

/** Where an upload goes: the destination's bucket, in the Region it names or its stack's (cdk-assets' default). */
function destinationBucket(node: GraphNode): string {
  const { bucketName: name, region } = node.asset!.destination;
  return name!.replace('${AWS::Region}', region ?? regionOf(node.parentStack!));
}

interface Upload {
  readonly asset: string;
  readonly bucket: string;
  /** The stack deployed before the upload that creates the bucket; undefined: the bootstrap bucket. */
  readonly createdBy?: string;
}

/** Every upload the graph makes, each with the stack it must follow; fails naming an upload whose bucket nothing deployed earlier creates. */
function uploadsInOrder(graph: WorkGraph): Upload[] {
  const creators = Object.values(graph.nodes)
    .filter((node) => node.type === 'stack')
    .flatMap((node) => bucketsCreatedBy(node.stack!).map((bucket) => ({ bucket, stackId: node.id })));
  return Object.values(graph.nodes)
    .filter((node) => node.type === 'asset-publish')
    .map((node) => {
      const bucket = destinationBucket(node);
      if (BOOTSTRAP_BUCKET.test(bucket)) return { asset: node.asset!.id.assetId, bucket };
      const creator = creators.find((candidate) => candidate.bucket === bucket);
      if (!creator) throw new Error(`${node.id} uploads to ${bucket}, which no deployed stack creates`);
      if (!graph.reachable(node.id, creator.stackId)) throw new Error(`${node.id} uploads to ${bucket} without waiting for ${creator.stackId}, which creates it`);
      return { asset: node.asset!.id.assetId, bucket, createdBy: creator.stackId };
    });
}

/** The CLI's scheduler with `cdk deploy`'s default concurrency, recording each step; an upload to a bucket not yet created fails it. */
async function runDeploy(graph: WorkGraph): Promise<string[]> {
  const existing = new Set<string>();
  const steps: string[] = [];
  await graph.doParallel(
    { stack: 1, 'asset-build': 1, 'asset-publish': 8, marker: 1 },
    {
      deployStack: async (node) => {
        bucketsCreatedBy(node.stack!).forEach((bucket) => existing.add(bucket));
        steps.push(`deploy ${node.id}`);
      },
      buildAsset: async () => {},
      publishAsset: async (node) => {
        const bucket = destinationBucket(node);
        if (!BOOTSTRAP_BUCKET.test(bucket) && !existing.has(bucket)) throw new Error(`No bucket named '${bucket}' (${node.id})`);
        if (!BOOTSTRAP_BUCKET.test(bucket)) steps.push(`upload to ${bucket}`);
      },
      marker: async () => {},
    },
  );
  return [...new Set(steps)];
}

function synth(props: EcsControlRulesProps, region?: string): cxapi.CloudAssembly {
  const app = new App({ context: NO_BUNDLING });
  new EcsControlRulesStack(app, 'EcsConfigRules', { env: region ? { region } : undefined, crossRegionReferences: region !== undefined, ...props });
  return app.synth();
}

const ORGANIZATION = { organizationId: 'o-a1b2c3d4e5', targetOrganizationalUnitIds: ['r-ab12'] };
const MODES: Array<[string, EcsControlRulesProps, string | undefined]> = [
  ['account mode', {}, undefined],
  ['organization mode, one Region, environment-agnostic', { deployment: 'organization', organization: ORGANIZATION }, undefined],
  ['organization mode, one Region', { deployment: 'organization', organization: { ...ORGANIZATION, regions: ['eu-west-1'] } }, 'eu-west-1'],
  ['organization mode, three Regions', { deployment: 'organization', organization: { ...ORGANIZATION, regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'] } }, 'us-east-1'],
  ['organization mode, conformance-pack rollout, two Regions', { deployment: 'organization', organization: { ...ORGANIZATION, regions: ['us-east-1', 'eu-west-1'], rollout: 'conformance-pack' } }, 'us-east-1'],
];

describe.each(MODES)('the first cdk deploy, %s', (_mode, props, region) => {
  const assembly = synth(props, region);

  test('--all: every upload waits for the stack that creates its bucket (any concurrency)', async () => {
    const graph = deployGraph(assembly);
    const uploads = uploadsInOrder(graph);
    expect(uploads.length).toBeGreaterThan(0);
    const steps = await runDeploy(graph);
    expect(steps[steps.length - 1]).toBe('deploy EcsConfigRules');
  });

  test('the main stack alone: the CLI adds the bucket stacks, and the uploads still wait for them', () => {
    const graph = deployGraph(assembly, ['EcsConfigRules']);
    expect(() => uploadsInOrder(graph)).not.toThrow();
    expect(Object.values(graph.nodes).filter((node) => node.type === 'stack')).toHaveLength(assembly.stacks.length);
  });
});

test('organization mode: the member code goes to every Region\'s own bucket, each created by a stack deployed before it; the StackSet stack comes last', async () => {
  const assembly = synth({ deployment: 'organization', organization: { ...ORGANIZATION, regions: ['us-east-1', 'eu-west-1'] } }, 'us-east-1');
  const graph = deployGraph(assembly);
  const codeUploads = uploadsInOrder(graph).filter((upload) => upload.createdBy);
  expect(new Set(codeUploads.map(({ bucket, createdBy }) => `${bucket} after ${createdBy}`))).toEqual(
    new Set([`ecs-config-rules-code-${ACCOUNT}-us-east-1-an after EcsConfigRules-CodeBucket`, `ecs-config-rules-code-${ACCOUNT}-eu-west-1-an after EcsConfigRules-eu-west-1`]),
  );
  const steps = await runDeploy(graph);
  expect(steps.indexOf('deploy EcsConfigRules-CodeBucket')).toBeLessThan(steps.indexOf(`upload to ecs-config-rules-code-${ACCOUNT}-us-east-1-an`));
  expect(steps.indexOf('deploy EcsConfigRules-eu-west-1')).toBeLessThan(steps.indexOf(`upload to ecs-config-rules-code-${ACCOUNT}-eu-west-1-an`));
  expect(steps[steps.length - 1]).toBe('deploy EcsConfigRules');
});

describe('the check itself', () => {
  const assembly = synth({ deployment: 'organization', organization: { ...ORGANIZATION, regions: ['us-east-1', 'eu-west-1'] } }, 'us-east-1');

  test('an upload whose bucket stack is not deployed first is refused, naming the upload and the bucket', async () => {
    // The layout before the fix: the home Region's bucket in the stack whose assets are uploaded into it.
    const graph = deployGraph(assembly, ['EcsConfigRules']);
    delete (graph.nodes as Record<string, GraphNode>)['EcsConfigRules-CodeBucket'];
    Object.values(graph.nodes).forEach((node) => (node as unknown as { dependencies: Set<string> }).dependencies.delete('EcsConfigRules-CodeBucket'));
    expect(() => uploadsInOrder(graph)).toThrow(/uploads to ecs-config-rules-code-\$\{AWS::AccountId\}-us-east-1-an, which no deployed stack creates/);
    await expect(runDeploy(graph)).rejects.toThrow("No bucket named 'ecs-config-rules-code-${AWS::AccountId}-us-east-1-an'");
  });

  test('a bucket name written other than with pseudo parameters cannot be told, so it fails', () => {
    const stack = assembly.getStackArtifact('EcsConfigRules-eu-west-1');
    const template = JSON.parse(fs.readFileSync(stack.templateFullPath, 'utf8'));
    const [logicalId] = Object.entries(template.Resources as Record<string, { Type: string }>).find(([, resource]) => resource.Type === 'AWS::S3::Bucket')!;
    template.Resources[logicalId].Properties = { BucketName: { Ref: 'SomeParameter' } };
    expect(() => bucketsCreatedBy({ ...stack, id: stack.id, template, environment: stack.environment } as cxapi.CloudFormationStackArtifact)).toThrow(/A bucket name the test cannot resolve/);
  });
});
