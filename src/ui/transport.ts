/**
 * The transport contract: how `<e2ee-chat>` moves OTR wire text between
 * users. Implementations: {@link LoopbackTransport} (in-page and across tabs)
 * and ConnectyCube (real XMPP). A transport carries opaque text; it never
 * sees plaintext unless the conversation itself is in plaintext.
 */

/** One incoming message as a transport delivers it. */
export interface TransportMessage {
  /** The sender's id, always as a string (ConnectyCube ids are numbers). */
  from: string;
  /** The message body: OTR wire text or plaintext. */
  body: string;
  /** When the message was sent, if the transport knows (e.g. offline delivery delay); else when received. */
  at: Date;
}

/**
 * Called for each incoming message. It may return a promise that settles once the message has been
 * processed (read by the engine): a transport that keeps messages
 * for a reloading addressee (the loopback's mailbox) keeps each one until then, and keeps it for the
 * next page when the promise rejects with an `E2eeError` of code `worker` (the engine ended first).
 */
export type TransportHandler = (message: TransportMessage) => unknown;

/** Connection state of a transport. */
export type TransportState = 'connecting' | 'connected' | 'disconnected';

/** The contract every transport implements. */
export interface Transport {
  /** Our own id on this transport. */
  readonly self: string;
  /** Current connection state. */
  readonly state: TransportState;
  /**
   * Send one body to `peer`. Resolves once the transport has accepted it;
   * rejects with an `E2eeError` of code `transport` when it cannot be sent
   * (e.g. while disconnected). Never drops a body silently.
   */
  send(peer: string, body: string): Promise<void>;
  /** Receive incoming messages. Returns a function that unsubscribes. */
  onMessage(handler: TransportHandler): () => void;
  /** Observe connection-state changes. Returns a function that unsubscribes. */
  onStateChange(handler: (state: TransportState) => void): () => void;
  /**
   * The largest body this transport carries in one message, in characters
   * (OTR fragments must fit). 0 means no limit.
   */
  readonly maxMessageSize: number;
  /**
   * Optional: the chat now handles `peer`, so the transport should pass it even
   * the peer's plaintext (a transport shared with a host app, such as
   * ConnectyCube, otherwise leaves non-OTR traffic to the host).
   */
  claim?(peer: string): void;
}
