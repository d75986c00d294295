/**
 * What code under test prints on standard error, captured instead of printed, so a test asserts
 * on it and a green run stays quiet: `console.error`/`console.warn` (the CDK prints its validation
 * report with them) and direct `process.stderr.write`s (the CDK's "Bundling asset …" lines).
 */
export function capturingOutput<T>(action: () => T): { result: T; printed: string } {
  const parts: string[] = [];
  const keep = (...args: unknown[]) => {
    parts.push(args.map(String).join(' '));
  };
  const spies = [
    jest.spyOn(console, 'error').mockImplementation(keep),
    jest.spyOn(console, 'warn').mockImplementation(keep),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      keep(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }),
  ];
  try {
    return { result: action(), printed: parts.join('\n') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
