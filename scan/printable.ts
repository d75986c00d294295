/**
 * The one escaping function for text that came from the input (resource and container names,
 * environment variable names, users, reasons, suppression reasons, file names) on its way into what a
 * person reads: the table, the matrix, JUnit, everything written to standard error, the CDK
 * plugin's violations (which `cdk synth` prints) and the hook's messages (shown in stack events). A raw control
 * character there can lie: a newline starts a fake "✔" line, ESC drives the terminal or clears a CI
 * log, a bidi override shows text in another order than it is (CVE-2021-42574, "Trojan Source").
 * JSON and SARIF need none of this: JSON.stringify escapes C0 itself, and their readers are programs.
 */

/**
 * C0 (tab and newline included: a value never spans lines or columns), DEL, C1 (NEL among them), the
 * bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the Unicode line and
 * paragraph separators (U+2028, U+2029), which some log viewers break lines on.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `web\u001b[2K` for `web` + ESC[2K: every unprintable character as a visible escape, the rest as is. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (character) => SHORT_ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
