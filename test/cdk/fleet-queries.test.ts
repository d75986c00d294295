/**
 * The stored advanced queries: present in both modes, naming the rules as the evaluated accounts
 * know them, and valid by the documented query rules and the Config resource schema (the service
 * itself is not reachable offline, so the lint stands in for it).
 */
import { controlById } from '../../lambdas/controls';
import { EcsControlRulesProps } from '../../lib/ecs-control-rules';
import { fleetQueries, RuleNaming } from '../../lib/fleet-queries';
import { advancedQueryProblems } from './advanced-query-lint';
import { NO_BUNDLING, synthTemplate } from './fleet';
import { resourcesOfType } from './template-json';

const storedQueries = (props: EcsControlRulesProps) =>
  Object.fromEntries(
    resourcesOfType(synthTemplate({ context: NO_BUNDLING, props }), 'AWS::Config::StoredQuery').map(([, query]) => [query.Properties.QueryName, query.Properties]),
  );

const organization: EcsControlRulesProps = { deployment: 'organization' };
const conformancePack: EcsControlRulesProps = { deployment: 'organization', organization: { rollout: 'conformance-pack' } };

describe.each<[string, EcsControlRulesProps]>([
  ['account mode', {}],
  ['organization mode', organization],
  ['conformance-pack rollout', conformancePack],
])('%s', (_mode, props) => {
  const queries = storedQueries(props);

  test('saves the four questions', () => {
    expect(Object.keys(queries).sort()).toEqual(['ecs-20-21-failing-task-defs', 'ecs-noncompliant-by-account', 'ecs-noncompliant-resources', 'ecs-public-ip-services']);
  });

  test.each(['ecs-20-21-failing-task-defs', 'ecs-noncompliant-by-account', 'ecs-noncompliant-resources', 'ecs-public-ip-services'])('%s is a valid advanced query', (name) => {
    expect(advancedQueryProblems(queries[name].QueryExpression)).toEqual([]);
    expect(queries[name].QueryDescription.length).toBeLessThanOrEqual(256);
  });

  test('the public-IP query reads each type by its own schema spelling (services Awsvpc, task sets AwsVpc)', () => {
    expect(queries['ecs-public-ip-services'].QueryExpression).toContain(
      "(resourceType = 'AWS::ECS::Service' AND configuration.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp = 'ENABLED')",
    );
    expect(queries['ecs-public-ip-services'].QueryExpression).toContain(
      "(resourceType = 'AWS::ECS::TaskSet' AND configuration.NetworkConfiguration.AwsVpcConfiguration.AssignPublicIp = 'ENABLED')",
    );
  });
});

test.each<[RuleNaming, string]>([
  ['account', "configuration.configRuleList.configRuleName = 'sec-ecs-20'"],
  ['conformance-pack', "configuration.configRuleList.configRuleName LIKE 'sec-ecs-20-conformance-pack-%'"],
])('rules deployed as %s are matched by the name the member accounts see', (naming, condition) => {
  const rules = ['ECS.20', 'ECS.21'].map((id) => ({ control: controlById(id), ruleName: `sec-${controlById(id).slug}` }));
  const failing = fleetQueries(rules, naming, 'sec-').find((query) => query.name === 'sec-ecs-20-21-failing-task-defs')!;
  expect(failing.expression).toContain(condition);
  expect(failing.expression).toContain(condition.replace('ecs-20', 'ecs-21'));
  expect(advancedQueryProblems(failing.expression)).toEqual([]);
});

test('the non-compliant list is limited to resources the deployed rules evaluate', () => {
  const expression = storedQueries({ controls: ['ECS.2', 'ECS.12'] })['ecs-noncompliant-resources'].QueryExpression;
  expect(expression).toContain("(configuration.configRuleList.configRuleName = 'ecs-2'\n    OR configuration.configRuleList.configRuleName = 'ecs-12')");
  expect(expression).toContain('configuration.configRuleList');
});

test('without ECS.20 and ECS.21 there is no query about them', () => {
  expect(Object.keys(storedQueries({ controls: ['ECS.2', 'ECS.16'] })).sort()).toEqual(['ecs-noncompliant-by-account', 'ecs-noncompliant-resources', 'ecs-public-ip-services']);
});

test('query names carry the rule-name prefix, and a prefix too long for them is an error', () => {
  expect(Object.keys(storedQueries({ controls: ['ECS.2'], ruleNamePrefix: 'team-a-' }))).toContain('team-a-ecs-noncompliant-by-account');
  expect(() => storedQueries({ controls: ['ECS.2'], ruleNamePrefix: 'x'.repeat(50) })).toThrow(/^`ruleNamePrefix` is too long: the stored query x+ecs-noncompliant-by-account must fit 64 characters\.$/);
});

test('a prefix with "_" keeps the LIKE pattern a suffix wildcard by cutting it at the "_"', () => {
  const [failing] = fleetQueries([{ control: controlById('ECS.20'), ruleName: 'team_a-ecs-20' }], 'conformance-pack', 'team_a-').filter((query) => query.name.endsWith('failing-task-defs'));
  expect(failing.expression).toContain("LIKE 'team%'");
  expect(advancedQueryProblems(failing.expression)).toEqual([]);
});

describe('the query lint itself', () => {
  test.each([
    ['a property in the wrong case', "SELECT resourceId WHERE resourceType = 'AWS::ECS::Service' AND configuration.networkConfiguration.awsvpcConfiguration.assignPublicIp = 'ENABLED'", /configuration.networkConfiguration.awsvpcConfiguration.assignPublicIp is not a property of AWS::ECS::Service/],
    ['a service property asked of task sets', "SELECT resourceId WHERE (resourceType = 'AWS::ECS::TaskSet' AND configuration.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp = 'ENABLED') OR (resourceType = 'AWS::ECS::Service' AND configuration.DesiredCount = 1)", /AwsvpcConfiguration.AssignPublicIp is not a property of AWS::ECS::TaskSet/],
    ['a prefix wildcard', "SELECT resourceId WHERE resourceType = 'AWS::Config::ResourceCompliance' AND configuration.configRuleList.configRuleName LIKE '%ecs-20%'", /LIKE '%ecs-20%' is not a suffix wildcard/],
    ['a wildcard after two characters', "SELECT resourceId WHERE resourceType = 'AWS::Config::ResourceCompliance' AND resourceName LIKE 'ab%'", /LIKE 'ab%'/],
    ['FROM', "SELECT resourceId FROM resources WHERE resourceType = 'AWS::ECS::Service'", /unsupported keyword FROM/],
  ])('rejects %s', (_what, expression, problem) => {
    expect(advancedQueryProblems(expression).join('\n')).toMatch(problem);
  });
});
