/**
 * CloudFormation's YAML short forms (`!Ref X`, `!GetAtt A.B`, `!Sub [...]`) as `yaml` custom tags
 * that produce the long form (`{ Ref: X }`, `{ "Fn::GetAtt": [A, B] }`), the only form the
 * CloudFormation adapter reads
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html).
 */
import type { CollectionTag, ScalarTag } from 'yaml';

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

function tagsFor(shortName: string, longForm: string): (ScalarTag | CollectionTag)[] {
  const tag = `!${shortName}`;
  return [
    { tag, resolve: (value: string) => ({ [longForm]: scalarArgument(longForm, value) }) },
    // A collection's resolve gets the node; toJSON() gives its plain value, nested short forms included.
    { tag, collection: 'seq', resolve: (sequence) => ({ [longForm]: sequence.toJSON() }) },
    { tag, collection: 'map', resolve: (map) => ({ [longForm]: map.toJSON() }) },
  ] as (ScalarTag | CollectionTag)[];
}

export const CLOUDFORMATION_TAGS: readonly (ScalarTag | CollectionTag)[] = Object.entries(FUNCTIONS).flatMap(([shortName, longForm]) =>
  tagsFor(shortName, longForm),
);
