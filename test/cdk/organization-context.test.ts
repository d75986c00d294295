/**
 * `npx cdk synth -c deployment=organization` and organization mode's context keys, in the `-c`
 * string form and the cdk.json JSON form.
 */
import { App } from 'aws-cdk-lib';
import { controlRulesPropsFromContext } from '../../lib/app-context';
import { NO_BUNDLING, synthTemplate } from './fleet';
import { onlyResourceOfType } from './template-json';

const propsFrom = (context: Record<string, unknown>) => controlRulesPropsFromContext(new App({ context }).node);

test('-c deployment=organization alone synthesizes the StackSet and the central view, no account list needed', () => {
  const template = synthTemplate({ context: { ...NO_BUNDLING, deployment: 'organization', controls: 'ECS.4' } });
  template.resourceCountIs('AWS::Config::ConfigRule', 0);
  template.resourceCountIs('AWS::CloudFormation::StackSet', 1);
  template.resourceCountIs('AWS::Oam::Sink', 1);
  template.resourceCountIs('AWS::Config::ConfigurationAggregator', 1);
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
});

test('the -c string forms give every organization setting', () => {
  expect(
    propsFrom({
      deployment: 'organization',
      regions: 'us-east-1, eu-west-1',
      targetOus: 'ou-ab12-cdef3456,ou-ab12-ghij7890',
      organizationId: 'o-a1b2c3d4e5',
      excludedAccounts: '333333333333',
      callAs: 'SELF',
      retainStacksOnAccountRemoval: 'true',
      maxConcurrentPercentage: '50',
      failureTolerancePercentage: '5',
      aggregator: 'false',
      rollout: 'conformance-pack',
    }),
  ).toMatchObject({
    deployment: 'organization',
    organization: {
      regions: ['us-east-1', 'eu-west-1'],
      targetOrganizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-ghij7890'],
      organizationId: 'o-a1b2c3d4e5',
      excludedAccounts: ['333333333333'],
      callAs: 'SELF',
      retainStacksOnAccountRemoval: true,
      maxConcurrentPercentage: 50,
      failureTolerancePercentage: 5,
      aggregator: false,
      rollout: 'conformance-pack',
    },
  });
});

test('cdk.json JSON values work too', () => {
  expect(propsFrom({ deployment: 'organization', regions: ['eu-west-1'], maxConcurrentPercentage: 10, aggregator: true }).organization).toEqual({
    regions: ['eu-west-1'],
    maxConcurrentPercentage: 10,
    aggregator: true,
  });
});

test('context settings reach the template', () => {
  const template = synthTemplate({
    context: { ...NO_BUNDLING, deployment: 'organization', controls: 'ECS.4', excludedAccounts: '333333333333', targetOus: 'r-ab12', organizationId: 'o-a1b2c3d4e5', aggregator: 'false' },
  });
  expect(onlyResourceOfType(template, 'AWS::CloudFormation::StackSet').Properties.StackInstancesGroup[0].DeploymentTargets).toEqual({
    OrganizationalUnitIds: ['r-ab12'],
    AccountFilterType: 'DIFFERENCE',
    Accounts: ['333333333333'],
  });
  expect(template.toJSON().Parameters.OrganizationId).toBeUndefined();
  template.resourceCountIs('AWS::Config::ConfigurationAggregator', 0);
});

test('organization keys without -c deployment=organization are an error naming them', () => {
  expect(() => propsFrom({ regions: 'eu-west-1', aggregator: 'false' })).toThrow('Context `regions`, `aggregator` apply only with `-c deployment=organization`.');
});

test.each([
  ['aggregator', 'no', /^Context `aggregator` must be true or false; got "no"\.$/],
  ['regions', 1, /^Context `regions` must be a comma-separated list of Region names or a JSON array of them/],
  ['maxConcurrentPercentage', 'half', /^Context `maxConcurrentPercentage` must be a whole number; got "half"\.$/],
  ['deployment', true, /^Context `deployment` must be a string; got true\.$/],
])('context %s = %j is an error naming the key', (key, value, message) => {
  expect(() => propsFrom({ deployment: 'organization', [key]: value })).toThrow(message);
});
