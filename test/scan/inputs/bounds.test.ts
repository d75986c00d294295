/**
 * The bounds every parsed input is held to (scan/inputs/bounds.ts): YAML aliases expand at most so
 * far, nothing nests past NESTING_LIMIT, and a YAML value that holds itself is refused. Each is an
 * InputError naming the file and line, raised while parsing, before any reader walks the value.
 * The bombs are generated here; each must be refused quickly (the bound below is a generous sanity
 * check on a shared machine, the measured times are in docs/templates.md).
 */
import { EXPANSION_FLOOR, NESTING_LIMIT } from '../../../scan/inputs/bounds';
import { InputError, parseText } from '../../../scan/inputs/parse';

/** The InputError `parseText` throws for `text`, and how long it took to throw it. */
function refusal(text: string, file: string): { error: InputError; milliseconds: number } {
  const start = performance.now();
  try {
    parseText(text, file);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { error, milliseconds: performance.now() - start };
  }
  throw new Error(`${file} was read`);
}

const lines = (...written: string[]) => `${written.join('\n')}\n`;

describe('YAML aliases expand at most to max(100,000, 10 × the nodes written)', () => {
  const EXPANSION = /aliases expand it to more than [\d,]+ nodes \(at most 10 times the [\d,]+ it writes, or 100,000\): refused before anything walks it/;

  test('a classic "billion laughs" (ten lists of ten aliases, under 1 KB) is refused at the line where the count passes the bound', () => {
    const text = lines(
      'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      ...Array.from({ length: 9 }, (_, level) => `l${level + 1}: &l${level + 1} [${Array(10).fill(`*l${level}`).join(', ')}]`),
      'services: *l9',
    );
    expect(text.length).toBeLessThan(1024);

    const { error, milliseconds } = refusal(text, 'laughs.yaml');

    expect(error.message).toMatch(EXPANSION);
    // l0–l3 expand to 10 + 100 + 1,000 + 10,000 nodes and fit; l4 (100,000 more) passes the floor.
    expect(error).toMatchObject({ file: 'laughs.yaml', line: 5 });
    expect(milliseconds).toBeLessThan(5000);
  });

  test('a wider and deeper one (mappings of nine aliases, nine deep, 1.1 KB) as a task definition user is refused', () => {
    const keys = 'abcdefghi'.split('');
    const text = lines(
      `l0: &l0 {${keys.map((key) => `${key}: x`).join(', ')}}`,
      ...Array.from({ length: 9 }, (_, level) => `l${level + 1}: &l${level + 1} {${keys.map((key) => `${key}: *l${level}`).join(', ')}}`),
      'family: web',
      'containerDefinitions:',
      '  - name: app',
      '    image: app:1',
      '    user: *l9',
    );

    const { error, milliseconds } = refusal(text, 'wide.yaml');

    expect(error.message).toMatch(EXPANSION);
    expect(error.line).toBe(6);
    expect(milliseconds).toBeLessThan(5000);
  });

  test('a quadratic one (a 40,000-key mapping aliased 40,000 times, 800 KB) is refused at the first alias past ten times what it writes', () => {
    const keys = 40_000;
    const text = lines('family: web', 'big: &big', ...Array.from({ length: keys }, (_, index) => `  k${index}: v`), 'containerDefinitions:', ...Array(keys).fill('  - *big'));
    expect(text.length).toBeGreaterThan(700_000);

    const { error, milliseconds } = refusal(text, 'quadratic.yaml');

    // Written: the root, family, the mapping and its 40,000 values, the list and its 40,000 aliases.
    expect(error.reason).toBe(
      'aliases expand it to more than 800,040 nodes (at most 10 times the 80,004 it writes, or 100,000): refused before anything walks it, as an alias bomb would be',
    );
    // The mapping (40,001 nodes) fits, and so do nineteen aliases to it; the twentieth passes 800,040.
    expect(error.line).toBe(3 + keys + 20);
    expect(milliseconds).toBeLessThan(5000);
  });

  /** A list of `items` scalars, aliased `aliases` times: written items + aliases + 3, expanded (aliases + 1) × (items + 1) + 2. */
  const reused = (items: number, aliases: number) => lines(`list: &list [${Array(items).fill('x').join(', ')}]`, 'copies:', ...Array(aliases).fill('  - *list'));

  test.each([
    ['the floor', 999, 98, 'read'],
    ['the floor', 999, 99, 'refused'],
    ['ten times the nodes written', 19_999, 9, 'read'],
    ['ten times the nodes written', 19_999, 10, 'refused'],
  ])('at %s: %i items aliased %i times is %s', (_bound, items, aliases, outcome) => {
    const text = reused(items, aliases);
    const expanded = (aliases + 1) * (items + 1) + 2;
    const limit = Math.max(EXPANSION_FLOOR, 10 * (items + aliases + 3));
    expect(expanded > limit).toBe(outcome === 'refused');

    if (outcome === 'read') expect((parseText(text, 'reused.yaml').value as { copies: unknown[] }).copies).toHaveLength(aliases);
    else expect(refusal(text, 'reused.yaml').error.message).toMatch(EXPANSION);
  });

  test('a logging block shared by 500 task definitions, as teams write them, is read', () => {
    const text = lines(
      'Logging: &logging',
      '  LogDriver: awslogs',
      '  Options: {awslogs-group: /ecs/app, awslogs-region: us-east-1, awslogs-stream-prefix: app}',
      'Resources:',
      ...Array.from({ length: 500 }, (_, index) => [
        `  Task${index}:`,
        '    Type: AWS::ECS::TaskDefinition',
        '    Properties:',
        '      ContainerDefinitions:',
        `        - {Name: app, Image: app:${index}, LogConfiguration: *logging}`,
      ]).flat(),
    );

    const { value } = parseText(text, 'shared.yaml') as { value: { Resources: Record<string, unknown> } };

    expect(Object.keys(value.Resources)).toHaveLength(500);
  });

  test('merge keys that copy more than 100,000 keys in all are refused while parsing, where the copying happens', () => {
    const text = lines('base: &base', ...Array.from({ length: 1000 }, (_, index) => `  k${index}: v`), ...Array.from({ length: 101 }, (_, index) => `m${index}: {<<: *base}`));

    const { error, milliseconds } = refusal(text, 'merges.yaml');

    expect(error.reason).toBe('merge keys (<<) copy more than 100,000 keys in all: refused before the copying takes the scan\'s time and memory');
    expect(error.line).toBe(1101);
    expect(milliseconds).toBeLessThan(5000);
  });
});

describe('an alias inside the node it refers to', () => {
  test.each([
    ['a list', 'ok: 1\nloop: &loop [a, *loop]\n', 2],
    ['a mapping', 'ok: 1\nloop: &loop\n  name: x\n  self: *loop\n', 4],
  ])('in %s is refused at its line (js-yaml builds it as a cycle no reader could finish)', (_kind, text, line) => {
    const { error } = refusal(text, 'cycle.yaml');

    expect(error.reason).toBe('an alias inside the very node it refers to (a cycle): no reader could walk it to its end');
    expect(error.line).toBe(line);
  });
});

describe(`nesting deeper than ${NESTING_LIMIT} levels`, () => {
  const TOO_DEEP = `nested deeper than ${NESTING_LIMIT} levels`;

  /** `levels` mappings inside each other, one key per line: `k:` indented one more space each time. */
  const blockMappings = (levels: number) => lines(...Array.from({ length: levels }, (_, index) => `${' '.repeat(index)}k:`).slice(0, -1), `${' '.repeat(levels - 1)}k: leaf`);
  /** `levels` JSON objects inside each other, each opening on its own line. */
  const jsonObjects = (levels: number) => `${'{\n"k": '.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

  test.each([
    ['YAML block mappings', blockMappings, 'deep.yaml'],
    ['YAML flow lists', (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}\n`, 'deep.yaml'],
    ['YAML compact lists', (levels: number) => `${Array(levels).fill('-').join(' ')} leaf\n`, 'deep.yaml'],
    ['JSON objects', jsonObjects, 'deep.json'],
  ])('%s: 100 levels are read, 101 are refused', (_style, write, file) => {
    expect(() => parseText(write(NESTING_LIMIT), file)).not.toThrow();

    expect(refusal(write(NESTING_LIMIT + 1), file).error.message).toContain(TOO_DEEP);
  });

  test('YAML names the path and the line where the limit was crossed', () => {
    const { error } = refusal(blockMappings(NESTING_LIMIT + 1), 'deep.yaml');

    expect(error.reason).toBe(`${TOO_DEEP} (at k.k.k.k.k.k.k.k…): no real template or document nests that deep, so it is not read`);
    // The key whose value is the 101st mapping, as JSON names the line where the 101st object opens.
    expect(error.line).toBe(NESTING_LIMIT);
  });

  test('JSON names the line of the first bracket past the limit', () => {
    expect(refusal(jsonObjects(NESTING_LIMIT + 1), 'deep.json').error).toMatchObject({ file: 'deep.json', line: NESTING_LIMIT + 1 });
  });

  test.each([
    ['200 sibling lists', `[${Array(200).fill('[]').join(', ')}]`],
    ['a string holding 200 brackets and escaped quotes', `{"text": "\\"${'['.repeat(200)}\\""}`],
  ])('JSON counts nesting, not brackets: %s are one or two levels', (_kind, text) => {
    expect(() => parseText(text, 'shallow.json')).not.toThrow();
  });

  test('invalid JSON whose brackets are inside an unterminated string is a syntax error, not too deep', () => {
    expect(refusal(`{"text": "${'['.repeat(200)}`, 'open.json').error.reason).toMatch(/^not valid JSON/);
  });

  test('levels are counted in the value: a short form is a mapping around its argument', () => {
    // `!If [c, x, !If ...]`: each is { "Fn::If": [...] }, two levels.
    const nested = (count: number) => `Value: ${'!If [c, x, '.repeat(count)}x${']'.repeat(count)}\n`;

    expect(() => parseText(nested(49), 'if.yaml')).not.toThrow();
    expect(refusal(nested(50), 'if.yaml').error.message).toContain(TOO_DEEP);
  });

  test('levels reached through an alias count, and the alias is named', () => {
    // Sixty lists written, and fifty mappings: each within the limit, but the alias puts the lists inside the mappings.
    const text = lines(`deep: &deep ${'['.repeat(60)}${']'.repeat(60)}`, ...Array.from({ length: 49 }, (_, index) => `${' '.repeat(index)}k:`), `${' '.repeat(49)}k: *deep`);

    const { error } = refusal(text, 'aliased.yaml');

    expect(error.message).toContain(TOO_DEEP);
    expect(error.line).toBe(51);
  });

  test.each([
    ['YAML', (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}\n`, 'deep.yaml'],
    ['JSON', (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`, 'deep.json'],
    ['JSON that is not even valid (jsonc-parser, which locates syntax errors, recurses)', (levels: number) => '['.repeat(levels), 'deep.json'],
  ])('%s 20,000 levels deep is refused as such, never a stack overflow', (_kind, write, file) => {
    const { error, milliseconds } = refusal(write(20_000), file);

    expect(error.reason).toBe(`${TOO_DEEP}: no real template or document nests that deep, so it is not read`);
    expect(error).toMatchObject({ file, line: 1 });
    expect(milliseconds).toBeLessThan(5000);
  });
});
