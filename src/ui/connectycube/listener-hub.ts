import type { CubeChat, CubeMessage, CubeMessageListener } from './types.js';

/** A transport's claim on incoming messages: returns true when it took the message. */
export type MessageTap = (userId: number, message: CubeMessage) => boolean;

/**
 * Shares the SDK's single `chat.onMessageListener` slot between the host
 * app and any number of transports. The slot becomes an accessor: whatever
 * the host assigns (before or after us, also via `chat.addListener`,
 * `removeListener` or `removeAllListeners`) becomes the "host" listener, and
 * the SDK always calls our dispatcher, which offers each message to the taps
 * first and passes it to the host listener when no tap took it.
 */
class ListenerHub {
  private host: CubeMessageListener | undefined;
  private readonly taps = new Set<MessageTap>();
  private readonly dispatch: CubeMessageListener = (userId, message) => {
    for (const tap of this.taps) if (tap(userId, message)) return;
    this.host?.(userId, message);
  };

  constructor(private readonly chat: CubeChat) {
    const existing: unknown = Reflect.get(chat, 'onMessageListener');
    this.host = typeof existing === 'function' ? (existing as CubeMessageListener) : undefined;
    Object.defineProperty(chat, 'onMessageListener', {
      configurable: true,
      enumerable: true,
      get: () => this.dispatch,
      set: (value: unknown) => {
        this.host = typeof value === 'function' ? (value as CubeMessageListener) : undefined;
      },
    });
  }

  add(tap: MessageTap): void {
    this.taps.add(tap);
  }

  /** Remove a tap; the last one out restores the plain slot holding the host's listener. */
  remove(tap: MessageTap): boolean {
    this.taps.delete(tap);
    if (this.taps.size > 0) return false;
    Reflect.deleteProperty(this.chat, 'onMessageListener');
    if (this.host) this.chat.onMessageListener = this.host;
    return true;
  }
}

const hubs = new WeakMap<CubeChat, ListenerHub>();

/** Start offering `chat`'s incoming messages to `tap`. Returns the function that stops it. */
export function tapMessages(chat: CubeChat, tap: MessageTap): () => void {
  let hub = hubs.get(chat);
  if (!hub) {
    hub = new ListenerHub(chat);
    hubs.set(chat, hub);
  }
  hub.add(tap);
  const owner = hub;
  return () => {
    if (owner.remove(tap)) hubs.delete(chat);
  };
}
