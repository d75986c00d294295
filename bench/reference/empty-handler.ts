/**
 * A handler that does nothing, bundled like the rules: what importing and invoking any bundled
 * ESM handler costs over bare node (the module loader, the harness), the floor under every rule.
 */
export const handler = async (): Promise<void> => {};
