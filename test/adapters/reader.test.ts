/**
 * The shared document reader, read directly: typed reads that return a value, `undefined` for an
 * absent key, or an `Unreadable` naming the path and what was wrong, with each source's options as
 * its adapter sets them (lambdas/adapters/*.ts).
 */
import { abbreviated, DocumentReader, findKey, firstUnreadable, isJsonObject, optionalString, requiredString } from '../../lambdas/adapters/reader';
import { HeldElsewhere, Unreadable } from '../../lambdas/core/model';

/** As the ECS API and AWS Config adapters build theirs: a value of another type is a wrong type. */
const plain = new DocumentReader({ booleanStrings: false });

/** As the CloudFormation adapter builds its reader (plus Terraform's HeldElsewhere), with `Ref` the only intrinsic. */
const refOf = (value: unknown) => (isJsonObject(value) && typeof value.Ref === 'string' ? value.Ref : undefined);
const template = new DocumentReader({
  booleanStrings: true,
  scalarsAsStrings: true,
  describeUnresolved: (value) => (refOf(value) === undefined ? undefined : `an unresolved Ref to ${refOf(value)}`),
  isHeldElsewhere: (value) => refOf(value) === 'OtherDocument',
  isAbsent: (value) => refOf(value) === 'AWS::NoValue',
  literalTextOf: (value) => (refOf(value) === undefined ? undefined : `\${${refOf(value)}}`),
});

describe('findKey and locate: keys in any casing, paths as the document spells them', () => {
  it.each([
    ['the exact spelling', { Name: 1 }, 'Name', 'Name'],
    ['another casing of the same key', { name: 1 }, 'Name', 'name'],
    ['the exact spelling over another casing', { Name: 1, name: 2 }, 'name', 'name'],
    ['nothing for a different key of the same length or a longer one', { Nome: 1, Names: 2 }, 'Name', undefined],
  ])('findKey finds %s', (_, object, key, found) => {
    expect(findKey(object, key)).toBe(found);
  });

  it('locates a value under the path the document spells, or under the asked key when absent', () => {
    expect(plain.locate({ efsVolumeConfiguration: {} }, 'EfsVolumeConfiguration', 'Volumes[0]')).toEqual({ value: {}, path: 'Volumes[0].efsVolumeConfiguration' });
    expect(plain.locate({}, 'Tags', '')).toEqual({ value: undefined, path: 'Tags' });
  });

  it('reads null, and in a template AWS::NoValue, as absent', () => {
    expect(plain.locate({ Tags: null }, 'Tags', '').value).toBeUndefined();
    expect(plain.string({ User: null }, 'User', '')).toBeUndefined();
    expect(template.string({ User: { Ref: 'AWS::NoValue' } }, 'User', '')).toBeUndefined();
    expect(plain.locate({ Tags: { Ref: 'AWS::NoValue' } }, 'Tags', '').value).toEqual({ Ref: 'AWS::NoValue' });
  });

  it('reads an absent key as absent whatever other keys the document has, even one named "undefined"', () => {
    expect(plain.locate({ undefined: 'x' }, 'User', '').value).toBeUndefined();
    expect(plain.string({ undefined: 'x' }, 'User', '')).toBeUndefined();
  });
});

describe('string and literalText', () => {
  it('reads a string, and an absent key as undefined', () => {
    expect(plain.string({ User: 'root' }, 'User', '')).toBe('root');
    expect(plain.string({}, 'User', '')).toBeUndefined();
    expect(plain.literalText({ Value: 'x' }, 'Value', '')).toBe('x');
    expect(plain.literalText({}, 'Value', '')).toBeUndefined();
  });

  it('reads a number or boolean as its text only where CloudFormation converts it', () => {
    expect([0, true, false].map((User) => template.string({ User }, 'User', ''))).toEqual(['0', 'true', 'false']);
    expect(template.literalText({ Value: 8080 }, 'Value', '')).toBe('8080');
    expect(plain.string({ user: 0 }, 'User', 'ContainerDefinitions[0]')).toStrictEqual(new Unreadable('ContainerDefinitions[0].user', 'expected a string, got number 0'));
    expect(plain.literalText({ Value: 5 }, 'Value', 'Environment[0]')).toStrictEqual(new Unreadable('Environment[0].Value', 'expected a string, got number 5'));
  });

  it.each([NaN, Infinity])('never turns %p into text', (User) => {
    const read = template.string({ User }, 'User', '');
    expect(read).toBeInstanceOf(Unreadable);
    expect(read).toMatchObject({ path: 'User', reason: `expected a string, got number ${User}` });
  });

  it('reads free text built by an intrinsic as its literal text, and other objects as a wrong type', () => {
    expect(template.literalText({ Value: { Ref: 'Secret' } }, 'Value', '')).toBe('${Secret}');
    expect(template.literalText({ Value: { Other: 1 } }, 'Value', '')).toStrictEqual(new Unreadable('Value', 'expected a string, got an object with keys Other'));
  });
});

describe('boolean', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['false', false],
    ['False', false],
  ])('reads "%s" in a template as %p, as cfn-lint accepts', (Privileged, expected) => {
    expect(template.boolean({ Privileged }, 'Privileged', '')).toBe(expected);
  });

  it.each([
    ['TRUE', 'string "TRUE"'],
    ['toString', 'string "toString"'],
    [['true'], 'a list'],
    [1, 'number 1'],
  ])('reads %p in a template as a wrong type', (Privileged, got) => {
    expect(template.boolean({ Privileged }, 'Privileged', 'C')).toStrictEqual(new Unreadable('C.Privileged', `expected a boolean, got ${got}`));
  });

  it('reads booleans, and absent as undefined; a boolean string only in a template', () => {
    expect([true, false].map((Privileged) => plain.boolean({ Privileged }, 'Privileged', ''))).toEqual([true, false]);
    expect(plain.boolean({}, 'Privileged', '')).toBeUndefined();
    expect(plain.boolean({ privileged: 'true' }, 'Privileged', '')).toStrictEqual(new Unreadable('privileged', 'expected a boolean, got string "true"'));
  });
});

describe('object, objectList and stringList', () => {
  it('reads an object with its path, and absent as undefined', () => {
    expect(plain.object({ runtimePlatform: { A: 1 } }, 'RuntimePlatform', 'T')).toEqual({ value: { A: 1 }, path: 'T.runtimePlatform' });
    expect(plain.object({}, 'RuntimePlatform', 'T')).toEqual({ value: undefined, path: 'T.RuntimePlatform' });
    expect(plain.object({ RuntimePlatform: 'LINUX' }, 'RuntimePlatform', '')).toStrictEqual(new Unreadable('RuntimePlatform', 'expected an object, got string "LINUX"'));
  });

  it('does not read an intrinsic as the block it stands for', () => {
    expect(template.object({ RuntimePlatform: { Ref: 'Platform' } }, 'RuntimePlatform', '')).toStrictEqual(new Unreadable('RuntimePlatform', 'an unresolved Ref to Platform'));
    expect(plain.object({ RuntimePlatform: { Ref: 'Platform' } }, 'RuntimePlatform', '')).toEqual({ value: { Ref: 'Platform' }, path: 'RuntimePlatform' });
  });

  it('reads a list of objects with each item\'s path, and absent as empty', () => {
    expect(plain.objectList({ environment: [{ A: 1 }, {}] }, 'Environment', 'C')).toEqual([
      { value: { A: 1 }, path: 'C.environment[0]' },
      { value: {}, path: 'C.environment[1]' },
    ]);
    expect(plain.objectList({}, 'Environment', 'C')).toEqual([]);
  });

  it.each([
    [{ Name: 'A', Value: 'B' }, 'Environment', 'expected a list, got an object with keys Name, Value'],
    [[{}, null], 'Environment[1]', 'expected an object, got null'],
    [['PORT'], 'Environment[0]', 'expected an object, got string "PORT"'],
  ])('reads a list of objects %j as unreadable', (Environment, path, reason) => {
    expect(plain.objectList({ Environment }, 'Environment', '')).toStrictEqual(new Unreadable(path, reason));
  });

  it('reads an intrinsic item of a template list as unreadable, not as an object', () => {
    expect(template.objectList({ Environment: [{ Ref: 'Vars' }] }, 'Environment', '')).toStrictEqual(new Unreadable('Environment[0]', 'an unresolved Ref to Vars'));
    expect(plain.objectList({ Environment: [{ Ref: 'Vars' }] }, 'Environment', '')).toEqual([{ value: { Ref: 'Vars' }, path: 'Environment[0]' }]);
  });

  it('reads a list of strings (numbers and booleans as text in a template), and absent as empty', () => {
    expect(plain.stringList({ subnets: ['a', 'b'] }, 'Subnets', '')).toEqual(['a', 'b']);
    expect(template.stringList({ Subnets: ['a', 5, true] }, 'Subnets', '')).toEqual(['a', '5', 'true']);
    expect(plain.stringList({}, 'Subnets', '')).toEqual([]);
  });

  it.each([
    [plain, 'subnet-1', 'N.Subnets', 'expected a list, got string "subnet-1"'],
    [plain, ['a', 5], 'N.Subnets[1]', 'expected a string, got number 5'],
    [template, ['a', { Ref: 'Subnet' }], 'N.Subnets[1]', 'an unresolved Ref to Subnet'],
  ])('reads a list of strings as unreadable (%#)', (reader, Subnets, path, reason) => {
    expect(reader.stringList({ Subnets }, 'Subnets', 'N')).toStrictEqual(new Unreadable(path, reason));
  });
});

describe('keys spelled twice, in two cases (caseTwins)', () => {
  const folding = new DocumentReader({ booleanStrings: false, caseTwins: 'the consumer folds case' });
  const twins = { User: '1000', user: '0', Privileged: false, privileged: true, LogConfiguration: { logDriver: 'awslogs' }, logConfiguration: null, Environment: [], ENVIRONMENT: [] };

  it('makes every typed read of a twinned key unreadable, naming both spellings and why', () => {
    const unreadable = (path: string, actual: string, twin: string) => new Unreadable(path, `"${actual}" and "${twin}" both set: the consumer folds case`);
    expect(folding.string(twins, 'User', 'c[0]')).toEqual(unreadable('c[0].User', 'User', 'user'));
    expect(folding.literalText(twins, 'User', 'c[0]')).toEqual(unreadable('c[0].User', 'User', 'user'));
    expect(folding.boolean(twins, 'Privileged', 'c[0]')).toEqual(unreadable('c[0].Privileged', 'Privileged', 'privileged'));
    expect(folding.object(twins, 'LogConfiguration', 'c[0]')).toEqual(unreadable('c[0].LogConfiguration', 'LogConfiguration', 'logConfiguration'));
    expect(folding.objectList(twins, 'Environment', 'c[0]')).toEqual(unreadable('c[0].Environment', 'Environment', 'ENVIRONMENT'));
    expect(folding.stringList(twins, 'Environment', 'c[0]')).toEqual(unreadable('c[0].Environment', 'Environment', 'ENVIRONMENT'));
    expect(folding.locate(twins, 'user', 'c[0]')).toEqual({ value: unreadable('c[0].user', 'user', 'User'), path: 'c[0].user' });
  });

  it('folds case as Go does: the long s (U+017F) is an s', () => {
    expect(folding.string({ User: '1000', u\u017fer: '0' }, 'User', '')).toEqual(new Unreadable('User', '"User" and "u\u017fer" both set: the consumer folds case'));
  });

  it('reads a key spelled once, in any case, and leaves other keys alone', () => {
    expect(folding.string({ user: '1000', Users: 'x', image: 'nginx', Image: 'httpd' }, 'User', '')).toBe('1000');
    expect(folding.string({}, 'User', '')).toBeUndefined();
  });

  it('takes the exact spelling when the consumer reads keys as spelled', () => {
    expect(plain.string(twins, 'User', '')).toBe('1000');
    expect(plain.boolean(twins, 'privileged', '')).toBe(true);
  });
});

describe('keys read in the one spelling the consumer reads (exactKeys)', () => {
  const spellings = new Map<string, string | null>([
    ['user', 'User'],
    ['privileged', 'Privileged'],
    ['efsvolumeconfiguration', 'EFSVolumeConfiguration'],
    ['status', null],
  ]);
  const exact = new DocumentReader({ booleanStrings: false, exactKeys: { spellings, reason: 'the consumer matches names exactly' } });
  const misspelled = (path: string, written: string, spelling: string) => new Unreadable(path, `"${written}" is not "${spelling}": the consumer matches names exactly`);

  it("reads a key in the consumer's spelling, whatever the adapter's spelling of it", () => {
    expect(exact.string({ User: '1000' }, 'User', 'c')).toBe('1000');
    expect(exact.locate({ EFSVolumeConfiguration: {} }, 'EfsVolumeConfiguration', 'v')).toEqual({ value: {}, path: 'v.EFSVolumeConfiguration' });
  });

  it('makes a key only in another spelling unreadable, naming the key as written, the spelling and why', () => {
    expect(exact.string({ user: '1000' }, 'User', 'c')).toEqual(misspelled('c.user', 'user', 'User'));
    expect(exact.boolean({ PRIVILEGED: true }, 'Privileged', 'c')).toEqual(misspelled('c.PRIVILEGED', 'PRIVILEGED', 'Privileged'));
    expect(exact.object({ EfsVolumeConfiguration: {} }, 'EfsVolumeConfiguration', 'v')).toEqual(misspelled('v.EfsVolumeConfiguration', 'EfsVolumeConfiguration', 'EFSVolumeConfiguration'));
    expect(exact.valueAt({ user: '1000' }, 'User')).toEqual(misspelled('user', 'user', 'User'));
  });

  it('reads the exact spelling when the key is also written in another, which the consumer does not read', () => {
    expect(exact.string({ user: '0', User: '1000' }, 'User', 'c')).toBe('1000');
    expect(exact.boolean({ privileged: true, Privileged: false }, 'Privileged', 'c')).toBe(false);
  });

  it('reads a field the consumer does not have as absent, in any spelling', () => {
    expect(exact.string({ Status: 'INACTIVE' }, 'Status', 't')).toBeUndefined();
    expect(exact.locate({ Status: 'INACTIVE' }, 'Status', 't')).toEqual({ value: undefined, path: 't.Status' });
  });

  it('never takes a key it has no spelling for as absent: unreadable, present or not', () => {
    const unknown = new Unreadable('c.Image', 'no spelling of "Image" is known to this reader, so it is not read');
    expect(exact.string({ Image: 'nginx' }, 'Image', 'c')).toEqual(unknown);
    expect(exact.string({}, 'Image', 'c')).toEqual(unknown);
  });

  it('names the key as the document spells it in a wrong-type error', () => {
    expect(exact.string({ User: ['root'] }, 'user', 'c')).toEqual(new Unreadable('c.User', 'expected a string, got a list'));
  });
});

describe('what an unreadable value is', () => {
  it('is HeldElsewhere only for a value the options say another document holds', () => {
    const unresolved = template.string({ Image: { Ref: 'Param' } }, 'Image', 'C');
    const elsewhere = template.string({ NetworkMode: { Ref: 'OtherDocument' } }, 'NetworkMode', '');
    expect(unresolved).toStrictEqual(new Unreadable('C.Image', 'an unresolved Ref to Param'));
    expect(unresolved).not.toBeInstanceOf(HeldElsewhere);
    expect(elsewhere).toBeInstanceOf(HeldElsewhere);
    expect(elsewhere).toMatchObject({ path: 'NetworkMode', reason: 'an unresolved Ref to OtherDocument' });
  });

  const long = (length: number) => 'x'.repeat(length);
  it.each([
    [[1], 'a list'],
    [{}, 'an empty object'],
    [{ a: 1, b: 2 }, 'an object with keys a, b'],
    [{ a: 1, b: 2, c: 3, d: 4, e: 5 }, 'an object with keys a, b, c, d, e'],
    [{ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, 'an object with keys a, b, c, d, e, …'],
    [12, 'number 12'],
    [long(38), `string "${long(38)}"`],
    [long(39), `string "${long(39)}…`],
  ])('describes %j as "%s", its text cut at 40 characters', (value, description) => {
    expect(plain.boolean({ Flag: value }, 'Flag', '')).toStrictEqual(new Unreadable('Flag', `expected a boolean, got ${description}`));
  });

  it('firstUnreadable is the first Unreadable among several reads, else undefined', () => {
    const first = new Unreadable('A', 'a');
    expect(firstUnreadable('x', undefined, first, new Unreadable('B', 'b'))).toBe(first);
    expect(firstUnreadable('x', undefined)).toBeUndefined();
  });

  it.each([
    [{}, true],
    [[], false],
    [null, false],
    ['x', false],
  ])('isJsonObject(%j) is %p', (value, expected) => {
    expect(isJsonObject(value)).toBe(expected);
  });
});

describe('envelope strings, a bad one failed as malformed input', () => {
  class Malformed extends Error {}
  const fail = (message: string) => new Malformed(message);

  it('requiredString reads a non-empty string', () => {
    expect(requiredString({ resourceId: 'r-1' }, 'resourceId', 'item', fail)).toBe('r-1');
  });

  it.each([
    [{}, 'nothing'],
    [{ resourceId: '' }, 'string ""'],
    [{ resourceId: null }, 'null'],
    [{ resourceId: 7 }, 'number 7'],
  ])('requiredString fails %j', (object, got) => {
    expect(() => requiredString(object, 'resourceId', 'item', fail)).toThrow(new Malformed(`item.resourceId must be a non-empty string, got ${got}`));
    expect(() => requiredString(object, 'resourceId', 'item', fail)).toThrow(Malformed);
  });

  it('requiredString describes a hostile, deeply nested value instead of serializing it (no stack overflow)', () => {
    const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(() => requiredString({ resourceId: deep }, 'resourceId', 'item', fail)).toThrow(new Malformed('item.resourceId must be a non-empty string, got a list'));
  });

  it('optionalString reads a string, absent or null as undefined, and fails another type', () => {
    expect(optionalString({ arn: 'arn:x' }, 'arn', 'item', fail)).toBe('arn:x');
    expect(optionalString({}, 'arn', 'item', fail)).toBeUndefined();
    expect(optionalString({ arn: null }, 'arn', 'item', fail)).toBeUndefined();
    expect(() => optionalString({ arn: 7 }, 'arn', 'item', fail)).toThrow(new Malformed('item.arn must be a string, got number'));
  });
});

describe('abbreviated: a value as a message quotes it', () => {
  it('keeps up to 60 characters whole and cuts a longer text to its first 60 and "…"', () => {
    const sixty = '0123456789'.repeat(6);
    expect(abbreviated(sixty)).toBe(sixty);
    expect(abbreviated(`${sixty}X`)).toBe(`${sixty}…`);
  });

  it('counts characters, not UTF-16 units: an emoji is never cut in two', () => {
    const rocket = '\u{1F680}';
    // 40 emoji are 80 UTF-16 units but 40 characters: kept whole.
    expect(abbreviated(rocket.repeat(40))).toBe(rocket.repeat(40));
    expect(abbreviated(rocket.repeat(61))).toBe(`${rocket.repeat(60)}…`);
    expect(abbreviated(`${'a'.repeat(59)}${rocket}${rocket}`)).toBe(`${'a'.repeat(59)}${rocket}…`);
  });
});
