#!/usr/bin/env node
// The package.json `bin`: runs the TypeScript CLI through tsx, so a clone needs no build step.
require('tsx/cjs');
const { main, processIo } = require('./ecs-config-rules.ts');

main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
