import type { XMPPChat } from 'connectycube';
import { E2eeError } from '../../protocol/errors.js';
import type { CubeChat, CubeInstance, CubeXmppClient } from './types.js';

/** What {@link createCube} needs: where the XMPP server is and which app we are. */
export interface CubeEndpoint {
  appId: string | number;
  /** Unused by chat-only logins; the SDK wants one. Default 'unused'. */
  authKey?: string;
  /** XMPP domain, e.g. 'localhost' for a local Prosody. */
  chatDomain: string;
  /** e.g. 'ws://localhost:5280/xmpp-websocket'. Its host must be the chat domain. */
  websocketUrl: string;
  /**
   * Seconds between the SDK's automatic reconnect attempts after a dropped
   * connection; 0 turns them off. Default: leave the SDK's setting (on, 5 s).
   * NB: the SDK's configuration is global to the page.
   */
  autoReconnectSeconds?: number;
}

/**
 * A fresh SDK instance (`new ConnectyCube.ConnectyCube()` + `init`), loaded
 * lazily so hosts that bring their own instance never pay for a second SDK.
 * NB: `init` writes the SDK's page-wide configuration.
 */
export async function createCube(options: CubeEndpoint): Promise<CubeInstance> {
  let host: string;
  try {
    host = new URL(options.websocketUrl).hostname;
  } catch {
    throw new E2eeError('invalid-input', `not a websocket URL: ${options.websocketUrl}`);
  }
  if (host !== options.chatDomain) {
    // xmpp.js takes the stream's domain from the URL; the SDK builds JIDs from chatDomain.
    throw new E2eeError('invalid-input', `the websocket URL's host (${host}) must be the chat domain (${options.chatDomain})`);
  }
  const { default: sdk } = await import('connectycube');
  const cube = new sdk.ConnectyCube<XMPPChat>();
  const seconds = options.autoReconnectSeconds;
  const config = {
    endpoints: { chat: options.chatDomain, chat_url: options.websocketUrl },
    ...(seconds === undefined ? {} : { chat: { reconnect: { enable: seconds > 0, timeInterval: seconds } } }),
  };
  // The SDK's Options type wants every endpoint; it merges partial ones fine.
  cube.init({ appId: options.appId, authKey: options.authKey ?? 'unused' }, config as Parameters<typeof cube.init>[1]);
  return cube;
}

/**
 * Log `chat` in as `userId`, first resetting what a dropped or failed
 * connection leaves behind: a failed login keeps the SDK's `isConnecting`
 * set for good, and xmpp.js only starts again from 'offline'.
 * Rejects with an `E2eeError` of code `transport`.
 */
export async function logIn(chat: CubeChat, xmpp: CubeXmppClient, userId: number, password: string, timeoutMs: number): Promise<void> {
  if (xmpp.status !== 'offline' || Reflect.get(chat, 'isConnecting') === true) {
    chat.terminate();
    await xmpp.stop().catch(() => undefined);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      chat.connect({ userId, password }),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs); }),
    ]);
  } catch (error) {
    // The SDK rejects a refused login with the bare SASL condition, e.g. 'not-authorized'.
    const reason = typeof error === 'string' ? error : error instanceof Error ? error.message : String(error);
    throw new E2eeError('transport', `could not log in to the chat server: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
}
