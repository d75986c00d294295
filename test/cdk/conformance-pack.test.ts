/**
 * The conformance pack: custom Lambda rules naming each account's own organization-mode function
 * through pseudo parameters, parameters exposed, periodic mode, the 51,200-byte limit enforced, the
 * command's I/O, and the `conformance-pack` rollout that creates it as an organization pack.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { defaultParameters } from '../../lambdas/core/parameters';
import { CONTROLS, controlById } from '../../lambdas/controls';
import { resolveFleetSettings } from '../../lib/ecs-control-rules';
import { checkTemplateBodySize, conformancePackTemplate, conformancePackYaml, MAX_TEMPLATE_BODY_BYTES } from '../../lib/organization/conformance-pack';
import { run } from '../../scripts/conformance-pack';
import { memberTemplateOf, synthOrganization } from './organization-fleet';
import { onlyResourceOfType, resourcesOfType } from './template-json';

const settingsFor = (props: Parameters<typeof resolveFleetSettings>[0] = {}) => resolveFleetSettings({ deployment: 'organization', ...props }, new App());
const pack = (props: Parameters<typeof resolveFleetSettings>[0] = {}, maximumExecutionFrequency?: string) =>
  conformancePackTemplate({ settings: settingsFor(props), maximumExecutionFrequency }) as { Parameters: Record<string, any>; Resources: Record<string, any> };
const ownFunction = (name: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}` });

function captured() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) } }, out, err };
}

test('one custom Lambda rule per control, change-triggered and scoped like the deployed rules', () => {
  const rules = Object.values(pack().Resources);
  expect(rules).toHaveLength(CONTROLS.length);
  rules.forEach((rule, index) => {
    const control = CONTROLS[index];
    expect(rule.Type).toBe('AWS::Config::ConfigRule');
    expect(rule.Properties).toMatchObject({
      ConfigRuleName: control.slug,
      Description: `${control.id} ${control.title}`,
      Scope: { ComplianceResourceTypes: [control.resourceType] },
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceDetails: [
          { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
          { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
        ],
      },
    });
  });
});

test("each rule names the function the member template deploys for its control, in the pack's own account and Region", () => {
  const member = memberTemplateOf(synthOrganization({ rollout: 'conformance-pack' }, { ruleNamePrefix: 'sec-' }).stack);
  const deployedNames = resourcesOfType(member, 'AWS::Lambda::Function').map(([, fn]) => fn.Properties.FunctionName);
  const packArns = Object.values(pack({ ruleNamePrefix: 'sec-' }).Resources).map((rule) => rule.Properties.Source.SourceIdentifier);
  expect(packArns).toEqual(deployedNames.map(ownFunction));
  expect(packArns[0]).toEqual(ownFunction('sec-ecs-config-rules-ecs-2'));
});

test('periodic mode schedules every rule too', () => {
  for (const rule of Object.values(pack({}, 'Six_Hours').Resources)) {
    expect(rule.Properties.Source.SourceDetails).toContainEqual({ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'Six_Hours' });
  }
});

test('every rule parameter is a pack parameter with its value as default', () => {
  const { Parameters: parameters, Resources: resources } = pack({ parameters: { 'ECS.8': { detectCredentialValues: 'false' } } });
  const ecs8 = resources.Ecs8Rule.Properties.InputParameters;
  expect(ecs8).toEqual({ secretKeys: { Ref: 'Ecs8SecretKeys' }, detectCredentialValues: { Ref: 'Ecs8DetectCredentialValues' } });
  expect(parameters.Ecs8DetectCredentialValues).toMatchObject({ Type: 'String', Default: 'false' });
  expect(parameters.Ecs8SecretKeys.Default).toBe(defaultParameters(controlById('ECS.8').parameters).secretKeys);
  const declared = Object.keys(defaultParameters(controlById('ECS.10').parameters)).map((name) => resources.Ecs10Rule.Properties.InputParameters[name].Ref);
  expect(declared.every((name) => name in parameters)).toBe(true);
  for (const name of Object.keys(parameters)) expect(name).toMatch(/^[A-Za-z0-9]+$/);
  // A control without parameters gets no InputParameters at all, as the deployed rule.
  expect(resources.Ecs4Rule.Properties.InputParameters).toBeUndefined();
});

test('the whole fleet fits the template-body limit, and a body over it is refused with a clear error', () => {
  const yaml = conformancePackYaml({ settings: settingsFor(), maximumExecutionFrequency: 'One_Hour' });
  expect(Buffer.byteLength(yaml)).toBeLessThan(MAX_TEMPLATE_BODY_BYTES);
  expect(parse(yaml)).toEqual(pack({}, 'One_Hour'));
  expect(() => checkTemplateBodySize('x'.repeat(MAX_TEMPLATE_BODY_BYTES))).not.toThrow();
  expect(() => checkTemplateBodySize('é'.repeat(MAX_TEMPLATE_BODY_BYTES / 2 + 1))).toThrow(
    /^The conformance pack template is 51202 bytes; put-organization-conformance-pack accepts at most 51200 as --template-body\. Deploy fewer controls per pack/,
  );
});

describe('the conformance-pack rollout', () => {
  const { stack, template } = synthOrganization({ rollout: 'conformance-pack', excludedAccounts: ['333333333333'] }, { controls: ['ECS.4', 'ECS.20'] });
  const member = memberTemplateOf(stack);

  test('the member template deploys the functions and their invoke permission, but no rules', () => {
    member.resourceCountIs('AWS::Config::ConfigRule', 0);
    member.resourceCountIs('AWS::Lambda::Function', 2);
    member.resourceCountIs('AWS::Lambda::Permission', 2);
  });

  test('this stack creates the pack across the organization, after the StackSet, skipping the excluded accounts', () => {
    const [packId, organizationPack] = resourcesOfType(template, 'AWS::Config::OrganizationConformancePack')[0];
    expect(organizationPack.Properties.OrganizationConformancePackName).toBe('ecs-config-rules');
    expect(organizationPack.Properties.ExcludedAccounts).toEqual(['333333333333']);
    expect(parse(organizationPack.Properties.TemplateBody)).toEqual(pack({ controls: ['ECS.4', 'ECS.20'] }));
    const [stackSetId] = resourcesOfType(template, 'AWS::CloudFormation::StackSet')[0];
    expect(organizationPack.DependsOn).toEqual([stackSetId]);
    expect(packId).toBeDefined();
  });

  test('the default rollout creates no pack', () => {
    synthOrganization({}, { controls: ['ECS.4'] }).template.resourceCountIs('AWS::Config::OrganizationConformancePack', 0);
    expect(onlyResourceOfType(template, 'AWS::CloudFormation::StackSet')).toBeDefined();
  });
});

describe('npm run conformance-pack', () => {
  test('writes the pack to --out for the chosen controls and frequency', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pack-')), 'pack.yaml');
    const { io, err } = captured();
    expect(run(['--controls', 'ECS.20,ECS.21', '--maximum-execution-frequency', 'Twelve_Hours', '--out', out], io)).toBe(0);
    const written = parse(readFileSync(out, 'utf8'));
    expect(Object.keys(written.Resources)).toEqual(['Ecs20Rule', 'Ecs21Rule']);
    expect(written.Resources.Ecs20Rule.Properties.Source.SourceDetails).toContainEqual({ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'Twelve_Hours' });
    expect(err.join('')).toMatch(/^Wrote .*pack\.yaml: 2 rules, \d+ bytes\.\n$/);
  });

  test('writes to standard output without --out, and relays warnings', () => {
    const { io, out, err } = captured();
    expect(run(['--controls', 'ECS.4', '--rule-name-prefix', 'sec-', '--parameters', '{"ECS.8":{"detectCredentialValues":"false"}}'], io)).toBe(0);
    expect(parse(out.join('')).Resources.Ecs4Rule.Properties.Source.SourceIdentifier).toEqual(ownFunction('sec-ecs-config-rules-ecs-4'));
    expect(err.join('')).toContain('warning: `parameters` for ECS.8 have no effect');
  });

  test.each([
    ['an unknown control', ['--controls', 'ECS.99'], /`controls`: Unknown control "ECS.99"/],
    ['a parameter the control does not take', ['--parameters', '{"ECS.8":{"secretkeys":"A"}}'], /ECS.8 has no parameter "secretkeys"/],
    ['an unknown frequency', ['--maximum-execution-frequency', 'Daily'], /Context `maximumExecutionFrequency` must be one of One_Hour/],
    ['a prefix too long for the function names', ['--rule-name-prefix', 'p'.repeat(45)], /`ruleNamePrefix` is too long for organization mode/],
  ])('refuses %s with exit code 2', (_what, args, message) => {
    const { io, out, err } = captured();
    expect(run(args, io)).toBe(2);
    expect(err.join('')).toMatch(message);
    expect(out).toEqual([]);
  });
});
