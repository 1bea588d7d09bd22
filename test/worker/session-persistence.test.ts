/**
 * Conversations outlive the engine: a new engine on the same store (a reloaded page) goes on with
 * the stored conversation; `ephemeral` keeps nothing; keys that rotate out leave the store.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { IdentityKey } from '../../src/protocol/index.js';
import type { EngineEvent } from '../../src/worker/api.js';
import { SEND_SAVE_DELAY_MS } from '../../src/worker/conversation.js';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import { side, until, type Side } from '../helpers/engine-pair.js';

/** Alice and Bob over a wire where Alice's engine can be replaced (her page reloads). */
async function line(aliceStore: MemoryStore, bobStore: MemoryStore) {
  const sides = { a: side('alice', new Engine({ store: aliceStore })), b: side('bob', new Engine({ store: bobStore })) };
  const lost: string[] = [];
  const connect = async (from: 'a' | 'b') => {
    const me = sides[from];
    await me.engine.subscribe((event: EngineEvent) => {
      if (sides[from] !== me) return; // a replaced engine is gone
      me.events.push(event);
      const to = sides[from === 'a' ? 'b' : 'a'];
      if (event.type === 'wire' && event.peer === to.name) void to.engine.receive(me.name, event.text).catch((e: Error) => lost.push(e.message));
    });
  };
  await connect('a');
  await connect('b');
  return {
    sides,
    lost,
    /** Alice's page reloads: her engine is replaced by a new one on the same store. */
    async reload(store = aliceStore): Promise<Side> {
      sides.a = side('alice', new Engine({ store }));
      await connect('a');
      return sides.a;
    },
  };
}

const texts = (s: Side) => s.received().filter((m) => m.encrypted).map((m) => m.text);
const storedSessions = async (store: MemoryStore) => (await store.keys()).filter((k) => k.startsWith('session:'));

describe('sessions that outlive the engine', () => {
  let aliceKey: string;
  let bobKey: string;
  beforeAll(() => {
    aliceKey = IdentityKey.generate().toBase64();
    bobKey = IdentityKey.generate().toBase64();
  });

  async function privateLine() {
    const aliceStore = new MemoryStore();
    const bobStore = new MemoryStore();
    const l = await line(aliceStore, bobStore);
    await l.sides.a.engine.importPrivateKey(aliceKey, 'base64');
    await l.sides.b.engine.importPrivateKey(bobKey, 'base64');
    await l.sides.a.engine.startPrivate('bob');
    await until(() => l.sides.a.state() === 'encrypted' && l.sides.b.state() === 'encrypted', 'the AKE');
    return { ...l, aliceStore, bobStore };
  }

  it('a reloaded engine reads what the peer sends in the same session, and answers', async () => {
    const { sides, reload, aliceStore, lost } = await privateLine();
    const bob = sides.b;
    for (let i = 0; i < 3; i++) {
      await bob.engine.send('alice', `before ${i}`);
      await sides.a.engine.send('bob', `reply ${i}`);
    }
    await until(() => texts(sides.a).length === 3 && texts(bob).length === 3, 'the first messages');
    await new Promise((r) => setTimeout(r, 20)); // the store write after the last change
    const alice = await reload();
    expect(await alice.engine.conversation('bob')).toMatchObject({ state: 'encrypted', protocolVersion: 3 });
    for (let i = 0; i < 5; i++) await bob.engine.send('alice', `after ${i}`);
    await until(() => texts(alice).length === 5, 'the messages after the reload');
    expect(texts(alice)).toEqual([0, 1, 2, 3, 4].map((i) => `after ${i}`));
    expect(alice.errors().filter((e) => !e.warning)).toEqual([]);
    await alice.engine.send('bob', 'the reloaded side answers');
    await until(() => texts(bob).includes('the reloaded side answers'), 'the answer');
    expect(bob.errors().filter((e) => !e.warning)).toEqual([]);
    expect(lost).toEqual([]);
    expect(await storedSessions(aliceStore)).toHaveLength(1);
  });

  it('keeps the verification of the key in use across the reload, and never a stale one', async () => {
    const { sides, reload } = await privateLine();
    const fp = (await sides.a.engine.conversation('bob')).theirFingerprint!;
    await sides.a.engine.setVerified('bob', fp, true);
    await until(() => sides.a.state() === 'verified', 'verified');
    await new Promise((r) => setTimeout(r, 20));
    const alice = await reload();
    expect((await alice.engine.conversation('bob')).state).toBe('verified');
    await alice.engine.setVerified('bob', fp, false);
    await new Promise((r) => setTimeout(r, 20));
    const again = await reload();
    expect((await again.engine.conversation('bob')).state).toBe('encrypted');
  });

  it('deletes the stored state when the conversation ends, and keeps none when ephemeral', async () => {
    const { sides, aliceStore, reload } = await privateLine();
    await new Promise((r) => setTimeout(r, 20));
    expect(await storedSessions(aliceStore)).toHaveLength(1);
    await sides.a.engine.configure('bob', { ephemeral: true });
    expect(await storedSessions(aliceStore)).toEqual([]); // at once
    await sides.b.engine.send('alice', 'while ephemeral');
    await until(() => texts(sides.a).includes('while ephemeral'), 'the message');
    await new Promise((r) => setTimeout(r, 20));
    expect(await storedSessions(aliceStore)).toEqual([]);
    await sides.a.engine.configure('bob', { ephemeral: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(await storedSessions(aliceStore)).toHaveLength(1);
    await sides.a.engine.endPrivate('bob');
    await new Promise((r) => setTimeout(r, 20));
    expect(await storedSessions(aliceStore)).toEqual([]);
    const alice = await reload();
    expect((await alice.engine.conversation('bob')).state).toBe('plaintext');
  });

  it('forgets DH keys that rotated out (forward secrecy at rest)', async () => {
    const { sides, aliceStore } = await privateLine();
    await new Promise((r) => setTimeout(r, 20));
    const [key] = await storedSessions(aliceStore);
    const first = await aliceStore.get<{ otr: { ourDh: { privateKey: string }; ourOldDh: { privateKey: string } } }>(key!);
    const early = [first!.otr.ourDh.privateKey, first!.otr.ourOldDh.privateKey];
    // Each direction change rotates one key on each side: two changes retire both early keys.
    for (let i = 0; i < 3; i++) {
      await sides.b.engine.send('alice', `b${i}`);
      await until(() => texts(sides.a).length === i + 1, 'Bob → Alice');
      await sides.a.engine.send('bob', `a${i}`);
      await until(() => texts(sides.b).length === i + 1, 'Alice → Bob');
    }
    await new Promise((r) => setTimeout(r, SEND_SAVE_DELAY_MS + 30)); // her last send is stored after a quiet moment
    const dump = JSON.stringify(await Promise.all((await aliceStore.keys()).map((k) => aliceStore.get(k))));
    for (const old of early) expect(dump.includes(old)).toBe(false);
  });

  it('starts afresh, and says so, when the stored state was made with a key we no longer have', async () => {
    const { sides, aliceStore, reload } = await privateLine();
    await new Promise((r) => setTimeout(r, 20));
    await sides.a.engine.regenerateKey(); // ends the conversation: nothing to go on with
    await new Promise((r) => setTimeout(r, 20));
    expect(await storedSessions(aliceStore)).toEqual([]);
    // A damaged record is refused the same way.
    const tag = (await sides.a.engine.identity()).instanceTag;
    await aliceStore.set(`session:${tag}:bob`, { ourFingerprint: 'x', otr: { format: 1 } });
    const alice = await reload();
    expect((await alice.engine.conversation('bob')).state).toBe('plaintext');
    expect(alice.errors().map((e) => e.code)).toContain('store');
    expect(await storedSessions(aliceStore)).toEqual([]);
  });
});
