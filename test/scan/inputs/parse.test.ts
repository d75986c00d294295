/**
 * Reading an input's bytes (scan/inputs/parse.ts): UTF-8 is decoded, and bytes that are not UTF-8 are
 * an InputError naming the file, the line and the byte, never replaced by U+FFFD (which could turn a
 * value a control decides on into one that passes).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeInput, InputError, readInputText } from '../../../scan/inputs/parse';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

function refusal(input: Buffer, file = 'input.json'): InputError {
  try {
    decodeInput(input, file);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('decoded');
}

describe('text that is UTF-8 is decoded', () => {
  test.each([
    ['ASCII', '{"user": "1000"}'],
    ['accents, CJK and an emoji', '{"name": "café-日本-🚀"}'],
    ['a U+FFFD written as such', '{"name": "\ufffd"}'],
    ['a UTF-8 byte order mark (parseText drops it)', '\ufeff{"user": "1000"}'],
  ])('%s', (_kind, text) => {
    expect(decodeInput(Buffer.from(text, 'utf8'), 'input.json')).toBe(text);
  });
});

describe('bytes that are not UTF-8 are refused, naming the line and the byte', () => {
  test('a user "\\xFF0" (decided COMPLIANT when the byte was replaced)', () => {
    const before = '{\n  "family": "web",\n  "containerDefinitions": [{ "name": "app", "image": "app:1", "user": "';
    const error = refusal(bytes(before, [0xff], '0" }]\n}\n'), 'task.json');

    expect(before.length).toBe(92);
    expect(error.message).toBe(
      'task.json:3: not valid UTF-8: byte 0xFF at byte offset 92 is not part of a UTF-8 character; the file is not read rather than read with the byte replaced, which could change a value a control decides on',
    );
  });

  test('an environment name cut in the middle of a character, after valid non-ASCII text and a written U+FFFD', () => {
    // "é" is C3 A9; C3 alone, followed by "_", is not a character.
    const before = 'environment:\n  - name: café\n  - name: "\ufffd"\n  - name: SECRET';
    const error = refusal(bytes(before, [0xc3], '_KEY\n'), 'task.yaml');

    // Bytes, not characters: "é" is two, U+FFFD three.
    expect(Buffer.byteLength(before)).toBe(before.length + 1 + 2);
    expect(error).toMatchObject({ file: 'task.yaml', line: 4 });
    expect(error.reason).toMatch(new RegExp(`^not valid UTF-8: byte 0xC3 at byte offset ${Buffer.byteLength(before)} `));
  });

  test.each([
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['a UTF-16 surrogate encoded as UTF-8', [0xed, 0xa0, 0x80]],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a continuation byte alone', [0x80]],
  ])('%s', (_kind, sequence) => {
    expect(refusal(bytes('{"user": "', sequence, '"}')).reason).toMatch(/^not valid UTF-8: byte 0x[0-9A-F]{2} at byte offset 10 /);
  });

  test.each([
    ['little-endian', [0xff, 0xfe]],
    ['big-endian', [0xfe, 0xff]],
  ])('UTF-16 (%s, with its byte order mark) is named as such', (_order, mark) => {
    expect(refusal(Buffer.concat([Buffer.from(mark), Buffer.from('{}', 'utf16le')])).message).toBe(
      'input.json:1: not UTF-8 but UTF-16 (it starts with a UTF-16 byte order mark): save it as UTF-8',
    );
  });

  test('a file read from disk is held to the same, under the name messages give it', () => {
    const directory = mkdtempSync(join(tmpdir(), 'utf8-'));
    try {
      writeFileSync(join(directory, 'task.json'), bytes('{"user": "', [0xff], '"}'));

      expect(() => readInputText(join(directory, 'task.json'), 'task.json')).toThrow(/^task\.json:1: not valid UTF-8: byte 0xFF at byte offset 10 /);
      expect(() => readInputText(join(directory, 'missing.json'), 'missing.json')).toThrow('missing.json: cannot read (ENOENT)');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
