/**
 * Reads JSON that a template builds with `Fn::Join` (a StackSet's TemplateBody, a dashboard's
 * body): references become `${LogicalId}` / `${LogicalId.Attribute}` placeholders, so the JSON can
 * be parsed and the references still checked.
 */
import { Template } from 'aws-cdk-lib/assertions';

export type CfnResource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

export function joinedJson(value: unknown): any {
  return JSON.parse(renderJoin(value));
}

/** A string value, with `Fn::Join` and references rendered as above. */
export function renderJoin(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(renderJoin).join(join[0]);
  const ref = (value as { Ref?: string }).Ref;
  if (ref) return `\${${ref}}`;
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt) return `\${${getAtt.join('.')}}`;
  throw new Error(`Cannot render ${JSON.stringify(value)} as text`);
}

export function resourcesOfType(template: Template, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.findResources(type) as Record<string, CfnResource>);
}

export function onlyResourceOfType(template: Template, type: string): CfnResource {
  const resources = resourcesOfType(template, type);
  if (resources.length !== 1) throw new Error(`Expected exactly one ${type}, found ${resources.length}`);
  return resources[0][1];
}
