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

/**
 * TEMPORARY: two cycles inside lambdas/runtime/, which issue 10's rewrite of that folder removes.
 * Delete this list when it lands; no other cycle is allowed.
 */
const KNOWN_RUNTIME_CYCLES = ['^lambdas/runtime/(rule-handler|periodic)\\.ts$', '^lambdas/runtime/(aws-client|sigv4)\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other cannot be understood, tested or moved one at a time.',
      from: { pathNot: KNOWN_RUNTIME_CYCLES },
      to: { circular: true },
    },
    {
      name: 'lambdas-import-nothing-above',
      severity: 'error',
      comment: 'The rule functions are bundled alone: nothing of the engine, the edges, the tooling or the tests.',
      from: { path: '^lambdas/' },
      to: { path: '^(scan|lib|cli|bin|bench|scripts|dev-support|test)/' },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment: 'The model and the Control type know no control, source format or runtime.',
      from: { path: '^lambdas/core/' },
      to: { path: '^lambdas/(controls|adapters|runtime|handlers)/' },
    },
    {
      name: 'controls-and-adapters-import-only-core',
      severity: 'error',
      comment: 'A control is pure over the model; an adapter knows one source format and the model.',
      from: { path: '^lambdas/(controls|adapters)/' },
      to: { path: '^lambdas/(runtime|handlers)/' },
    },
    {
      name: 'scan-below-the-edges',
      severity: 'error',
      comment: 'The scan engine serves the CLI, the CDK plugin and the hook; it knows none of them.',
      from: { path: '^scan/' },
      to: { path: '^(lib|cli|bin)/' },
    },
    {
      name: 'lib-never-cli',
      severity: 'error',
      comment: 'The CDK library and the CLI are two edges over the scan engine.',
      from: { path: '^lib/' },
      to: { path: '^cli/' },
    },
    {
      name: 'cli-never-lib',
      severity: 'error',
      comment: 'The CDK library and the CLI are two edges over the scan engine.',
      from: { path: '^cli/' },
      to: { path: '^lib/' },
    },
    {
      name: 'product-never-dev-code',
      severity: 'error',
      comment: 'Shipped code imports no test, benchmark, script or dev support.',
      from: { path: PRODUCT },
      to: { path: '^(test|bench|scripts|dev-support)/' },
    },
    {
      name: 'tooling-never-tests',
      severity: 'error',
      comment: 'Benchmarks, scripts and dev support share code through dev-support/, not test/.',
      from: { path: '^(bench|scripts|dev-support)/' },
      to: { path: '^test/' },
    },
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
