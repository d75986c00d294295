/**
 * Organization mode: every member account runs its own fleet, rolled out by a service-managed
 * StackSet from this (management or delegated administrator) account, which keeps the central view:
 * the code buckets and observability sinks per Region, the aggregator, stored queries, dashboard and
 * alarms. See docs/organization.md.
 *
 * Deploy order (proven from the cloud assembly by test/cdk/deploy-order.test.ts): every code bucket
 * is created by a stack of its own that this stack depends on (the home Region's `<stack>-CodeBucket`,
 * each other Region's `<stack>-<Region>`), the member template's code is uploaded once those stacks
 * are deployed, and this stack, with the StackSet, comes last.
 */
import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FleetQueries } from '../fleet-queries';
import { FleetSettings, FunctionSettings } from '../rule-fleet';
import { OrganizationAggregator } from './aggregator';
import { CentralDashboard } from './central-dashboard';
import { OrganizationConformancePack } from './conformance-pack';
import { FleetStackSet } from './fleet-stack-set';
import { ProactiveHookProps } from '../proactive-hook';
import { MemberTemplate, MemberTemplateSynthesizer } from './member-template';
import { ResolvedOrganizationOptions } from './options';
import { organizationIdIn, RegionHub } from './region-hub';
import { CodeBucket, REGIONS_WITHOUT_ACCOUNT_NAMESPACE } from './code-bucket';

export interface OrganizationFleetProps {
  readonly settings: FleetSettings;
  readonly functions: FunctionSettings;
  /** The CloudFormation Lambda hook every member account deploys beside its rules. */
  readonly proactive?: ProactiveHookProps;
  readonly organization: ResolvedOrganizationOptions;
}

/** A target Region's hub (named structs, not anonymous objects: jsii needs a name for each type). */
export interface RegionHubEntry {
  readonly region: string;
  readonly hub: RegionHub;
}

/** A target Region's code bucket. */
export interface CodeBucketEntry {
  readonly region: string;
  readonly codeBucket: CodeBucket;
}

export class OrganizationFleet extends Construct {
  /** The template every member account runs (the account-mode fleet plus its observability link). */
  public readonly memberTemplate: MemberTemplate;
  public readonly stackSet: FleetStackSet;
  /** Per target Region: the code bucket, the observability sink and the failed-evaluations alarm. */
  public readonly regionHubs: RegionHubEntry[];
  /** Per target Region: the bucket its members' rule code comes from, each in a stack this one depends on. */
  public readonly codeBuckets: CodeBucketEntry[];
  public readonly queries: FleetQueries;
  public readonly dashboard: CentralDashboard;
  public readonly aggregator?: OrganizationAggregator;
  public readonly conformancePack?: OrganizationConformancePack;

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: OrganizationFleetProps): OrganizationFleet {
    return new OrganizationFleet(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: OrganizationFleetProps) {
    super(scope, id);
    const { settings, organization } = props;
    const stack = Stack.of(this);
    const regions = organization.regions.length > 0 ? organization.regions : [stack.region];
    this.regionHubs = regions.map((region) => ({ region, hub: this.regionHub(region, organization.organizationId, settings.prefix) }));
    this.codeBuckets = regions.map((region) => ({ region, codeBucket: this.codeBucket(region, organization) }));

    const synthesizer = new MemberTemplateSynthesizer(
      stack,
      regions,
      this.codeBuckets.map(({ codeBucket }) => Stack.of(codeBucket)),
    );
    this.memberTemplate = MemberTemplate._create(this, 'MemberTemplate', {
      settings,
      functions: props.functions,
      proactive: props.proactive,
      createRules: organization.rollout === 'member-template',
      synthesizer,
    });
    // `cdk deploy` uploads the member template's code to every Region's bucket before this stack.
    stack.addStackDependency(this.memberTemplate, 'the rule code is uploaded to the Regions before the StackSet uses it');
    this.stackSet = FleetStackSet._create(this, 'StackSet', {
      organization,
      templateUrl: synthesizer.templateUrlToken,
      regions: this.regionHubs.map(({ region, hub }) => ({ region, sinkArn: hub.sink.attrArn })),
      namePrefix: settings.prefix,
    });
    if (organization.rollout === 'conformance-pack') {
      this.conformancePack = OrganizationConformancePack._create(this, 'ConformancePack', {
        settings,
        maximumExecutionFrequency: props.functions.maximumExecutionFrequency,
        excludedAccounts: organization.excludedAccounts,
      });
      // Accounts present now get their functions first; see docs/organization.md for accounts that join later.
      this.conformancePack.node.addDependency(this.stackSet);
    }
    if (organization.aggregator) this.aggregator = OrganizationAggregator._create(this, 'Aggregator', { aggregatorName: `${settings.prefix}ecs-config-rules` });
    const rules = this.memberTemplate.fleet.rules;
    this.queries = FleetQueries._create(this, 'Queries', { rules, naming: organization.rollout === 'conformance-pack' ? 'conformance-pack' : 'account', namePrefix: settings.prefix });
    this.dashboard = CentralDashboard._create(this, 'Dashboard', { controls: settings.controls, namePrefix: settings.prefix, regions });
    new CfnOutput(this, 'StackSetName', { description: 'The StackSet that deploys the fleet to every account', value: this.stackSet.stackSet.ref });
  }

  /**
   * This stack's own Region keeps its hub (sink, alarm) here; every other Region gets a small stack
   * of its own in this account, whose sink ARN reaches the StackSet as a cross-Region reference.
   */
  private regionHub(region: string, organizationId: string | undefined, namePrefix: string): RegionHub {
    const stack = Stack.of(this);
    if (region === stack.region) return RegionHub._create(this, 'RegionHub', { organizationId: organizationIdIn(stack, organizationId), namePrefix });
    const regionStack = this.otherRegionStack(region);
    return RegionHub._create(regionStack, 'RegionHub', { organizationId: organizationIdIn(regionStack, organizationId), namePrefix });
  }

  /**
   * Never in this stack: the CDK CLI publishes a stack's assets before deploying it, so a bucket this
   * stack created would not exist yet when the member template's code is uploaded to it. The home
   * Region's bucket gets a stack of its own; the others go into their Region's stack.
   */
  private codeBucket(region: string, organization: ResolvedOrganizationOptions): CodeBucket {
    if (REGIONS_WITHOUT_ACCOUNT_NAMESPACE.includes(region)) {
      throw new Error(
        `Organization mode cannot deploy to ${region}: S3 has no account regional namespace there, so its code bucket's name could be claimed by anyone (https://docs.aws.amazon.com/AmazonS3/latest/userguide/gpbucketnamespaces.html). Leave it out of \`organization.regions\` and deploy account mode in its accounts.`,
      );
    }
    const stack = Stack.of(this);
    const bucketStack = region === stack.region ? this.homeCodeBucketStack() : this.otherRegionStack(region);
    const readers = { organizationId: organizationIdIn(bucketStack, organization.organizationId), targetOrganizationalUnitIds: organization.targetOrganizationalUnitIds };
    return CodeBucket._create(bucketStack, 'CodeBucket', readers);
  }

  private homeCodeBucketStack(): Stack {
    const stack = Stack.of(this);
    const codeStack = new Stack(stack.node.root, `${stack.stackName}-CodeBucket`, {
      env: { account: Token.isUnresolved(stack.account) ? undefined : stack.account, region: Token.isUnresolved(stack.region) ? undefined : stack.region },
      description: 'ecs-config-rules organization mode: the rule code bucket of the home Region',
    });
    stack.addStackDependency(codeStack, 'the code bucket exists before the code is uploaded and the StackSet uses it');
    return codeStack;
  }

  /** The stack of a Region other than this stack's own: its hub and code bucket. */
  private otherRegionStack(region: string): Stack {
    const stack = Stack.of(this);
    const id = `${stack.stackName}-${region}`;
    const existing = stack.node.root.node.tryFindChild(id) as Stack | undefined;
    if (existing) return existing;
    if (Token.isUnresolved(stack.region)) {
      throw new Error(`\`organization.regions\` lists ${region}, so the stack needs a Region of its own: give it \`env: { region }\` (bin/app.ts uses the CLI's CDK_DEFAULT_REGION).`);
    }
    const regionStack = new Stack(stack.node.root, id, {
      env: { account: Token.isUnresolved(stack.account) ? undefined : stack.account, region },
      crossRegionReferences: true,
      description: `ecs-config-rules organization mode in ${region}: rule code bucket, observability sink, failed-evaluations alarm`,
    });
    stack.addStackDependency(regionStack, 'the code bucket and sink exist before the StackSet deploys there');
    return regionStack;
  }
}
