/**
 * The CDK app's context keys, so rules can be chosen without code changes:
 * `npx cdk synth -c controls=ECS.4,ECS.20`, or in cdk.json `"context": { "parameters": { "ECS.8": { ... } } }`.
 * A `-c` value always arrives as a string; cdk.json gives JSON values. Both forms are accepted.
 */
import { Node } from 'constructs';
import { ControlParameters, EcsControlRulesProps } from './ecs-control-rules';

export const CONTEXT_KEYS = {
  /** Comma-separated ids (`ECS.4,ECS.20`) or a JSON array of ids. */
  controls: 'controls',
  /** Overrides by control id, as a JSON object (or its JSON text). */
  parameters: 'parameters',
  /** Prepended to every rule name. */
  ruleNamePrefix: 'ruleNamePrefix',
} as const;

export function controlRulesPropsFromContext(node: Node): EcsControlRulesProps {
  return {
    controls: controlsFrom(node.tryGetContext(CONTEXT_KEYS.controls)),
    parameters: parametersFrom(node.tryGetContext(CONTEXT_KEYS.parameters)),
    ruleNamePrefix: prefixFrom(node.tryGetContext(CONTEXT_KEYS.ruleNamePrefix)),
  };
}

function controlsFrom(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.split(',').map((id) => id.trim()).filter((id) => id.length > 0);
  if (Array.isArray(value) && value.every((id) => typeof id === 'string')) return value;
  throw contextError(CONTEXT_KEYS.controls, 'a comma-separated list of control ids or a JSON array of them', value);
}

function parametersFrom(value: unknown): ControlParameters | undefined {
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' ? parseJson(CONTEXT_KEYS.parameters, value) : value;
  if (!isObject(parsed) || !Object.values(parsed).every(isObject)) {
    throw contextError(CONTEXT_KEYS.parameters, 'a JSON object of parameter objects by control id, e.g. {"ECS.8":{"detectCredentialValues":"false"}}', value);
  }
  // The values' types are checked by the construct, which names the control and parameter.
  return parsed as ControlParameters;
}

function prefixFrom(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw contextError(CONTEXT_KEYS.ruleNamePrefix, 'a string', value);
}

function parseJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`Context \`${key}\` is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function contextError(key: string, expected: string, value: unknown): Error {
  return new Error(`Context \`${key}\` must be ${expected}; got ${JSON.stringify(value)}.`);
}
