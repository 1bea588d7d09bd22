/**
 * Engine events to the main thread over one dedicated `MessagePort`, one way.
 *
 * A Comlink-proxied listener costs two messages per event: the call, and
 * the reply the worker never reads. Here every event emitted in one task is
 * batched (flushed in a microtask) into a single `postMessage`, and nothing
 * is sent back. The client side is src/ui/engine-events.ts.
 */
import type { EngineEvent, EngineListener } from './api.js';

export type { EventPortApi } from './api.js';

/** Forward `subscribe`'s events to `port`. */
export async function serveEvents(subscribe: (listener: EngineListener) => Promise<number>, port: MessagePort): Promise<void> {
  let batch: EngineEvent[] | undefined;
  await subscribe((event) => {
    if (!batch) {
      batch = [];
      queueMicrotask(() => {
        const events = batch!;
        batch = undefined;
        port.postMessage(events);
      });
    }
    batch.push(event);
  });
}
