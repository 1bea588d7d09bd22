/**
 * Issue 12, "Nothing lost", through the engine: Bob reloads without persistence (`ephemeral`: a new
 * engine on the same store: same key, same instance tag, no session); what Alice sent meanwhile reaches him
 * re-sent, once each, and every message ends `acknowledged` or `failed` on Alice's side.
 */
import { describe, expect, it } from 'vitest';

import type { EngineApi, EngineEvent } from '../../src/worker/api.js';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import { until } from '../helpers/engine-pair.js';

type Delivery = Extract<EngineEvent, { type: 'delivery' }>;
type Message = Extract<EngineEvent, { type: 'message' }>;

describe('Engine: resend after the peer reloaded', () => {
  it('re-sends the 5 messages Bob could not read; he shows each once, flagged resent; each ends resent, then acknowledged', async () => {
    const aliceEvents: EngineEvent[] = [];
    const bobEvents: EngineEvent[] = [];
    const alice = new Engine({ store: new MemoryStore() });
    const bobStore = new MemoryStore();
    let bob: EngineApi = new Engine({ store: bobStore });
    const listenBob = async (engine: EngineApi) => {
      await engine.subscribe((event) => {
        if (engine !== bob) return; // the engine before the reload is gone
        bobEvents.push(event);
        if (event.type === 'wire' && event.peer === 'alice') void alice.receive('bob', event.text).catch(() => undefined);
      });
    };
    await alice.subscribe((event) => {
      aliceEvents.push(event);
      if (event.type === 'wire' && event.peer === 'bob') void bob.receive('alice', event.text).catch(() => undefined);
    });
    await listenBob(bob);
    await bob.configure('alice', { ephemeral: true }); // Bob keeps no session across the reload
    await Promise.all([alice.identity(), bob.identity()]);
    const state = (events: EngineEvent[]) => events.filter((e) => e.type === 'status').at(-1)?.state;
    const shown = () => bobEvents.filter((e): e is Message => e.type === 'message');
    const outcomes = (id: string) => aliceEvents.filter((e): e is Delivery => e.type === 'delivery' && e.messageId === id).map((e) => e.outcome);

    await alice.startPrivate('bob');
    await until(() => state(aliceEvents) === 'encrypted' && state(bobEvents) === 'encrypted', 'AKE');
    const first = await alice.send('bob', 'before the reload');
    await until(() => shown().length === 1, 'first message');
    await bob.send('alice', 'got it');
    await until(() => outcomes(first).includes('acknowledged'), 'first acknowledged');

    // Bob reloads: a new engine on the same store (same key and instance tag), no session.
    bob = new Engine({ store: bobStore });
    bobEvents.length = 0;
    await listenBob(bob);
    await bob.configure('alice', { ephemeral: true });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await alice.send('bob', `while you were away ${i}`));
    await until(() => shown().length === 5, 'the 5 re-sent messages');
    await new Promise((r) => setTimeout(r, 100)); // nothing more arrives
    expect(shown().map(({ text, encrypted, resent }) => ({ text, encrypted, resent }))).toEqual(
      ids.map((_, i) => ({ text: `while you were away ${i}`, encrypted: true, resent: true })),
    );
    for (const id of ids) expect(outcomes(id)).toEqual(['resent']);
    expect(outcomes(first)).toEqual(['acknowledged']); // acknowledged: not re-sent

    // A turn each way proves every re-sent message read.
    await bob.send('alice', 'thanks');
    await until(() => aliceEvents.some((e) => e.type === 'message' && e.text === 'thanks'), 'reply');
    await alice.send('bob', 'you are welcome');
    await until(() => shown().some((m) => m.text === 'you are welcome'), 'turn');
    await bob.send('alice', '👍');
    await until(() => ids.every((id) => outcomes(id).length === 2), 'all settled');
    for (const id of ids) expect(outcomes(id)).toEqual(['resent', 'acknowledged']);
    // Nothing Alice sent to Bob went in plaintext after the first AKE.
    const wire = aliceEvents.filter((e): e is Extract<EngineEvent, { type: 'wire' }> => e.type === 'wire');
    expect(wire.filter((w) => w.text.includes('away'))).toEqual([]);
  });
});
