/**
 * docs/reliability.md's "Every grant" section is what the synthesized templates hold, and every grant
 * in it has a reason: the generator refuses a grant, a principal or a policy it cannot account for.
 */
import { readFileSync } from 'node:fs';
import { collectGrants, DEPLOYMENTS, DOCUMENT, Grant, grantsOf, grantsSection, PRINCIPALS, Synthesized, withGrants } from '../../scripts/grants';

const collected = collectGrants();
const grants = (principal: string, key: string): Grant[] => [...collected.values()].flat().filter((grant) => grant.principal === principal && grant.key === key);

test('docs/reliability.md lists every grant the templates hold (run `npm run grants` to regenerate)', () => {
  const text = readFileSync(DOCUMENT, 'utf8');
  expect(text).toBe(withGrants(text, grantsSection(collected)));
});

test('the rows are read from the templates: conditions, references and where each principal is deployed', () => {
  expect(new Set(grants('Remediation/ECS.n/AutomationRole', 'ecs:UpdateService').map((grant) => grant.cells.join(' | ')))).toEqual(
    new Set(['Allow `ecs:UpdateService` | — | `arn:<partition>:ecs:<region>:<account>:service/*/*` | Bool `ecs:auto-assign-public-ip` = `false`']),
  );
  expect(grants('FailedInvocations/Queue/Policy', 'Deny sqs:ReceiveMessage')[0].cells[3]).toBe('ArnNotEquals `aws:PrincipalArn` = `Role ‹FailedInvocations/RedriveRole›`');
  // Organization mode's rule functions are the member template's, the StackSet's template.
  const organization = DEPLOYMENTS.find((deployment) => deployment.name === 'organization')!;
  const ruleRoles = collected.get(organization)!.filter((grant) => grant.principal === 'ECS.n/Role' && grant.key === 'config:PutEvaluations');
  expect(new Set(ruleRoles.map((grant) => grant.template))).toEqual(new Set(['MemberTemplate']));
  expect(ruleRoles.length).toBeGreaterThan(10);
});

describe('the reasons table', () => {
  const without = (principal: string, key: string) => {
    const { [key]: _dropped, ...rest } = PRINCIPALS[principal].grants;
    return { ...PRINCIPALS, [principal]: { ...PRINCIPALS[principal], grants: rest } };
  };

  test('a grant without a reason stops the generator, naming the action and the principal', () => {
    expect(() => grantsSection(collected, without('Remediation/ECS.n/AutomationRole', 'ecs:UpdateService'))).toThrow('no reason for ecs:UpdateService of Remediation/ECS.n/AutomationRole');
  });

  test('so does a principal without reasons, and a reason no template needs', () => {
    const { 'Aggregator/Role': _dropped, ...withoutAggregator } = PRINCIPALS;
    expect(() => grantsSection(collected, withoutAggregator)).toThrow('no reason for the principal Aggregator/Role');
    const stale = { ...PRINCIPALS, 'ECS.n/Role': { ...PRINCIPALS['ECS.n/Role'], grants: { ...PRINCIPALS['ECS.n/Role'].grants, 'ecs:RunTask': 'never granted' } } };
    expect(() => grantsSection(collected, stale)).toThrow('a reason for ecs:RunTask of ECS.n/Role, which no template grants');
  });
});

describe('what the generator cannot read stops it, naming the resource', () => {
  const template = (resource: { Type: string; Properties: Record<string, unknown> }): Synthesized[] => [{ stackPath: 'Own', template: { Resources: { Odd: { Metadata: { 'aws:cdk:path': 'Own/Odd/Resource' }, ...resource } } } }];
  const document = (statement: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*', ...statement }] });

  test('a policy-bearing type it has no reader for', () => {
    expect(() => grantsOf(template({ Type: 'AWS::SNS::TopicPolicy', Properties: { PolicyDocument: document({ Action: 'sns:Publish', Principal: '*' }) } }))).toThrow('no reader for AWS::SNS::TopicPolicy (Own Odd)');
  });

  test('a statement element or a role property the tables cannot show, and a value it cannot render', () => {
    const role = (statement: Record<string, unknown>) => template({ Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: document({ Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }), Policies: [{ PolicyName: 'P', PolicyDocument: document(statement) }] } });
    expect(() => grantsOf(role({ NotAction: 'iam:*' }))).toThrow('a statement with NotAction');
    const bounded = template({ Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: document({ Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' }), PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } });
    expect(() => grantsOf(bounded)).toThrow('Own Odd (AWS::IAM::Role) has PermissionsBoundary, which the document cannot show');
    expect(() => grantsOf(role({ Action: 's3:GetObject', Resource: { 'Fn::ImportValue': 'Elsewhere' } }))).toThrow('cannot show {"Fn::ImportValue":"Elsewhere"} (Own Odd)');
  });
});
