/**
 * `shallowJsonLines` is a hand-written scanner (a speed-up, see scan/inputs/json-lines.ts); this pins
 * that, for any JSON value printed in any layout, it finds exactly the lines jsonc-parser's visitor
 * finds: every key, and every object or array that is an array item, down to the depth.
 */
import fc from 'fast-check';
import { visit } from 'jsonc-parser';
import { pathKey, shallowJsonLines } from '../../scan/inputs/json-lines';
import { PathSegment } from '../../scan/inputs/path';

/** The library's answer: what `scan/inputs/parse.ts` used before the scanner. */
function visitorLines(text: string, depth: number): Map<string, number> {
  const lines = new Map<string, number>();
  const enter = (_offset: number, _length: number, startLine: number, _character: number, pathSupplier: () => PathSegment[]) => {
    const path = pathSupplier();
    if (path.length === 0 || typeof path[path.length - 1] === 'number') lines.set(pathKey(path), startLine + 1);
    return path.length < depth;
  };
  visit(text, {
    onObjectBegin: enter,
    onArrayBegin: enter,
    onObjectEnd: () => {},
    onArrayEnd: () => {},
    onObjectProperty: (property, _offset, _length, startLine, _character, pathSupplier) => lines.set(pathKey([...pathSupplier(), property]), startLine + 1),
  });
  return lines;
}

/** Keys with quotes, backslashes, escapes and non-ASCII, so string ends are found the hard way. */
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('"', '\\', '\\"', 'a\\\\', '\u2028', 'é', '{', ']', ','));
const json = fc.jsonValue({ maxDepth: 5 }).chain((value) =>
  fc.record({ value: fc.constant(value), keys: fc.array(key, { maxLength: 4 }) }).map(({ value: inner, keys }) => keys.reduce<unknown>((nested, name) => ({ [name]: nested, [`${name}x`]: [nested, 'a"b\\'] }), inner)),
);
const layout = fc.oneof(fc.constant(undefined), fc.constant(1), fc.constant(2), fc.constant('\t'), fc.constant(' \r\n '), fc.constant('\r'));

/** JSON.stringify with an arbitrary indent string, which may carry CRLF and spaces around structure. */
function print(value: unknown, indent: string | number | undefined): string {
  if (typeof indent !== 'string' || !indent.includes('\n')) return JSON.stringify(value, null, indent);
  return JSON.stringify(value, null, 1).replace(/\n/g, indent);
}

test('shallowJsonLines finds the same lines as jsonc-parser visit, at every depth', () => {
  fc.assert(
    fc.property(json, layout, fc.integer({ min: 0, max: 4 }), (value, indent, depth) => {
      const text = print(value, indent);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      expect(shallowJsonLines(text, depth)).toEqual(visitorLines(text, depth));
    }),
    { numRuns: 3000 },
  );
});

test('a CloudFormation template: the resource and its keys, not what is inside', () => {
  const text = '{\n  "Resources": {\n    "Task": {\n      "Type": "AWS::ECS::TaskDefinition",\n      "Properties": { "Family": "x" }\n    }\n  },\n  "Outputs": []\n}';
  expect([...shallowJsonLines(text, 2)]).toEqual([
    [pathKey([]), 1],
    [pathKey(['Resources']), 2],
    [pathKey(['Resources', 'Task']), 3],
    [pathKey(['Outputs']), 8],
  ]);
});
