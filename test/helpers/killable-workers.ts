/**
 * Test helper: a `createWorker` for `startEngine` that keeps a handle on every worker it makes, so a
 * test can kill the real engine worker (`worker.terminate()` from outside: a crash, as far as the
 * engine client can tell, since it did not call its own `terminate()`) or make it throw.
 */
import { defaultWorkerSource } from '../../src/ui/default-worker.js';

/** What each next worker should be: the real engine, one that throws while loading, or one that throws on request. */
export type WorkerKind = 'real' | 'broken' | 'crashable';

const urls: Record<Exclude<WorkerKind, 'real'>, URL> = {
  broken: new URL('./broken-worker.ts', import.meta.url),
  crashable: new URL('./crashable-worker.ts', import.meta.url),
};

export interface KillableWorkers {
  /** Pass as `startEngine({ createWorker })`. */
  createWorker: (name: string) => Promise<Worker>;
  /** Every worker made, oldest first. */
  workers: Worker[];
  /** Kill the newest worker (as a crash would); returns performance.now() at the kill. */
  kill(): number;
  /** Make the newest (crashable) worker throw an uncaught error. */
  crash(): number;
  /** Make the newest (crashable) worker loop forever. */
  wedge(): number;
}

/** @param kinds - the kind of each worker in turn; the last one repeats. */
export function killableWorkers(kinds: WorkerKind[] = ['real']): KillableWorkers {
  const workers: Worker[] = [];
  return {
    workers,
    async createWorker(name) {
      const kind = kinds[Math.min(workers.length, kinds.length - 1)]!;
      const source = await defaultWorkerSource();
      const url = kind === 'real' ? ('url' in source ? source.url : new URL('data:,')) : urls[kind];
      const worker = new Worker(url, { type: 'module', name });
      workers.push(worker);
      return worker;
    },
    kill() {
      workers.at(-1)!.terminate();
      return performance.now();
    },
    crash() {
      workers.at(-1)!.postMessage({ crash: true });
      return performance.now();
    },
    wedge() {
      workers.at(-1)!.postMessage({ wedge: true });
      return performance.now();
    },
  };
}
