/**
 * The app's context keys: what `-c key=value` (always a string) and cdk.json (JSON values) give, and
 * the errors for values of the wrong shape.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { controlRulesPropsFromContext } from '../../lib/app-context';
import { configRules, NO_BUNDLING, resourcesOfRule, synthTemplate } from './fleet';

const propsFrom = (context: Record<string, unknown>) => controlRulesPropsFromContext(new App({ context }).node);
const ruleNamesWith = (context: Record<string, unknown>) =>
  Object.values(configRules(synthTemplate({ context: { ...NO_BUNDLING, ...context } }))).map((rule) => rule.Properties.ConfigRuleName);

test('no context deploys every control with default parameters and no prefix', () => {
  expect(propsFrom({})).toEqual({ controls: undefined, parameters: undefined, ruleNamePrefix: undefined });
});

test('-c controls=ECS.4,ECS.20 deploys exactly those rules', () => {
  expect(ruleNamesWith({ controls: 'ECS.4, ECS.20' })).toEqual(['ecs-4', 'ecs-20']);
});

test('controls as a JSON array (cdk.json) deploys exactly those rules', () => {
  expect(ruleNamesWith({ controls: ['ECS.12', 'ECS.14'] })).toEqual(['ecs-12', 'ecs-14']);
});

test('-c ruleNamePrefix names the rules', () => {
  expect(ruleNamesWith({ controls: 'ECS.3', ruleNamePrefix: 'team-a-' })).toEqual(['team-a-ecs-3']);
});

test.each([
  ['a JSON object (cdk.json)', { 'ECS.8': { detectCredentialValues: 'false' } }],
  ['JSON text (-c parameters=...)', '{"ECS.8":{"detectCredentialValues":"false"}}'],
])('parameters as %s override the rule parameters', (_form, parameters) => {
  const template = synthTemplate({ context: { ...NO_BUNDLING, controls: 'ECS.8', parameters } });
  expect(resourcesOfRule(template, 'ecs-8').rule.Properties.InputParameters).toMatchObject({ detectCredentialValues: 'false' });
});

test.each([
  ['controls', 42, /^Context `controls` must be a comma-separated list of control ids or a JSON array of them; got 42\.$/],
  ['controls', ['ECS.4', 4], /^Context `controls` must be/],
  ['controls', 'ECS.4,ECS.99', /^Context `controls`: Unknown control "ECS.99"/],
  ['controls', ' , ', /^Context `controls` must name at least one control/],
  ['parameters', { 'ECS.8': { secretkeys: 'A' } }, /^Context `parameters`: ECS.8 has no parameter "secretkeys"/],
  ['parameters', '{"ECS.8":', /^Context `parameters` is not valid JSON: /],
  ['parameters', ['ECS.8'], /^Context `parameters` must be a JSON object of parameter objects by control id/],
  ['parameters', { 'ECS.8': 'detectCredentialValues=false' }, /^Context `parameters` must be a JSON object/],
  ['ruleNamePrefix', true, /^Context `ruleNamePrefix` must be a string; got true\.$/],
])('context %s = %j is an error naming the key', (key, value, message) => {
  expect(() => propsFrom({ [key]: value })).toThrow(message);
});

test('cdk.json runs the app offline with tsx and gives parameters in the shape the app reads', () => {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  expect(cdkJson.app).toBe('npx tsx bin/app.ts');
  expect(propsFrom(cdkJson.context).parameters).toEqual(cdkJson.context.parameters);
});
