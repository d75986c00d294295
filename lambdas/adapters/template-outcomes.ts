/**
 * The finite set of ways a template resource can turn out at deploy time. A property written with
 * `Fn::If`, a `Ref` to a parameter with `AllowedValues`, or `Fn::FindInMap` into the template's own
 * `Mappings` has a known, finite set of outcomes: each assignment of those inputs resolves the
 * properties into one plain document, and a control decides the resource only when every outcome
 * gives the same verdict (lambdas/core/control.ts).
 *
 * Over-approximation keeps this sound: each condition is taken as free (true or false) even where
 * conditions depend on one another or on parameters, so the outcomes enumerated include every
 * outcome CloudFormation can produce, and perhaps some it cannot; a verdict shared by all of them is
 * the verdict of the deployed resource. A parameter without `AllowedValues` can be anything: its
 * `Ref` stays unresolved and a control that needs it cannot decide, naming it.
 *
 * Bound: at most `MAX_OUTCOMES` (64) assignments per resource, i.e. six independent conditions; a
 * resource with more inputs is not enumerated (its conditional properties stay unresolved), so a
 * pathological template stays as fast as any other.
 *
 * Functions: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-findinmap.html,
 * parameters' AllowedValues: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html.
 */
import { isJsonObject, JsonObject } from './reader';

export const MAX_OUTCOMES = 64;

/** A deploy-time input the outcome depends on, with every value it can take. */
export interface TemplateInput {
  readonly kind: 'condition' | 'parameter';
  readonly name: string;
  readonly values: readonly (boolean | string)[];
}

/** Values chosen for some inputs; `describe` names them for an annotation. */
export interface Assignment {
  readonly conditions: ReadonlyMap<string, boolean>;
  readonly parameters: ReadonlyMap<string, string>;
  readonly description: string;
}

/** What a template offers for resolving intrinsics: its `Parameters` and `Mappings` sections. */
export interface TemplateContext {
  readonly parameters: JsonObject;
  readonly mappings: JsonObject;
}

export function templateContext(template: JsonObject): TemplateContext {
  return {
    parameters: isJsonObject(template.Parameters) ? template.Parameters : {},
    mappings: isJsonObject(template.Mappings) ? template.Mappings : {},
  };
}

/**
 * `{ "Ref": … }` or `{ "Fn::Name": … }`: the long form of every intrinsic function. Called for every
 * object of every template resource, so its keys are walked, not copied into an array.
 */
export function intrinsicName(value: unknown): string | undefined {
  // Stryker disable next-line ConditionalExpression: equivalent mutant; for...in over a string, a list or null yields only indices, never Ref or Fn::, so the check only saves work
  if (!isJsonObject(value)) return undefined;
  let only: string | undefined;
  for (const key in value) {
    if (only !== undefined) return undefined;
    only = key;
  }
  return only === 'Ref' || only?.startsWith('Fn::') ? only : undefined;
}

/** `!Ref AWS::NoValue` removes a property (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html). */
export function isNoValue(value: unknown): boolean {
  return isJsonObject(value) && intrinsicName(value) === 'Ref' && value.Ref === 'AWS::NoValue';
}

/** A parameter's AllowedValues as the strings a `Ref` gives; undefined when it has none (any value). */
function allowedValues(context: TemplateContext, name: string): string[] | undefined {
  const parameter = context.parameters[name];
  const allowed = isJsonObject(parameter) ? parameter.AllowedValues : undefined;
  if (!Array.isArray(allowed) || allowed.length === 0) return undefined;
  if (!allowed.every((value) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) return undefined;
  return [...new Set(allowed.map(String))];
}

/**
 * The inputs the documents depend on, in order of appearance, and whether they need resolving at
 * all (an `Fn::FindInMap` needs it even with literal keys).
 */
export function templateInputs(documents: readonly unknown[], context: TemplateContext): { inputs: TemplateInput[]; needsResolving: boolean } {
  const inputs = new Map<string, TemplateInput>();
  let needsResolving = false;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isJsonObject(value)) return;
    const name = intrinsicName(value);
    // Stryker disable next-line ConditionalExpression: equivalent mutant; the argument is read only under a named intrinsic, so value[undefined] is never used
    const argument = name === undefined ? undefined : value[name];
    if (name === 'Fn::If' && Array.isArray(argument) && typeof argument[0] === 'string') {
      needsResolving = true;
      const key = `condition ${argument[0]}`;
      // Stryker disable next-line ConditionalExpression: equivalent mutant; setting a condition again stores the same input, and Map.set keeps its first position
      if (!inputs.has(key)) inputs.set(key, { kind: 'condition', name: argument[0], values: [true, false] });
    } else if (name === 'Ref' && typeof argument === 'string') {
      const values = allowedValues(context, argument);
      const key = `parameter ${argument}`;
      if (values && !inputs.has(key)) {
        needsResolving = true;
        inputs.set(key, { kind: 'parameter', name: argument, values });
      }
    } else if (name === 'Fn::FindInMap') {
      needsResolving = true;
    }
    for (const key in value) visit(value[key]);
  };
  for (const document of documents) visit(document);
  return { inputs: [...inputs.values()], needsResolving };
}

/**
 * Every assignment of `inputs`, or undefined when there are more than `MAX_OUTCOMES`. No inputs: one
 * empty assignment (FindInMap with literal keys still resolves).
 */
export function assignments(inputs: readonly TemplateInput[]): Assignment[] | undefined {
  let count = 1;
  for (const input of inputs) count *= input.values.length;
  if (count > MAX_OUTCOMES) return undefined;
  let partial: { conditions: Map<string, boolean>; parameters: Map<string, string>; words: string[] }[] = [{ conditions: new Map(), parameters: new Map(), words: [] }];
  for (const input of inputs) {
    partial = partial.flatMap((assignment) =>
      input.values.map((value) => {
        const next = { conditions: new Map(assignment.conditions), parameters: new Map(assignment.parameters), words: [...assignment.words] };
        if (input.kind === 'condition') next.conditions.set(input.name, value as boolean);
        else next.parameters.set(input.name, value as string);
        next.words.push(`${input.kind} ${input.name} ${input.kind === 'condition' ? String(value) : `= ${String(value)}`}`);
        return next;
      }),
    );
  }
  return partial.map(({ conditions, parameters, words }) => ({ conditions, parameters, description: words.join(', ') }));
}

/** "condition IsProd, parameter Size": the inputs an undecided verdict depends on. */
export function describeInputs(inputs: readonly TemplateInput[]): string {
  return inputs.map((input) => `${input.kind} ${input.name}`).join(', ');
}

/**
 * `value` with every intrinsic the assignment decides replaced by its outcome: `Fn::If` on an assigned
 * condition, `Ref` to an assigned parameter, `Fn::FindInMap` whose keys resolve to an existing entry
 * (or its `DefaultValue`). `AWS::NoValue` items leave lists. Anything else stays as written.
 */
export function resolveIntrinsics(value: unknown, assignment: Assignment, context: TemplateContext): unknown {
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const resolved = resolveIntrinsics(item, assignment, context);
      if (!isNoValue(resolved)) items.push(resolved);
    }
    return items;
  }
  if (!isJsonObject(value)) return value;
  const name = intrinsicName(value);
  // Stryker disable next-line ConditionalExpression: equivalent mutant; the argument is read only under a named intrinsic, so value[undefined] is never used
  const argument = name === undefined ? undefined : value[name];
  // Stryker disable next-line ConditionalExpression: equivalent mutant (the string test); assigned conditions are keyed by name, so a condition that is not a string is never found
  if (name === 'Fn::If' && Array.isArray(argument) && argument.length === 3 && typeof argument[0] === 'string') {
    const condition = assignment.conditions.get(argument[0]);
    if (condition !== undefined) return resolveIntrinsics(condition ? argument[1] : argument[2], assignment, context);
  }
  // Stryker disable next-line ConditionalExpression: equivalent mutant (the string test); assigned parameters are keyed by name, so a Ref argument that is not a string is never found
  if (name === 'Ref' && typeof argument === 'string' && assignment.parameters.has(argument)) return assignment.parameters.get(argument);
  if (name === 'Fn::FindInMap' && Array.isArray(argument)) return findInMap(argument, assignment, context);
  const resolved: Record<string, unknown> = {};
  for (const key in value) resolved[key] = resolveIntrinsics(value[key], assignment, context);
  return resolved;
}

/** `[MapName, TopLevelKey, SecondLevelKey, {DefaultValue}?]` → the entry, or the function with its arguments resolved. */
function findInMap(argument: readonly unknown[], assignment: Assignment, context: TemplateContext): unknown {
  const resolved = argument.map((item) => resolveIntrinsics(item, assignment, context));
  const [mapName, topKey, secondKey, options] = resolved;
  const map = typeof mapName === 'string' ? context.mappings[mapName] : undefined;
  const top = isJsonObject(map) && typeof topKey === 'string' ? map[topKey] : undefined;
  const entry = isJsonObject(top) && typeof secondKey === 'string' ? top[secondKey] : undefined;
  if (entry !== undefined) return entry;
  // The AWS::LanguageExtensions DefaultValue applies when the keys are known but absent, never for an unresolved key.
  const keysKnown = [mapName, topKey, secondKey].every((key) => typeof key === 'string');
  if (keysKnown && isJsonObject(options) && options.DefaultValue !== undefined) return options.DefaultValue;
  return { 'Fn::FindInMap': resolved };
}
