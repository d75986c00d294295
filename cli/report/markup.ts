/** Text from the input on its way into XML (JUnit) or HTML: as text, never as markup. */
import { printable } from '../../scan/printable';

const MARKUP_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes text and (quoted) attribute values. A dashboard or a browser shows them to a person, so
 * control characters and bidi overrides become visible escapes (`printable`), which also leaves none
 * that XML 1.0 cannot hold. `&apos;` is an entity in both XML and HTML5.
 */
export function markup(text: string): string {
  return printable(text).replace(/[&<>"']/g, (character) => MARKUP_ESCAPES[character]);
}
