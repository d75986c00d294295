#!/usr/bin/env node
/** The CLI entry (`npm start`, the package's `bin`): everything is in cli/program.ts. */
import { main, processIo } from '../cli/program';

// `ecs-config-rules scan … | head` closes the pipe once the reader has what it wants: like other
// command-line tools, stop quietly instead of dying on the unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// Exit 1 means "findings fail the gate"; anything the commands did not catch is no verdict at all,
// so it exits 2 (usage or input error, never read as a pass or as findings).
main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ecs-config-rules: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    process.exitCode = 2;
  },
);
