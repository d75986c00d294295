/**
 * `npx cdk synth -c deployment=organization` and organization mode's context keys, in the `-c`
 * string form and the cdk.json JSON form.
 */
import { App } from 'aws-cdk-lib';
import { controlRulesPropsFromContext } from '../../lib/app-context';
import { NO_BUNDLING, synthTemplate } from './fleet';
import { onlyResourceOfType, resourcesOfType } from './template-json';

const propsFrom = (context: Record<string, unknown>) => controlRulesPropsFromContext(new App({ context }).node);

test('-c deployment=organization alone synthesizes organization rules with every default', () => {
  const template = synthTemplate({ context: { ...NO_BUNDLING, deployment: 'organization', controls: 'ECS.4' } });
  template.resourceCountIs('AWS::Config::ConfigRule', 0);
  template.resourceCountIs('AWS::Config::OrganizationConfigRule', 1);
  template.resourceCountIs('AWS::CloudFormation::StackSet', 1);
  template.resourceCountIs('AWS::Config::ConfigurationAggregator', 1);
});

test('the -c string forms give every organization setting', () => {
  expect(
    propsFrom({
      deployment: 'organization',
      memberAccounts: '111111111111, 222222222222',
      excludedAccounts: '333333333333',
      targetOus: 'ou-ab12-cdef3456,ou-ab12-ghij7890',
      memberRoleName: 'AuditEcs',
      memberRoleStackSet: 'false',
      callAs: 'SELF',
      aggregator: 'false',
      rollout: 'conformance-pack',
    }),
  ).toMatchObject({
    deployment: 'organization',
    organization: {
      memberAccounts: ['111111111111', '222222222222'],
      excludedAccounts: ['333333333333'],
      targetOrganizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-ghij7890'],
      memberRoleName: 'AuditEcs',
      memberRoleStackSet: false,
      callAs: 'SELF',
      aggregator: false,
      rollout: 'conformance-pack',
    },
  });
});

test('cdk.json JSON values work too', () => {
  expect(propsFrom({ deployment: 'organization', memberAccounts: ['111111111111'], aggregator: true }).organization).toEqual({ memberAccounts: ['111111111111'], aggregator: true });
});

test('context settings reach the template', () => {
  const template = synthTemplate({
    context: { ...NO_BUNDLING, deployment: 'organization', controls: 'ECS.4', excludedAccounts: '333333333333', targetOus: 'r-ab12', aggregator: 'false' },
  });
  expect(resourcesOfType(template, 'AWS::Config::OrganizationConfigRule')[0][1].Properties.ExcludedAccounts).toEqual(['333333333333']);
  expect(onlyResourceOfType(template, 'AWS::CloudFormation::StackSet').Properties.StackInstancesGroup[0].DeploymentTargets).toEqual({ OrganizationalUnitIds: ['r-ab12'] });
  template.resourceCountIs('AWS::Config::ConfigurationAggregator', 0);
});

test('organization keys without -c deployment=organization are an error naming them', () => {
  expect(() => propsFrom({ memberAccounts: '111111111111', aggregator: 'false' })).toThrow(
    'Context `memberAccounts`, `aggregator` apply only with `-c deployment=organization`.',
  );
});

test.each([
  ['aggregator', 'no', /^Context `aggregator` must be true or false; got "no"\.$/],
  ['memberAccounts', 111111111111, /^Context `memberAccounts` must be a comma-separated list of account ids or a JSON array of them/],
  ['deployment', true, /^Context `deployment` must be a string; got true\.$/],
])('context %s = %j is an error naming the key', (key, value, message) => {
  expect(() => propsFrom({ deployment: 'organization', [key]: value })).toThrow(message);
});
