/** Chromium half of `npm run bench`: runs the protocol layer in a dedicated worker (as the engine does). */
import { DEFAULT_COUNTS, benchBackend, formatTable, memoryPeak, type BenchRow } from './otr-bench.js';

interface Start {
  quick: boolean;
}

const QUICK = {
  'bigint.js': { keygen: 1, ake: 2, message: 5, smp: 1, big: 1 },
  native: { keygen: 2, ake: 3, message: 10, smp: 2, big: 2 },
} as const;

self.onmessage = async (event: MessageEvent<Start>) => {
  const counts = event.data.quick ? QUICK : DEFAULT_COUNTS;
  const log = (line: string): void => self.postMessage({ log: line });
  try {
    const rows: BenchRow[] = [];
    const peaks: string[] = [];
    const mem = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    for (const backend of ['native', 'bigint.js'] as const) {
      memoryPeak.bytes = 0;
      memoryPeak.read = () => mem?.usedJSHeapSize;
      rows.push(...(await benchBackend(backend, counts[backend], log)));
      peaks.push(mem ? `${backend}: peak worker JS heap ${(memoryPeak.bytes / 2 ** 20).toFixed(1)} MiB` : `${backend}: n/a`);
    }
    self.postMessage({ table: `${formatTable(rows, `Chromium ${navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? ''} (dedicated worker)`)}${mem ? `\nPeak memory: ${peaks.join('; ')}` : ''}` });
  } catch (e) {
    self.postMessage({ error: String((e as Error).stack ?? e) });
  }
};
