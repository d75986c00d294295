/**
 * The YAML reader (scan/inputs/yaml.ts): lines must agree with the `yaml` library's syntax tree for
 * every key and item of any document (property-based), short forms become long forms, and the YAML
 * features CloudFormation refuses (aliases, merge keys) are expanded and recorded.
 */
import fc from 'fast-check';
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument, stringify } from 'yaml';
import { PathSegment } from '../../../scan/inputs/path';
import { parseYamlDocument, YamlSyntaxError } from '../../../scan/inputs/yaml';

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
        // An item on the line after its dash: the syntax tree puts it where its content starts, as the reader does.
        found.push([[...path, index], lineCounter.linePos((item as Node | null)?.range?.[0] ?? 0).line]);
        walk(item, [...path, index]);
      });
    }
  };
  walk(document.contents, []);
  return found;
}

const key = fc.oneof(fc.constantFrom('Resources', 'Type', 'Properties', 'Name', 'User', 'a b', 'with: colon', "it's", '"quoted"', '- dash', '#hash', 'Fn::If', 'true'), fc.stringMatching(/^[A-Za-z][\w :.-]{0,8}$/));
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant('multi\nline\ntext'));
const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
  map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  list: fc.array(tie('value'), { maxLength: 3 }),
})).map;

test('the line of every key and item agrees with the syntax tree, block and flow style alike', () => {
  fc.assert(
    fc.property(tree, fc.constantFrom(2, 4), fc.boolean(), (value, indent, flow) => {
      const text = stringify(value, { indent, ...(flow && { collectionStyle: 'flow' as const }) });
      const parsed = parseYamlDocument(text, 'property.yaml');
      expect(parsed.value).toEqual(parseDocument(text).toJS());
      for (const [path, line] of treeLines(text)) expect({ path, line: parsed.lineOf(path) }).toEqual({ path, line });
      expect(parsed.yamlOnly).toBeUndefined();
    }),
    { numRuns: 300 },
  );
});

test('short forms become long forms, and a path through one finds the tagged line', () => {
  const text = ['Resources:', '  Task:', '    Properties:', '      NetworkMode: !If', '        - UseHost', '        - host', '        - awsvpc', '      Role: !GetAtt Role.Arn', '      Empty:', '      Name: !Sub "${AWS::StackName}-x"'].join('\n');
  const parsed = parseYamlDocument(text, 't.yaml');

  expect(parsed.value).toEqual({
    Resources: { Task: { Properties: { NetworkMode: { 'Fn::If': ['UseHost', 'host', 'awsvpc'] }, Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Empty: null, Name: { 'Fn::Sub': '${AWS::StackName}-x' } } } },
  });
  expect(parsed.lineOf(['Resources', 'Task', 'Properties', 'NetworkMode', 'Fn::If', 2])).toBe(7);
  expect(parsed.lineOf(['Resources', 'Task', 'Properties', 'Empty'])).toBe(9);
  expect(parsed.lineOf(['Resources', 'Task', 'Properties', 'Name'])).toBe(10);
  expect(parsed.lineOf(['Resources', 'Missing'])).toBeUndefined();
});

test('aliases and merge keys are expanded as the AWS CLI does, and the first one is recorded', () => {
  const merged = parseYamlDocument(['base: &base', '  User: "1000"', '  Privileged: false', 'app:', '  <<: *base', '  User: "0"'].join('\n'), 'm.yaml');
  expect(merged.value).toEqual({ base: { User: '1000', Privileged: false }, app: { User: '0', Privileged: false } });
  expect(merged.yamlOnly).toEqual({ feature: 'a merge key', line: 5 });

  const aliased = parseYamlDocument(['a: &user "1000"', 'b: *user'].join('\n'), 'a.yaml');
  expect(aliased.value).toEqual({ a: '1000', b: '1000' });
  expect(aliased.yamlOnly).toEqual({ feature: 'an alias', line: 2 });

  expect(parseYamlDocument('a: &only 1\nb: 2\n', 'anchor.yaml').yamlOnly).toBeUndefined();
});

test.each([
  ['an unknown tag, named as written', 'a:\n  b: !Ref: x\n', 2, 'unknown tag "!Ref:"'],
  ['a repeated key', 'a: 1\na: 2\n', 2, 'duplicated mapping key'],
  ['an alias without an anchor', 'a: *nowhere\n', 1, 'unidentified alias'],
])('%s is an error with its line', (_name, text, line, message) => {
  expect(() => parseYamlDocument(text, 'bad.yaml')).toThrow(YamlSyntaxError);
  try {
    parseYamlDocument(text, 'bad.yaml');
  } catch (error) {
    expect(error).toMatchObject({ line });
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('!<');
  }
});
