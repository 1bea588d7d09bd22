/**
 * The main-thread end of the engine's event port (src/worker/event-port.ts):
 * one port per engine client, opened on the first `subscribe`, fanning each
 * batch of events out to the client's listeners in order. Subscription ids
 * are the client's own.
 */
import { E2eeError } from '../protocol/errors.js';
import type { EngineEvent, EngineListener } from '../worker/api.js';

/** `subscribe`/`unsubscribe` for an engine client, over one event port. */
export interface EventHub {
  subscribe(listener: EngineListener): Promise<number>;
  unsubscribe(id: number): Promise<void>;
}

/**
 * @param open - hands the worker its end of a new port (the engine's `openEvents`, through Comlink).
 */
export function eventHub(open: (port: MessagePort) => Promise<void>): EventHub {
  const listeners = new Map<number, EngineListener>();
  let next = 1;
  let opened: Promise<void> | undefined;
  const dispatch = (events: EngineEvent[]): void => {
    for (const event of events) {
      for (const listener of [...listeners.values()]) {
        try {
          listener(event);
        } catch {
          // As in the engine: a throwing subscriber must not stop the others.
        }
      }
    }
  };
  return {
    async subscribe(listener) {
      if (typeof listener !== 'function') throw new E2eeError('invalid-input', 'subscribe() needs a callback.');
      const id = next++;
      listeners.set(id, listener);
      opened ??= (() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e: MessageEvent<EngineEvent[]>) => dispatch(e.data);
        return open(channel.port2).catch((error: unknown) => {
          channel.port1.close();
          opened = undefined;
          throw error;
        });
      })();
      try {
        await opened;
      } catch (error) {
        listeners.delete(id);
        throw error;
      }
      return id;
    },
    async unsubscribe(id) {
      listeners.delete(id);
    },
  };
}
