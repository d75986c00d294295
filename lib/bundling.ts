/**
 * How every rule function is bundled. The construct passes these options to `NodejsFunction` and
 * `npm run bench` hands the same ones to esbuild, so the benchmark measures exactly what deploys.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * The bundling settings that shape the code (the bench maps exactly these fields to esbuild, so a
 * new one must be added to both). ES module output, `module` first in `mainFields` so packages'
 * ES builds are tree-shaken, minified. Nothing is external: the AWS SDK clients and Powertools are
 * bundled, so a function runs exactly the versions the tests ran against, not the Lambda runtime's
 * copy of the SDK (which also loads slower: the full CommonJS build). docs/performance.md has the
 * measurements behind each choice.
 */
export type RuleBundlingSettings = Required<Pick<BundlingOptions, 'format' | 'mainFields' | 'externalModules' | 'minify' | 'sourceMap'>>;

export const RULE_BUNDLING: RuleBundlingSettings = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  externalModules: [],
  minify: true,
  sourceMap: false,
};

/** The `bundling` of a rule function on `runtime`. */
export function ruleBundling(runtime: lambda.Runtime): BundlingOptions {
  return { ...RULE_BUNDLING, target: esbuildTarget(runtime) };
}

/** `nodejs24.x` → `node24`: esbuild then emits only what that Node.js version lacks. */
export function esbuildTarget(runtime: lambda.Runtime): string {
  const match = /^nodejs(\d+)\.x$/.exec(runtime.name);
  if (!match) throw new Error(`\`runtime\` must be a Node.js runtime such as nodejs24.x, got ${runtime.name}`);
  // The AWS SDK for JavaScript v3 supports Node.js 20 and later.
  if (Number(match[1]) < 20) throw new Error(`\`runtime\` must be nodejs20.x or later (the AWS SDK clients in the rule functions need it), got ${runtime.name}`);
  return `node${match[1]}`;
}
