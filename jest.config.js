/** ts-jest transpiles only (isolatedModules); `tsc --noEmit` in `npm test` does the type-checking once. */
// The AWS SDK warns once per module registry, so once per test file, that its releases after January
// 2027 need Node.js 22; Node.js 20 is supported here (`engines`), so the notice belongs in
// docs/install.md, not on a green run's stderr. The workers inherit this environment.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
};
