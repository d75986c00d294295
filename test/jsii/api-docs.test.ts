/**
 * API.md is jsii-docgen's reference for the assembly the current sources compile to (a staging copy,
 * compiled once for this file: about 20 s with docgen on two cores), so Construct Hub and the
 * repository never show an older API than the package's.
 */
import { readFileSync } from 'node:fs';
import { withCompiledAssembly } from '../../dev-support/staged-assembly';
import { API_REFERENCE, apiReference } from '../../scripts/api-docs';

let generated = '';
beforeAll(async () => {
  generated = await withCompiledAssembly(apiReference);
}, 120_000);

/** Where `committed` first differs from `generated`, as a line of API.md and both versions of it. */
function firstDifference(committed: string, current: string): string {
  const [was, now] = [committed.split('\n'), current.split('\n')];
  const line = was.findIndex((text, index) => text !== now[index]);
  const index = line < 0 ? was.length : line;
  return `API.md:${index + 1}: committed ${JSON.stringify(was[index] ?? '(end of file)')}, the sources give ${JSON.stringify(now[index] ?? '(end of file)')}`;
}

test('the committed API.md is what jsii-docgen writes for the current sources', () => {
  const committed = readFileSync(API_REFERENCE, 'utf8');
  const verdict = committed === generated ? 'current' : `${firstDifference(committed, generated)}: run \`npm run docs:api\``;
  expect(verdict).toBe('current');
});

test('the reference documents the construct, its stack, the plugin and their props, with the doc comments', () => {
  for (const type of ['EcsControlRules', 'EcsControlRulesStack', 'EcsControlChecks', 'ProactiveHook', 'EcsControlRulesProps', 'EcsControlChecksProps']) {
    expect(generated).toContain(`### ${type} <a name="${type}" id="ecs-config-rules.${type}"></a>`);
  }
  const ruleNamePrefix = generated.split('<a name="ruleNamePrefix" id="ecs-config-rules.EcsControlRulesProps.property.ruleNamePrefix"></a>')[1]?.split('\n---\n')[0];
  expect(ruleNamePrefix).toContain('public readonly ruleNamePrefix: string;');
  expect(ruleNamePrefix).toMatch(/- \*Default:\* \S.*\n\n\S/); // the @default tag, then the doc comment's text
  // The scan API is TypeScript-only (`ecs-config-rules/scan`): the reference stays the assembly's.
  expect(generated).not.toMatch(/ScanReport|LoadedInputs/);
});
