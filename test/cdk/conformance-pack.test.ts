/**
 * The conformance-pack artefact: custom Lambda rules pointing at the organization-mode functions by
 * their fixed names, parameters exposed, the 51,200-byte limit enforced, and the command's I/O.
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
import { NO_BUNDLING, synthTemplate } from './fleet';
import { resourcesOfType } from './template-json';

const PREFIX = 'arn:aws:lambda:eu-west-1:111122223333:function:';
const settingsFor = (props: Parameters<typeof resolveFleetSettings>[0] = {}) => resolveFleetSettings({ deployment: 'organization', ...props }, new App());
const pack = (props: Parameters<typeof resolveFleetSettings>[0] = {}) =>
  conformancePackTemplate({ settings: settingsFor(props), functionArnPrefix: PREFIX, memberRoleName: 'EcsConfigRulesMember' }) as { Parameters: Record<string, any>; Resources: Record<string, any> };

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

test('each rule points at the function the organization-mode stack deploys for its control', () => {
  const template = synthTemplate({ context: NO_BUNDLING, props: { deployment: 'organization', ruleNamePrefix: 'sec-' } });
  const deployedNames = resourcesOfType(template, 'AWS::Lambda::Function').map(([, fn]) => fn.Properties.FunctionName);
  const packArns = Object.values(pack({ ruleNamePrefix: 'sec-' }).Resources).map((rule) => rule.Properties.Source.SourceIdentifier);
  expect(packArns).toEqual(deployedNames.map((name) => `${PREFIX}${name}`));
  expect(packArns[0]).toBe(`${PREFIX}sec-ecs-config-rules-ecs-2`);
});

test('every rule parameter, and the member role name, is a pack parameter with its value as default', () => {
  const { Parameters: parameters, Resources: resources } = pack({ parameters: { 'ECS.8': { detectCredentialValues: 'false' } } });
  expect(parameters.ExecutionRoleName).toMatchObject({ Type: 'String', Default: 'EcsConfigRulesMember' });
  const ecs8 = resources.Ecs8Rule.Properties.InputParameters;
  expect(ecs8).toEqual({ ExecutionRoleName: { Ref: 'ExecutionRoleName' }, secretKeys: { Ref: 'Ecs8SecretKeys' }, detectCredentialValues: { Ref: 'Ecs8DetectCredentialValues' } });
  expect(parameters.Ecs8DetectCredentialValues).toMatchObject({ Type: 'String', Default: 'false' });
  expect(parameters.Ecs8SecretKeys.Default).toBe(defaultParameters(controlById('ECS.8').parameters).secretKeys);
  const declared = Object.keys(defaultParameters(controlById('ECS.10').parameters)).map((name) => resources.Ecs10Rule.Properties.InputParameters[name].Ref);
  expect(declared.every((name) => name in parameters)).toBe(true);
  for (const name of Object.keys(parameters)) expect(name).toMatch(/^[A-Za-z0-9]+$/);
});

test('the whole fleet fits the template-body limit, and a body over it is refused with a clear error', () => {
  const yaml = conformancePackYaml({ settings: settingsFor(), functionArnPrefix: PREFIX, memberRoleName: 'EcsConfigRulesMember' });
  expect(Buffer.byteLength(yaml)).toBeLessThan(MAX_TEMPLATE_BODY_BYTES);
  expect(parse(yaml)).toEqual(pack());
  expect(() => checkTemplateBodySize('x'.repeat(MAX_TEMPLATE_BODY_BYTES))).not.toThrow();
  expect(() => checkTemplateBodySize('é'.repeat(MAX_TEMPLATE_BODY_BYTES / 2 + 1))).toThrow(
    /^The conformance pack template is 51202 bytes; put-organization-conformance-pack accepts at most 51200 as --template-body\. Deploy fewer controls per pack/,
  );
});

describe('npm run conformance-pack', () => {
  test('writes the pack to --out for the chosen controls', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pack-')), 'pack.yaml');
    const { io, err } = captured();
    expect(run(['--function-arn-prefix', PREFIX, '--controls', 'ECS.20,ECS.21', '--member-role-name', 'AuditEcs', '--out', out], io)).toBe(0);
    const written = parse(readFileSync(out, 'utf8'));
    expect(Object.keys(written.Resources)).toEqual(['Ecs20Rule', 'Ecs21Rule']);
    expect(written.Parameters.ExecutionRoleName.Default).toBe('AuditEcs');
    expect(err.join('')).toMatch(/^Wrote .*pack\.yaml: 2 rules, \d+ bytes\.\n$/);
  });

  test('writes to standard output without --out, and relays warnings', () => {
    const { io, out, err } = captured();
    expect(run(['--function-arn-prefix', PREFIX, '--controls', 'ECS.4', '--parameters', '{"ECS.8":{"detectCredentialValues":"false"}}'], io)).toBe(0);
    expect(parse(out.join('')).Resources.Ecs4Rule.Properties.Source.SourceIdentifier).toBe(`${PREFIX}ecs-config-rules-ecs-4`);
    expect(err.join('')).toContain('warning: `parameters` for ECS.8 have no effect');
  });

  test.each([
    ['a prefix that is not a function ARN prefix', ['--function-arn-prefix', 'arn:aws:lambda:eu-west-1:111122223333:function:ecs-config-rules-'], /--function-arn-prefix must look like arn:aws:lambda:<region>:<account>:function:/],
    ['an unknown control', ['--function-arn-prefix', PREFIX, '--controls', 'ECS.99'], /`controls`: Unknown control "ECS.99"/],
    ['a parameter the control does not take', ['--function-arn-prefix', PREFIX, '--parameters', '{"ECS.8":{"secretkeys":"A"}}'], /ECS.8 has no parameter "secretkeys"/],
    ['a bad member role name', ['--function-arn-prefix', PREFIX, '--member-role-name', 'a/b'], /`organization.memberRoleName` must be an IAM role name/],
    ['no prefix at all', [], /required option '--function-arn-prefix <arn>' not specified/],
  ])('refuses %s with exit code 2', (_what, args, message) => {
    const { io, out, err } = captured();
    expect(run(args, io)).toBe(2);
    expect(err.join('')).toMatch(message);
    expect(out).toEqual([]);
  });
});
