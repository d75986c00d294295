#!/usr/bin/env node
/** The CLI entry (`npm start`, the package's `bin`): everything is in cli/program.ts. */
import { main, processIo } from '../cli/program';

// `ecs-config-rules scan … | head` closes the pipe once the reader has what it wants: like other
// command-line tools, stop quietly instead of dying on the unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
