/** Node half of `npm run bench` (loaded by scripts/bench.mjs through Vite's SSR loader). */
import { DEFAULT_COUNTS, benchBackend, formatTable, memoryPeak, type BenchRow } from './otr-bench.js';

/** Run both backends (native first, so stock gets the warmer JIT) and return the table text. */
export async function runNodeBench(quick: boolean, log: (line: string) => void): Promise<string> {
  const counts = quick ? QUICK : DEFAULT_COUNTS;
  const rows: BenchRow[] = [];
  const peaks: string[] = [];
  for (const backend of ['native', 'bigint.js'] as const) {
    memoryPeak.bytes = 0;
    memoryPeak.read = () => process.memoryUsage().heapUsed;
    rows.push(...(await benchBackend(backend, counts[backend], log)));
    peaks.push(`${backend}: peak JS heap ${(memoryPeak.bytes / 2 ** 20).toFixed(1)} MiB`);
  }
  return [
    formatTable(rows, `Node ${process.version}`),
    `Peak memory: ${peaks.join('; ')}; process max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  ].join('\n');
}

const QUICK = {
  'bigint.js': { keygen: 1, ake: 2, message: 5, smp: 1, big: 1 },
  native: { keygen: 2, ake: 3, message: 10, smp: 2, big: 2 },
} as const;
