/**
 * The honest-state suite in Chromium, through the real element and real workers: settings can never
 * lag behind a send (no plaintext under `require-encryption` in any race), status events follow the
 * key and version in use, and SMP with a question verifies only the asker.
 */
import '../../src/ui/e2ee-chat.js';
import type { E2eeChat } from '../../src/ui/e2ee-chat.js';
import { LoopbackTransport, startEngine } from '../../src/ui/index.js';
import * as Comlink from 'comlink';
import type { Attacker } from '../helpers/attacker-worker.js';
import { RecordingTransport } from '../helpers/recording-transport.js';
import { mount, pairOfChats, unmount, type Mounted } from '../helpers/chat-fixture.js';
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';

const unique = (p: string) => `${p}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
/** Bodies that carried `text` in the clear. */
const leaks = (t: RecordingTransport, text: string) => t.sent.filter((s) => s.body.includes(text));
const received = (m: Mounted, text: string) => m.events['e2ee-message'].find((e) => e.direction === 'in' && e.text === text);
const delivered = (m: Mounted, text: string) => until(() => received(m, text) !== undefined, `“${text}” delivered`, 90_000);
const isPrivate = (el: E2eeChat) => el.state === 'encrypted' || el.state === 'verified';

async function bobFor(transport: LoopbackTransport): Promise<Mounted> {
  const bob = mount('bob', 'alice', transport);
  await bob.el.ready;
  return bob;
}

describe('<e2ee-chat require-encryption>: settings never lag behind a send', () => {
  it('(a) a new element on an engine whose key is loaded, sending right after updateComplete: no plaintext', async () => {
    const [ta, tb] = LoopbackTransport.pair('alice', 'bob');
    const bob = await bobFor(tb);
    const engine = startEngine({ name: unique('race-a') });
    await engine.identity(); // the key is loaded: attach is as fast as it gets
    const el = document.createElement('e2ee-chat');
    el.setAttribute('require-encryption', '');
    const transport = new RecordingTransport(ta);
    Object.assign(el, { peer: 'bob', engine, transport });
    document.body.append(el);
    await el.updateComplete;
    await el.send('race a secret');
    await delivered(bob, 'race a secret');
    assertEqual(leaks(transport, 'race a secret'), [], 'plaintext bodies');
    assert(received(bob, 'race a secret')!.encrypted, 'delivered encrypted');
    el.remove();
    engine.terminate();
    unmount(bob);
  });

  it('(b) changing peer, then sending at once: goes to the new peer, encrypted', async () => {
    const channel = unique('race-b');
    const ta = new LoopbackTransport('alice', { channel });
    const bob = await bobFor(new LoopbackTransport('bob', { channel }));
    const alice = mount('alice', 'carol', ta, { 'require-encryption': '' });
    await alice.el.ready;
    alice.el.peer = 'bob';
    await alice.el.send('race b secret');
    await delivered(bob, 'race b secret');
    assertEqual(leaks(alice.transport, 'race b secret'), [], 'plaintext bodies');
    assert(received(bob, 'race b secret')!.encrypted, 'delivered encrypted');
    assertEqual(alice.transport.sent.filter((s) => s.peer === 'carol' && s.body.includes('race b')), [], 'nothing to the old peer');
    unmount(alice, bob);
  });

  it('(c) setting requireEncryption and sending in the same tick: held, then encrypted', async () => {
    const [ta, tb] = LoopbackTransport.pair('alice', 'bob');
    const bob = await bobFor(tb);
    const alice = mount('alice', 'bob', ta);
    await alice.el.ready;
    alice.el.requireEncryption = true;
    const sending = alice.el.send('race c secret');
    await sending;
    await delivered(bob, 'race c secret');
    assertEqual(leaks(alice.transport, 'race c secret'), [], 'plaintext bodies');
    unmount(alice, bob);
  });

  it('a send before the transport is set waits for it instead of failing', async () => {
    const [ta, tb] = LoopbackTransport.pair('alice', 'bob');
    const bob = await bobFor(tb);
    const el = document.createElement('e2ee-chat');
    el.setAttribute('require-encryption', '');
    const engine = startEngine({ name: unique('early') });
    Object.assign(el, { peer: 'bob', engine });
    document.body.append(el);
    const sending = el.send('sent before the transport');
    const transport = new RecordingTransport(ta);
    el.transport = transport;
    await sending;
    await delivered(bob, 'sent before the transport');
    assertEqual(leaks(transport, 'sent before the transport'), [], 'plaintext bodies');
    el.remove();
    engine.terminate();
    unmount(bob);
  });

  it('every other path: during the AKE, after either side ends, after regenerate and import, and on Retry', async () => {
    const [alice, bob] = pairOfChats({ 'require-encryption': '' });
    await Promise.all([alice.el.ready, bob.el.ready]);
    const texts: string[] = [];
    const say = async (text: string) => { texts.push(text); await alice.el.send(text); };
    const startingAke = alice.el.startPrivate();
    await say('during the AKE');
    await startingAke;
    await until(() => isPrivate(alice.el) && isPrivate(bob.el), 'private', 90_000);
    await delivered(bob, 'during the AKE');
    // Alice ends: she is plaintext, the message is held and asks for a new AKE.
    await alice.el.endPrivate();
    await say('after I ended');
    await delivered(bob, 'after I ended');
    // Bob ends: Alice is finished; her message waits; she ends and starts again.
    await until(() => isPrivate(alice.el), 'private again', 90_000);
    await bob.el.endPrivate();
    await until(() => alice.el.state === 'finished', 'Alice finished');
    await say('after Bob ended');
    await alice.el.endPrivate();
    await alice.el.startPrivate();
    await delivered(bob, 'after Bob ended');
    // A new key, and an imported one.
    await alice.el.regenerateKey();
    await say('after a new key');
    await delivered(bob, 'after a new key');
    await until(() => isPrivate(alice.el), 'private after regenerate', 90_000);
    const keySource = startEngine({ name: unique('key-source') });
    await alice.el.importPrivateKey(await keySource.exportPrivateKey('base64'));
    keySource.terminate();
    await say('after an import');
    await delivered(bob, 'after an import');
    // Retry: a message fails on a lost connection, Alice ends meanwhile, Retry holds it until private.
    await until(() => isPrivate(alice.el), 'private after import', 90_000);
    const loop = alice.transport.inner as LoopbackTransport;
    loop.disconnect();
    await say('on retry');
    await until(() => alice.el.shadowRoot!.querySelector('.message.out[data-status=failed]') !== null, 'failed mark');
    await alice.el.endPrivate(); // the end message is lost too
    loop.connect();
    await alice.el.updateComplete;
    (alice.el.shadowRoot!.querySelector('[part=retry]') as HTMLButtonElement).click();
    await delivered(bob, 'on retry');
    for (const text of texts) {
      assertEqual(leaks(alice.transport, text), [], `plaintext bodies of “${text}”`);
      assert(received(bob, text)!.encrypted, `“${text}” delivered encrypted`);
    }
    unmount(alice, bob);
  });
});

describe('the engine client carries the policy at Send into the worker', () => {
  it('send(…, {requireEncryption: true}) through a real worker is held, never plaintext', async () => {
    const engine = startEngine({ name: unique('policy') });
    const events: { type: string; text?: string }[] = [];
    await engine.subscribe(Comlink.proxy((e: { type: string; text?: string }) => void events.push(e)));
    await engine.send('bob', 'policy travels', 'p1', { requireEncryption: true });
    await until(() => events.some((e) => e.type === 'held'), 'held');
    await until(() => events.some((e) => e.type === 'wire' && !!e.text?.startsWith('?OTR')), 'a query asks for the private conversation');
    assertEqual(events.filter((e) => e.type === 'wire' && e.text?.includes('policy travels')), [], 'no plaintext wire');
    engine.terminate();
  });
});

describe('<e2ee-chat>: status follows the key and version in use', () => {
  it('e2ee-status carries the fingerprint and version, and fires again when only the version changes', async () => {
    const [alice, bob] = pairOfChats();
    await alice.el.startPrivate();
    await until(() => isPrivate(alice.el) && isPrivate(bob.el), 'private', 90_000);
    const aliceFp = (await alice.engine.identity()).fingerprint;
    await until(() => bob.events['e2ee-status'].at(-1)?.theirFingerprint === aliceFp, 'status with fingerprint');
    assertEqual(bob.events['e2ee-status'].at(-1)?.protocolVersion, 3, 'v3');
    const before = bob.events['e2ee-status'].length;
    await bob.engine.receive('alice', '?OTRv2?'); // injected: a downgrade
    await until(() => bob.events['e2ee-status'].slice(before).some((s) => s.protocolVersion === 2 && s.state === 'encrypted'), 'status event for v2');
    await bob.el.updateComplete;
    const status = bob.el.shadowRoot!.querySelector('[part=status]')!;
    assert(status.textContent!.includes('v2'), `status says v2: ${status.textContent}`);
    const notice = bob.el.shadowRoot!.querySelector('[part~=notice][data-kind=version-changed]');
    assert(notice && notice.textContent!.includes('OTR v2'), 'a visible notice of the version change');
    unmount(alice, bob);
  });

  it('require-v3: the same injection changes nothing', async () => {
    const [ta, tb] = LoopbackTransport.pair('alice', 'bob');
    const alice = mount('alice', 'bob', ta);
    const bob = mount('bob', 'alice', tb, { 'require-v3': '' });
    await Promise.all([alice.el.ready, bob.el.ready]);
    await alice.el.startPrivate();
    await until(() => isPrivate(alice.el) && isPrivate(bob.el), 'private', 90_000);
    const before = bob.events['e2ee-status'].length;
    await bob.engine.receive('alice', '?OTRv2?').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    assertEqual(bob.events['e2ee-status'].slice(before), [], 'no status change');
    assertEqual((await bob.engine.conversation('alice')).protocolVersion, 3, 'still v3');
    unmount(alice, bob);
  });
});

describe('<e2ee-chat>: what the element shows on each key exchange', () => {
  const shown = (m: Mounted) => m.el.shadowRoot!.querySelector('[part=status]')!.getAttribute('data-state');

  it('refresh keeps verified; an attacker’s second AKE with Alice’s instance tag gives the warning and never “verified”', async () => {
    const [alice, bob] = pairOfChats();
    await alice.el.startPrivate();
    await until(() => isPrivate(alice.el) && isPrivate(bob.el), 'private', 90_000);
    const aliceId = await alice.engine.identity();
    await bob.engine.setVerified('alice', aliceId.fingerprint, true);
    await until(() => bob.el.state === 'verified', 'verified');
    // A refresh: a second AKE with the same key.
    let from = bob.events['e2ee-trust'].length;
    await alice.el.startPrivate();
    await until(() => bob.events['e2ee-trust'].length > from, 'trust on refresh', 60_000);
    assertEqual(bob.events['e2ee-trust'].at(-1), { peer: 'alice', fingerprint: aliceId.fingerprint, verified: true, isNew: false, replacesVerified: false }, 'refresh trust');
    await bob.el.updateComplete;
    assertEqual(shown(bob), 'verified', 'still verified after a refresh');
    // The attacker: Bob's wire text for Alice now goes to it, and it answers as Alice.
    const worker = new Worker(new URL('../helpers/attacker-worker.ts', import.meta.url), { type: 'module' });
    const attacker = Comlink.wrap<Attacker>(worker);
    const attackerFp = await attacker.start(aliceId.instanceTag, Comlink.proxy((text: string) => void bob.engine.receive('alice', text)));
    const inner = bob.transport.inner as LoopbackTransport;
    const send = inner.send.bind(inner);
    inner.send = async (_peer, body) => attacker.receive(body);
    from = bob.events['e2ee-status'].length;
    const trustFrom = bob.events['e2ee-trust'].length;
    await attacker.receive('?OTRv3?');
    await until(() => bob.events['e2ee-status'].slice(from).some((e) => e.theirFingerprint === attackerFp), 'Bob on the attacker key', 60_000);
    await until(() => bob.events['e2ee-trust'].length > trustFrom, 'trust for the attacker key');
    await bob.el.updateComplete;
    assertEqual(bob.events['e2ee-status'].slice(from).filter((e) => e.state === 'verified'), [], 'never verified');
    assertEqual(shown(bob), 'encrypted', 'the pill');
    assert(bob.el.shadowRoot!.querySelector('[part=key-change][role=alert]'), 'the key-change warning');
    assertEqual(bob.events['e2ee-trust'].slice(trustFrom).map((t) => [t.fingerprint, t.isNew, t.replacesVerified]), [[attackerFp, true, true]], 'trust event');
    inner.send = send;
    worker.terminate();
    unmount(alice, bob);
  });
});
