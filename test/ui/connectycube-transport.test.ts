/**
 * ConnectyCubeTransport over the real `connectycube` SDK and a real Prosody
 * (started by scripts/prosody.mjs on a free port, so a developer's
 * `npm run xmpp` on 5280 is not disturbed). Needs `prosody` (installed
 * with apt-get when missing and we are root).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ConnectyCube, { ChatEvent, type XMPPChat } from 'connectycube';
import { startProsody, ccUser, type RunningProsody } from '../../scripts/prosody.mjs';
import { ConnectyCubeTransport } from '../../src/ui/connectycube-transport.js';
import type { TransportMessage, TransportState } from '../../src/ui/transport.js';
import { E2eeError } from '../../src/protocol/errors.js';
import { until } from '../helpers/until.js';

const APP_ID = 7;
const A = 101; // host app's instance, wrapped with fromInstance
const B = 102; // transport with its own instance (connect)
const C = 103; // a plain SDK user: non-OTR traffic for A's host
const D = 104; // an instance with the SDK's auto-reconnect on
const password = (id: number) => `pw-${id}`;

type Cube = InstanceType<typeof ConnectyCube.ConnectyCube<XMPPChat>>;
type HostMessage = { from: number; body: string | null };

let xmpp: RunningProsody;
let cubeA: Cube;
let cubeC: Cube;
let a: ConnectyCubeTransport;
let b: ConnectyCubeTransport;
const gotA: TransportMessage[] = [];
const gotB: TransportMessage[] = [];
const hostA: HostMessage[] = [];
const statesA: TransportState[] = [];

async function sdkUser(_id: number): Promise<Cube> {
  const cube = new ConnectyCube.ConnectyCube<XMPPChat>();
  cube.init({ appId: APP_ID, authKey: 'unused' }, {
    endpoints: { chat: xmpp.domain, chat_url: xmpp.url },
    chat: { reconnect: { enable: false } },
    debug: { mode: 0 }, // the SDK logs every stanza to the console by default
  } as Parameters<Cube['init']>[1]);
  return cube;
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const otr = (tag: string) => `?OTR:AAMD${Buffer.from(tag).toString('base64')}.`;

async function rejection(promise: Promise<unknown>): Promise<E2eeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(E2eeError);
  return error as E2eeError;
}

beforeAll(async () => {
  const t0 = Date.now();
  xmpp = await startProsody({
    port: 0,
    name: `vitest-connectycube-${process.pid}`,
    users: [A, B, C, D].map((id) => ({ user: ccUser(id, APP_ID), password: password(id) })),
  });
  console.log(`[timing] prosody ready in ${xmpp.startupMs} ms (${Date.now() - t0} ms with user registration) on ${xmpp.url}`);

  // The host app: its own listener first, then the login, then our transport.
  cubeA = await sdkUser(A);
  cubeA.chat.onMessageListener = (from, message) => { hostA.push({ from, body: message.body }); };
  await cubeA.chat.connect({ userId: A, password: password(A) });
  a = ConnectyCubeTransport.fromInstance(cubeA, { selfId: A, maxMessageSize: 25_000 });
  a.onMessage((m) => gotA.push(m));
  a.onStateChange((s) => statesA.push(s));

  b = await ConnectyCubeTransport.connect({
    appId: APP_ID, chatDomain: xmpp.domain, websocketUrl: xmpp.url,
    userId: String(B), password: password(B), maxMessageSize: 25_000,
  });
  b.onMessage((m) => gotB.push(m));

  cubeC = await sdkUser(C);
  await cubeC.chat.connect({ userId: C, password: password(C) });
}, 300_000); // room for `apt-get install prosody` on a fresh machine

afterAll(async () => {
  await a?.close();
  await b?.close();
  await cubeA?.chat.disconnect().catch(() => false);
  await cubeC?.chat.disconnect().catch(() => false);
  await xmpp?.stop();
});

describe('ConnectyCubeTransport over Prosody', () => {
  it('is connected and speaks ids as strings', () => {
    expect(a.state).toBe('connected');
    expect(b.state).toBe('connected');
    expect(a.self).toBe(String(A));
    expect(b.self).toBe(String(B));
  });

  it('carries bodies both ways, including 20,000 characters', async () => {
    await a.send(String(B), otr('hello B'));
    await until(() => gotB.length === 1, 'B to get the first message');
    expect(gotB[0]).toMatchObject({ from: String(A), body: otr('hello B') });
    expect(gotB[0]!.at).toBeInstanceOf(Date);

    await b.send(String(A), otr('hello A'));
    await until(() => gotA.length === 1, 'A to get the reply');
    expect(gotA[0]).toMatchObject({ from: String(B), body: otr('hello A') });

    // XML specials, a CDATA terminator, non-BMP characters and newlines must survive.
    const filler = 'abc<&>"\']]>\n\u00e9\u{1F600}'.repeat(2000);
    const big = (`?OTR:` + filler).slice(0, 20_000);
    expect(big.length).toBe(20_000);
    await a.send(String(B), big);
    await b.send(String(A), big);
    await until(() => gotA.length === 2 && gotB.length === 2, 'the 20,000-character bodies');
    expect(gotB[1]!.body).toBe(big);
    expect(gotA[1]!.body).toBe(big);
    expect(hostA).toEqual([]); // OTR text never reached the host's listener
  });

  it('rejects a failed login with code transport', async () => {
    const error = await rejection(ConnectyCubeTransport.connect({
      appId: APP_ID, chatDomain: xmpp.domain, websocketUrl: xmpp.url, userId: D, password: 'wrong',
    }));
    expect(error.code).toBe('transport');
    expect(error.message).toMatch(/not-authorized/);
    // 127.0.0.1 would become the XMPP domain and Prosody would answer host-unknown.
    const mismatch = await rejection(ConnectyCubeTransport.connect({
      appId: APP_ID, chatDomain: xmpp.domain, websocketUrl: xmpp.url.replace('localhost', '127.0.0.1'), userId: D, password: password(D),
    }));
    expect(mismatch.code).toBe('invalid-input');
  });

  it('holds messages that arrive before anyone listens', async () => {
    const d = await ConnectyCubeTransport.connect({
      appId: APP_ID, chatDomain: xmpp.domain, websocketUrl: xmpp.url, userId: D, password: password(D),
    });
    await b.send(String(D), otr('early 1'));
    await b.send(String(D), otr('early 2'));
    await sleep(300);
    const got: string[] = [];
    d.onMessage((m) => got.push(m.body));
    await until(() => got.length === 2, 'the held messages');
    expect(got).toEqual([otr('early 1'), otr('early 2')]);
    await d.close();
  });

  it('rejects bodies over maxMessageSize and bad peer ids', async () => {
    const small = ConnectyCubeTransport.fromInstance(cubeA, { selfId: A });
    expect(small.maxMessageSize).toBe(4000);
    expect((await rejection(small.send(String(B), 'x'.repeat(4001)))).code).toBe('transport');
    expect((await rejection(small.send('not-a-user', 'hi'))).code).toBe('invalid-input');
    // A control character would make Prosody close A's whole stream; it must not get that far.
    expect((await rejection(small.send(String(B), 'bell \u0007'))).code).toBe('invalid-input');
    expect((await rejection(small.send(String(B), 'lone \ud800'))).code).toBe('invalid-input');
    await small.close();
    expect(a.state).toBe('connected');
  });

  it('lets only ?OTR text from A and B cross the server (wiretap)', () => {
    const fromUs = xmpp.readWiretap().filter((m) => [A, B].some((id) => m.from?.startsWith(`${ccUser(id, APP_ID)}@`)));
    const bodies = fromUs.map((m) => m.body).filter((body): body is string => body !== null);
    expect(bodies.length).toBeGreaterThanOrEqual(4);
    for (const body of bodies) expect(body.startsWith('?OTR')).toBe(true);
    expect(bodies.filter((body) => body.length === 20_000)).toHaveLength(2);
  });

  it("leaves the host's listener its non-OTR traffic, set before or after the transport", async () => {
    cubeC.chat.send(A, { body: 'plain hello from C' });
    cubeC.chat.send(A, { body: otr('from C') });
    await until(() => hostA.length === 1 && gotA.length === 3, 'C\'s two messages');
    expect(hostA[0]).toEqual({ from: C, body: 'plain hello from C' });
    expect(gotA[2]).toMatchObject({ from: String(C), body: otr('from C') });

    // The host replaces its listener after the transport exists: still chained, not clobbered.
    const later: HostMessage[] = [];
    cubeA.chat.addListener(ChatEvent.MESSAGE, (from: number, message: { body: string | null }) => {
      later.push({ from, body: message.body });
    });
    cubeC.chat.send(A, { body: otr('again from C') });
    await until(() => gotA.length === 4, 'OTR after the host re-set its listener');
    expect(later).toEqual([]);

    // C sent us OTR, so C is now a claimed peer: its plaintext belongs to the conversation.
    cubeC.chat.send(A, { body: 'plain, but to the OTR conversation' });
    await until(() => gotA.length === 5, 'claimed plaintext');
    expect(later).toEqual([]);
    a.release(C);
    cubeC.chat.send(A, { body: 'plain again' });
    await until(() => later.length === 1, 'released plaintext at the host');
    expect(later[0]).toEqual({ from: C, body: 'plain again' });
    expect(gotA).toHaveLength(5);
  });

  it('rejects sends while disconnected and works again after reconnect()', async () => {
    statesA.length = 0;
    cubeA.chat.terminate(); // the socket drops under the host
    await until(() => a.state === 'disconnected', 'A to notice the drop');
    const error = await rejection(a.send(String(B), otr('while down')));
    expect(error.code).toBe('transport');
    expect(error.peer).toBe(String(B));

    await a.reconnect();
    expect(a.state).toBe('connected');
    expect(statesA).toEqual(['disconnected', 'connecting', 'connected']);
    await a.send(String(B), otr('back again'));
    await until(() => gotB.some((m) => m.body === otr('back again')), 'B to get the message after reconnect');
    expect(gotB.some((m) => m.body === otr('while down'))).toBe(false);
  });

  it('passes on offline-delivered messages with their delay timestamp', async () => {
    await cubeA.chat.disconnect();
    await until(() => a.state === 'disconnected', 'A to go offline');
    const before = gotA.length;
    const sentAt = Date.now();
    await b.send(String(A), otr('stored offline'));
    await sleep(1500);
    await a.reconnect();
    await until(() => gotA.length === before + 1, 'the offline message');
    const got = gotA[before]!;
    expect(got.body).toBe(otr('stored offline'));
    // Prosody stamps whole seconds (rounded down): the stamp is the second the message was stored,
    // not the (1.5 s later) delivery time.
    expect(got.at.getTime()).toBeGreaterThanOrEqual(Math.floor(sentAt / 1000) * 1000);
    expect(got.at.getTime()).toBeLessThan(sentAt + 1000);
    expect(Date.now() - got.at.getTime()).toBeGreaterThan(1000);
  });

  it('follows the SDK\'s own automatic reconnect', async () => {
    const cubeD = new ConnectyCube.ConnectyCube<XMPPChat>();
    cubeD.init({ appId: APP_ID, authKey: 'unused' }, {
      endpoints: { chat: xmpp.domain, chat_url: xmpp.url },
      chat: { reconnect: { enable: true, timeInterval: 1 } }, // NB: global to all instances
    } as Parameters<Cube['init']>[1]);
    try {
      await cubeD.chat.connect({ userId: D, password: password(D) });
      const d = ConnectyCubeTransport.fromInstance(cubeD, { selfId: D });
      const states: TransportState[] = [];
      d.onStateChange((s) => states.push(s));
      cubeD.chat.terminate();
      await until(() => states.includes('disconnected'), 'D to drop');
      await until(() => d.state === 'connected', 'the SDK to reconnect D by itself');
      expect(states).toEqual(['disconnected', 'connecting', 'connected']);
      await d.send(String(B), otr('D is back'));
      await until(() => gotB.some((m) => m.body === otr('D is back')), 'B to hear from D');
      await d.close();
      await cubeD.chat.disconnect();
    } finally {
      await sdkUser(D); // init() again: the SDK's reconnect setting is global; turn it off for the rest
    }
  });

  it('survives a server restart: sends reject while it is down, reconnect() recovers', async () => {
    const port = xmpp.port;
    await xmpp.stop();
    await until(() => a.state === 'disconnected' && b.state === 'disconnected', 'both to notice');
    expect((await rejection(b.send(String(A), otr('into the void')))).code).toBe('transport');
    xmpp = await startProsody({ port, name: `vitest-connectycube-${process.pid}`, fresh: false });
    await Promise.all([a.reconnect(), b.reconnect()]);
    await b.send(String(A), otr('after the restart'));
    await until(() => gotA.some((m) => m.body === otr('after the restart')), 'A to hear from B again');
  });

  it('ignores carbons of what another session of ours sent', async () => {
    const b2 = await sdkUser(B);
    await b2.chat.connect({ userId: B, password: password(B) });
    const before = { a: gotA.length, b: gotB.length };
    b2.chat.send(A, { body: otr('from B\'s second session') });
    await until(() => gotA.length === before.a + 1, 'A to get the second session\'s message');
    await b.send(String(A), otr('marker'));
    await until(() => gotA.length === before.a + 2, 'the marker');
    expect(gotB.length).toBe(before.b); // the sent carbon reached B's session but was not delivered
    await b2.chat.disconnect();
  });

  it('close() gives the host back its plain listener slot', async () => {
    const host = (): void => {};
    cubeA.chat.onMessageListener = host;
    const extra = ConnectyCubeTransport.fromInstance(cubeA, { selfId: String(A) });
    expect(cubeA.chat.onMessageListener).not.toBe(host);
    await extra.close();
    await a.close();
    expect(cubeA.chat.onMessageListener).toBe(host);
    expect(Object.getOwnPropertyDescriptor(cubeA.chat, 'onMessageListener')?.value).toBe(host);
  });
});
