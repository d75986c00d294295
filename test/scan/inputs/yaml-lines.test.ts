/**
 * The fast block-structure line finder must agree with a full YAML syntax tree wherever it answers,
 * whatever the document (property-based, over documents the `yaml` library writes in block style).
 */
import fc from 'fast-check';
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument, stringify } from 'yaml';
import { BlockYamlLines } from '../../../scan/inputs/yaml-lines';
import { PathSegment } from '../../../scan/inputs/path';

/** Every path in a document with the line the syntax tree puts it on. */
function treeLines(text: string): [PathSegment[], number][] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const found: [PathSegment[], number][] = [];
  const walk = (node: unknown, path: PathSegment[]) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const childPath = [...path, String(pair.key.value)];
        found.push([childPath, lineCounter.linePos((pair.key as Node).range?.[0] ?? 0).line]);
        walk(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        found.push([[...path, index], lineCounter.linePos((item as Node).range?.[0] ?? 0).line]);
        walk(item, [...path, index]);
      });
    }
  };
  walk(document.contents, []);
  return found;
}

const key = fc.oneof(fc.constantFrom('Resources', 'Type', 'Properties', 'Name', 'User', 'a b', 'with: colon', "it's", '"quoted"', '- dash', '#hash', 'Fn::If', '123', 'true'), fc.string({ minLength: 1, maxLength: 8 }));
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant('multi\nline\ntext'));
const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
  map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  list: fc.array(tie('value'), { maxLength: 3 }),
})).map;

test('agrees with the syntax tree on every path it finds, and finds the keys of plain block mappings', () => {
  fc.assert(
    fc.property(tree, fc.constantFrom(2, 4), (value, indent) => {
      const text = stringify(value, { indent });
      const lines = new BlockYamlLines(text);
      for (const [path, line] of treeLines(text)) {
        const found = lines.lineOf(path);
        // Plain keys (what CloudFormation logical ids and property names are) must always be found.
        const plain = path.every((segment) => typeof segment === 'number' || /^[A-Za-z][A-Za-z0-9]*$/.test(segment));
        if (found !== undefined || plain) expect({ path, line: found }).toEqual({ path, line });
      }
    }),
    { numRuns: 500 },
  );
});

test('finds a CloudFormation resource and a metadata entry', () => {
  const text = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Resources:',
    '  # the cluster',
    '  Cluster:',
    '    Type: AWS::ECS::Cluster',
    '  "Task":',
    '    Type: AWS::ECS::TaskDefinition',
    '    Metadata:',
    '      ecs-config-rules:',
    '        suppressions:',
    '          - id: ECS.5',
    '            reason: x',
    '          -',
    '            id: ECS.9',
    '    Properties:',
    '      ContainerDefinitions:',
    '        - Name: app',
  ].join('\n');
  const lines = new BlockYamlLines(text);

  expect(lines.lineOf(['Resources', 'Cluster'])).toBe(4);
  expect(lines.lineOf(['Resources', 'Task'])).toBe(6);
  expect(lines.lineOf(['Resources', 'Task', 'Metadata', 'ecs-config-rules', 'suppressions', 1])).toBe(13);
  expect(lines.lineOf(['Resources', 'Task', 'Properties', 'ContainerDefinitions', 0, 'Name'])).toBe(17);
  expect(lines.lineOf(['Resources', 'Missing'])).toBeUndefined();
  expect(lines.lineOf([])).toBe(1);
});
