/**
 * Saved AWS Config advanced queries for the questions people ask of the fleet's results. Run them
 * in the account (account mode) or against the organization aggregator (organization mode).
 *
 * The SQL is a subset with sharp edges
 * (https://docs.aws.amazon.com/config/latest/developerguide/querying-AWS-resources.html#query-limitations):
 * only suffix wildcards, and conditions on several properties of an array (`configRuleList`) are
 * each tested against any element, not the same one. So the lists select the whole
 * `configRuleList`: each row shows every rule's verdict for that resource. Property names are the
 * Config resource schema's, case included (https://github.com/awslabs/aws-config-resource-schema).
 */
import * as config from 'aws-cdk-lib/aws-config';
import { Construct } from 'constructs';
import { ControlSummary } from './control-rule';

/** How a rule is named in the accounts it evaluates. */
export type RuleNaming = 'account' | 'conformance-pack';

export interface DeployedRule {
  readonly control: ControlSummary;
  /** The rule name as deployed (`ConfigRuleName`, or the pack's). */
  readonly ruleName: string;
}

export interface FleetQuery {
  /** `QueryName`: letters, digits, - and _, at most 64 characters. */
  readonly name: string;
  readonly description: string;
  readonly expression: string;
}

const MAX_QUERY_NAME_LENGTH = 64;
const RULE_NAME = 'configuration.configRuleList.configRuleName';

/**
 * A condition matching one rule's name as the evaluated accounts know it: the member template's
 * rules by their own name, conformance-pack rules as `<name>-conformance-pack-<suffix>`
 * (https://docs.aws.amazon.com/audit-manager/latest/APIReference/API_SourceKeyword.html).
 */
export function ruleNameCondition(ruleName: string, naming: RuleNaming): string {
  switch (naming) {
    case 'account':
      return `${RULE_NAME} = '${ruleName}'`;
    case 'conformance-pack':
      return `${RULE_NAME} LIKE '${suffixWildcard(`${ruleName}-conformance-pack-`)}'`;
  }
}

/**
 * `<literal>%`. `_` is a wildcard too and only suffix wildcards are supported, so a literal with an
 * `_` (from the prefix) is cut there: the pattern matches more rules, and each row's
 * `configRuleList` still tells them apart.
 */
function suffixWildcard(literal: string): string {
  const fixed = literal.split('_')[0];
  if (fixed.length < 3) throw new Error(`\`ruleNamePrefix\` cannot start with "_" here: advanced queries need three characters before a wildcard, and "_" is one.`);
  return `${fixed}%`;
}

const anyRule = (rules: readonly DeployedRule[], naming: RuleNaming) => `(${rules.map((rule) => ruleNameCondition(rule.ruleName, naming)).join('\n    OR ')})`;

export function fleetQueries(rules: readonly DeployedRule[], naming: RuleNaming, namePrefix: string): FleetQuery[] {
  const query = (name: string, description: string, lines: string[]): FleetQuery => {
    const fullName = `${namePrefix}${name}`;
    if (fullName.length > MAX_QUERY_NAME_LENGTH) {
      throw new Error(`\`ruleNamePrefix\` is too long: the stored query ${fullName} must fit ${MAX_QUERY_NAME_LENGTH} characters.`);
    }
    return { name: fullName, description, expression: lines.join('\n') };
  };
  const queries = [
    query('ecs-noncompliant-by-account', 'ECS resources that fail at least one Config rule, counted per account', [
      'SELECT accountId, COUNT(*)',
      "WHERE resourceType = 'AWS::Config::ResourceCompliance'",
      "  AND configuration.targetResourceType LIKE 'AWS::ECS::%'",
      "  AND configuration.complianceType = 'NON_COMPLIANT'",
      'GROUP BY accountId',
    ]),
    query('ecs-noncompliant-resources', 'Non-compliant ECS resources evaluated by the ECS control rules, with every rule verdict per resource and account', [
      'SELECT accountId, awsRegion, configuration.targetResourceType, configuration.targetResourceId, configuration.configRuleList',
      "WHERE resourceType = 'AWS::Config::ResourceCompliance'",
      "  AND configuration.targetResourceType LIKE 'AWS::ECS::%'",
      "  AND configuration.complianceType = 'NON_COMPLIANT'",
      `  AND ${anyRule(rules, naming)}`,
      'ORDER BY accountId, configuration.targetResourceType',
    ]),
    query('ecs-public-ip-services', 'ECS services and task sets that assign public IP addresses (ECS.2, ECS.16)', [
      'SELECT accountId, awsRegion, resourceType, resourceId, resourceName',
      "WHERE (resourceType = 'AWS::ECS::Service' AND configuration.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp = 'ENABLED')",
      "   OR (resourceType = 'AWS::ECS::TaskSet' AND configuration.NetworkConfiguration.AwsVpcConfiguration.AssignPublicIp = 'ENABLED')",
    ]),
  ];
  const userControls = rules.filter((rule) => rule.control.id === 'ECS.20' || rule.control.id === 'ECS.21');
  if (userControls.length > 0) {
    queries.push(
      query('ecs-20-21-failing-task-defs', 'Task definitions failing ECS.20 (Linux non-root user) or ECS.21 (Windows non-administrator user)', [
        'SELECT accountId, awsRegion, configuration.targetResourceId, configuration.configRuleList',
        "WHERE resourceType = 'AWS::Config::ResourceCompliance'",
        "  AND configuration.targetResourceType = 'AWS::ECS::TaskDefinition'",
        "  AND configuration.configRuleList.complianceType = 'NON_COMPLIANT'",
        `  AND ${anyRule(userControls, naming)}`,
      ]),
    );
  }
  return queries;
}

interface FleetQueriesProps {
  readonly rules: readonly DeployedRule[];
  readonly naming: RuleNaming;
  readonly namePrefix: string;
}

/** The fleet's queries as `AWS::Config::StoredQuery` resources. */
export class FleetQueries extends Construct {
  public readonly queries: config.CfnStoredQuery[];

  /** @internal The fleet builds it; its props are TypeScript-internal, so jsii gives other languages no initializer (docs/jsii.md). */
  public static _create(scope: Construct, id: string, props: FleetQueriesProps): FleetQueries {
    return new FleetQueries(scope, id, props);
  }

  private constructor(scope: Construct, id: string, props: FleetQueriesProps) {
    super(scope, id);
    this.queries = fleetQueries(props.rules, props.naming, props.namePrefix).map(
      (query) =>
        new config.CfnStoredQuery(this, query.name, {
          queryName: query.name,
          queryDescription: query.description,
          queryExpression: query.expression,
        }),
    );
  }
}
