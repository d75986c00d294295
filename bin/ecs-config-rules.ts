#!/usr/bin/env node
/** The CLI entry (`npm start`, the package's `bin`): everything is in cli/program.ts. */
import { main, processIo } from '../cli/program';

main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
