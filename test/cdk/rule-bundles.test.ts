/**
 * What a rule bundle holds, built with the deployed bundling options (lib/bundling.ts) the way
 * `NodejsFunction` and the benchmark build it: ES module output with the AWS SDK clients and
 * Powertools inside, so nothing is loaded from the Lambda runtime's own copy of the SDK.
 */
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { bundle, handlerEntry } from '../../bench/bundles';

const NODE_BUILTINS = new Set(builtinModules);

test('a rule bundle is ESM that carries the SDK clients and imports only node builtins', async () => {
  const built = await bundle('test-ecs-10', handlerEntry('ecs-10'));
  const code = readFileSync(built.file, 'utf8');

  expect(built.externalImports).toContain('node:http');
  expect(built.externalImports.filter((specifier) => !specifier.startsWith('node:') && !NODE_BUILTINS.has(specifier))).toEqual([]);
  // The clients' service identities and operations are inside the bundle.
  expect(code).toContain('StarlingDoveService');
  expect(code).toContain('AmazonEC2ContainerServiceV20141113');
  expect(code).toContain('PutEvaluations');
  expect(code).toContain('DescribeTaskDefinition');
  expect(code).toMatch(/export\s*\{[^}]*\bas handler\b/);
}, 60_000);
