/**
 * The library build's built-in worker (swapped in for src/ui/default-worker.ts
 * by vite.lib.config.ts): the prebuilt, self-contained worker's code, loaded
 * on first use as a separate chunk, and started from a same-origin `blob:`
 * URL. That works from any origin and under any bundler, with no set-up.
 */
import type { WorkerSource } from '../ui/default-worker.js';

export type { WorkerSource } from '../ui/default-worker.js';

/** The built-in worker's code. */
export async function defaultWorkerSource(): Promise<WorkerSource> {
  const { default: code } = await import('virtual:e2ee-worker-source');
  return { code };
}
