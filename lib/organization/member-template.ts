/**
 * The member template: what every account runs in every target Region. It is the account-mode fleet
 * (`addRuleFleet`, the same construct) plus an Observability Access Manager link to the central
 * account's sink, synthesized for a StackSet rather than deployed as a stack of its own.
 *
 * Its rule code has to be readable from every member account in each Region, and Lambda reads code
 * only from a bucket in the function's own Region
 * (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCode.html). So the synthesizer below
 * points each bundle at `ecs-config-rules-code-<central account>-<Region>-an` (a bucket per Region in
 * the central account's own namespace, lib/organization/code-bucket.ts) and writes an asset manifest
 * that makes `cdk deploy` upload the bundle to each of those buckets once the stacks creating them
 * are deployed, and before the StackSet is updated.
 */
import * as path from 'path';
import { Aws, CfnCondition, CfnParameter, Fn, FileAssetLocation, FileAssetPackaging, FileAssetSource, DockerImageAssetLocation, IStackSynthesizer, ISynthesisSession, Lazy, Stack, StackSynthesizer, Token } from 'aws-cdk-lib';
import * as oam from 'aws-cdk-lib/aws-oam';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from '../../lambdas/runtime/metric-namespace';
import { ProactiveHook, ProactiveHookProps } from '../proactive-hook';
import { addRuleFleet, FleetSettings, FunctionSettings, RuleFleet } from '../rule-fleet';
import { codeBucketName } from './code-bucket';

/** The member template's parameters, set by the StackSet. */
export const MEMBER_PARAMETERS = {
  /** The central account: it owns the code buckets and the observability sinks. */
  centralAccountId: 'CentralAccountId',
  /** This Region's sink in the central account (a parameter override per Region). */
  sinkArn: 'ObservabilitySinkArn',
} as const;

/** What the link shares: the rule functions' and queue's metrics and the evaluations, nothing else. */
export const LINKED_NAMESPACES = ['AWS/Lambda', 'AWS/SQS', METRIC_NAMESPACE] as const;

export interface MemberTemplateProps {
  readonly settings: FleetSettings;
  readonly functions: FunctionSettings;
  /** The CloudFormation Lambda hook guarding this account's deployments; absent: none. */
  readonly proactive?: ProactiveHookProps;
  /** `false` when an organization conformance pack creates the rules. */
  readonly createRules: boolean;
  /**
   * Where the template's code goes. Default: a `MemberTemplateSynthesizer` for `regions`; a test may
   * synthesize the template as an ordinary stack instead.
   */
  readonly synthesizer?: IStackSynthesizer;
}

export class MemberTemplate extends Stack {
  public readonly fleet: RuleFleet;
  public readonly proactiveHook?: ProactiveHook;
  public readonly link: oam.CfnLink;

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: MemberTemplateProps): MemberTemplate {
    return new MemberTemplate(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: MemberTemplateProps) {
    super(scope, id, { synthesizer: props.synthesizer, description: "ecs-config-rules: AWS Security Hub's ECS controls as this account's AWS Config rules" });
    const centralAccount = new CfnParameter(this, MEMBER_PARAMETERS.centralAccountId, {
      type: 'String',
      allowedPattern: '^\\d{12}$',
      description: 'The central ecs-config-rules account (code buckets, observability sinks)',
    });
    const sinkArn = new CfnParameter(this, MEMBER_PARAMETERS.sinkArn, { type: 'String', description: "This Region's CloudWatch observability sink in the central account" });
    this.fleet = addRuleFleet(this, { settings: props.settings, functions: props.functions, fixedNames: true, createRules: props.createRules });
    if (props.proactive) this.proactiveHook = new ProactiveHook(this, 'ProactiveHook', props.proactive);
    this.link = new oam.CfnLink(this, 'ObservabilityLink', {
      resourceTypes: ['AWS::CloudWatch::Metric'],
      sinkIdentifier: sinkArn.valueAsString,
      labelTemplate: '$AccountName',
      linkConfiguration: { metricConfiguration: { filter: `Namespace IN (${LINKED_NAMESPACES.map((namespace) => `'${namespace}'`).join(', ')})` } },
    });
    // The central account can be a target itself (a delegated administrator sits in an OU); it sees
    // its own metrics already and cannot link to its own sink.
    this.link.cfnOptions.condition = new CfnCondition(this, 'NotCentralAccount', { expression: Fn.conditionNot(Fn.conditionEquals(Aws.ACCOUNT_ID, centralAccount.valueAsString)) });
  }
}

/**
 * Synthesizes the member template for a StackSet: the template becomes a file asset of the parent
 * stack (the StackSet's `TemplateURL`, as a nested stack's template is), and the rule bundles an
 * asset manifest of their own, uploaded to every Region's code bucket. The manifest takes the member
 * stack's artifact id, so `parent.addDependency(member)` makes `cdk deploy` publish it first; no
 * stack artifact is emitted, so `cdk deploy` never deploys the member template as a stack. The
 * manifest depends on the stacks that create the buckets: the CDK CLI builds (and so publishes) an
 * asset only after the stacks its manifest depends on are deployed (test/cdk/deploy-order.test.ts).
 */
export class MemberTemplateSynthesizer extends StackSynthesizer {
  private readonly files: Record<string, cxschema.FileAsset> = {};
  private templateUrl?: string;

  /**
   * @param parent the stack holding the StackSet
   * @param regions concrete Region names, or the parent's `AWS::Region` token (single Region)
   * @param bucketStacks the stacks that create the code buckets of `regions`
   */
  constructor(
    private readonly parent: Stack,
    private readonly regions: readonly string[],
    private readonly bucketStacks: readonly Stack[],
  ) {
    super();
  }

  /** The `TemplateURL` of the synthesized template, known once the app synthesizes. */
  public get templateUrlToken(): string {
    // Uncached: references are collected before the member template synthesizes (post-order, so
    // before the parent's template is written), when there is no URL yet.
    return Lazy.uncachedString({ produce: () => this.templateUrl });
  }

  public addFileAsset(asset: FileAssetSource): FileAssetLocation {
    if (!asset.fileName || asset.packaging === undefined) {
      throw new Error('The member template takes file assets from a file or directory only (the rule bundles), not executables.');
    }
    const objectKey = `${asset.sourceHash}${asset.packaging === FileAssetPackaging.ZIP_DIRECTORY ? '.zip' : path.extname(asset.fileName)}`;
    this.files[asset.sourceHash] = {
      displayName: asset.displayName,
      source: { path: asset.fileName, packaging: asset.packaging },
      destinations: Object.fromEntries(this.regions.map((region) => [destinationId(region), codeDestination(region, objectKey)])),
    };
    // In the member template: the bucket of the Region the member stack runs in.
    const bucketName = Fn.sub(codeBucketName(`\${${MEMBER_PARAMETERS.centralAccountId}}`, '${AWS::Region}'));
    return {
      bucketName,
      objectKey,
      httpUrl: `https://s3.${Aws.REGION}.${Aws.URL_SUFFIX}/${bucketName}/${objectKey}`,
      s3ObjectUrl: `s3://${bucketName}/${objectKey}`,
    };
  }

  public addDockerImageAsset(): DockerImageAssetLocation {
    throw new Error('The member template takes no container image assets.');
  }

  public synthesize(session: ISynthesisSession): void {
    const template = this.synthesizeTemplate(session);
    this.templateUrl = this.parent.synthesizer.addFileAsset(template).httpUrl;
    const file = `${this.boundStack.artifactId}.assets.json`;
    cxschema.Manifest.saveAssetManifest({ version: cxschema.Manifest.version(), files: this.files }, path.join(session.assembly.outdir, file));
    session.assembly.addArtifact(this.boundStack.artifactId, {
      type: cxschema.ArtifactType.ASSET_MANIFEST,
      properties: { file },
      dependencies: this.bucketStacks.map((stack) => stack.artifactId),
    });
  }
}

/**
 * An upload to one Region's code bucket with the deployer's own credentials: the bootstrap roles may
 * write only to the bootstrap bucket. `${AWS::AccountId}` / `${AWS::Region}` are cdk-assets
 * placeholders for the deploying environment (single Region, no Region name at synth).
 */
function codeDestination(region: string, objectKey: string): cxschema.FileDestination {
  if (Token.isUnresolved(region)) return { bucketName: codeBucketName('${AWS::AccountId}', '${AWS::Region}'), objectKey };
  return { region, bucketName: codeBucketName('${AWS::AccountId}', region), objectKey };
}

function destinationId(region: string): string {
  return Token.isUnresolved(region) ? 'current_region' : region;
}
