/**
 * Organization mode's template: organization rules instead of account rules, who may invoke the
 * central functions, the member role (StackSet, trust, actions), the central roles' AssumeRole and
 * the aggregator. Template-only, so esbuild is skipped.
 */
import { App, CfnElement, NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defaultParameters } from '../../lambdas/core/parameters';
import { CONTROLS, controlById } from '../../lambdas/controls';
import { apiActionsFor } from '../../lambdas/runtime/api-actions';
import { EDGE_PARAMETERS } from '../../lambdas/runtime/decisions';
import { EcsControlRulesProps } from '../../lib/ecs-control-rules';
import { EcsControlRulesStack } from '../../lib/ecs-control-rules-stack';
import { AGGREGATOR_ACTIONS } from '../../lib/organization/aggregator';
import { EXECUTION_ROLE_NAME_PARAMETER } from '../../lib/organization/organization-rule';
import { actionsOf, NO_BUNDLING, synthStack } from './fleet';
import { joinedJson, onlyResourceOfType, renderJoin, resourcesOfType } from './template-json';

const MEMBERS = ['111111111111', '222222222222', '333333333333'];

function synthOrganization(organization: EcsControlRulesProps['organization'] = {}, props: EcsControlRulesProps = {}) {
  const stack = synthStack({ context: NO_BUNDLING, props: { deployment: 'organization', organization, ...props } });
  return { stack, template: Template.fromStack(stack) };
}

/** The invoke permissions of each control's function, from its nested stack. */
function invokePermissions(stack: EcsControlRulesStack) {
  return stack.controlRules.rules.map((rule) => {
    const nested = rule.node.findChild('InvokePermissions') as NestedStack;
    const nestedResource = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(nested.nestedStackResource as CfnElement)];
    return {
      rule,
      /** What the parent passes to the nested stack: the function ARN among them. */
      parameters: Object.values(nestedResource.Properties.Parameters ?? {}),
      permissions: resourcesOfType(Template.fromStack(nested), 'AWS::Lambda::Permission').map(([, permission]) => permission.Properties),
    };
  });
}

const organizationRules = (template: Template) => resourcesOfType(template, 'AWS::Config::OrganizationConfigRule').map(([, rule]) => rule);

describe('organization rules', () => {
  const { template } = synthOrganization({ memberAccounts: MEMBERS, excludedAccounts: ['333333333333'] });

  test('replace the account rules: one organization rule per control, named like the account rules', () => {
    template.resourceCountIs('AWS::Config::ConfigRule', 0);
    expect(organizationRules(template).map((rule) => rule.Properties.OrganizationConfigRuleName)).toEqual(CONTROLS.map((control) => control.slug));
  });

  test.each(CONTROLS.map((control) => [control.id, control] as const))('%s: change-triggered, scoped to its resource type, backed by its own central function', (_id, control) => {
    const rule = organizationRules(template).find((candidate) => candidate.Properties.OrganizationConfigRuleName === control.slug)!;
    const metadata = rule.Properties.OrganizationCustomRuleMetadata;
    expect(metadata.Description).toBe(`${control.id} ${control.title}`);
    expect(metadata.OrganizationConfigRuleTriggerTypes).toEqual(['ConfigurationItemChangeNotification', 'OversizedConfigurationItemChangeNotification']);
    expect(metadata.ResourceTypesScope).toEqual([control.resourceType]);
    const functionId = metadata.LambdaFunctionArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[functionId].Properties.FunctionName).toBe(`ecs-config-rules-${control.slug}`);
  });

  test('carry the control parameters with their defaults and the member role name the handler reads', () => {
    for (const control of CONTROLS) {
      const rule = organizationRules(template).find((candidate) => candidate.Properties.OrganizationConfigRuleName === control.slug)!;
      expect(JSON.parse(rule.Properties.OrganizationCustomRuleMetadata.InputParameters)).toEqual({
        ...defaultParameters(control.parameters),
        ExecutionRoleName: 'EcsConfigRulesMember',
      });
    }
    // The handler strips exactly this name before resolving the control's own parameters.
    expect(EDGE_PARAMETERS).toContain(EXECUTION_ROLE_NAME_PARAMETER);
  });

  test('skip the excluded accounts', () => {
    for (const rule of organizationRules(template)) expect(rule.Properties.ExcludedAccounts).toEqual(['333333333333']);
  });

  test('wait for the invoke permissions: AWS Config checks it can invoke the function', () => {
    for (const rule of organizationRules(template)) {
      expect(rule.DependsOn).toEqual([expect.stringMatching(/InvokePermissions.*NestedStackResource/)]);
    }
  });

  test('with no excluded accounts, list none', () => {
    const { template: plain } = synthOrganization({}, { controls: ['ECS.4'] });
    expect(organizationRules(plain)[0].Properties.ExcludedAccounts).toBeUndefined();
  });
});

describe('invoke permissions', () => {
  const { stack } = synthOrganization({ memberAccounts: MEMBERS, excludedAccounts: ['333333333333'] });

  test('only AWS Config acting for this account or a listed, not excluded member account may invoke each function', () => {
    for (const { rule, parameters, permissions } of invokePermissions(stack)) {
      expect(permissions.map((permission) => permission.SourceAccount)).toEqual([{ Ref: 'AWS::AccountId' }, '111111111111', '222222222222']);
      for (const permission of permissions) {
        expect(permission).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'config.amazonaws.com', FunctionName: { Ref: expect.any(String) } });
      }
      // The nested stack's function is this control's: the parent passes exactly its ARN.
      expect(parameters).toEqual([{ 'Fn::GetAtt': [stack.getLogicalId(rule.function.node.defaultChild as CfnElement), 'Arn'] }]);
    }
  });

  test('no permission anywhere lacks a SourceAccount', () => {
    const parent = Template.fromStack(stack);
    expect(resourcesOfType(parent, 'AWS::Lambda::Permission')).toEqual([]);
    const all = invokePermissions(stack).flatMap(({ permissions }) => permissions);
    expect(all).toHaveLength(CONTROLS.length * 3);
    expect(all.every((permission) => permission.SourceAccount !== undefined)).toBe(true);
  });

  test('this account is listed once even when named among the members', () => {
    const app = new App({ context: NO_BUNDLING });
    const withEnv = new EcsControlRulesStack(app, 'Central', {
      env: { account: '111111111111', region: 'eu-west-1' },
      deployment: 'organization',
      controls: ['ECS.4'],
      organization: { memberAccounts: ['999999999999', '111111111111'] },
    });
    const [{ permissions }] = invokePermissions(withEnv);
    expect(permissions.map((permission) => permission.SourceAccount)).toEqual(['111111111111', '999999999999']);
  });
});

describe('central function roles', () => {
  test('may assume the member role, by name, in any account: in organization mode only', () => {
    const assumeStatements = (template: Template) =>
      resourcesOfType(template, 'AWS::IAM::Policy')
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
        .filter((statement) => actionsOf(statement).includes('sts:AssumeRole'));
    const { template } = synthOrganization({ memberRoleName: 'SecurityAudit-Ecs' }, { controls: ['ECS.2', 'ECS.20'] });
    expect(assumeStatements(template)).toEqual(
      Array(2).fill(expect.objectContaining({ Action: 'sts:AssumeRole', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/SecurityAudit-Ecs']] } })),
    );
    const account = Template.fromStack(synthStack({ context: NO_BUNDLING, props: { controls: ['ECS.2', 'ECS.20'] } }));
    expect(assumeStatements(account)).toEqual([]);
  });
});

describe('member role StackSet', () => {
  const { template } = synthOrganization({ targetOrganizationalUnitIds: ['ou-ab12-cdef3456', 'r-ab12'] }, { controls: ['ECS.4', 'ECS.10', 'ECS.12'] });
  const stackSet = onlyResourceOfType(template, 'AWS::CloudFormation::StackSet');
  const memberTemplate = joinedJson(stackSet.Properties.TemplateBody);
  const role = memberTemplate.Resources.MemberRole;

  test('is service-managed, follows the organization automatically, and may create a named role', () => {
    expect(stackSet.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      CallAs: 'DELEGATED_ADMIN',
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456', 'r-ab12'] }, Regions: [{ Ref: 'AWS::Region' }] }],
    });
  });

  test('creates the named role', () => {
    expect(Object.keys(memberTemplate.Resources)).toEqual(['MemberRole']);
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.RoleName).toBe('EcsConfigRulesMember');
  });

  test('the role trusts exactly the central functions roles', () => {
    const functionRoles = resourcesOfType(template, 'AWS::IAM::Role')
      .filter(([, resource]) => resource.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'lambda.amazonaws.com')
      .map(([logicalId]) => `\${${logicalId}.Arn}`);
    expect(functionRoles).toHaveLength(3);
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' },
        Action: 'sts:AssumeRole',
        Condition: { ArnEquals: { 'aws:PrincipalArn': functionRoles } },
      },
    ]);
  });

  test('the role may make exactly the calls the deployed controls make, no wildcard action', () => {
    const expected = new Set(['ECS.4', 'ECS.10', 'ECS.12'].flatMap((id) => Object.values(apiActionsFor(controlById(id))).flat()));
    const statements = role.Properties.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
    expect(statements).toEqual([{ Effect: 'Allow', Action: [...expected].sort(), Resource: '*' }]);
    expect(statements[0].Action).toEqual(['config:GetResourceConfigHistory', 'config:PutEvaluations', 'ecs:DescribeTaskDefinition', 'ecs:ListTaskDefinitions']);
  });

  test('without targets at synth, asks for them as the MemberRoleTargets parameter', () => {
    const { template: deferred } = synthOrganization({}, { controls: ['ECS.4'] });
    expect(deferred.toJSON().Parameters.MemberRoleTargets).toMatchObject({ Type: 'CommaDelimitedList' });
    expect(onlyResourceOfType(deferred, 'AWS::CloudFormation::StackSet').Properties.StackInstancesGroup[0].DeploymentTargets).toEqual({ OrganizationalUnitIds: { Ref: 'MemberRoleTargets' } });
  });

  test('a management-account deployment calls as SELF; a second region can leave the roles to the first', () => {
    const { template: self } = synthOrganization({ callAs: 'SELF' }, { controls: ['ECS.4'] });
    expect(onlyResourceOfType(self, 'AWS::CloudFormation::StackSet').Properties.CallAs).toBe('SELF');
    const { template: none } = synthOrganization({ memberRoleStackSet: false }, { controls: ['ECS.4'] });
    none.resourceCountIs('AWS::CloudFormation::StackSet', 0);
  });
});

describe('aggregator', () => {
  test('collects every account and region of the organization through a role limited to listing it', () => {
    const { template } = synthOrganization({}, { controls: ['ECS.4'], ruleNamePrefix: 'sec-' });
    const aggregator = onlyResourceOfType(template, 'AWS::Config::ConfigurationAggregator');
    expect(aggregator.Properties.ConfigurationAggregatorName).toBe('sec-ecs-config-rules');
    expect(aggregator.Properties.OrganizationAggregationSource).toEqual({ AllAwsRegions: true, RoleArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } });
    const role = template.toJSON().Resources[aggregator.Properties.OrganizationAggregationSource.RoleArn['Fn::GetAtt'][0]];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'config.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(role.Properties.Policies).toEqual([{ PolicyName: 'ListOrganizationAccounts', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: AGGREGATOR_ACTIONS, Resource: '*' }] } }]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('is optional', () => {
    const { template } = synthOrganization({ aggregator: false }, { controls: ['ECS.4'] });
    template.resourceCountIs('AWS::Config::ConfigurationAggregator', 0);
  });

  test('is not created in account mode', () => {
    Template.fromStack(synthStack({ context: NO_BUNDLING, props: { controls: ['ECS.4'] } })).resourceCountIs('AWS::Config::ConfigurationAggregator', 0);
  });
});

describe('conformance-pack rollout', () => {
  test('deploys the functions, their invoke permissions and the member role, but no rules', () => {
    const { stack, template } = synthOrganization({ rollout: 'conformance-pack', memberAccounts: ['111111111111'] }, { controls: ['ECS.4', 'ECS.20'] });
    template.resourceCountIs('AWS::Config::OrganizationConfigRule', 0);
    template.resourceCountIs('AWS::Config::ConfigRule', 0);
    template.resourceCountIs('AWS::CloudFormation::StackSet', 1);
    expect(invokePermissions(stack).map(({ permissions }) => permissions.length)).toEqual([2, 2]);
  });

  test('outputs the ARN prefix of the fixed-name functions, for npm run conformance-pack', () => {
    const { template } = synthOrganization({}, { controls: ['ECS.4'] });
    const functionArnPrefix = (outputs: Record<string, { Value: unknown }>) => Object.entries(outputs).filter(([logicalId]) => logicalId.includes('FunctionArnPrefix'));
    expect(functionArnPrefix(template.toJSON().Outputs).map(([, output]) => renderJoin(output.Value))).toEqual(['arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:']);
    expect(functionArnPrefix(Template.fromStack(synthStack({ context: NO_BUNDLING, props: { controls: ['ECS.4'] } })).toJSON().Outputs)).toEqual([]);
  });
});

describe('settings errors name the setting', () => {
  test.each<[string, EcsControlRulesProps['organization'], RegExp]>([
    ['an account id that is not 12 digits', { memberAccounts: ['12345'] }, /^`organization.memberAccounts`: "12345" is not a 12-digit AWS account id\.$/],
    ['an account listed twice', { excludedAccounts: ['111111111111', '111111111111'] }, /^`organization.excludedAccounts` lists 111111111111 more than once\.$/],
    ['an OU id of the wrong form', { targetOrganizationalUnitIds: ['ou-123'] }, /^`organization.targetOrganizationalUnitIds`: "ou-123" is neither a root id/],
    ['no targets at all', { targetOrganizationalUnitIds: [] }, /must name at least one root or OU id/],
    ['a role name with a path', { memberRoleName: 'audit/EcsMember' }, /^`organization.memberRoleName` must be an IAM role name without a path/],
    ['an unknown callAs', { callAs: 'ADMIN' as never }, /^`organization.callAs` must be one of SELF, DELEGATED_ADMIN, got "ADMIN"\.$/],
    ['an unknown rollout', { rollout: 'stacksets' as never }, /^`organization.rollout` must be one of organization-rules, conformance-pack/],
  ])('%s', (_what, organization, message) => {
    expect(() => synthOrganization(organization, { controls: ['ECS.4'] })).toThrow(message);
  });

  test('organization settings in account mode', () => {
    expect(() => synthStack({ context: NO_BUNDLING, props: { organization: { aggregator: false } } })).toThrow("`organization` settings apply only with `deployment: 'organization'`.");
  });

  test('an unknown deployment mode', () => {
    expect(() => synthStack({ context: NO_BUNDLING, props: { deployment: 'org' as never } })).toThrow('`deployment` must be account or organization, got "org".');
  });

  test('a prefix that makes a function name too long', () => {
    expect(() => synthOrganization({}, { ruleNamePrefix: 'p'.repeat(45) })).toThrow(/^`ruleNamePrefix` is too long for organization mode: the function name p+ecs-config-rules-ecs-\d+ must fit 64 characters\.$/);
  });

  test('more invoking accounts than a function policy may hold is reported as a warning', () => {
    const accounts = Array.from({ length: 60 }, (_, index) => String(100000000000 + index));
    const { stack } = synthOrganization({ memberAccounts: accounts }, { controls: ['ECS.4'] });
    const warnings = stack.controlRules.node.metadata.filter((entry) => entry.type === 'aws:cdk:warning').map((entry) => String(entry.data));
    expect(warnings).toEqual([expect.stringMatching(/^61 accounts may invoke each function: .*20 KB/)]);
  });
});
