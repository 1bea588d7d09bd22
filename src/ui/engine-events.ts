/**
 * The main-thread end of the engine's event port (src/worker/event-port.ts):
 * one port per engine worker, opened on the first `subscribe`, fanning each
 * batch of events out to the client's listeners in order. Subscription ids
 * are the client's own, so they survive a restarted worker: the hub then
 * opens a port on the new worker and the listeners keep listening.
 */
import { E2eeError } from '../protocol/errors.js';
import type { EngineEvent, EngineListener } from '../worker/api.js';

/** Hands the worker its end of a port (the engine's `openEvents`, through Comlink). */
export type OpenPort = (port: MessagePort) => Promise<void>;

/** `subscribe`/`unsubscribe` for an engine client, over one event port. */
export interface EventHub {
  subscribe(listener: EngineListener): Promise<number>;
  unsubscribe(id: number): Promise<void>;
  /** Hand `event` to every listener, as if the worker had sent it (the client's own events). */
  emit(event: EngineEvent): void;
  /** The worker died: stop reading its port. */
  detach(): void;
  /** A new worker runs: if a port was open on the old one, open one through `open` (a new port each time). */
  reopen(open: OpenPort): Promise<void>;
  /** How many listeners are subscribed. */
  readonly size: number;
}

/**
 * @param connect - opens a port on the current worker; it calls `port()` for a new port on each try
 *   (one given to a worker that died is gone), and waits for a restarted worker when one is due.
 * @param tap - sees every event from the worker first (the client's own bookkeeping).
 */
export function eventHub(connect: (port: () => MessagePort) => Promise<void>, tap: (event: EngineEvent) => void = () => undefined): EventHub {
  const listeners = new Map<number, EngineListener>();
  let next = 1;
  let opened: Promise<void> | undefined;
  /** The port read from now; events on any other are stale. */
  let current: MessagePort | undefined;
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
  const newPort = (): MessagePort => {
    current?.close();
    const channel = new MessageChannel();
    const port = channel.port1;
    current = port;
    port.onmessage = (e: MessageEvent<EngineEvent[]>) => {
      if (current !== port) return;
      for (const event of e.data) tap(event);
      dispatch(e.data);
    };
    return channel.port2;
  };
  let established = false;
  return {
    get size() {
      return listeners.size;
    },
    async subscribe(listener) {
      if (typeof listener !== 'function') throw new E2eeError('invalid-input', 'subscribe() needs a callback.');
      const id = next++;
      listeners.set(id, listener);
      opened ??= connect(newPort).then(
        () => void (established = true),
        (error: unknown) => {
          current?.close();
          current = undefined;
          opened = undefined;
          throw error;
        },
      );
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
    emit(event) {
      dispatch([event]);
    },
    detach() {
      current?.close();
      current = undefined;
    },
    async reopen(open) {
      if (!established) return; // not open yet: the first subscribe's connect is still trying, on the new worker
      await open(newPort());
    },
  };
}
