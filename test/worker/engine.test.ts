import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import { linkEngines, scenarioMessages, until, type Side } from '../helpers/engine-pair.js';

describe('Engine (in-process, Node)', () => {
  let a: Side;
  let b: Side;
  beforeAll(async () => {
    ({ a, b } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: new MemoryStore() })));
    await Promise.all([a.engine.identity(), b.engine.identity()]);
  });

  async function converse(from: Side, to: Side, texts: string[]) {
    for (const [i, text] of texts.entries()) {
      const [sender, receiver] = i % 2 === 0 ? [from, to] : [to, from];
      const before = receiver.received().length;
      await sender.engine.send(receiver.name, text);
      await until(() => receiver.received().length === before + 1, `message ${i}`);
      expect(receiver.received().at(-1)).toEqual({ text, encrypted: true });
    }
  }

  it('completes the AKE: both sides encrypted, fingerprints cross-checked', async () => {
    await a.engine.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
    const [ia, ib] = [await a.engine.identity(), await b.engine.identity()];
    expect((await a.engine.conversation('bob')).theirFingerprint).toBe(ib.fingerprint);
    expect((await b.engine.conversation('alice')).theirFingerprint).toBe(ia.fingerprint);
    expect(ia.fingerprint).toMatch(/^([0-9A-F]{8} ){4}[0-9A-F]{8}$/);
    expect(ia.fingerprint).not.toBe(ib.fingerprint);
  });

  it('exchanges 50 messages in alternating directions, all intact and encrypted', async () => {
    await converse(a, b, scenarioMessages());
    expect(a.errors().filter((e) => !e.warning)).toEqual([]);
    expect(b.errors().filter((e) => !e.warning)).toEqual([]);
  });

  it('ends, starts a private conversation again, and keeps talking', async () => {
    await a.engine.endPrivate('bob');
    await until(() => a.state() === 'plaintext' && b.state() === 'finished', 'end');
    await b.engine.endPrivate('alice');
    await until(() => b.state() === 'plaintext', 'bob ends too');
    await b.engine.startPrivate('alice');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 're-AKE');
    await converse(b, a, ['after the re-AKE', 'still private ✓', 'שלום again']);
  });

  it('holds a message sent after the peer ended, instead of sending it in plaintext', async () => {
    await b.engine.endPrivate('alice');
    await until(() => a.state() === 'finished', 'alice sees finished');
    const wireBefore = a.events.filter((e) => e.type === 'wire').length;
    const id = await a.engine.send('bob', 'typed after bob left');
    await until(() => a.events.some((e) => e.type === 'held' && e.messageId === id), 'held event');
    expect(a.events.filter((e) => e.type === 'wire').length).toBe(wireBefore);
    expect(b.received().map((m) => m.text)).not.toContain('typed after bob left');
  });
});

describe('Engine: bad input through receive', () => {
  let a: Side;
  let b: Side;
  beforeAll(async () => {
    ({ a, b } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: new MemoryStore() })));
    await a.engine.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
  });

  async function stillWorks(text: string) {
    const before = b.received().length;
    await a.engine.send('bob', text);
    await until(() => b.received().length === before + 1, 'next valid message');
    expect(b.received().at(-1)).toEqual({ text, encrypted: true });
  }

  const cases: [string, () => unknown, string][] = [
    ['random bytes', () => String.fromCharCode(...Array.from({ length: 300 }, (_, i) => (i * 7919) % 256)), 'unencrypted-received'],
    ['a truncated data message', () => '?OTR:AAMDq83vEgAAAQAAAAEAAAABAAAAwA==', 'malformed'],
    ['a garbled data message', () => '?OTR:!!!not base64 at all###.', 'malformed'],
    ['a 1 MB string', () => '?OTR:' + 'A'.repeat(1024 * 1024), 'too-large'],
    ['a number', () => 42, 'invalid-input'],
    ['an object', () => ({ evil: true }), 'invalid-input'],
    ['null', () => null, 'invalid-input'],
  ];

  for (const [name, make, code] of cases) {
    it(`${name} → a typed error (${code}), and the next message still decrypts`, async () => {
      const errorsBefore = b.errors().length;
      const result = await b.engine.receive('alice', make() as string).then(
        () => undefined,
        (e: unknown) => e,
      );
      const reported = b.errors().slice(errorsBefore);
      const codes = [...reported.map((e) => e.code), (result as { code?: string } | undefined)?.code];
      expect(codes).toContain(code);
      expect(b.state()).toBe('encrypted');
      await stillWorks(`after ${name}`);
    });
  }

  it('a tampered ciphertext is unreadable, and the next message still decrypts', async () => {
    const captured: string[] = [];
    const off = await a.engine.subscribe((e) => { if (e.type === 'wire') captured.push(e.text); });
    await a.engine.send('bob', 'original');
    await until(() => b.received().some((m) => m.text === 'original'), 'original');
    await a.engine.unsubscribe(off);
    const data = captured.find((t) => t.startsWith('?OTR:'))!;
    const bytes = atob(data.slice(5, -1));
    const flipped = bytes.slice(0, -30) + String.fromCharCode(bytes.charCodeAt(bytes.length - 30) ^ 1) + bytes.slice(-29);
    await expect(b.engine.receive('alice', `?OTR:${btoa(flipped)}.`)).rejects.toMatchObject({ code: 'unreadable' });
    await stillWorks('after tampering');
  });
});

describe('Engine: fragmentation', () => {
  it('keeps every wire text within the fragment size and reassembles a 5,000-character message', async () => {
    const { a, b, wire } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: new MemoryStore() }));
    await a.engine.configure('bob', { fragmentSize: 140 });
    await b.engine.configure('alice', { fragmentSize: 140 });
    await a.engine.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE with fragments');
    const text = 'Fragmented ✓ '.repeat(385);
    await a.engine.send('bob', text);
    await b.engine.send('alice', text);
    await until(() => a.received().length === 1 && b.received().length === 1, 'both long messages');
    expect(b.received()[0]).toEqual({ text, encrypted: true });
    expect(a.received()[0]).toEqual({ text, encrypted: true });
    expect(Math.max(...wire.map((w) => w.length))).toBeLessThanOrEqual(140);
    expect(wire.filter((w) => w.startsWith('?OTR|')).length).toBeGreaterThan(50);
  });

  it('refuses a fragment size too small to carry anything', async () => {
    const engine = new Engine({ store: new MemoryStore() });
    await expect(engine.configure('bob', { fragmentSize: 20 })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});

describe('Engine: a broken store', () => {
  it('a store that throws gives a typed store error, and nothing is overwritten', async () => {
    const store = new MemoryStore();
    store.get = async () => { throw new Error('IndexedDB is unavailable'); };
    const engine = new Engine({ store });
    await expect(engine.identity()).rejects.toMatchObject({ code: 'store', message: expect.stringContaining('IndexedDB is unavailable') });
  });

  it('a damaged identity record is reported, not silently replaced', async () => {
    const store = new MemoryStore();
    await store.set('identity', { version: 1, key: 42 });
    const engine = new Engine({ store });
    await expect(engine.identity()).rejects.toMatchObject({ code: 'store' });
    expect(await store.get('identity')).toEqual({ version: 1, key: 42 });
    await store.set('identity', { version: 1, key: 'not a key', instanceTag: 4096 });
    await expect(new Engine({ store }).identity()).rejects.toMatchObject({ code: 'bad-key' });
  });
});

describe('Engine: text that is not valid Unicode', () => {
  it('refuses a lone surrogate with invalid-input before anything is sent', async () => {
    const engine = new Engine({ store: new MemoryStore() });
    await expect(engine.send('bob', 'broken \uD83D text')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(engine.send('bob', 'fine 😀 text')).resolves.toEqual(expect.any(String));
  });
});
