/**
 * The honest-state suite (Node): every path that changes what the status pill says, with the
 * `status` and `trust` events each must produce, and the attacks that tried to make it lie.
 */
import { describe, expect, it } from 'vitest';
import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import type { EngineEvent } from '../../src/worker/api.js';
import { until, type Side } from '../helpers/engine-pair.js';
import { routeEngines, statusesSince, trustSince, type Routed } from '../helpers/wire-router.js';

const engine = () => new Engine({ store: new MemoryStore() });
const smpOf = (side: Side) => side.events.flatMap((e) => (e.type === 'smp' ? [e.event] : []));
const results = (side: Side) => smpOf(side).filter((e) => e.type === 'result');
const plaintextBodies = (bodies: string[], texts: string[]) => bodies.filter((b) => texts.some((t) => b.includes(t)));

async function privatePair(): Promise<Routed> {
  const routed = await routeEngines(engine(), engine());
  await routed.a.engine.startPrivate('bob');
  await until(() => routed.a.state() === 'encrypted' && routed.b.state() === 'encrypted', 'AKE');
  return routed;
}

async function verifiedPair(): Promise<Routed> {
  const routed = await privatePair();
  await routed.b.engine.setVerified('alice', (await routed.a.engine.identity()).fingerprint, true);
  await routed.a.engine.setVerified('bob', (await routed.b.engine.identity()).fingerprint, true);
  expect([routed.a.state(), routed.b.state()]).toEqual(['verified', 'verified']);
  return routed;
}

/**
 * An attacker on the path: its own key, Alice's instance tag (sent in clear), and Bob's wire text
 * for Alice. It sends Bob a query as Alice and completes a second AKE with its own key.
 */
async function attackBob(routed: Routed, key = IdentityKey.generate()): Promise<{ attacker: OtrSession; fingerprint: string; read: string[] }> {
  const { instanceTag } = await routed.a.engine.identity();
  const attacker = new OtrSession({ key, instanceTag });
  const read: string[] = [];
  attacker.on('wire', ({ text }) => void routed.b.engine.receive('alice', text).catch(() => undefined));
  attacker.on('message', ({ text, encrypted }) => encrypted && read.push(text));
  routed.attacker = (text) => attacker.receive(text);
  routed.path.bobToAlice = 'attacker';
  await routed.b.engine.receive('alice', '?OTRv3?');
  await until(() => attacker.state === 'encrypted' && routed.b.events.some((e) => e.type === 'status' && e.theirFingerprint === attacker.ourFingerprint), 'attacker AKE');
  return { attacker, fingerprint: attacker.ourFingerprint, read };
}

describe('every AKE records the key in use and re-derives the state', () => {
  it('the first AKE: trust (new key), status encrypted with the fingerprint and v3', async () => {
    const { a, b } = await privatePair();
    const alice = await a.engine.identity();
    await until(() => trustSince(b, 0).length === 1, 'trust event');
    expect(trustSince(b, 0)[0]).toMatchObject({ fingerprint: alice.fingerprint, isNew: true, verified: false, replacesVerified: false });
    expect(statusesSince(b, 0).at(-1)).toMatchObject({ state: 'encrypted', theirFingerprint: alice.fingerprint, protocolVersion: 3 });
    expect(statusesSince(b, 0).some((s) => s.state === 'verified')).toBe(false);
  });

  it('a refresh with the same key: trust again (known), verified stays verified', async () => {
    const routed = await verifiedPair();
    const from = routed.b.events.length;
    await routed.a.engine.startPrivate('bob'); // a query inside a private conversation: a new AKE
    await until(() => trustSince(routed.b, from).length === 1 && trustSince(routed.a, 0).length >= 2, 'second AKE');
    expect(trustSince(routed.b, from)[0]).toMatchObject({ isNew: false, verified: true, replacesVerified: false });
    await until(() => routed.b.state() === 'verified', 'verified after refresh');
    expect(statusesSince(routed.b, from).every((s) => s.state === 'verified')).toBe(true);
  });

  it('ATTACK: a second AKE with an attacker key and Alice’s instance tag, Alice verified: key-change warning, never verified', async () => {
    const routed = await verifiedPair();
    const from = routed.b.events.length;
    const { fingerprint, read } = await attackBob(routed);
    await until(() => trustSince(routed.b, from).length === 1, 'trust for the attacker key');
    expect(trustSince(routed.b, from)[0]).toMatchObject({ fingerprint, isNew: true, verified: false, replacesVerified: true });
    const statuses = statusesSince(routed.b, from);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s.state === 'verified')).toEqual([]);
    expect(statuses.at(-1)).toMatchObject({ state: 'encrypted', theirFingerprint: fingerprint });
    expect(await routed.b.engine.conversation('alice')).toMatchObject({ state: 'encrypted', theirFingerprint: fingerprint });
    // The attacker key is on record, unverified, next to Alice's verified one.
    const fps = await routed.b.engine.fingerprints('alice');
    expect(fps.map((f) => [f.fingerprint, !!f.verified])).toEqual([[(await routed.a.engine.identity()).fingerprint, true], [fingerprint, false]]);
    // What Bob types now reaches the attacker: which is why the pill must not say verified.
    await routed.b.engine.send('alice', 'for alice only');
    await until(() => read.includes('for alice only'), 'attacker reads');
  });

  it('ATTACK: the same second AKE when Alice was not verified: the new key is recorded and shown, unverified', async () => {
    const routed = await privatePair();
    const from = routed.b.events.length;
    const { fingerprint } = await attackBob(routed);
    await until(() => trustSince(routed.b, from).length === 1, 'trust');
    expect(trustSince(routed.b, from)[0]).toMatchObject({ fingerprint, isNew: true, verified: false, replacesVerified: false });
    expect(statusesSince(routed.b, from).at(-1)).toMatchObject({ state: 'encrypted', theirFingerprint: fingerprint });
  });

  it('a returning key seen before, while another key is verified, still warns', async () => {
    const routed = await privatePair();
    const alice = (await routed.a.engine.identity()).fingerprint;
    const key = IdentityKey.generate();
    await attackBob(routed, key); // Bob has now seen the attacker's key, unverified
    routed.path.bobToAlice = 'alice';
    await routed.a.engine.startPrivate('bob');
    await until(() => statusesSince(routed.b, 0).at(-1)?.theirFingerprint === alice, 'back to Alice’s key');
    await routed.b.engine.setVerified('alice', alice, true);
    await until(() => routed.b.state() === 'verified', 'Alice verified');
    const from = routed.b.events.length;
    const { fingerprint } = await attackBob(routed, key); // the attacker returns with the same key
    await until(() => trustSince(routed.b, from).length === 1, 'trust');
    expect(trustSince(routed.b, from)[0]).toMatchObject({ fingerprint, isNew: false, verified: false, replacesVerified: true });
    expect(statusesSince(routed.b, from).filter((s) => s.state === 'verified')).toEqual([]);
  });

  it('Alice makes a new key while her end message is lost, then starts again: Bob sees the key change, never the old “verified”', async () => {
    const routed = await verifiedPair();
    const oldKey = (await routed.a.engine.identity()).fingerprint;
    routed.path.aliceToBob = false; // the end message is lost
    await routed.a.engine.regenerateKey();
    routed.path.aliceToBob = true;
    expect(routed.b.state()).toBe('verified'); // Bob can't know yet
    const from = routed.b.events.length;
    await routed.a.engine.startPrivate('bob');
    const newKey = (await routed.a.engine.identity()).fingerprint;
    await until(() => trustSince(routed.b, from).length === 1, 'trust for the new key');
    expect(newKey).not.toBe(oldKey);
    expect(trustSince(routed.b, from)[0]).toMatchObject({ fingerprint: newKey, isNew: true, verified: false, replacesVerified: true });
    await until(() => routed.b.state() === 'encrypted', 'encrypted');
    expect(statusesSince(routed.b, from).filter((s) => s.state === 'verified')).toEqual([]);
    expect(statusesSince(routed.b, from).at(-1)?.theirFingerprint).toBe(newKey);
  });

  it('an end by either side never leaves verified behind', async () => {
    const routed = await verifiedPair();
    await routed.a.engine.endPrivate('bob');
    await until(() => routed.b.state() === 'finished', 'Bob finished');
    expect(routed.a.state()).toBe('plaintext');
    await routed.b.engine.endPrivate('alice');
    expect(routed.b.state()).toBe('plaintext');
    expect((await routed.b.engine.conversation('alice')).theirFingerprint).toBeUndefined();
  });
});

describe('the protocol version is part of the status', () => {
  it('an injected ?OTRv2? moves a v3 conversation to v2, and the status says so', async () => {
    const { a, b } = await privatePair();
    const from = b.events.length;
    await b.engine.receive('alice', '?OTRv2?');
    await until(() => statusesSince(b, from).some((s) => s.protocolVersion === 2), 'v2 status');
    expect(statusesSince(b, from).at(-1)).toMatchObject({ state: 'encrypted', protocolVersion: 2 });
    await until(() => a.events.some((e) => e.type === 'status' && e.protocolVersion === 2), 'Alice sees v2 too');
  });

  it('with allowV2 off, the same injection changes nothing: still v3, and messages flow', async () => {
    const routed = await routeEngines(engine(), engine());
    await routed.b.engine.configure('alice', { allowV2: false });
    await routed.a.engine.startPrivate('bob');
    await until(() => routed.a.state() === 'encrypted' && routed.b.state() === 'encrypted', 'AKE');
    const from = routed.b.events.length;
    await routed.b.engine.receive('alice', '?OTRv2?').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(statusesSince(routed.b, from)).toEqual([]);
    expect(await routed.b.engine.conversation('alice')).toMatchObject({ state: 'encrypted', protocolVersion: 3 });
    await routed.a.engine.send('bob', 'still v3');
    await until(() => routed.b.received().some((m) => m.text === 'still v3' && m.encrypted), 'delivered');
  });

  it('with allowV2 off, a v2-only peer cannot go private at all', async () => {
    const routed = await routeEngines(engine(), engine());
    await routed.b.engine.configure('alice', { allowV2: false });
    await routed.b.engine.receive('alice', '?OTRv2?').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(routed.fromBob.filter((w) => w.startsWith('?OTR:AAI'))).toEqual([]);
    expect((await routed.b.engine.conversation('alice')).state).toBe('plaintext');
  });
});

describe('SMP verifies what it proves (libotr’s rule)', () => {
  it('question & answer: only the asker is verified; after the answerer asks back, both are', async () => {
    const { a, b } = await privatePair();
    await a.engine.smpStart('bob', 'Tarn', 'Where did we camp?');
    await until(() => smpOf(b).some((e) => e.type === 'question'), 'question');
    expect(smpOf(b).find((e) => e.type === 'question')).toEqual({ type: 'question', question: 'Where did we camp?', withQuestion: true });
    await b.engine.smpAnswer('alice', 'Tarn');
    await until(() => results(a).length === 1 && results(b).length === 1, 'results', 60_000);
    expect(results(a)[0]).toMatchObject({ success: true, role: 'asked', withQuestion: true });
    expect(results(b)[0]).toMatchObject({ success: true, role: 'answered', withQuestion: true });
    await until(() => a.state() === 'verified', 'asker verified');
    await new Promise((r) => setTimeout(r, 200));
    expect(b.state()).toBe('encrypted');
    expect((await b.engine.fingerprints('alice'))[0]!.verified).toBeUndefined();
    // Bob asks his own question.
    await b.engine.smpStart('alice', 'blue', 'Colour of the tent?');
    await until(() => smpOf(a).some((e) => e.type === 'question'), 'Bob’s question');
    await a.engine.smpAnswer('bob', 'blue');
    await until(() => b.state() === 'verified', 'Bob verified Alice', 60_000);
    expect(a.state()).toBe('verified');
  });

  it('shared secret without a question: both sides verified', async () => {
    const { a, b } = await privatePair();
    await a.engine.smpStart('bob', 'correct horse');
    await until(() => smpOf(b).some((e) => e.type === 'question'), 'request');
    expect(smpOf(b).find((e) => e.type === 'question')).toEqual({ type: 'question', question: '', withQuestion: false });
    await b.engine.smpAnswer('alice', 'correct horse');
    await until(() => a.state() === 'verified' && b.state() === 'verified', 'both verified', 60_000);
  });

  it('a wrong secret verifies no one, in either mode', async () => {
    const { a, b } = await privatePair();
    for (const question of [undefined, 'Q?']) {
      const before = results(a).length;
      await a.engine.smpStart('bob', 'right', question);
      await until(() => smpOf(b).filter((e) => e.type === 'question').length === before + 1, 'request');
      await b.engine.smpAnswer('alice', 'wrong');
      await until(() => results(a).length === before + 1 && results(b).length === before + 1, 'results', 60_000);
    }
    expect([...results(a), ...results(b)].every((r) => r.type === 'result' && !r.success)).toBe(true);
    expect([a.state(), b.state()]).toEqual(['encrypted', 'encrypted']);
  });

  it('a manual fingerprint check verifies on our side only', async () => {
    const { a, b } = await privatePair();
    await b.engine.setVerified('alice', (await a.engine.identity()).fingerprint, true);
    expect(b.state()).toBe('verified');
    expect(a.state()).toBe('encrypted');
  });
});

describe('messages typed under require-encryption: held, never plaintext, never dropped', () => {
  it('a message sent with requireEncryption is held even while the conversation’s setting is off', async () => {
    const routed = await routeEngines(engine(), engine());
    await routed.a.engine.send('bob', 'typed under require-encryption', undefined, { requireEncryption: true });
    await until(() => routed.a.state() === 'encrypted' && routed.b.state() === 'encrypted', 'the held message asked for the AKE');
    await until(() => routed.b.received().some((m) => m.text === 'typed under require-encryption'), 'delivered');
    expect(routed.b.received()).toEqual([{ text: 'typed under require-encryption', encrypted: true }]);
    expect(plaintextBodies(routed.fromAlice, ['typed under'])).toEqual([]);
  });

  it('rejects a malformed policy with invalid-input', async () => {
    await expect(engine().send('bob', 'x', undefined, { requireEncryption: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'invalid-input' });
  });

  for (const change of ['regenerateKey', 'importPrivateKey'] as const) {
    it(`held messages survive ${change}(): delivered encrypted in the next private conversation`, async () => {
      const routed = await routeEngines(engine(), engine());
      routed.path.aliceToBob = false; // Bob never answers the first query: the messages stay held
      await routed.a.engine.configure('bob', { requireEncryption: true });
      await routed.a.engine.send('bob', 'held one', 'm1');
      await routed.a.engine.send('bob', 'held two 🔐', 'm2');
      expect(routed.a.events.filter((e) => e.type === 'held').map((e) => (e as { messageId?: string }).messageId)).toEqual(['m1', 'm2']);
      routed.path.aliceToBob = true;
      const key = IdentityKey.generate();
      const info = change === 'regenerateKey' ? await routed.a.engine.regenerateKey() : await routed.a.engine.importPrivateKey(key.toBase64(), 'base64');
      if (change === 'importPrivateKey') expect(info.fingerprint).toBe(key.fingerprint);
      await until(() => routed.b.received().length === 2, 'both delivered', 30_000);
      expect(routed.b.received()).toEqual([{ text: 'held one', encrypted: true }, { text: 'held two 🔐', encrypted: true }]);
      expect((await routed.b.engine.conversation('alice')).theirFingerprint).toBe(info.fingerprint);
      const wires = routed.a.events.filter((e): e is Extract<EngineEvent, { type: 'wire' }> => e.type === 'wire' && e.messageId !== undefined);
      expect(wires.map((w) => [w.messageId, w.encrypted])).toEqual([['m1', true], ['m2', true]]);
      expect(plaintextBodies(routed.fromAlice, ['held one', 'held two'])).toEqual([]);
    });
  }
});
