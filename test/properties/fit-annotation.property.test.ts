/**
 * `fitAnnotation` skips its whitespace replacement when a text has nothing to collapse (a speed-up,
 * see docs/performance.md); this pins that it still collapses exactly what `\s+` → ' ' would, for any
 * mix of ASCII, Unicode spaces, line breaks and other characters.
 */
import fc from 'fast-check';
import { fitAnnotation } from '../../lambdas/core/control';

/** The definition the fast path must agree with. */
const collapsed = (text: string) => text.replace(/\s+/g, ' ').trim() || 'No details.';

const WHITESPACE = [' ', '  ', '\t', '\n', '\r\n', '\v', '\f', '\u00a0', '\u1680', '\u2009', '\u2028', '\u3000', '\ufeff'];
const text = fc.array(fc.oneof(fc.constantFrom(...WHITESPACE), fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 40 }).map((parts) => parts.join(''));

test('fitAnnotation collapses every whitespace run into one space, as /\\s+/ → " " does', () => {
  fc.assert(
    fc.property(text, (annotation) => {
      const expected = collapsed(annotation);
      expect(fitAnnotation(annotation)).toBe(expected.length <= 256 ? expected : fitAnnotation(expected));
    }),
    { numRuns: 2000 },
  );
});
