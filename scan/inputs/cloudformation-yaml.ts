/**
 * CloudFormation's YAML short forms (`!Ref X`, `!GetAtt A.B`, `!Sub [...]`) as js-yaml types that
 * produce the long form (`{ Ref: X }`, `{ "Fn::GetAtt": [A, B] }`), the only form the CloudFormation
 * adapter reads (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html).
 */
import { CORE_SCHEMA, Schema, Type } from 'js-yaml';

/** Short-form name → long-form key; each may be written on a scalar, a sequence or a mapping. */
const FUNCTIONS: Readonly<Record<string, string>> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  FindInMap: 'Fn::FindInMap',
  GetAtt: 'Fn::GetAtt',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  Sub: 'Fn::Sub',
  Transform: 'Fn::Transform',
  And: 'Fn::And',
  Equals: 'Fn::Equals',
  If: 'Fn::If',
  Not: 'Fn::Not',
  Or: 'Fn::Or',
  // Rules-section functions (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/rules-section-structure.html).
  Contains: 'Fn::Contains',
  EachMemberEquals: 'Fn::EachMemberEquals',
  EachMemberIn: 'Fn::EachMemberIn',
  RefAll: 'Fn::RefAll',
  ValueOf: 'Fn::ValueOf',
  ValueOfAll: 'Fn::ValueOfAll',
  // AWS::LanguageExtensions transform functions.
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};

/**
 * `!GetAtt Resource.Attribute` is the string form; CloudFormation splits it at the first dot, so
 * `!GetAtt Db.Endpoint.Address` is `[Db, Endpoint.Address]`.
 */
function scalarArgument(longForm: string, value: string): unknown {
  if (longForm !== 'Fn::GetAtt') return value;
  const dot = value.indexOf('.');
  return dot < 0 ? value : [value.slice(0, dot), value.slice(dot + 1)];
}

const KINDS = ['scalar', 'sequence', 'mapping'] as const;

const TYPES = Object.entries(FUNCTIONS).flatMap(([shortName, longForm]) =>
  KINDS.map(
    (kind) =>
      new Type(`!${shortName}`, {
        kind,
        // js-yaml gives a scalar's text, or the sequence/mapping already constructed (nested short forms included).
        construct: (data: unknown) => ({ [longForm]: kind === 'scalar' ? scalarArgument(longForm, (data as string | null) ?? '') : data }),
      }),
  ),
);

/**
 * YAML 1.2's core schema (what CloudFormation templates need: no timestamps, no binary, no merge
 * keys) plus the short forms. YAML 1.1 spellings (`yes`, `on`) stay strings: a control that needs
 * such a field reports that it could not evaluate it rather than guess.
 */
export const CLOUDFORMATION_SCHEMA: Schema = CORE_SCHEMA.extend(TYPES);
