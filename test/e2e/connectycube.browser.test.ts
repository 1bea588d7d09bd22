/**
 * `<e2ee-chat>` over the real wire: the real `connectycube` SDK in Chromium,
 * a real Prosody (started by scripts/wtr-prosody.mjs), two users in one page
 * (two independent SDK instances), each with its own engine in its own worker.
 * The server's wiretap shows what actually crossed it.
 */
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';
import { prosodyConfig, readWiretap, sentBy, startProsody, stopProsody, type ProsodyConfig, type TestUser } from './prosody.js';
import { ConnectyCubeTransport } from '../../src/ui/connectycube-transport.js';
import {
  connectTransport, connectedCube, keygenDone, mountChat, received, shadow, unmount,
  type Cube, type CubeChatSide,
} from './cube-chat.js';

const FRAGMENT = 4000; // the transport's maxMessageSize, so 20,000 characters need fragments
let config: ProsodyConfig;
const user = (i: number): TestUser => config.users[i]!;

before(async () => {
  config = await prosodyConfig();
});

/** Bodies the given users sent through the server, in order. */
async function bodiesFrom(...users: TestUser[]): Promise<string[]> {
  const entries = sentBy(await readWiretap(), users.map((u) => u.userId), config.appId);
  return entries.map((e) => e.body).filter((b): b is string => b !== null);
}

const bothEncrypted = (a: CubeChatSide, b: CubeChatSide) =>
  until(() => a.el.state === 'encrypted' && b.el.state === 'encrypted', 'both sides encrypted', 30_000);

describe('<e2ee-chat> over ConnectyCube and Prosody: a conversation', () => {
  const hostHeard: { from: number; body: string | null }[] = [];
  let hostCube: Cube;
  let plainCube: Cube;
  let a: CubeChatSide;
  let b: CubeChatSide;
  const big = 'The quick brown fox jumps over the lazy dog: 🦊 ünïcödé <&>.\n'.repeat(400).slice(0, 20_000); // whole code points
  assert(big.length === 20_000 && !/[\uD800-\uDFFF]/.test(big.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')), 'a 20,000-character text, no lone surrogates');
  const plaintexts = ['hello over XMPP, from A', 'hi A, B here: ünïcödé 👋 <b>&amp;</b>', big, 'after the big one'];

  before(async () => {
    // A is a host app with its own SDK instance and its own listener; B lets the transport connect.
    hostCube = await connectedCube(config, user(0));
    hostCube.chat.onMessageListener = (from, message) => { hostHeard.push({ from, body: message.body }); };
    const ta = ConnectyCubeTransport.fromInstance(hostCube, { selfId: user(0).userId, maxMessageSize: FRAGMENT });
    const tb = await connectTransport(config, user(1), FRAGMENT);
    a = mountChat(user(0), user(1), ta);
    b = mountChat(user(1), user(0), tb);
    plainCube = await connectedCube(config, user(2));
    await Promise.all([keygenDone(a), keygenDone(b)]);
  });
  after(async () => {
    await unmount(a, b);
    await hostCube?.chat.disconnect().catch(() => false);
    await plainCube?.chat.disconnect().catch(() => false);
  });

  it('completes the AKE over the server', async () => {
    assertEqual([a.transport.state, b.transport.state], ['connected', 'connected'], 'both online');
    assertEqual(a.el.state, 'plaintext', 'starts not private');
    await a.el.startPrivate();
    await bothEncrypted(a, b);
    assertEqual(b.events['e2ee-status'].at(-1), { peer: String(user(0).userId), state: 'encrypted', theirFingerprint: (await a.engine.identity()).fingerprint, protocolVersion: 3 }, 'B status event');
  });

  it('exchanges messages both ways, one of 20,000 characters in fragments', async () => {
    await a.el.send(plaintexts[0]!);
    await until(() => received(b).length === 1, 'B to receive the first message');
    await b.el.send(plaintexts[1]!);
    await until(() => received(a).length === 1, 'A to receive the reply');
    await a.el.send(plaintexts[2]!);
    await a.el.send(plaintexts[3]!);
    await until(() => received(b).length === 3, 'B to receive the big message and the next', 60_000);
    assertEqual(received(b), [plaintexts[0]!, plaintexts[2]!, plaintexts[3]!].map((text) => ({ text, encrypted: true })), 'B got every text intact, in order');
    assertEqual(received(a), [{ text: plaintexts[1]!, encrypted: true }], 'A got the reply');
    assertEqual(shadow(b).querySelectorAll('li.message.in').length, 3, 'B shows three messages');
    assertEqual(a.events['e2ee-error'], [], 'no errors at A');
    assertEqual(b.events['e2ee-error'], [], 'no errors at B');
  });

  it("leaves the host page's own listener its non-OTR messages", async () => {
    assert(plainCube.chat.isConnected, 'the plain SDK user is online'); // the SDK's send() offline leaves an unhandled rejection
    plainCube.chat.send(user(0).userId, { body: 'plain hello to the host app' });
    await until(() => hostHeard.length === 1, "the host app's listener to hear the plain message");
    assertEqual(hostHeard, [{ from: user(2).userId, body: 'plain hello to the host app' }], 'host heard it, and only it');
    assertEqual(received(a).length, 1, 'the chat with B did not take it');
    // The OTR conversation still works while the host listens.
    await b.el.send('still private');
    await until(() => received(a).length === 2, 'A to receive again');
    assertEqual(hostHeard.length, 1, 'no OTR text reached the host listener');
  });

  it('ends the conversation', async () => {
    await a.el.endPrivate();
    await until(() => a.el.state === 'plaintext' && b.el.state === 'finished', 'A plaintext, B finished', 30_000);
  });

  it('let only OTR wire text cross the server: no plaintext, fragments within the limit', async () => {
    const bodies = await bodiesFrom(user(0), user(1));
    assert(bodies.length >= 10, `enough traffic recorded (${bodies.length})`);
    assert(/^\?OTRv\d*\?/.test(bodies[0]!), `the first body is the OTR query: ${bodies[0]!.slice(0, 40)}`);
    for (const body of bodies.slice(1)) assert(/^\?OTR[:|,]/.test(body), `OTR wire text: ${body.slice(0, 40)}`);
    const fragments = bodies.filter((body) => body.startsWith('?OTR|') || body.startsWith('?OTR,'));
    assert(fragments.length >= 5, `the 20,000 characters went as fragments (${fragments.length})`);
    for (const body of bodies) assert(body.length <= FRAGMENT, `body of ${body.length} within ${FRAGMENT}`);
    const everything = JSON.stringify(await readWiretap());
    for (const text of [...plaintexts, 'still private']) {
      assert(!everything.includes(text.slice(0, 20)), `plaintext never on the server: ${text.slice(0, 20)}`);
    }
    assert(!everything.includes('quick brown fox'), 'not even a piece of the big message');
  });
});

describe('<e2ee-chat require-encryption> over ConnectyCube', () => {
  it('sends no plaintext body to the server, even for a message typed before the AKE', async () => {
    const [ua, ub] = [user(3), user(4)];
    const a = mountChat(ua, ub, await connectTransport(config, ua), { 'require-encryption': '' });
    const b = mountChat(ub, ua, await connectTransport(config, ub));
    try {
      await Promise.all([keygenDone(a), keygenDone(b)]);
      await a.el.updateComplete;
      const secret = 'typed before the AKE: the vault code is 4711';
      await a.el.send(secret);
      await until(() => received(b).some((m) => m.text === secret), 'the early message delivered', 30_000);
      assertEqual(received(b), [{ text: secret, encrypted: true }], 'delivered once, encrypted');
      assertEqual(a.el.state, 'encrypted', 'the AKE was started for it');
      const bodies = await bodiesFrom(ua, ub);
      assert(bodies.length >= 4, `query, AKE and data crossed (${bodies.length})`);
      assert(bodies.every((body) => body.startsWith('?OTR')), `only OTR text: ${bodies.map((x) => x.slice(0, 10)).join(' | ')}`);
      assert(!JSON.stringify(await readWiretap()).includes('vault code'), 'the secret never reached the server');
    } finally {
      await unmount(a, b);
    }
  });
});

describe('<e2ee-chat> over ConnectyCube: the server goes away', () => {
  it('fails visibly while down; after reconnect() a retry delivers it encrypted, nothing lost', async () => {
    const [ua, ub] = [user(5), user(6)];
    const a = mountChat(ua, ub, await connectTransport(config, ua));
    const b = mountChat(ub, ua, await connectTransport(config, ub));
    try {
      await Promise.all([keygenDone(a), keygenDone(b)]);
      await a.el.startPrivate();
      await bothEncrypted(a, b);
      await a.el.send('before the break');
      await until(() => received(b).length === 1, 'the first message');

      await stopProsody(); // every connection drops, for real
      await until(() => a.transport.state === 'disconnected' && b.transport.state === 'disconnected', 'both to notice the drop');
      await a.el.send('sent while the server was down');
      await until(() => a.events['e2ee-error'].some((e) => e.code === 'transport'), 'an e2ee-error with code transport');
      await a.el.updateComplete;
      const failed = shadow(a).querySelector('li.message.out[data-status=failed]');
      assert(failed, 'the failed mark in the message list');
      assert(failed.textContent!.includes('sent while the server was down'), 'on the right message');
      assert(shadow(a).querySelector('[part~=error]'), 'an inline error');
      assertEqual(a.events['e2ee-error'].find((e) => e.code === 'transport')!.peer, String(ub.userId), 'error names the peer');

      await startProsody();
      await b.transport.reconnect();
      await b.el.send('while you were away'); // A is still offline: the server keeps it
      await a.transport.reconnect();
      assertEqual([a.transport.state, b.transport.state], ['connected', 'connected'], 'both back');
      (failed.querySelector('[part=retry]') as HTMLButtonElement).click();
      await until(() => received(b).length === 2 && received(a).length === 1, 'the retry and the stored message', 30_000);
      assertEqual(received(b), [
        { text: 'before the break', encrypted: true },
        { text: 'sent while the server was down', encrypted: true },
      ], 'B got everything A sent, once each');
      assertEqual(received(a), [{ text: 'while you were away', encrypted: true }], 'A got what B sent while A was offline');
      await a.el.updateComplete;
      assertEqual(shadow(a).querySelectorAll('li.message.out[data-status=failed]').length, 0, 'no message left failed');
      const bodies = await bodiesFrom(ua, ub);
      assert(bodies.every((body) => body.startsWith('?OTR')), 'only OTR text crossed, before and after the break');
      assert(!JSON.stringify(await readWiretap()).includes('server was down'), 'the retried text never crossed in plaintext');
    } finally {
      await startProsody(); // in case the test failed while it was down
      await unmount(a, b);
    }
  });
});

