/**
 * `LoopbackTransport`: the zero-set-up transport. Endpoints on the same
 * channel name talk through a BroadcastChannel, which reaches other
 * endpoints in the same page and in other tabs of the same origin alike.
 * Like a chat server, it keeps messages for an endpoint that is offline (or
 * has no listener yet) and delivers them when it reconnects (or one subscribes).
 */
import { E2eeError } from '../protocol/errors.js';
import type { Transport, TransportHandler, TransportMessage, TransportState } from './transport.js';

interface Envelope {
  from: string;
  to: string;
  body: string;
  at: number;
}

/** Options for a {@link LoopbackTransport}. */
export interface LoopbackOptions {
  /** Channel name; endpoints on the same channel can reach each other. Default `e2ee-chat-loopback`. */
  channel?: string;
  /** Largest body in characters (0 = unlimited). Default 0. */
  maxMessageSize?: number;
}

/** An in-page / cross-tab transport endpoint for user `self`. */
export class LoopbackTransport implements Transport {
  readonly maxMessageSize: number;
  private readonly channel: BroadcastChannel;
  private readonly handlers = new Set<TransportHandler>();
  private readonly stateHandlers = new Set<(state: TransportState) => void>();
  private readonly inbox: TransportMessage[] = [];
  private current: TransportState = 'connected';
  private closed = false;

  constructor(
    readonly self: string,
    options: LoopbackOptions = {},
  ) {
    if (typeof self !== 'string' || !self) throw new E2eeError('invalid-input', 'A loopback endpoint needs a non-empty id.');
    this.maxMessageSize = options.maxMessageSize ?? 0;
    this.channel = new BroadcastChannel(options.channel ?? 'e2ee-chat-loopback');
    this.channel.onmessage = (event: MessageEvent<Envelope>) => this.accept(event.data);
  }

  /** Two endpoints on a private channel of their own, for one page. */
  static pair(a: string, b: string, options: Omit<LoopbackOptions, 'channel'> = {}): [LoopbackTransport, LoopbackTransport] {
    const channel = `e2ee-chat-pair-${crypto.randomUUID()}`;
    return [new LoopbackTransport(a, { ...options, channel }), new LoopbackTransport(b, { ...options, channel })];
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
    const envelope: Envelope = { from: this.self, to: peer, body, at: Date.now() };
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
    const message: TransportMessage = { from: String(envelope.from), body: envelope.body, at: new Date(envelope.at) };
    // Like a server's offline storage: keep what arrives while disconnected or before anyone listens.
    if (this.current === 'connected' && this.handlers.size > 0) this.deliver(message);
    else this.inbox.push(message);
  }

  private deliver(message: TransportMessage): void {
    for (const handler of [...this.handlers]) handler(message);
  }

  private setState(state: TransportState): void {
    if (state === this.current) return;
    this.current = state;
    for (const handler of [...this.stateHandlers]) handler(state);
  }
}
