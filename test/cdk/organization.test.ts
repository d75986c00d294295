/**
 * Organization mode: the service-managed StackSet (automatic deployment, OUs, Regions), the member
 * template (the account-mode fleet with fixed names, invocable only by its own account's Config, no
 * cross-account grants), the code that reaches every Region, the per-Region hub (code bucket,
 * observability sink, alarm), the central view, and that nothing grows with the organization.
 * Template-only, so esbuild is skipped.
 */
import { isDeepStrictEqual } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CONTROLS } from '../../lambdas/controls';
import { EcsControlRulesStack } from '../../lib/ecs-control-rules-stack';
import { AGGREGATOR_ACTIONS } from '../../lib/organization/aggregator';
import { codeBucketName } from '../../lib/organization/code-bucket';
import { LINKED_NAMESPACES } from '../../lib/organization/member-template';
import { EcsControlRulesProps } from '../../lib/ecs-control-rules';
import { actionsOf, NO_BUNDLING, synthStack } from './fleet';
import { memberCodeManifest, memberTemplateJson, memberTemplateOf, synthOrganization } from './organization-fleet';
import { joinedJson, onlyResourceOfType, resourcesOfType } from './template-json';

type Json = Record<string, any> & { Action?: any };
const statementsOf = (template: Template): Array<{ Action: string | string[] } & Json> =>
  [...resourcesOfType(template, 'AWS::IAM::Policy'), ...resourcesOfType(template, 'AWS::IAM::Role')].flatMap(([, resource]) => [
    ...(resource.Properties.PolicyDocument?.Statement ?? []),
    ...(resource.Properties.Policies ?? []).flatMap((policy: Json) => policy.PolicyDocument.Statement),
  ]);

describe('the StackSet', () => {
  const { template } = synthOrganization({ regions: ['us-east-1', 'eu-west-1'], targetOrganizationalUnitIds: ['ou-ab12-cdef3456', 'r-ab12'] }, {}, { region: 'us-east-1' });
  const stackSet = onlyResourceOfType(template, 'AWS::CloudFormation::StackSet');

  test('is service-managed and deploys automatically to accounts that join the targeted OUs', () => {
    expect(stackSet.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'DELEGATED_ADMIN',
      Capabilities: ['CAPABILITY_IAM'],
      ManagedExecution: { Active: true },
    });
  });

  test('targets the OUs in every listed Region, each Region with its own sink', () => {
    const groups = stackSet.Properties.StackInstancesGroup as Json[];
    expect(groups.map((group) => group.Regions)).toEqual([['us-east-1'], ['eu-west-1']]);
    for (const group of groups) {
      expect(group.DeploymentTargets).toEqual({ OrganizationalUnitIds: ['ou-ab12-cdef3456', 'r-ab12'] });
      expect(group.ParameterOverrides.map((override: Json) => override.ParameterKey)).toEqual(['ObservabilitySinkArn']);
    }
    // The home Region's sink is in this stack; eu-west-1's comes from its own stack across Regions.
    expect(groups[0].ParameterOverrides[0].ParameterValue).toEqual({ 'Fn::GetAtt': [resourcesOfType(template, 'AWS::Oam::Sink')[0][0], 'Arn'] });
    expect(JSON.stringify(groups[1].ParameterOverrides[0].ParameterValue)).toContain('RegionHubSink');
  });

  test('rolls out to a quarter of the accounts at a time per Region, Regions in parallel, stopping past 10% failures', () => {
    expect(stackSet.Properties.OperationPreferences).toEqual({
      RegionConcurrencyType: 'PARALLEL',
      MaxConcurrentPercentage: 25,
      FailureTolerancePercentage: 10,
      ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',
    });
  });

  test('tells the member template which account holds the code and sinks, and takes it from a file asset of this stack', () => {
    expect(stackSet.Properties.Parameters).toEqual([{ ParameterKey: 'CentralAccountId', ParameterValue: { Ref: 'AWS::AccountId' } }]);
    expect(JSON.stringify(stackSet.Properties.TemplateURL)).toMatch(/cdk-hnb659fds-assets-\$\{AWS::AccountId\}-us-east-1\/[0-9a-f]{64}\.json/);
    expect(stackSet.Properties.TemplateBody).toBeUndefined();
  });

  test('settings: removal, concurrency, tolerance, caller, excluded accounts', () => {
    const { template: tuned } = synthOrganization(
      { retainStacksOnAccountRemoval: true, maxConcurrentPercentage: 100, failureTolerancePercentage: 0, callAs: 'SELF', excludedAccounts: ['111111111111', '222222222222'], targetOrganizationalUnitIds: ['r-ab12'] },
      { controls: ['ECS.4'] },
    );
    const properties = onlyResourceOfType(tuned, 'AWS::CloudFormation::StackSet').Properties;
    expect(properties.AutoDeployment).toEqual({ Enabled: true, RetainStacksOnAccountRemoval: true });
    expect(properties.CallAs).toBe('SELF');
    expect(properties.OperationPreferences).toMatchObject({ MaxConcurrentPercentage: 100, FailureTolerancePercentage: 0 });
    expect(properties.StackInstancesGroup[0].DeploymentTargets).toEqual({ OrganizationalUnitIds: ['r-ab12'], AccountFilterType: 'DIFFERENCE', Accounts: ['111111111111', '222222222222'] });
  });

  test('without targets or an organization id at synth, asks for them as stack parameters; one Region by default: this one', () => {
    const { template: deferred } = synthOrganization({}, { controls: ['ECS.4'] });
    expect(deferred.toJSON().Parameters.TargetOus).toMatchObject({ Type: 'CommaDelimitedList' });
    expect(deferred.toJSON().Parameters.OrganizationId).toMatchObject({ Type: 'String', AllowedPattern: '^o-[a-z0-9]{10,32}$' });
    const [group] = onlyResourceOfType(deferred, 'AWS::CloudFormation::StackSet').Properties.StackInstancesGroup;
    expect(group).toMatchObject({ DeploymentTargets: { OrganizationalUnitIds: { Ref: 'TargetOus' } }, Regions: [{ Ref: 'AWS::Region' }] });
  });
});

describe('the member template', () => {
  const { stack } = synthOrganization({ organizationId: 'o-a1b2c3d4e5' }, {}, { region: 'us-east-1' });
  const member = memberTemplateOf(stack);
  const memberJson = memberTemplateJson(stack);

  test('holds exactly the account-mode fleet, with fixed function and queue names, plus one observability link', () => {
    const account = Template.fromStack(synthStack({ context: NO_BUNDLING }));
    const typesOf = (template: Template) => Object.values(template.toJSON().Resources as Json).map((resource: Json) => resource.Type).sort();
    const fleetTypes = typesOf(account).filter((type) => !['AWS::Config::StoredQuery', 'AWS::CloudWatch::Dashboard'].includes(type) && !(type === 'AWS::CloudWatch::Alarm'));
    expect(typesOf(member).filter((type) => type !== 'AWS::Oam::Link' && type !== 'AWS::CloudWatch::Alarm')).toEqual(fleetTypes);
    member.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    member.resourceCountIs('AWS::Oam::Link', 1);
    expect(resourcesOfType(member, 'AWS::Lambda::Function').map(([, fn]) => fn.Properties.FunctionName)).toEqual(CONTROLS.map((control) => `ecs-config-rules-${control.slug}`));
    expect(onlyResourceOfType(member, 'AWS::SQS::Queue').Properties.QueueName).toBe('ecs-config-rules-failed-invocations');
  });

  test("each function runs the account-mode settings and takes its code from the central account's bucket in the member's Region", () => {
    const accountFunctions = resourcesOfType(Template.fromStack(synthStack({ context: NO_BUNDLING })), 'AWS::Lambda::Function').map(([, fn]) => fn.Properties);
    resourcesOfType(member, 'AWS::Lambda::Function').forEach(([, fn], index) => {
      const { Code: code, FunctionName: _name, Role: _role, LoggingConfig: _logs, ...settings } = fn.Properties;
      const { Code: _code, Role: _accountRole, LoggingConfig: _accountLogs, ...accountSettings } = accountFunctions[index];
      expect(settings).toEqual(accountSettings);
      expect(code.S3Bucket).toEqual({ 'Fn::Sub': codeBucketName('${CentralAccountId}', '${AWS::Region}') });
      expect(code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
    });
  });

  test("only AWS Config acting for the member account itself may invoke a function; the rule waits for that permission", () => {
    const permissions = resourcesOfType(member, 'AWS::Lambda::Permission');
    expect(permissions).toHaveLength(CONTROLS.length);
    for (const [, permission] of permissions) {
      expect(permission.Properties).toEqual({ Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [expect.any(String), 'Arn'] }, Principal: 'config.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } });
    }
    for (const [, rule] of resourcesOfType(member, 'AWS::Config::ConfigRule')) expect(rule.DependsOn).toEqual([expect.stringMatching(/ConfigInvoke/)]);
  });

  test('no cross-account grant anywhere: no role assumption, no other account as principal, no trust beyond Lambda and the member itself', () => {
    expect(statementsOf(member).flatMap(actionsOf).filter((action) => action.startsWith('sts:') && action !== 'sts:AssumeRole')).toEqual([]);
    const trusts = resourcesOfType(member, 'AWS::IAM::Role').map(([, role]) => role.Properties.AssumeRolePolicyDocument.Statement);
    const lambdaTrust = [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }];
    // The failed-invocations queue's redrive role, for the member account's own operators.
    const ownAccountTrust = [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } }, Action: 'sts:AssumeRole' }];
    expect(trusts.filter((trust) => !isDeepStrictEqual(trust, lambdaTrust))).toEqual([ownAccountTrust]);
    const policies = resourcesOfType(member, 'AWS::IAM::Policy').flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>);
    expect(policies.flatMap(actionsOf).filter((action) => action.startsWith('sts:'))).toEqual([]);
    expect(JSON.stringify(memberJson)).not.toMatch(/[:/]\d{12}[:/]/);
  });

  test("links only the fleet's metrics to its Region's sink, except in the central account itself", () => {
    const link = memberJson.Resources.ObservabilityLink;
    expect(link.Properties).toEqual({
      ResourceTypes: ['AWS::CloudWatch::Metric'],
      SinkIdentifier: { Ref: 'ObservabilitySinkArn' },
      LabelTemplate: '$AccountName',
      LinkConfiguration: { MetricConfiguration: { Filter: `Namespace IN (${LINKED_NAMESPACES.map((namespace) => `'${namespace}'`).join(', ')})` } },
    });
    expect(memberJson.Conditions[link.Condition]).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: 'CentralAccountId' }] }] });
    expect(Object.keys(memberJson.Parameters)).toEqual(['CentralAccountId', 'ObservabilitySinkArn']);
  });

  test('periodic mode works as in account mode: scheduled rules, 15-minute functions, reads of their own rule', () => {
    const periodic = memberTemplateOf(synthOrganization({}, { controls: ['ECS.20'], maximumExecutionFrequency: 'Six_Hours' as never }).stack);
    const [[ruleId, rule]] = resourcesOfType(periodic, 'AWS::Config::ConfigRule');
    expect(rule.Properties.Source.SourceDetails).toContainEqual({ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'Six_Hours' });
    expect(onlyResourceOfType(periodic, 'AWS::Lambda::Function').Properties.Timeout).toBe(900);
    expect(statementsOf(periodic)).toContainEqual({ Effect: 'Allow', Action: 'config:GetComplianceDetailsByConfigRule', Resource: { 'Fn::GetAtt': [ruleId, 'Arn'] } });
  });
});

describe('the rule code reaches every Region', () => {
  const { app, stack } = synthOrganization({ regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'] }, { controls: ['ECS.4', 'ECS.20'] }, { region: 'us-east-1' });

  test("each bundle is uploaded to each Region's code bucket with the deployer's credentials", () => {
    const files = Object.values(memberCodeManifest(stack).files ?? {});
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(Object.values(file.destinations)).toEqual(
        ['us-east-1', 'eu-west-1', 'ap-southeast-2'].map((region) => ({ region, bucketName: `ecs-config-rules-code-\${AWS::AccountId}-${region}-an`, objectKey: expect.stringMatching(/\.zip$/) })),
      );
    }
  });

  test('cdk deploy publishes them after the stacks creating the buckets and before this stack, and never deploys the member template as a stack', () => {
    const assembly = app.synth();
    const member = stack.controlRules.organization!.memberTemplate;
    const bucketStacks = ['Central-CodeBucket', 'Central-eu-west-1', 'Central-ap-southeast-2'];
    const dependencies = assembly.getStackArtifact(stack.artifactId).dependencies.map((dependency) => dependency.id);
    expect(dependencies).toEqual(expect.arrayContaining([member.artifactId, ...bucketStacks]));
    expect(assembly.tryGetArtifact(member.artifactId)!.dependencies.map((dependency) => dependency.id)).toEqual(bucketStacks);
    expect(assembly.stacks.map((artifact) => artifact.id).sort()).toEqual(['Central', ...bucketStacks].sort());
  });

  test('the home Region keeps sink and alarm in this stack, its code bucket in a stack of its own; each other Region a stack with all three', () => {
    expect(resourcesOfType(Template.fromStack(stack), 'AWS::S3::Bucket')).toEqual([]);
    const home = Template.fromStack(app.node.findChild('Central-CodeBucket') as Stack);
    expect(Object.values(home.toJSON().Resources as Json).map((resource) => resource.Type).sort()).toEqual(['AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
    for (const region of ['eu-west-1', 'ap-southeast-2']) {
      const regional = app.node.findChild(`Central-${region}`) as Stack;
      expect(regional.region).toBe(region);
      const template = Template.fromStack(regional);
      expect(onlyResourceOfType(template, 'AWS::S3::Bucket').Properties).toMatchObject({ BucketNamePrefix: 'ecs-config-rules-code', BucketNamespace: 'account-regional' });
      template.resourceCountIs('AWS::Oam::Sink', 1);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    }
  });

  test('a Region without account regional namespaces is refused, naming it', () => {
    expect(() => synthOrganization({ regions: ['us-east-1', 'me-south-1'] }, { controls: ['ECS.4'] }, { region: 'us-east-1' })).toThrow(
      /^Organization mode cannot deploy to me-south-1: S3 has no account regional namespace there/,
    );
  });

  test('several Regions need the stack to know its own', () => {
    expect(() => synthOrganization({ regions: ['us-east-1', 'eu-west-1'] }, { controls: ['ECS.4'] })).toThrow(/`organization.regions` lists us-east-1, so the stack needs a Region of its own/);
  });
});

describe('the code bucket', () => {
  const codeBucketTemplate = (organization: EcsControlRulesProps['organization']) => {
    const { app } = synthOrganization(organization, { controls: ['ECS.4'] });
    return { app, template: Template.fromStack(app.node.findChild('Central-CodeBucket') as Stack) };
  };
  const readStatement = (template: Template) =>
    (onlyResourceOfType(template, 'AWS::S3::BucketPolicy').Properties.PolicyDocument.Statement as Json[]).find((statement) => statement.Effect === 'Allow')!;

  test("is named in the central account's own namespace: private, encrypted, TLS only, versioned", () => {
    const { template } = codeBucketTemplate({ organizationId: 'o-a1b2c3d4e5', targetOrganizationalUnitIds: ['r-ab12'] });
    expect(onlyResourceOfType(template, 'AWS::S3::Bucket').Properties).toMatchObject({
      BucketNamePrefix: 'ecs-config-rules-code',
      BucketNamespace: 'account-regional',
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(codeBucketName('111122223333', 'eu-west-1')).toBe('ecs-config-rules-code-111122223333-eu-west-1-an');
    const statements = onlyResourceOfType(template, 'AWS::S3::BucketPolicy').Properties.PolicyDocument.Statement as Json[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toHaveLength(1);
  });

  test('is readable only by accounts under the targeted root or OUs when both are given at synth', () => {
    const { template } = codeBucketTemplate({ organizationId: 'o-a1b2c3d4e5', targetOrganizationalUnitIds: ['ou-ab12-cdef3456', 'r-ab12'] });
    expect(readStatement(template)).toMatchObject({
      Principal: { AWS: '*' },
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/*ou-ab12-cdef3456/*', 'o-a1b2c3d4e5/*r-ab12/*'] } },
    });
  });

  test('with targets given only at deploy time, by the whole organization, and synth warns so', () => {
    const { app, template } = codeBucketTemplate({ organizationId: 'o-a1b2c3d4e5' });
    expect(readStatement(template).Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
    const warnings = Annotations.fromStack(app.node.findChild('Central-CodeBucket') as Stack).findWarning('*', Match.stringLikeRegexp('readable by every account of the organization'));
    expect(warnings).toHaveLength(1);
    expect(Annotations.fromStack(app.node.findChild('Central-CodeBucket') as Stack).findWarning('*', Match.anyValue())).toHaveLength(1);
    const { app: scoped } = codeBucketTemplate({ organizationId: 'o-a1b2c3d4e5', targetOrganizationalUnitIds: ['r-ab12'] });
    expect(Annotations.fromStack(scoped.node.findChild('Central-CodeBucket') as Stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('with the organization given only at deploy time, the bucket stack asks for it', () => {
    const { template } = codeBucketTemplate({ targetOrganizationalUnitIds: ['r-ab12'] });
    expect(readStatement(template).Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } });
  });
});

describe('each Region hub', () => {
  const { template } = synthOrganization({ organizationId: 'o-a1b2c3d4e5' }, { controls: ['ECS.4'], ruleNamePrefix: 'sec-' });

  test('the sink: the organization may link metrics only', () => {
    const sink = onlyResourceOfType(template, 'AWS::Oam::Sink');
    expect(sink.Properties.Name).toBe('sec-ecs-config-rules');
    expect(sink.Properties.Policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: '*',
        Action: ['oam:CreateLink', 'oam:UpdateLink'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, 'ForAllValues:StringEquals': { 'oam:ResourceTypes': ['AWS::CloudWatch::Metric'] } },
      },
    ]);
  });

  test("one alarm over every account's failed-invocations queue raises on the first failed evaluation anywhere in the Region", () => {
    const alarm = onlyResourceOfType(template, 'AWS::CloudWatch::Alarm');
    expect(alarm.Properties).toMatchObject({ AlarmName: 'sec-ecs-config-rules-failed-evaluations', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    expect(alarm.Properties.Metrics).toEqual([
      expect.objectContaining({
        Expression: `SELECT MAX(ApproximateNumberOfMessagesVisible) FROM SCHEMA("AWS/SQS", QueueName) WHERE QueueName = 'sec-ecs-config-rules-failed-invocations'`,
        Period: 300,
      }),
    ]);
    // The queue name the alarm watches is the one every member template deploys.
    const member = memberTemplateOf(synthOrganization({}, { controls: ['ECS.4'], ruleNamePrefix: 'sec-' }).stack);
    expect(onlyResourceOfType(member, 'AWS::SQS::Queue').Properties.QueueName).toBe('sec-ecs-config-rules-failed-invocations');
  });
});

describe('the central view', () => {
  const { template } = synthOrganization({ regions: ['us-east-1', 'eu-west-1'] }, { controls: ['ECS.4', 'ECS.20'] }, { region: 'us-east-1' });
  const body = joinedJson(onlyResourceOfType(template, 'AWS::CloudWatch::Dashboard').Properties.DashboardBody);
  const expressions = (body.widgets as Json[]).flatMap((widget) => (widget.properties.metrics ?? []).map((metric: Json[]) => ({ ...metric[0], region: widget.properties.region })));

  test('the dashboard graphs every Region by account: failed evaluations, errors per control, NON_COMPLIANT evaluations', () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      const inRegion = expressions.filter((expression) => expression.region === region).map((expression) => expression.expression);
      expect(inRegion).toEqual([
        expect.stringMatching(/^SELECT MAX\(ApproximateNumberOfMessagesVisible\) FROM SCHEMA\("AWS\/SQS", QueueName\) WHERE QueueName = 'ecs-config-rules-failed-invocations' GROUP BY AWS.AccountId/),
        `SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'ecs-config-rules-ecs-4' GROUP BY AWS.AccountId ORDER BY SUM() DESC LIMIT 20`,
        `SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'ecs-config-rules-ecs-20' GROUP BY AWS.AccountId ORDER BY SUM() DESC LIMIT 20`,
        `SELECT SUM(Evaluations) FROM SCHEMA(EcsConfigRules, ComplianceType, Control) WHERE ComplianceType = 'NON_COMPLIANT' GROUP BY AWS.AccountId ORDER BY SUM() DESC LIMIT 20`,
      ]);
    }
  });

  test("and shows every Region's failed-evaluations alarm", () => {
    const alarmWidget = (body.widgets as Json[]).find((widget) => widget.type === 'alarm')!;
    expect(alarmWidget.properties.alarms).toEqual(['us-east-1', 'eu-west-1'].map((region) => `arn:\${AWS::Partition}:cloudwatch:${region}:\${AWS::AccountId}:alarm:ecs-config-rules-failed-evaluations`));
  });

  test("the stored queries name the member template's rules as each account knows them", () => {
    const expression = resourcesOfType(template, 'AWS::Config::StoredQuery').map(([, query]) => query.Properties.QueryExpression as string).find((text) => text.includes('configRuleName'))!;
    expect(expression).toContain("configuration.configRuleList.configRuleName = 'ecs-20'");
  });

  test('the aggregator collects every account and Region through a role only Config acting for this account may assume', () => {
    const aggregator = onlyResourceOfType(template, 'AWS::Config::ConfigurationAggregator');
    expect(aggregator.Properties.OrganizationAggregationSource).toEqual({ AllAwsRegions: true, RoleArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } });
    const role = template.toJSON().Resources[aggregator.Properties.OrganizationAggregationSource.RoleArn['Fn::GetAtt'][0]];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'config.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } },
    ]);
    expect(role.Properties.Policies).toEqual([{ PolicyName: 'ListOrganizationAccounts', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: AGGREGATOR_ACTIONS, Resource: '*' }] } }]);
    synthOrganization({ aggregator: false }, { controls: ['ECS.4'] }).template.resourceCountIs('AWS::Config::ConfigurationAggregator', 0);
  });

  test('this account runs no rule function and no rule of its own', () => {
    template.resourceCountIs('AWS::Config::ConfigRule', 0);
    expect(resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id)).toEqual([expect.stringMatching(/^CustomCrossRegionExportReader/)]);
  });
});

describe('nothing grows with the organization', () => {
  test('the templates are the same for any number of accounts: no setting takes an account list but the excluded accounts', () => {
    const sizes = (excludedAccounts: string[]) => {
      const { stack, template } = synthOrganization({ excludedAccounts, targetOrganizationalUnitIds: ['r-ab12'] }, { controls: ['ECS.4'] });
      return { member: JSON.stringify(memberTemplateJson(stack)).length, central: JSON.stringify(template.toJSON()).length };
    };
    const none = sizes([]);
    const some = sizes(['111111111111', '222222222222']);
    expect(some.member).toBe(none.member);
    // Only the StackSet's account filter names the excluded accounts, once per Region.
    expect(some.central - none.central).toBe(JSON.stringify({ AccountFilterType: 'DIFFERENCE', Accounts: ['111111111111', '222222222222'] }).length - 1);
  });

  test('seventeen Regions: every template within CloudFormation limits', () => {
    const regions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1'];
    const { app, stack, template } = synthOrganization({ regions }, {}, { region: 'us-east-1' });
    const member = memberTemplateJson(stack);
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
    expect(Object.keys(member.Resources).length).toBeLessThanOrEqual(500);
    expect(JSON.stringify(member).length).toBeLessThan(1_000_000);
    expect(Object.keys(template.toJSON().Resources).length).toBeLessThanOrEqual(500);
    expect(JSON.stringify(template.toJSON()).length).toBeLessThan(1_000_000);
    expect(app.synth().stacks).toHaveLength(18);
  });
});

describe('settings errors name the setting', () => {
  test.each<[string, EcsControlRulesProps['organization'], RegExp]>([
    ['an account id that is not 12 digits', { excludedAccounts: ['12345'] }, /^`organization.excludedAccounts`: "12345" is not a 12-digit AWS account id\.$/],
    ['an account listed twice', { excludedAccounts: ['111111111111', '111111111111'] }, /^`organization.excludedAccounts` lists 111111111111 more than once\.$/],
    ['an OU id of the wrong form', { targetOrganizationalUnitIds: ['ou-123'] }, /^`organization.targetOrganizationalUnitIds`: "ou-123" is neither a root id/],
    ['no targets at all', { targetOrganizationalUnitIds: [] }, /must name at least one root or OU id/],
    ['a Region that is not one', { regions: ['Europe'] }, /^`organization.regions`: "Europe" is not a Region name/],
    ['a Region listed twice', { regions: ['eu-west-1', 'eu-west-1'] }, /^`organization.regions` lists eu-west-1 more than once\.$/],
    ['an organization id of the wrong form', { organizationId: 'org-1' }, /^`organization.organizationId` must be an organization id/],
    ['a concurrency of 0%', { maxConcurrentPercentage: 0 }, /^`organization.maxConcurrentPercentage` must be a whole percentage from 1 to 100, got 0\.$/],
    ['a tolerance over 100%', { failureTolerancePercentage: 101 }, /^`organization.failureTolerancePercentage` must be a whole percentage from 0 to 100, got 101\.$/],
    ['an unknown callAs', { callAs: 'ADMIN' as never }, /^`organization.callAs` must be one of SELF, DELEGATED_ADMIN, got "ADMIN"\.$/],
    ['an unknown rollout', { rollout: 'organization-rules' as never }, /^`organization.rollout` must be one of member-template, conformance-pack/],
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
});

test('the construct works in any stack: the member template synthesizes once per app', () => {
  const app = new App({ context: NO_BUNDLING });
  const stack = new EcsControlRulesStack(app, 'Mine', { deployment: 'organization', controls: ['ECS.4'] });
  expect(stack.controlRules.rules).toHaveLength(1);
  expect(app.synth().stacks.map((artifact) => artifact.id)).toEqual(['Mine-CodeBucket', 'Mine']);
});

describe('the proactive hook in organization mode', () => {
  test('goes into the member template, so every account guards its own deployments', () => {
    const { stack } = synthOrganization({}, { proactive: { failureMode: 'FAIL' } });
    const member = memberTemplateOf(stack);

    expect(onlyResourceOfType(member, 'AWS::CloudFormation::LambdaHook').Properties).toMatchObject({ FailureMode: 'FAIL', TargetOperations: ['RESOURCE'] });
    expect(resourcesOfType(Template.fromStack(stack), 'AWS::CloudFormation::LambdaHook')).toHaveLength(0);
  });

  test('is absent unless asked for', () => {
    const { stack } = synthOrganization();
    expect(resourcesOfType(memberTemplateOf(stack), 'AWS::CloudFormation::LambdaHook')).toHaveLength(0);
  });
});
