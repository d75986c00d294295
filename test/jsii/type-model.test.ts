/**
 * The CDK surface stays within jsii's type model (docs/jsii.md), so Python, Java, .NET and Go are
 * given the same construct and plugin. jsii compiles a copy of the package's sources and package.json
 * (not the working tree: the build's dist/ stays untouched while other tests read it).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compileWithJsii, stageSources, StagedEdit } from '../../dev-support/staged-assembly';

interface Assembly {
  readonly types: Record<string, { readonly kind: string; readonly initializer?: unknown; readonly properties?: readonly { readonly name: string; readonly type: unknown }[] }>;
}

const staged: string[] = [];
afterAll(() => staged.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A staged copy of what jsii compiles, `edit` applied. */
function stage(edit?: StagedEdit): string {
  const dir = stageSources(edit ? [edit] : []);
  staged.push(dir);
  return dir;
}

const compile = compileWithJsii;

test('jsii writes the assembly of the construct, its stack, the hook and the plugin, with props every language can set', () => {
  const dir = stage();
  const { status, output } = compile(dir);
  expect({ status, errors: output.split('\n').filter((line) => line.includes('error')) }).toEqual({ status: 0, errors: [] });
  const { types } = JSON.parse(readFileSync(join(dir, '.jsii'), 'utf8')) as Assembly;
  for (const construct of ['EcsControlRules', 'EcsControlRulesStack', 'ProactiveHook']) expect(types[`ecs-config-rules.${construct}`].initializer).toBeDefined();
  // The scan API is TypeScript-only (`ecs-config-rules/scan`): none of its report model is in the assembly.
  expect(Object.keys(types).filter((fqn) => /Finding|ScanReport|ScanTarget|LoadedInputs/.test(fqn))).toEqual([]);
  expect(types['ecs-config-rules.EcsControlChecks'].kind).toBe('class');
  const props = new Map(types['ecs-config-rules.EcsControlRulesProps'].properties?.map((prop) => [prop.name, prop.type]));
  expect(props.get('controls')).toEqual({ collection: { kind: 'array', elementtype: { primitive: 'string' } } });
  expect(props.get('parameters')).toEqual({ collection: { kind: 'map', elementtype: { collection: { kind: 'map', elementtype: { primitive: 'string' } } } } });
  expect(props.get('proactive')).toEqual({ fqn: 'ecs-config-rules.ProactiveOptions' });
  // Built by the fleet only: no initializer for other languages.
  expect(types['ecs-config-rules.ControlRule'].initializer).toBeUndefined();
}, 120000);

test('a prop jsii cannot carry fails the compile, naming the file and the type', () => {
  const dir = stage({ file: 'lib/validation/ecs-control-checks.ts', from: '  readonly controls?: string[];', to: '  readonly controls?: readonly string[];' });
  const { status, output } = compile(dir);
  expect(status).not.toBe(0);
  expect(output).toMatch(/lib\/validation\/ecs-control-checks\.ts:\d+:\d+ - error JSII3001: Type "ReadonlyArray" cannot be used/);
}, 120000);
