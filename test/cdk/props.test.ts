/**
 * `EcsControlRules` props: choosing controls, naming rules, overriding parameters, and the errors
 * that name the bad prop. Template-only, so esbuild is skipped (the fleet test bundles for real).
 */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BUNDLE_TARGET } from '../../lib/bundling';
import { EcsControlRulesProps } from '../../lib/ecs-control-rules';
import { capturingOutput } from '../capture-output';
import { configRules, NO_BUNDLING, resourcesOfRule, synthStack, synthTemplate } from './fleet';

const synth = (props: EcsControlRulesProps) => synthTemplate({ context: NO_BUNDLING, props });
const ruleNames = (props: EcsControlRulesProps) => Object.values(configRules(synth(props))).map((rule) => rule.Properties.ConfigRuleName);

describe('controls', () => {
  test('deploys only the chosen controls, in registry order, accepting either id form', () => {
    expect(ruleNames({ controls: ['ECS.20', 'ecs-4'] })).toEqual(['ecs-4', 'ecs-20']);
  });

  test('an unknown id is an error naming the prop and listing the known controls', () => {
    expect(() => synth({ controls: ['ECS.4', 'ECS.99'] })).toThrow(/^`controls`: Unknown control "ECS.99". Known controls: ECS.2, ECS.3, .*ECS.21$/);
  });

  test('an id listed twice is an error', () => {
    expect(() => synth({ controls: ['ECS.4', 'ecs-4'] })).toThrow('`controls` lists ECS.4 more than once.');
  });

  test('an empty list is an error rather than a fleet of nothing', () => {
    expect(() => synth({ controls: [] })).toThrow(/`controls` must name at least one control/);
  });
});

describe('ruleNamePrefix', () => {
  test('is prepended to every rule name', () => {
    expect(ruleNames({ controls: ['ECS.2', 'ECS.21'], ruleNamePrefix: 'prod-' })).toEqual(['prod-ecs-2', 'prod-ecs-21']);
  });

  test.each([
    ['a space', 'my rules-'],
    ['a slash', 'team/'],
  ])('with %s is an error', (_what, prefix) => {
    expect(() => synth({ ruleNamePrefix: prefix })).toThrow(/^`ruleNamePrefix` may contain only letters, digits, - and _/);
  });

  test('too long for a rule name is an error', () => {
    expect(() => synth({ ruleNamePrefix: 'x'.repeat(60) })).toThrow(/^`ruleNamePrefix` is too long: rule names must fit 64 characters/);
  });
});

describe('parameters', () => {
  test('override defaults for that control only; the other parameters keep their defaults', () => {
    const template = synth({
      controls: ['ECS.8', 'ECS.10'],
      parameters: { 'ECS.8': { detectCredentialValues: 'false' }, 'ecs-10': { latestLinuxVersion: '1.5.0' } },
    });
    expect(resourcesOfRule(template, 'ecs-8').rule.Properties.InputParameters).toEqual({
      secretKeys: 'AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,ECS_ENGINE_AUTH_DATA',
      detectCredentialValues: 'false',
    });
    expect(resourcesOfRule(template, 'ecs-10').rule.Properties.InputParameters).toEqual({ latestLinuxVersion: '1.5.0', latestWindowsVersion: '1.0.0' });
  });

  test('an unknown parameter is an error naming the parameters the control takes', () => {
    expect(() => synth({ parameters: { 'ECS.8': { secretkeys: 'A' } } })).toThrow(
      '`parameters`: ECS.8 has no parameter "secretkeys" (it takes: secretKeys, detectCredentialValues)',
    );
  });

  test('a value the rule could not parse is an error naming control and parameter', () => {
    expect(() => synth({ parameters: { 'ECS.10': { latestWindowsVersion: 'latest' } } })).toThrow(
      '`parameters`: ECS.10 parameter "latestWindowsVersion" must be a version such as 1.4.0, got "latest"',
    );
  });

  test('a value that is not a string is an error (AWS Config passes strings)', () => {
    const parameters = { 'ECS.8': { detectCredentialValues: false } } as unknown as EcsControlRulesProps['parameters'];
    expect(() => synth({ parameters })).toThrow('`parameters`: ECS.8.detectCredentialValues: parameter values are strings, as AWS Config passes them; quote false');
  });

  test('parameters of an unknown control are an error', () => {
    expect(() => synth({ parameters: { 'ECS.1': {} } })).toThrow(/^`parameters`: Unknown control "ECS.1"/);
  });

  test('parameters beyond what AWS Config accepts as InputParameters are an error', () => {
    const requiredTagKeys = Array.from({ length: 6 }, (_, index) => `${'k'.repeat(200)}${index}`).join(',');
    expect(() => synth({ parameters: { 'ECS.13': { requiredTagKeys } } })).toThrow(/`parameters` for ECS.13 exceed the 1024 characters/);
  });

  test('parameters of a control that is not deployed are reported as a warning', () => {
    const stack = synthStack({ context: NO_BUNDLING, props: { controls: ['ECS.4'], parameters: { 'ECS.8': { detectCredentialValues: 'false' } } } });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('`parameters` for ECS.8 have no effect: ECS.8 is not among the deployed `controls`'));
  });
});

describe('function settings', () => {
  test('runtime, memory and timeout apply to every function', () => {
    const template = synth({ controls: ['ECS.2', 'ECS.3'], runtime: lambda.Runtime.NODEJS_22_X, memorySize: 256 });
    template.allResourcesProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', MemorySize: 256, Timeout: 90 });
  });

  test('the bundles target the oldest runtime accepted, so one bundle runs on every accepted runtime', () => {
    const { printed } = capturingOutput(() => synth({ controls: ['ECS.2'], runtime: lambda.Runtime.NODEJS_20_X }));
    // The synth passes; the CDK's CloudFormation validation warns that Lambda deprecated nodejs20.x (W2531).
    expect(printed).toMatch(/WARNING Runtime: Runtime 'nodejs20\.x' was deprecated.*W2531/s);
    expect(BUNDLE_TARGET).toBe('node20');
  });

  test('a runtime other than Node.js is an error', () => {
    expect(() => synth({ runtime: lambda.Runtime.PYTHON_3_13 })).toThrow('`runtime` must be a Node.js runtime such as nodejs24.x, got python3.13');
    expect(() => synth({ runtime: lambda.Runtime.NODEJS_18_X })).toThrow('`runtime` must be nodejs20.x or later (the AWS SDK clients in the rule functions need it), got nodejs18.x');
  });

  test.each([64, 128.5, 20000])('memorySize %p is an error', (memorySize) => {
    expect(() => synth({ memorySize })).toThrow(/^`memorySize` must be a whole number of MB from 128 to 10240/);
  });
});
