// The process the cold-start and warm-latency measurements time: plain JavaScript run by bare `node`
// (no TypeScript loader), so it adds next to nothing to what it measures. It imports a bundled handler
// and invokes it with the event in BENCH_EVENT, as the Lambda runtime would, then BENCH_WARM more
// times, and writes what only the process itself can know to BENCH_RESULT: its peak memory and CPU
// time (all threads) after the first invocation, and how long each warm invocation took.
import { writeFileSync } from 'node:fs';

const context = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench' };
const { handler } = await import(process.argv[2]);
await handler(JSON.parse(process.env.BENCH_EVENT), context);
const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();

const warmMs = [];
for (let invocation = 0; invocation < Number(process.env.BENCH_WARM ?? 0); invocation++) {
  const event = JSON.parse(process.env.BENCH_EVENT);
  const start = performance.now();
  await handler(event, context);
  warmMs.push(performance.now() - start);
}
writeFileSync(process.env.BENCH_RESULT, JSON.stringify({ maxRssKb: maxRSS, cpuMs: (userCPUTime + systemCPUTime) / 1000, warmMs }));
// Lambda freezes the process after an invocation; idle keep-alive sockets are not part of a cold start.
process.exit(0);
