/**
 * The whole fleet, synthesized once with real esbuild bundling (so a broken handler entry fails
 * here), then checked rule by rule against the registry.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defaultParameters } from '../../lambdas/core/parameters';
import { CONTROLS } from '../../lambdas/controls';
import { apiActionsFor } from '../../lambdas/runtime/api-actions';
import { capturingOutput } from '../capture-output';
import { actionsOf, configRules, fleetBundlingLines, onFailureDestination, resourcesOfRule, synthStack } from './fleet';

let template: Template;
let assemblyDir: string;
let bundlingLog: string;

beforeAll(() => {
  const { result: stack, printed } = capturingOutput(() => synthStack());
  bundlingLog = printed;
  template = Template.fromStack(stack);
  assemblyDir = (stack.node.root as App).synth().directory;
});

test('every function is bundled from source, the CDK saying so once each', () => {
  expect(bundlingLog.split('\n').filter(Boolean)).toEqual(fleetBundlingLines());
});

const byControl = CONTROLS.map((control) => [control.id, control] as const);

test('deploys one rule per registry control, each with its own function', () => {
  expect(Object.keys(configRules(template))).toHaveLength(CONTROLS.length);
  const functions = CONTROLS.map((control) => resourcesOfRule(template, control.slug).functionLogicalId);
  expect(new Set(functions).size).toBe(CONTROLS.length);
  template.resourceCountIs('AWS::Lambda::Function', CONTROLS.length);
  template.resourceCountIs('AWS::IAM::Role', CONTROLS.length + 1); // and the failed-invocations queue's redrive role
});

describe.each(byControl)('%s', (_id, control) => {
  test('is a change-triggered custom Lambda rule scoped to its resource type', () => {
    const { rule } = resourcesOfRule(template, control.slug);
    expect(rule.Properties.Scope).toEqual({ ComplianceResourceTypes: [control.resourceType] });
    expect(rule.Properties.Source.Owner).toBe('CUSTOM_LAMBDA');
    expect(rule.Properties.Source.SourceDetails).toEqual([
      { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
      { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
    ]);
    expect(rule.Properties.Source.MaximumExecutionFrequency).toBeUndefined();
  });

  test('is described by its id and Security Hub title', () => {
    const { rule } = resourcesOfRule(template, control.slug);
    expect(rule.Properties.Description).toBe(`${control.id} ${control.title}`);
  });

  test('carries every parameter with its default', () => {
    const { rule } = resourcesOfRule(template, control.slug);
    const defaults = defaultParameters(control.parameters);
    expect(rule.Properties.InputParameters).toEqual(Object.keys(defaults).length > 0 ? defaults : undefined);
  });

  test("runs its own handler entry on a current Node.js runtime on ARM64", () => {
    const { function: lambdaFunction } = resourcesOfRule(template, control.slug);
    expect(lambdaFunction.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
  });

  test("its role may call exactly the control's APIs, write only its own log group, and send only to its on-failure queue", () => {
    const { statements, function: lambdaFunction, functionLogicalId } = resourcesOfRule(template, control.slug);
    const { config, ecs } = apiActionsFor(control);
    const apiStatements = statements.filter((statement) => statement.Resource === '*');
    expect(apiStatements.flatMap(actionsOf).sort()).toEqual([...config, ...ecs].sort());
    const others = statements.filter((statement) => statement.Resource !== '*');
    expect(others).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [lambdaFunction.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] } },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: onFailureDestination(template, functionLogicalId) },
    ]);
    expect(statements.flatMap(actionsOf).filter((action) => action.includes('*'))).toEqual([]);
    expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
  });

  test('only AWS Config in the deploying account may invoke it, and the rule waits for that permission', () => {
    const { permissions, rule } = resourcesOfRule(template, control.slug);
    expect(permissions.map(({ resource }) => resource.Properties)).toEqual([
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Principal: 'config.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } }),
    ]);
    expect(rule.DependsOn).toContain(permissions[0].logicalId);
  });

  test('logs to a log group with retention', () => {
    const { function: lambdaFunction } = resourcesOfRule(template, control.slug);
    const logGroup = template.toJSON().Resources[lambdaFunction.Properties.LoggingConfig.LogGroup.Ref];
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } });
  });

  test('is bundled from its own entry as minified ESM holding no other control', () => {
    const { function: lambdaFunction } = resourcesOfRule(template, control.slug);
    const assetHash = path.basename(lambdaFunction.Properties.Code.S3Key, '.zip');
    const bundle = fs.readFileSync(path.join(assemblyDir, `asset.${assetHash}`, 'index.mjs'), 'utf8');
    expect(bundle).toContain(control.title);
    const otherTitles = CONTROLS.filter((other) => other !== control && bundle.includes(other.title)).map((other) => other.id);
    expect(otherTitles).toEqual([]);
    // Minified: no formatted statement lines (the bundled SDK's multi-line messages keep a few newlines).
    expect(bundle).not.toMatch(/\n\s+(const|let|var|function|return|if) /);
    // esbuild's ESM output cannot require() a CommonJS dependency at run time: it would throw this.
    expect(bundle).not.toContain('Dynamic require of');
  });
});
