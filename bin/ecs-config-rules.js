#!/usr/bin/env node
// The package.json `bin`: runs the TypeScript CLI through tsx, so a clone needs no build step.
require('tsx/cjs');
require('./ecs-config-rules.ts');
