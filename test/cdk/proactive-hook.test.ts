/**
 * The CloudFormation Lambda hook in the template: off by default, `-c proactive=warn|fail` or the
 * `proactive` prop turns it on; its targets, stack filters, roles and the function's settings.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { HOOK_SETTINGS_VARIABLE, hookSettingsFrom } from '../../hook/hook-settings';
import { NO_BUNDLING, synthTemplate } from './fleet';
import { onlyResourceOfType } from './template-json';

const hookTemplate = (context: Record<string, unknown> = {}, props = {}) => synthTemplate({ context: { ...NO_BUNDLING, ...context }, props });

function hookParts(template: Template) {
  const hook = onlyResourceOfType(template, 'AWS::CloudFormation::LambdaHook');
  const resources = template.toJSON().Resources as Record<string, any>;
  const functionId = hook.Properties.LambdaFunction['Fn::GetAtt'][0];
  const fn = resources[functionId];
  const roleOf = (logicalId: string) => resources[logicalId];
  const statementsOf = (roleId: string) =>
    Object.values(resources)
      .filter((resource: any) => resource.Type === 'AWS::IAM::Policy' && resource.Properties.Roles.some((role: any) => role.Ref === roleId))
      .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
  const executionRoleId = hook.Properties.ExecutionRole['Fn::GetAtt'][0];
  const functionRoleId = fn.Properties.Role['Fn::GetAtt'][0];
  return { hook, fn, functionId, executionRole: roleOf(executionRoleId), executionStatements: statementsOf(executionRoleId), functionStatements: statementsOf(functionRoleId) };
}

test('no hook by default', () => {
  expect(hookTemplate().findResources('AWS::CloudFormation::LambdaHook')).toEqual({});
});

test.each([
  ['fail', 'FAIL'],
  ['warn', 'WARN'],
])('-c proactive=%s yields a RESOURCE hook with FailureMode %s on create and update of the five ECS types', (mode, failureMode) => {
  const { hook } = hookParts(hookTemplate({ proactive: mode }));

  expect(hook.Properties).toMatchObject({ FailureMode: failureMode, HookStatus: 'ENABLED', TargetOperations: ['RESOURCE'], Alias: 'Private::EcsConfigRules::Proactive' });
  const targets = hook.Properties.TargetFilters.Targets.map((target: any) => `${target.Action} ${target.TargetName} ${target.InvocationPoint}`);
  expect(targets.sort()).toEqual(
    ['AWS::ECS::TaskDefinition', 'AWS::ECS::Service', 'AWS::ECS::Cluster', 'AWS::ECS::TaskSet', 'AWS::ECS::CapacityProvider']
      .flatMap((type) => [`CREATE ${type} PRE_PROVISION`, `UPDATE ${type} PRE_PROVISION`])
      .sort(),
  );
  expect(hook.Properties.StackFilters).toBeUndefined();
});

test('CloudFormation Hooks of this account and Region may invoke the function and nothing else; the function may only describe task definitions and log', () => {
  const { executionRole, executionStatements, functionStatements, functionId } = hookParts(hookTemplate({ proactive: 'fail' }));

  // Only for this account's and Region's CloudFormation (confused deputy).
  expect(executionRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([
    {
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'hooks.cloudformation.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudformation:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':*']] } },
      },
    },
  ]);
  expect(executionStatements.map((statement: any) => statement.Action)).toEqual(['lambda:InvokeFunction']);
  expect(JSON.stringify(executionStatements)).toContain(functionId);
  const actions = functionStatements.flatMap((statement: any) => [statement.Action].flat());
  expect(actions.filter((action: string) => !action.startsWith('logs:'))).toEqual(['ecs:DescribeTaskDefinition']);
});

test('the function answers within the 30 s CloudFormation waits, with the rules\' controls and parameters as its settings', () => {
  const context = { proactive: 'fail', controls: 'ECS.4,ECS.10', parameters: { 'ECS.10': { latestLinuxVersion: '1.4.0' } }, proactiveSeverityThreshold: 'high' };
  const { fn } = hookParts(hookTemplate(context));

  expect(fn.Properties.Timeout).toBeLessThan(30);
  const settings = fn.Properties.Environment.Variables[HOOK_SETTINGS_VARIABLE];
  expect(JSON.parse(settings)).toEqual({ controls: ['ECS.4', 'ECS.10'], parameters: { 'ECS.10': { latestLinuxVersion: '1.4.0' } }, severityThreshold: 'HIGH' });
  const parsed = hookSettingsFrom(settings);
  expect(parsed.controls.map((control) => control.id)).toEqual(['ECS.4', 'ECS.10']);
  expect(parsed.threshold).toBe('HIGH');
});

test('a hook that can refuse nothing is synthesized only when asked for, and the function accepts the same settings', () => {
  const { fn } = hookParts(hookTemplate({}, { proactive: { failureMode: 'WARN', severityThreshold: 'CRITICAL', allowEmptyGate: true } }));

  const settings = fn.Properties.Environment.Variables[HOOK_SETTINGS_VARIABLE];
  expect(JSON.parse(settings)).toMatchObject({ severityThreshold: 'CRITICAL', allowEmptyGate: true });
  expect(hookSettingsFrom(settings).threshold).toBe('CRITICAL');
  expect(() => hookSettingsFrom('{"severityThreshold":"CRITICAL"}')).toThrow(/^ECS_CONFIG_RULES_HOOK_SETTINGS severityThreshold CRITICAL can fail nothing: no control is CRITICAL or above, the most severe being HIGH; lower the threshold\. Set ECS_CONFIG_RULES_HOOK_SETTINGS allowEmptyGate/);
  expect(() => hookSettingsFrom('{"allowEmptyGate":"yes"}')).toThrow('ECS_CONFIG_RULES_HOOK_SETTINGS allowEmptyGate must be true or false');
});

test('stack filters exempt stacks by name and by role', () => {
  // -c gives a comma-separated string, cdk.json a JSON array: both forms.
  const context = { proactive: 'warn', proactiveExcludedStacks: 'legacy-batch, sandbox', proactiveExcludedStackRoles: ['arn:aws:iam::123456789012:role/break-glass'] };
  const { hook } = hookParts(hookTemplate(context));

  expect(hook.Properties.StackFilters).toEqual({
    FilteringCriteria: 'ALL',
    StackNames: { Exclude: ['legacy-batch', 'sandbox'] },
    StackRoles: { Exclude: ['arn:aws:iam::123456789012:role/break-glass'] },
  });
});

test('the construct prop turns the hook on too, with its own alias', () => {
  const { hook } = hookParts(hookTemplate({}, { proactive: { failureMode: 'FAIL', alias: 'Acme::Ecs::Gate' } }));

  expect(hook.Properties).toMatchObject({ FailureMode: 'FAIL', Alias: 'Acme::Ecs::Gate' });
});

test.each<[string, Record<string, unknown>, Record<string, unknown>, RegExp]>([
  ['an unknown mode', { proactive: 'block' }, {}, /^Context `proactive` must be warn or fail; got "block"\.$/],
  ['filters without the hook', { proactiveExcludedStacks: 'a' }, {}, /^Context `proactiveExcludedStacks` apply only with `-c proactive=warn` or `-c proactive=fail`\.$/],
  ['an AWS alias', {}, { proactive: { failureMode: 'FAIL', alias: 'AWS::Ecs::Gate' } }, /^`alias` must be Name1::Name2::Name3/],
  ['an unknown threshold', { proactive: 'fail', proactiveSeverityThreshold: 'urgent' }, {}, /^Context `proactiveSeverityThreshold` must be one of LOW, MEDIUM, HIGH, CRITICAL, got "urgent"\.$/],
  ['an unknown severity in the prop', {}, { controls: ['ECS.4'], proactive: { failureMode: 'FAIL', severityThreshold: 'SEVERE' } }, /^`severityThreshold` must be one of/],
  ['a threshold no chosen control reaches', {}, { controls: ['ECS.4'], proactive: { failureMode: 'FAIL', severityThreshold: 'CRITICAL' } }, /^`severityThreshold` CRITICAL can fail nothing: none of the controls selected by `controls` \(ECS\.4\) is CRITICAL or above.*Set `allowEmptyGate` to run a gate that cannot fail\.$/],
  ['a threshold no control reaches, from context', { proactive: 'warn', proactiveSeverityThreshold: 'critical' }, {}, /CRITICAL can fail nothing/],
  ['51 exempt stacks', {}, { proactive: { failureMode: 'WARN', excludedStackNames: Array.from({ length: 51 }, (_, index) => `stack-${index}`) } }, /^`excludedStackNames` takes at most 50 entries, got 51\.$/],
])('%s is an error naming the setting', (_label, context, props, message) => {
  expect(() => hookTemplate(context, props)).toThrow(message);
});
