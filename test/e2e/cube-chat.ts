/**
 * Test helper: `<e2ee-chat>` elements on the real ConnectyCube SDK against
 * the test Prosody (see ./prosody.ts), each with its own engine, every
 * component event recorded.
 */
import ConnectyCube, { type XMPPChat } from 'connectycube';
import '../../src/ui/e2ee-chat.js';
import type { E2eeChat } from '../../src/ui/e2ee-chat.js';
import { startEngine, type EngineClient } from '../../src/ui/index.js';
import type { E2eeEventMap } from '../../src/ui/events.js';
import { ConnectyCubeTransport } from '../../src/ui/connectycube-transport.js';
import { until } from '../helpers/engine-pair.js';
import type { ProsodyConfig, TestUser } from './prosody.js';

/** A real SDK instance (XMPP flavour). */
export type Cube = InstanceType<typeof ConnectyCube.ConnectyCube<XMPPChat>>;
/** The component events these tests watch. */
export type Watched = 'e2ee-status' | 'e2ee-message' | 'e2ee-error' | 'e2ee-keygen';
/** Each watched event's details, by type, in order. */
export type Recorded = { [K in Watched]: E2eeEventMap[K]['detail'][] };

/** One mounted chat. */
export interface CubeChatSide {
  user: TestUser;
  el: E2eeChat;
  engine: EngineClient;
  transport: ConnectyCubeTransport;
  events: Recorded;
}

const unique = (tag: string) => `cc-${tag}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** SDK settings for the test server. The SDK's configuration is global to the page. */
function sdkConfig(config: ProsodyConfig): Parameters<Cube['init']>[1] {
  return {
    endpoints: { chat: config.chatDomain, chat_url: config.websocketUrl },
    chat: { reconnect: { enable: false } }, // tests reconnect explicitly
    debug: { mode: 0 }, // the SDK logs every stanza to the console by default
  } as Parameters<Cube['init']>[1];
}

/** A new SDK instance, configured for the test server (and quiet), not yet connected. */
export function newCube(config: ProsodyConfig): Cube {
  const cube = new ConnectyCube.ConnectyCube<XMPPChat>();
  cube.init({ appId: config.appId, authKey: 'unused' }, sdkConfig(config));
  return cube;
}

/** A new SDK instance logged in as `user`: a host app's own connection. */
export async function connectedCube(config: ProsodyConfig, user: TestUser): Promise<Cube> {
  const cube = newCube(config);
  await cube.chat.connect({ userId: user.userId, password: user.password });
  return cube;
}

/** `ConnectyCubeTransport.connect` to the test server, with the SDK's auto-reconnect off. */
export function connectTransport(config: ProsodyConfig, user: TestUser, maxMessageSize = 4000): Promise<ConnectyCubeTransport> {
  newCube(config); // sets the page-wide SDK config (quiet) before the transport's own instance logs anything
  return ConnectyCubeTransport.connect({
    appId: config.appId, chatDomain: config.chatDomain, websocketUrl: config.websocketUrl,
    userId: user.userId, password: user.password, maxMessageSize, autoReconnectSeconds: 0,
  });
}

/** Mount an `<e2ee-chat>` for `user` talking to `peer`, on `transport`, with its own engine. */
export function mountChat(user: TestUser, peer: TestUser, transport: ConnectyCubeTransport, attrs: Record<string, string> = {}): CubeChatSide {
  const el = document.createElement('e2ee-chat');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.id = `chat-${user.userId}`;
  el.peer = String(peer.userId);
  el.peerName = `User ${peer.userId}`;
  const engine = startEngine({ name: unique(String(user.userId)) });
  el.engine = engine;
  el.transport = transport;
  const events: Recorded = { 'e2ee-status': [], 'e2ee-message': [], 'e2ee-error': [], 'e2ee-keygen': [] };
  for (const type of Object.keys(events) as (keyof Recorded)[]) {
    el.addEventListener(type, (e) => (events[type] as unknown[]).push((e as CustomEvent).detail));
  }
  document.body.append(el);
  return { user, el, engine, transport, events };
}

/** Wait for the first key to be ready. */
export const keygenDone = (side: CubeChatSide): Promise<void> =>
  until(() => side.events['e2ee-keygen'].some((k) => k.phase === 'done'), `keygen of ${side.user.userId}`, 60_000);

/** Texts `side` received, in order. */
export const received = (side: CubeChatSide): { text: string; encrypted: boolean }[] =>
  side.events['e2ee-message'].filter((m) => m.direction === 'in').map(({ text, encrypted }) => ({ text, encrypted }));

/** Remove the elements, stop their engines and close the transports. */
export async function unmount(...sides: (CubeChatSide | undefined)[]): Promise<void> {
  for (const side of sides) {
    if (!side) continue;
    side.el.remove();
    side.engine.terminate();
    await side.transport.close();
  }
}

/** The element's shadow root. */
export const shadow = (side: CubeChatSide): ShadowRoot => side.el.shadowRoot!;
