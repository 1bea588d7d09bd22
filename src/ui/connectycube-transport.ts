import { E2eeError } from '../protocol/errors.js';
import { tapMessages } from './connectycube/listener-hub.js';
import { createCube, logIn, type CubeEndpoint } from './connectycube/session.js';
import { xmppOf, type CubeChat, type CubeInstance, type CubeMessage, type CubeXmppClient } from './connectycube/types.js';
import { delayStamp, isOtrText, peerNumber, xmlProblem } from './connectycube/wire.js';
import type { Transport, TransportHandler, TransportMessage, TransportState } from './transport.js';

export type { CubeInstance } from './connectycube/types.js';
export type { CubeEndpoint } from './connectycube/session.js';

/** Default {@link ConnectyCubeTransport.maxMessageSize}, in characters. */
export const DEFAULT_CUBE_MAX_MESSAGE_SIZE = 4000;
/** How many incoming messages are held while nobody listens (e.g. offline delivery during connect). */
const MAX_BUFFERED = 1000;
/** xmpp.js states in which a connection attempt is under way. */
const CONNECTING = new Set(['connecting', 'connect', 'opening', 'open', 'online']);

/** Options for {@link ConnectyCubeTransport.fromInstance}. */
export interface CubeTransportOptions {
  /** Our own ConnectyCube user id (the one the instance is logged in as). */
  selfId: string | number;
  /** Largest body per message, in characters; 0 means no limit. Default {@link DEFAULT_CUBE_MAX_MESSAGE_SIZE}. */
  maxMessageSize?: number;
  /**
   * Peers whose plaintext (non-OTR) messages this transport takes from the
   * host from the start. Peers we send to, or get OTR text from, are added
   * automatically. Default: none.
   */
  peers?: Iterable<string | number>;
  /** Password for {@link ConnectyCubeTransport.reconnect}; default: the one the SDK last logged in with. */
  password?: string;
}

/** Options for {@link ConnectyCubeTransport.connect}. */
export interface CubeConnectOptions extends CubeEndpoint {
  userId: string | number;
  password: string;
  /** Largest body per message, in characters; 0 means no limit. */
  maxMessageSize?: number;
}

/**
 * {@link Transport} over ConnectyCube's XMPP chat.
 *
 * Which incoming messages are "ours" (go to {@link onMessage} handlers and
 * are hidden from the host app's `chat.onMessageListener`):
 * - every 1:1 message whose body is OTR text (`?OTR…`, or a whitespace tag);
 * - plaintext 1:1 messages from *claimed* peers: those in `options.peers`,
 *   those we have sent to, and those that sent us OTR text (see {@link claim}, {@link release}).
 *
 * Everything else (group messages, plaintext from other users, typing,
 * receipts) goes on to the host's listener untouched. Our own echoes and
 * message carbons (copies of what another session of ours sent) are never
 * delivered; if they carry OTR text they are swallowed, otherwise passed to the host.
 *
 * Messages arriving while no handler is subscribed are held (up to 1000)
 * and delivered to the first handler.
 */
export class ConnectyCubeTransport implements Transport {
  /** Our own ConnectyCube user id, as a string. */
  readonly self: string;
  readonly maxMessageSize: number;
  private currentState: TransportState = 'disconnected';
  private readonly handlers = new Set<TransportHandler>();
  private readonly stateHandlers = new Set<(state: TransportState) => void>();
  private readonly claimed = new Set<string>();
  private buffered: TransportMessage[] = [];
  private flushScheduled = false;
  private readonly untap: () => void;
  private readonly onStatus = (): void => queueMicrotask(() => this.refresh());
  private closed = false;
  private readonly password: string | undefined;
  private readonly xmpp: CubeXmppClient;
  private reconnecting: Promise<void> | undefined;

  private constructor(
    private readonly chat: CubeChat,
    options: CubeTransportOptions,
    private readonly owned: boolean,
  ) {
    const self = peerNumber(options.selfId);
    if (self === undefined) throw new E2eeError('invalid-input', `not a ConnectyCube user id: ${String(options.selfId)}`);
    this.self = String(self);
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_CUBE_MAX_MESSAGE_SIZE;
    this.password = options.password;
    this.xmpp = xmppOf(chat);
    for (const peer of options.peers ?? []) this.claim(peer);
    this.untap = tapMessages(chat, (userId, message) => this.take(userId, message));
    this.xmpp.on('status', this.onStatus);
    this.refresh();
  }

  /**
   * Use the host app's ConnectyCube instance (logged in, or about to be).
   * The host keeps its own `chat.onMessageListener` and every message that
   * is not ours (see the class notes); {@link close} leaves its connection up.
   */
  static fromInstance(cube: CubeInstance, options: CubeTransportOptions): ConnectyCubeTransport {
    return new ConnectyCubeTransport(cube.chat, options, false);
  }

  /**
   * Create a ConnectyCube instance of our own and log in. No REST calls are
   * made. The SDK's configuration (endpoints, appId) is global to the page:
   * this reconfigures any other ConnectyCube instance too, so when the host
   * app already uses ConnectyCube, prefer {@link fromInstance}.
   * Rejects with an `E2eeError` of code `transport` when the login fails.
   */
  static async connect(options: CubeConnectOptions): Promise<ConnectyCubeTransport> {
    const cube = await createCube(options);
    const transport = new ConnectyCubeTransport(
      cube.chat,
      { selfId: options.userId, password: options.password, maxMessageSize: options.maxMessageSize },
      true,
    );
    try {
      await transport.reconnect();
    } catch (error) {
      await transport.close();
      throw error;
    }
    return transport;
  }

  /** Current connection state. */
  get state(): TransportState {
    return this.currentState;
  }

  /**
   * Send one body to `peer` (a ConnectyCube user id). See {@link Transport.send}.
   * Resolves once the SDK has taken the stanza on an online connection (XMPP
   * has no delivery receipt here; the server stores it if the peer is offline).
   * Rejects with code `transport` when offline or over {@link maxMessageSize},
   * and with `invalid-input` for a bad peer id or a body XML cannot carry
   * (control characters, lone surrogates: they would make the server drop the
   * whole connection). A carriage return arrives as a line feed.
   */
  async send(peer: string, body: string): Promise<void> {
    const to = peerNumber(peer);
    if (to === undefined) throw new E2eeError('invalid-input', `not a ConnectyCube user id: ${String(peer)}`, String(peer));
    if (typeof body !== 'string') throw new E2eeError('invalid-input', 'the body must be a string', String(to));
    const problem = xmlProblem(body);
    if (problem) throw new E2eeError('invalid-input', problem, String(to));
    if (this.maxMessageSize > 0 && body.length > this.maxMessageSize) {
      throw new E2eeError('transport', `a body of ${body.length} characters exceeds this transport's limit of ${this.maxMessageSize}`, String(to));
    }
    // The SDK's send() "succeeds" while offline and leaves a rejected promise behind; check first.
    if (this.closed || !this.chat.isConnected || this.xmpp.status !== 'online') {
      throw new E2eeError('transport', `not connected to the chat server (${this.closed ? 'closed' : this.xmpp.status})`, String(to));
    }
    this.claimed.add(String(to));
    try {
      this.chat.send(to, { body });
    } catch (error) {
      throw new E2eeError('transport', `ConnectyCube could not send: ${error instanceof Error ? error.message : String(error)}`, String(to));
    }
  }

  /** Receive incoming messages that are ours. Returns a function that unsubscribes. */
  onMessage(handler: TransportHandler): () => void {
    this.handlers.add(handler);
    this.scheduleFlush();
    return () => { this.handlers.delete(handler); };
  }

  /** Observe connection-state changes. Returns a function that unsubscribes. */
  onStateChange(handler: (state: TransportState) => void): () => void {
    this.stateHandlers.add(handler);
    return () => { this.stateHandlers.delete(handler); };
  }

  /** Take plaintext from `peer` away from the host app (OTR text is always ours). */
  claim(peer: string | number): void {
    const id = peerNumber(peer);
    if (id !== undefined) this.claimed.add(String(id));
  }

  /** Give `peer`'s plaintext back to the host app. */
  release(peer: string | number): void {
    this.claimed.delete(String(peerNumber(peer) ?? peer));
  }

  /**
   * Log in again after the connection dropped. Resolves when connected (at
   * once if already connected); rejects with an `E2eeError` of code
   * `transport` when the login fails or takes longer than `timeoutMs`.
   */
  reconnect(timeoutMs = 15_000): Promise<void> {
    this.reconnecting ??= this.login(timeoutMs).finally(() => { this.reconnecting = undefined; });
    return this.reconnecting;
  }

  private async login(timeoutMs: number): Promise<void> {
    if (this.closed) throw new E2eeError('transport', 'this transport is closed');
    if (this.refresh() === 'connected') return;
    if (CONNECTING.has(this.xmpp.status)) {
      await this.settle(timeoutMs); // someone (the SDK's auto-reconnect, the host) is already at it
      if (this.refresh() === 'connected') return;
    }
    const password = this.password ?? this.xmpp.options.password;
    if (!password) throw new E2eeError('transport', 'no password to log in with');
    this.setState('connecting');
    try {
      await logIn(this.chat, this.xmpp, Number(this.self), password, timeoutMs);
    } finally {
      this.refresh();
    }
    if (this.currentState !== 'connected') throw new E2eeError('transport', 'could not log in to the chat server');
  }

  /**
   * Stop listening. Restores the host's `onMessageListener` slot; a
   * connection made by {@link connect} is closed, a host's is left up.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.untap();
    this.xmpp.removeListener('status', this.onStatus);
    this.handlers.clear();
    this.buffered = [];
    if (this.owned) await this.chat.disconnect().catch(() => false);
    this.setState('disconnected');
    this.stateHandlers.clear();
  }

  /** Decide whether an incoming SDK message is ours; deliver it if so. */
  private take(userId: number, message: CubeMessage): boolean {
    if (this.closed) return false;
    const body = message.body ?? '';
    const otr = isOtrText(body);
    const from = String(userId);
    if (message.type !== 'chat' || message.dialog_id) return false; // group or REST-dialog traffic: the host's
    if (message.is_forwarded || from === this.self) return otr; // carbons and echoes: never delivered
    if (!body) return false;
    if (!otr && !this.claimed.has(from)) return false;
    if (otr) this.claimed.add(from);
    const delivered: TransportMessage = { from, body, at: delayStamp(message) ?? new Date() };
    if (this.handlers.size > 0 && this.buffered.length === 0) {
      this.deliver(delivered);
    } else {
      if (this.buffered.length >= MAX_BUFFERED) this.buffered.shift();
      this.buffered.push(delivered); // in order, behind what is already held
      this.scheduleFlush();
    }
    return true;
  }

  /** Hand held messages to the handlers, once there are some (a microtask later, in order). */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.buffered.length === 0 || this.handlers.size === 0) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      const held = this.buffered;
      this.buffered = [];
      for (const message of held) this.deliver(message);
    });
  }

  private deliver(message: TransportMessage): void {
    for (const handler of [...this.handlers]) {
      try {
        // The server does not keep a message once delivered: what the handler's promise says is not needed.
        const processed = handler(message);
        if (processed instanceof Promise) processed.catch(() => undefined);
      } catch (error) {
        console.error('[ConnectyCubeTransport] message handler failed', error);
      }
    }
  }

  /** Recompute the state from the SDK and announce a change. */
  private refresh(): TransportState {
    if (this.closed) return this.currentState;
    const status = this.xmpp.status;
    const next: TransportState = this.chat.isConnected && status === 'online'
      ? 'connected'
      : CONNECTING.has(status) ? 'connecting' : 'disconnected';
    this.setState(next);
    return next;
  }

  private setState(next: TransportState): void {
    if (next === this.currentState) return;
    this.currentState = next;
    for (const handler of [...this.stateHandlers]) {
      try {
        handler(next);
      } catch (error) {
        console.error('[ConnectyCubeTransport] state handler failed', error);
      }
    }
  }

  /** Wait until the state leaves 'connecting' (or `ms` pass). */
  private settle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const off = this.onStateChange((state) => { if (state !== 'connecting') done(); });
      function done(): void { clearTimeout(timer); off(); resolve(); }
    });
  }
}
