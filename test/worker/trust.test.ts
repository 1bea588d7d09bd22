import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import type { EngineEvent } from '../../src/worker/api.js';
import { linkEngines, until, type Side } from '../helpers/engine-pair.js';

const smpOf = (side: Side) => side.events.flatMap((e) => (e.type === 'smp' ? [e.event] : []));
const results = (side: Side) => smpOf(side).filter((e) => e.type === 'result');

describe('Engine trust: SMP, manual verification, key changes', () => {
  let a: Side;
  let b: Side;
  let bobStore: MemoryStore;
  beforeAll(async () => {
    bobStore = new MemoryStore();
    ({ a, b } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: bobStore })));
    await a.engine.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
  });

  it('SMP with a wrong answer fails on both sides and leaves both encrypted', async () => {
    await a.engine.smpStart('bob', 'blue', 'Favourite colour? 🎨');
    await until(() => smpOf(b).some((e) => e.type === 'question'), 'question');
    expect(smpOf(b).find((e) => e.type === 'question')).toEqual({ type: 'question', question: 'Favourite colour? 🎨', withQuestion: true });
    await b.engine.smpAnswer('alice', 'green');
    await until(() => results(a).length === 1 && results(b).length === 1, 'results', 60_000);
    expect(results(a)[0]).toMatchObject({ success: false });
    expect(results(b)[0]).toMatchObject({ success: false });
    expect([a.state(), b.state()]).toEqual(['encrypted', 'encrypted']);
  });

  it('SMP with the right answer makes both sides verified, and is remembered', async () => {
    await b.engine.smpStart('alice', 'correct horse');
    await until(() => smpOf(a).filter((e) => e.type === 'question').length === 1, 'secret request');
    await a.engine.smpAnswer('bob', 'correct horse');
    await until(() => a.state() === 'verified' && b.state() === 'verified', 'verified', 60_000);
    expect(results(a).at(-1)).toMatchObject({ success: true });
    const fps = await b.engine.fingerprints('alice');
    expect(fps).toHaveLength(1);
    expect(fps[0]!.verified?.by).toBe('smp');
  });

  it('an abort is reported on both sides', async () => {
    await a.engine.smpStart('bob', 'x');
    await until(() => smpOf(b).filter((e) => e.type === 'question').length === 2, 'second request');
    await b.engine.smpAbort('alice');
    await until(() => smpOf(a).some((e) => e.type === 'aborted') && smpOf(b).some((e) => e.type === 'aborted'), 'aborted both');
  });

  it('exports fingerprints in libotr format, listing the verified key', async () => {
    const alice = await a.engine.identity();
    const text = await b.engine.exportFingerprints('bob@example.com', 'prpl-jabber');
    expect(text).toBe(`alice\tbob@example.com\tprpl-jabber\t${alice.fingerprint.replace(/ /g, '').toLowerCase()}\tsmp\n`);
  });

  it('a new key after a verified one: loud warning, state encrypted, never verified automatically', async () => {
    await a.engine.endPrivate('bob');
    await until(() => b.state() === 'finished', 'finished');
    await b.engine.endPrivate('alice');
    const before = b.events.length;
    await a.engine.regenerateKey();
    await a.engine.startPrivate('bob');
    // Alice still sees Bob's unchanged, SMP-verified key; Bob sees a new key from Alice.
    await until(() => a.state() === 'verified' && b.state() === 'encrypted', 're-AKE with a new key');
    const trust = b.events.slice(before).find((e): e is Extract<EngineEvent, { type: 'trust' }> => e.type === 'trust');
    expect(trust).toMatchObject({ isNew: true, replacesVerified: true, verified: false });
    expect(trust!.fingerprint).toBe((await a.engine.identity()).fingerprint);
    expect(b.state()).toBe('encrypted');
  });

  it('manual verification marks the key verified; unmarking and forgetting undo it', async () => {
    const fp = (await a.engine.identity()).fingerprint;
    await b.engine.setVerified('alice', fp, true);
    expect(b.state()).toBe('verified');
    expect((await b.engine.fingerprints('alice')).find((r) => r.fingerprint === fp)?.verified?.by).toBe('manual');
    await b.engine.setVerified('alice', fp, false);
    expect(b.state()).toBe('encrypted');
    await b.engine.forgetPeer('alice');
    expect(await b.engine.fingerprints('alice')).toEqual([]);
  });

  it('verification survives an engine restart on the same store', async () => {
    const fp = (await a.engine.identity()).fingerprint;
    await b.engine.setVerified('alice', fp, true);
    const restarted = new Engine({ store: bobStore });
    expect((await restarted.fingerprints('alice')).find((r) => r.fingerprint === fp)?.verified?.by).toBe('manual');
  });
});

describe('Engine key management', () => {
  it('a key exported in libotr format and imported into a fresh engine has the same fingerprint', async () => {
    const first = new Engine({ store: new MemoryStore() });
    const { fingerprint } = await first.identity();
    const file = await first.exportPrivateKey('libotr', { name: 'alice@example.com', protocol: 'prpl-jabber' });
    expect(file.startsWith('(privkeys')).toBe(true);
    const fresh = new Engine({ store: new MemoryStore() });
    expect((await fresh.importPrivateKey(file, 'libotr')).fingerprint).toBe(fingerprint);
    expect((await fresh.identity()).fingerprint).toBe(fingerprint);
    const viaBase64 = new Engine({ store: new MemoryStore() });
    expect((await viaBase64.importPrivateKey(await first.exportPrivateKey('base64'), 'base64')).fingerprint).toBe(fingerprint);
  });

  it('a conversation opened while a new key is being generated uses the new key', async () => {
    const { a, b } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: new MemoryStore() }));
    const old = (await a.engine.identity()).fingerprint;
    const regenerating = a.engine.regenerateKey();
    await a.engine.startPrivate('bob'); // issued before the new key exists
    const { fingerprint } = await regenerating;
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
    expect(fingerprint).not.toBe(old);
    expect((await b.engine.conversation('alice')).theirFingerprint).toBe(fingerprint);
  });

  it('refuses a broken key file with bad-key and keeps the old key', async () => {
    const engine = new Engine({ store: new MemoryStore() });
    const { fingerprint } = await engine.identity();
    await expect(engine.importPrivateKey('(privkeys (account (name x)))', 'libotr')).rejects.toMatchObject({ code: 'bad-key' });
    await expect(engine.importPrivateKey('xyz', 'pem' as 'base64')).rejects.toMatchObject({ code: 'invalid-input' });
    expect((await engine.identity()).fingerprint).toBe(fingerprint);
  });
});

describe('Engine policy: auto-private', () => {
  it('starts the AKE when the peer shows it speaks OTR: a whitespace-tagged message, or an OTR error', async () => {
    const { a, b } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: new MemoryStore() }));
    await a.engine.configure('bob', { autoPrivate: true });
    await b.engine.configure('alice', { autoPrivate: true });
    await a.engine.send('bob', 'hello in plaintext'); // carries the whitespace tag
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE started by the whitespace tag');
    expect(b.received()[0]).toEqual({ text: 'hello in plaintext', encrypted: false });

    const { a: c, b: d } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: new MemoryStore() }), undefined, ['carol', 'dave']);
    await d.engine.configure('carol', { autoPrivate: true });
    await d.engine.receive('carol', '?OTR Error:You sent encrypted data I was not expecting').catch(() => undefined);
    await until(() => c.state() === 'encrypted' && d.state() === 'encrypted', 'AKE started by an OTR error');
  });

  it('without auto-private, a whitespace tag does not start the AKE', async () => {
    const { a, b } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: new MemoryStore() }));
    await a.engine.configure('bob', { autoPrivate: true });
    await a.engine.send('bob', 'tagged');
    await until(() => b.received().length === 1, 'delivered');
    await new Promise((r) => setTimeout(r, 300));
    expect([a.state(), b.state()]).toEqual([undefined, undefined]);
    expect(b.received()[0]!.text).toBe('tagged');
  });
});
