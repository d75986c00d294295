/**
 * Fresh `node` processes, timed from spawn to exit by the parent, so node's own start-up is in every
 * measurement and the ratio to a bare `node -e 0` is what a cold start adds.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { OUT_DIR } from './bundles';

export interface ProcessRun<R> {
  readonly wallMs: number;
  /** What the process wrote to BENCH_RESULT (JSON), if anything. */
  readonly result: R | undefined;
}

/**
 * Every child gets the same small environment. The caller's environment is left out on purpose:
 * variables such as NODE_EXTRA_CA_CERTS or NODE_OPTIONS change node's start-up by tens of
 * milliseconds, and a Lambda function's environment holds only its own settings.
 */
export function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, LANG: 'C.UTF-8', TZ: 'UTC', ...extra };
}

let sequence = 0;

/** Runs `node <args>` and resolves when it exits; rejects, with its stderr, if it fails. */
export function runNode<R>(nodeBinary: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessRun<R>> {
  const resultFile = path.join(OUT_DIR, `result-${process.pid}-${sequence++}.json`);
  return new Promise((resolve, reject) => {
    let stderr = '';
    const start = process.hrtime.bigint();
    const child = spawn(nodeBinary, args, { env: { ...env, BENCH_RESULT: resultFile }, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) {
        reject(new Error(`node ${args.join(' ')} exited with ${code ?? signal}:\n${stderr.trim()}`));
        return;
      }
      resolve({ wallMs, result: readResult<R>(resultFile) });
    });
  });
}

function readResult<R>(file: string): R | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as R;
  } catch {
    return undefined;
  } finally {
    rmSync(file, { force: true });
  }
}

/** `node -e 0`: the baseline every cold start is divided by. */
export const BARE_NODE_ARGS = ['-e', '0'];

/** Bare node that reports its own peak memory and CPU time (all threads): those baselines. */
export const BARE_NODE_REPORT_ARGS = [
  '-e',
  "const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage(); require('fs').writeFileSync(process.env.BENCH_RESULT, JSON.stringify({ maxRssKb: maxRSS, cpuMs: (userCPUTime + systemCPUTime) / 1000 }))",
];

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
