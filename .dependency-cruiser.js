/**
 * The layers, enforced by test/architecture/layers.test.ts (docs/architecture.md draws them):
 *
 *   bin/           entry points
 *   cli/  lib/     the edges: the CLI, the CDK constructs and plugin (never each other)
 *   scan/          the scan engine the edges share
 *   lambdas/       rule functions: handlers → runtime → adapters, controls → core
 *
 * and beside them the tooling (bench/, scripts/, dev-support/) and test/. Imports point down only.
 */
const PRODUCT = '^(lambdas|scan|lib|cli|bin)/';

/** A forbidden import: from modules whose path matches `from` to modules whose path matches `to`. */
const forbid = (name, comment, from, to) => ({ name, severity: 'error', comment, from: { path: from }, to: { path: to } });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other cannot be understood, tested or moved one at a time.',
      from: {},
      to: { circular: true },
    },
    forbid(
      'lambdas-import-nothing-above',
      'The rule functions are bundled alone: nothing of the engine, the edges, the tooling or the tests.',
      '^lambdas/',
      '^(scan|lib|cli|bin|bench|scripts|dev-support|test)/',
    ),
    forbid('core-imports-only-core', 'The model and the Control type know no control, source format or runtime.', '^lambdas/core/', '^lambdas/(controls|adapters|runtime|handlers)/'),
    forbid(
      'controls-and-adapters-import-only-core',
      'A control is pure over the model; an adapter knows one source format and the model.',
      '^lambdas/(controls|adapters)/',
      '^lambdas/(runtime|handlers)/',
    ),
    forbid('scan-below-the-edges', 'The scan engine serves the CLI, the CDK plugin and the hook; it knows none of them.', '^scan/', '^(lib|cli|bin)/'),
    forbid('lib-never-cli', 'The CDK library and the CLI are two edges over the scan engine.', '^lib/', '^cli/'),
    forbid('cli-never-lib', 'The CDK library and the CLI are two edges over the scan engine.', '^cli/', '^lib/'),
    forbid('product-never-dev-code', 'Shipped code imports no test, benchmark, script or dev support.', PRODUCT, '^(test|bench|scripts|dev-support)/'),
    forbid('tooling-never-tests', 'Benchmarks, scripts and dev support share code through dev-support/, not test/.', '^(bench|scripts|dev-support)/', '^test/'),
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import the cruise cannot resolve is an import it cannot check.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|cdk\\.out)/' },
    // Type-only imports count: a cycle through types is still a cycle to read.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages resolve through their `exports` map, as Node resolves them (`tsx/cjs`).
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'import', 'node', 'default'] },
  },
};
