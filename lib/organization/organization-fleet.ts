/**
 * Organization mode: every member account runs its own fleet, rolled out by a service-managed
 * StackSet from this (management or delegated administrator) account, which keeps the central view:
 * the code buckets and observability sinks per Region, the aggregator, stored queries, dashboard and
 * alarms. See docs/organization.md.
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

export interface OrganizationFleetProps {
  readonly settings: FleetSettings;
  readonly functions: FunctionSettings;
  /** The CloudFormation Lambda hook every member account deploys beside its rules. */
  readonly proactive?: ProactiveHookProps;
  readonly organization: ResolvedOrganizationOptions;
}

export class OrganizationFleet extends Construct {
  /** The template every member account runs (the account-mode fleet plus its observability link). */
  public readonly memberTemplate: MemberTemplate;
  public readonly stackSet: FleetStackSet;
  /** Per target Region: the code bucket, the observability sink and the failed-evaluations alarm. */
  public readonly regionHubs: ReadonlyArray<{ readonly region: string; readonly hub: RegionHub }>;
  public readonly queries: FleetQueries;
  public readonly dashboard: CentralDashboard;
  public readonly aggregator?: OrganizationAggregator;
  public readonly conformancePack?: OrganizationConformancePack;

  constructor(scope: Construct, id: string, props: OrganizationFleetProps) {
    super(scope, id);
    const { settings, organization } = props;
    const stack = Stack.of(this);
    const regions = organization.regions.length > 0 ? organization.regions : [stack.region];
    this.regionHubs = regions.map((region) => ({ region, hub: this.regionHub(region, organization.organizationId, settings.prefix) }));

    const synthesizer = new MemberTemplateSynthesizer(stack, regions);
    this.memberTemplate = new MemberTemplate(this, 'MemberTemplate', {
      settings,
      functions: props.functions,
      proactive: props.proactive,
      createRules: organization.rollout === 'member-template',
      synthesizer,
    });
    // `cdk deploy` uploads the member template's code to every Region's bucket before this stack.
    stack.addStackDependency(this.memberTemplate, 'the rule code is uploaded to the Regions before the StackSet uses it');
    this.stackSet = new FleetStackSet(this, 'StackSet', {
      organization,
      templateUrl: synthesizer.templateUrlToken,
      regions: this.regionHubs.map(({ region, hub }) => ({ region, sinkArn: hub.sink.attrArn })),
      namePrefix: settings.prefix,
    });
    if (organization.rollout === 'conformance-pack') {
      this.conformancePack = new OrganizationConformancePack(this, 'ConformancePack', {
        settings,
        maximumExecutionFrequency: props.functions.maximumExecutionFrequency,
        excludedAccounts: organization.excludedAccounts,
      });
      // Accounts present now get their functions first; see docs/organization.md for accounts that join later.
      this.conformancePack.node.addDependency(this.stackSet);
    }
    if (organization.aggregator) this.aggregator = new OrganizationAggregator(this, 'Aggregator', { aggregatorName: `${settings.prefix}ecs-config-rules` });
    const rules = this.memberTemplate.fleet.rules;
    this.queries = new FleetQueries(this, 'Queries', { rules, naming: organization.rollout === 'conformance-pack' ? 'conformance-pack' : 'account', namePrefix: settings.prefix });
    this.dashboard = new CentralDashboard(this, 'Dashboard', { controls: settings.controls, namePrefix: settings.prefix, regions });
    new CfnOutput(this, 'StackSetName', { description: 'The StackSet that deploys the fleet to every account', value: this.stackSet.stackSet.ref });
  }

  /**
   * This stack's own Region keeps its hub here; every other Region gets a small stack of its own in
   * this account, whose sink ARN reaches the StackSet as a cross-Region reference.
   */
  private regionHub(region: string, organizationId: string | undefined, namePrefix: string): RegionHub {
    const stack = Stack.of(this);
    if (region === stack.region) return new RegionHub(this, 'RegionHub', { organizationId: organizationIdIn(stack, organizationId), namePrefix });
    if (Token.isUnresolved(stack.region)) {
      throw new Error(`\`organization.regions\` lists ${region}, so the stack needs a Region of its own: give it \`env: { region }\` (bin/app.ts uses the CLI's CDK_DEFAULT_REGION).`);
    }
    const regionStack = new Stack(stack.node.root, `${stack.stackName}-${region}`, {
      env: { account: Token.isUnresolved(stack.account) ? undefined : stack.account, region },
      crossRegionReferences: true,
      description: `ecs-config-rules organization mode in ${region}: rule code bucket, observability sink, failed-evaluations alarm`,
    });
    stack.addStackDependency(regionStack, 'the code bucket and sink exist before the StackSet deploys there');
    return new RegionHub(regionStack, 'RegionHub', { organizationId: organizationIdIn(regionStack, organizationId), namePrefix });
  }
}
