/**
 * `LoopbackTransport`: the zero-set-up transport. Endpoints on the same
 * channel name talk through a BroadcastChannel, which reaches other
 * endpoints in the same page and in other tabs of the same origin alike.
 * Like a chat server, it keeps messages for an endpoint that is offline (or
 * has no listener yet) and delivers them when it reconnects (or one subscribes),
 * also across that endpoint's reload: undelivered messages wait in the origin's
 * localStorage ({@link Mailbox}) until their addressee takes them.
 */
import { E2eeError } from '../protocol/errors.js';
import { Mailbox, type Letter } from './loopback-mailbox.js';
import type { Transport, TransportHandler, TransportMessage, TransportState } from './transport.js';

type Envelope = Letter;

/** Options for a {@link LoopbackTransport}. */
export interface LoopbackOptions {
  /** Channel name; endpoints on the same channel can reach each other. Default `e2ee-chat-loopback`. */
  channel?: string;
  /** Largest body in characters (0 = unlimited). Default 0. */
  maxMessageSize?: number;
  /**
   * Keep undelivered messages in localStorage for an addressee that reloads or opens later.
   * Default true; {@link LoopbackTransport.pair} (one page only) turns it off.
   */
  persist?: boolean;
}

/** An in-page / cross-tab transport endpoint for user `self`. */
export class LoopbackTransport implements Transport {
  readonly maxMessageSize: number;
  private readonly channel: BroadcastChannel;
  private readonly handlers = new Set<TransportHandler>();
  private readonly stateHandlers = new Set<(state: TransportState) => void>();
  private readonly inbox: (TransportMessage & { id?: string })[] = [];
  private readonly mailbox?: Mailbox;
  /** Ids of letters already taken, so a letter that arrives live and from the mailbox shows once. */
  private readonly taken = new Set<string>();
  private current: TransportState = 'connected';
  private closed = false;
  /** Letters sent so far (orders ours within one millisecond). */
  private sent = 0;

  constructor(
    readonly self: string,
    options: LoopbackOptions = {},
  ) {
    if (typeof self !== 'string' || !self) throw new E2eeError('invalid-input', 'A loopback endpoint needs a non-empty id.');
    this.maxMessageSize = options.maxMessageSize ?? 0;
    const channel = options.channel ?? 'e2ee-chat-loopback';
    this.channel = new BroadcastChannel(channel);
    this.channel.onmessage = (event: MessageEvent<Envelope>) => this.accept(event.data);
    if (options.persist ?? true) {
      this.mailbox = new Mailbox(channel);
      for (const letter of this.mailbox.waiting(self)) this.accept(letter);
    }
  }

  /** Two endpoints on a private channel of their own, for one page. */
  static pair(a: string, b: string, options: Omit<LoopbackOptions, 'channel'> = {}): [LoopbackTransport, LoopbackTransport] {
    const channel = `e2ee-chat-pair-${crypto.randomUUID()}`;
    return [new LoopbackTransport(a, { persist: false, ...options, channel }), new LoopbackTransport(b, { persist: false, ...options, channel })];
  }

  get state(): TransportState {
    return this.current;
  }

  async send(peer: string, body: string): Promise<void> {
    if (this.closed) throw new E2eeError('transport', 'The loopback transport was closed.', peer);
    if (this.current !== 'connected') throw new E2eeError('transport', 'Not connected: the message was not sent.', peer);
    if (typeof body !== 'string') throw new E2eeError('invalid-input', 'Message body must be a string.', peer);
    if (this.maxMessageSize && body.length > this.maxMessageSize) {
      throw new E2eeError('transport', `Message of ${body.length} characters exceeds this transport's limit of ${this.maxMessageSize}.`, peer);
    }
    const envelope: Envelope = { id: crypto.randomUUID(), from: this.self, to: peer, body, at: Date.now(), seq: this.sent++ };
    this.mailbox?.post(envelope);
    this.channel.postMessage(envelope);
  }

  onMessage(handler: TransportHandler): () => void {
    this.handlers.add(handler);
    if (this.current === 'connected') for (const message of this.inbox.splice(0)) this.deliver(message);
    return () => this.handlers.delete(handler);
  }

  onStateChange(handler: (state: TransportState) => void): () => void {
    this.stateHandlers.add(handler);
    return () => this.stateHandlers.delete(handler);
  }

  /** Simulate losing the connection: sends reject, incoming messages wait. */
  disconnect(): void {
    this.setState('disconnected');
  }

  /** Reconnect, and deliver what arrived meanwhile. */
  connect(): void {
    this.setState('connected');
    for (const message of this.inbox.splice(0)) this.deliver(message);
  }

  /** Close the endpoint for good. */
  close(): void {
    this.closed = true;
    this.channel.close();
    this.setState('disconnected');
  }

  private accept(envelope: Envelope): void {
    if (!envelope || envelope.to !== this.self || typeof envelope.body !== 'string') return;
    if (typeof envelope.id === 'string') {
      if (this.taken.has(envelope.id)) return;
      this.taken.add(envelope.id);
    }
    const message = { from: String(envelope.from), body: envelope.body, at: new Date(envelope.at), id: envelope.id };
    // Like a server's offline storage: keep what arrives while disconnected or before anyone listens.
    if (this.current === 'connected' && this.handlers.size > 0) this.deliver(message);
    else this.inbox.push(message);
  }

  private deliver(message: TransportMessage & { id?: string }): void {
    const { id, ...delivered } = message;
    const processed = [...this.handlers].map((handler) => handler(delivered));
    if (id === undefined || !this.mailbox) return;
    // Processed: it no longer waits for a reload. Until then a closing page leaves it for the next one.
    void Promise.allSettled(processed).then((outcomes) => {
      const engineGone = outcomes.some((o) => o.status === 'rejected' && (o.reason as { code?: unknown } | null)?.code === 'worker');
      if (!engineGone) this.mailbox?.delivered(this.self, id);
    });
  }

  private setState(state: TransportState): void {
    if (state === this.current) return;
    this.current = state;
    for (const handler of [...this.stateHandlers]) handler(state);
  }
}
