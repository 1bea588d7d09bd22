/**
 * Where the worker comes from when the page configures nothing. In this
 * repository (dev server, tests, demo build) it is Vite's build of
 * src/worker/worker.ts. The library build swaps this module for
 * src/lib/default-worker.ts, which carries the prebuilt worker's code.
 */
import workerUrl from '../worker/worker.ts?worker&url';

/** A worker script: at a URL, or as module code to start from a `blob:` URL. */
export type WorkerSource = { url: URL } | { code: string };

/** The built-in worker. */
export async function defaultWorkerSource(): Promise<WorkerSource> {
  return { url: new URL(workerUrl, import.meta.url) };
}
