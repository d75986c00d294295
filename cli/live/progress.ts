/** Progress of a live scan: a bar on a terminal (standard error, so reports on standard output stay clean), nothing elsewhere. */
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  /** More API calls became known (a page of families, the services of a cluster). */
  expect(calls: number): void;
  /** Calls finished. */
  advance(calls: number, phase: string): void;
  stop(): void;
}

export const SILENT_PROGRESS: Progress = { expect() {}, advance() {}, stop() {} };

export function terminalProgress(stream: NodeJS.WriteStream): Progress {
  if (!stream.isTTY) return SILENT_PROGRESS;
  const bar = new SingleBar({ stream, format: 'Scanning ECS {bar} {value}/{total} calls · {phase}', hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
  let total = 0;
  bar.start(0, 0, { phase: 'listing' });
  return {
    expect(calls) {
      total += calls;
      bar.setTotal(total);
    },
    advance(calls, phase) {
      bar.increment(calls, { phase });
    },
    stop() {
      bar.stop();
    },
  };
}
