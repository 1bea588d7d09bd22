import { E2eeError } from '../../protocol/errors.js';

/**
 * The slice of the ConnectyCube JS SDK (6.x, XMPP chat) that
 * {@link ConnectyCubeTransport} uses, as structural types. A real
 * `ConnectyCube` instance (`import ConnectyCube from 'connectycube'`) fits
 * {@link CubeInstance}; tests can pass a fake. Keeping our own narrow types
 * means the SDK's deep `@xmpp/*` types (which ship without declarations)
 * never leak into ours.
 */

/** An incoming chat message as the SDK hands it to `chat.onMessageListener`. */
export interface CubeMessage {
  id: string;
  /** Null for messages without a body. */
  body: string | null;
  /** 'chat' or 'groupchat' (the SDK only passes those two on). */
  type?: string;
  /** True for a message carbon: a copy of something another session of ours sent. */
  is_forwarded?: boolean;
  /** Set for group (and ConnectyCube REST-dialog) messages. */
  dialog_id: string | null;
  /** The `<delay xmlns="urn:xmpp:delay" stamp="…"/>` element, when the server held the message back. */
  delay?: unknown;
}

/** The SDK's one-slot incoming-message callback. `userId` is a number. */
export type CubeMessageListener = (userId: number, message: CubeMessage) => void;

/** xmpp.js client states, as emitted with its `status` event. */
export type XmppStatus =
  | 'offline' | 'connecting' | 'connect' | 'opening' | 'open' | 'online'
  | 'closing' | 'close' | 'disconnecting' | 'disconnect';

/** The SDK's xmpp.js client (`chat.xmppClient`): an event emitter with a status. */
export interface CubeXmppClient {
  readonly status: string;
  on(event: 'status', listener: (status: string) => void): unknown;
  removeListener(event: 'status', listener: (status: string) => void): unknown;
  stop(): Promise<unknown>;
  readonly options: { readonly password?: string | undefined };
}

/** `cube.chat` of the XMPP flavour of the SDK. */
export interface CubeChat {
  isConnected: boolean;
  /** The host's incoming-message callback (a method signature only so that the SDK's own type fits). */
  onMessageListener(userId: number, message: CubeMessage): void;
  /**
   * The SDK's xmpp.js client. Typed loosely because the SDK's own type for it
   * rests on `@xmpp/*` packages without declarations; see {@link xmppOf}.
   */
  readonly xmppClient: object;
  connect(params: { userId: number; password: string }): Promise<boolean>;
  disconnect(): Promise<boolean>;
  terminate(): void;
  /** Sends a 1:1 chat message when `to` is a number; returns the stanza id. */
  send(to: number, message: { body: string }): string;
}

/** A ConnectyCube SDK instance (the default export, or `new ConnectyCube.ConnectyCube()` after `init`). */
export interface CubeInstance {
  readonly chat: CubeChat;
}

/** `chat.xmppClient` with the members we use, checked at run time. */
export function xmppOf(chat: CubeChat): CubeXmppClient {
  const client = chat.xmppClient as Partial<CubeXmppClient>;
  if (typeof client.on !== 'function' || typeof client.removeListener !== 'function' || typeof client.stop !== 'function') {
    throw new E2eeError('invalid-input', 'chat.xmppClient is not an xmpp.js client: is this the XMPP flavour of the ConnectyCube SDK?');
  }
  return client as CubeXmppClient;
}
