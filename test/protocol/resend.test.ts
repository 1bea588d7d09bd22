/**
 * Issue 12, "Nothing lost", the sender: when the peer cannot read our messages, they are re-sent,
 * marked `[resent] `, in a new session; acknowledgements come from OTR's key ids alone
 * (src/protocol/outbox.ts states the rule).
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { IdentityKey, OtrSession, type SessionOptions } from '../../src/protocol/index.js';
import type { DeliveryUpdate } from '../../src/protocol/outbox.js';
import { tick } from '../helpers/spec-wire.js';

let aliceKey: IdentityKey;
let bobKey: IdentityKey;
beforeAll(() => {
  aliceKey = IdentityKey.generate();
  bobKey = IdentityKey.generate();
});

const BOB_TAG = 0x1234_5678;
const ERROR = '?OTR Error:An OTR error has occurred.';

/** Alice, and a Bob that can be replaced (a reload without persistence: same key, same instance tag). */
class Pair {
  readonly a: OtrSession;
  b!: OtrSession;
  readonly toA: string[] = [];
  readonly toB: string[] = [];
  /** Every wire text Alice sent, and every one a Bob sent. */
  readonly fromA: string[] = [];
  readonly fromB: string[] = [];
  readonly delivery: DeliveryUpdate[] = [];
  /** What each Bob showed, in order. */
  readonly shown: { text: string; encrypted: boolean; resent: boolean }[] = [];
  /** Whether Bob's wire text reaches Alice. */
  bobToAlice = true;

  constructor(
    private readonly bobOptions: Partial<SessionOptions> = {},
    aliceOptions: Partial<SessionOptions> = {},
  ) {
    this.a = new OtrSession({ key: aliceKey, ...aliceOptions });
    this.a.on('wire', ({ text }) => (this.toB.push(text), this.fromA.push(text)));
    this.a.on('delivery', (d) => this.delivery.push(d));
    this.newBob();
  }

  newBob(): void {
    const b = new OtrSession({ key: bobKey, instanceTag: BOB_TAG, ...this.bobOptions });
    b.on('wire', ({ text }) => {
      if (this.b === b) this.fromB.push(text);
      if (this.b === b && this.bobToAlice) this.toA.push(text);
    });
    b.on('message', (m) => this.shown.push({ text: m.text, encrypted: m.encrypted, resent: m.resent === true }));
    this.b = b;
  }

  async flush(): Promise<void> {
    for (let quiet = 0; quiet < 3;) {
      await tick();
      const moved = this.toA.length + this.toB.length > 0;
      for (const w of this.toB.splice(0)) this.b.receive(w);
      for (const w of this.toA.splice(0)) this.a.receive(w);
      quiet = moved ? 0 : quiet + 1;
    }
  }

  outcomes(id: string): string[] {
    return this.delivery.filter((d) => d.messageId === id).map((d) => d.outcome);
  }

  shownTexts(): string[] {
    return this.shown.map((m) => m.text);
  }
}

async function privatePair(bobOptions?: Partial<SessionOptions>, aliceOptions?: Partial<SessionOptions>): Promise<Pair> {
  const pair = new Pair(bobOptions, aliceOptions);
  pair.a.startPrivate();
  await pair.flush();
  expect([pair.a.state, pair.b.state]).toEqual(['encrypted', 'encrypted']);
  return pair;
}

/** Turns both ways, Alice first: each of Alice's messages is acknowledged by the reply after it. */
async function chat(pair: Pair, rounds: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const id = `${tag}-a${i}`;
    ids.push(id);
    pair.a.send(`${tag} a${i}`, id);
    await pair.flush();
    pair.b.send(`${tag} b${i}`);
    await pair.flush();
  }
  return ids;
}

describe('resend after the peer lost its session', () => {
  it('re-sends every unacknowledged message once, marked; the new Bob shows each once, flagged; each ends resent, then acknowledged', async () => {
    const pair = await privatePair();
    const before = await chat(pair, 2, 'before');
    for (const id of before) expect(pair.outcomes(id)).toEqual(['acknowledged']);

    pair.newBob(); // Bob reloads without persistence
    const shownBefore = pair.shown.length;
    const ids = Array.from({ length: 5 }, (_, i) => `lost-${i}`);
    for (const [i, id] of ids.entries()) pair.a.send(`lost ${i} ✓`, id);
    await pair.flush();

    expect([pair.a.state, pair.b.state]).toEqual(['encrypted', 'encrypted']);
    const shown = pair.shown.slice(shownBefore);
    expect(shown).toEqual(ids.map((_, i) => ({ text: `lost ${i} ✓`, encrypted: true, resent: true })));
    for (const id of ids) expect(pair.outcomes(id)).toEqual(['resent']);
    for (const id of before) expect(pair.outcomes(id)).toEqual(['acknowledged']); // not re-sent

    // Bob answers; the first re-sent message is proven read. Then a turn each way proves the rest.
    pair.b.send('got them');
    await pair.flush();
    expect(pair.outcomes(ids[0]!)).toEqual(['resent', 'acknowledged']);
    await chat(pair, 1, 'after');
    for (const id of ids) expect(pair.outcomes(id)).toEqual(['resent', 'acknowledged']);
    expect(pair.delivery.filter((d) => d.outcome === 'failed')).toEqual([]);
    // Nothing Alice sent after the first AKE was plaintext.
    expect(pair.fromA.filter((w) => !w.startsWith('?OTR'))).toEqual([]);
  });

  it('acknowledges only what a key first announced at or after the message proves; a heartbeat announces the next key', async () => {
    const pair = await privatePair({}, { delivery: { heartbeatDelayMs: 40 } });
    pair.a.send('one', 'm1');
    pair.a.send('two', 'm2');
    pair.a.send('three', 'm3');
    await pair.flush();
    const shownBefore = pair.shown.length;
    const wireBefore = pair.fromA.length;
    pair.b.send('reply');
    await pair.flush();
    // Bob names the key m1 first announced: only m1 is proven (m2, m3 announced it too, later).
    expect(pair.delivery).toEqual([{ messageId: 'm1', outcome: 'acknowledged' }]);
    // Alice moved to a new key; after the delay, with nothing of hers sent meanwhile, she announced
    // it with one heartbeat (nothing shown to Bob).
    expect(pair.fromA.slice(wireBefore)).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await pair.flush();
    expect(pair.fromA.slice(wireBefore)).toHaveLength(1);
    pair.b.send('reply 2'); // Bob speaks again; Alice has typed nothing
    await pair.flush();
    expect(pair.delivery.map((d) => d.messageId)).toEqual(['m1', 'm2', 'm3']);
    expect(pair.shownTexts().slice(shownBefore)).toEqual([]); // no heartbeat shown
    pair.a.send('four', 'm4');
    await pair.flush();
    expect(pair.delivery.map((d) => d.messageId)).toEqual(['m1', 'm2', 'm3']);
    pair.b.send('reply 3');
    await pair.flush();
    expect(pair.delivery.map((d) => d.messageId)).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('sends no heartbeat when a message of hers announces the new key first; the next reply still proves everything', async () => {
    const pair = await privatePair({}, { delivery: { heartbeatDelayMs: 40 } });
    pair.a.send('one', 'm1');
    pair.a.send('two', 'm2');
    await pair.flush();
    pair.b.send('reply');
    await pair.flush();
    expect(pair.delivery).toEqual([{ messageId: 'm1', outcome: 'acknowledged' }]);
    const wireBefore = pair.fromA.length;
    pair.a.send('three', 'm3'); // within the delay: it announces Alice's new key
    await pair.flush();
    await new Promise((resolve) => setTimeout(resolve, 80));
    await pair.flush();
    expect(pair.fromA.slice(wireBefore)).toHaveLength(1); // m3 only, no heartbeat
    pair.b.send('reply 2');
    await pair.flush();
    expect(pair.delivery.map((d) => d.messageId)).toEqual(['m1', 'm2', 'm3']);
    expect(pair.shownTexts()).toEqual(['one', 'two', 'reply', 'three', 'reply 2'].filter((t) => !t.startsWith('reply')));
  });

  it('turns both ways cost one data message each, with every message proven by the reply after it', async () => {
    const pair = await privatePair();
    const bobs: DeliveryUpdate[] = [];
    pair.b.on('delivery', (d) => bobs.push(d));
    const turns = async (tag: string): Promise<void> => {
      for (let i = 0; i < 20; i++) {
        pair.a.send(`${tag} a${i}`, `${tag}-a${i}`);
        await pair.flush();
        pair.b.send(`${tag} b${i}`, `${tag}-b${i}`); // tracked too, as the engine's sends are
        await pair.flush();
      }
    };
    await turns('warm');
    pair.b.send('and one more', 'warm-extra'); // two of Bob's in a row announce one key
    await pair.flush();
    const [fromA, fromB] = [pair.fromA.length, pair.fromB.length];
    await turns('turn');
    expect([pair.fromA.length - fromA, pair.fromB.length - fromB]).toEqual([20, 20]); // no heartbeats
    for (let i = 0; i < 20; i++) expect(pair.outcomes(`turn-a${i}`)).toEqual(['acknowledged']);
    // Bob's messages: each proven by Alice's next one (the last awaits her next).
    expect(bobs.filter((d) => d.messageId === 'warm-extra').map((d) => d.outcome)).toEqual(['acknowledged']);
    for (let i = 0; i < 19; i++) expect(bobs.filter((d) => d.messageId === `turn-b${i}`).map((d) => d.outcome)).toEqual(['acknowledged']);
  });

  it('a reply that crossed a later message proves only the earlier one: the later one is re-sent when the peer loses its session', async () => {
    const pair = await privatePair();
    pair.a.send('read', 'm1');
    pair.a.send('in flight', 'm2'); // announces the same key as m1
    await tick();
    const [m1, m2] = pair.toB.splice(0);
    pair.b.receive(m1!);
    pair.b.send('reply to the first'); // crosses m2
    await pair.flush();
    expect(pair.delivery).toEqual([{ messageId: 'm1', outcome: 'acknowledged' }]);
    pair.newBob(); // Bob reloads before m2 arrives
    const shownBefore = pair.shown.length;
    pair.toB.push(m2!);
    await pair.flush();
    expect(pair.shown.slice(shownBefore)).toEqual([{ text: 'in flight', encrypted: true, resent: true }]);
    expect(pair.outcomes('m1')).toEqual(['acknowledged']);
    expect(pair.outcomes('m2')).toEqual(['resent']);
  });

  it('fails the messages when no new private conversation comes in time', async () => {
    const pair = await privatePair({}, { delivery: { resecureMs: 150 } });
    pair.newBob();
    pair.bobToAlice = false; // Bob's errors and AKE replies are lost
    pair.a.send('into the void', 'v1');
    await pair.flush();
    pair.a.receive(ERROR); // one error gets through
    await pair.flush();
    expect(pair.outcomes('v1')).toEqual([]);
    await new Promise((r) => setTimeout(r, 250));
    expect(pair.outcomes('v1')).toEqual(['failed']);
  });

  it('fails a re-sent message that is never acknowledged', async () => {
    const pair = await privatePair({}, { delivery: { resentAckMs: 150 } });
    pair.newBob();
    pair.a.send('once', 'r1');
    await pair.flush();
    expect(pair.outcomes('r1')).toEqual(['resent']);
    await new Promise((r) => setTimeout(r, 250));
    expect(pair.outcomes('r1')).toEqual(['resent', 'failed']);
  });

  it('a message whose re-sent copy is reported lost again fails, and is not re-sent twice', async () => {
    const pair = await privatePair({}, { delivery: { lossRoundMs: 0 } });
    pair.newBob();
    pair.a.send('twice lost', 't1');
    await pair.flush();
    expect(pair.outcomes('t1')).toEqual(['resent']);
    pair.newBob();
    pair.a.receive(ERROR);
    await pair.flush();
    expect(pair.outcomes('t1')).toEqual(['resent', 'failed']);
    expect(pair.shownTexts().filter((t) => t === 'twice lost')).toHaveLength(1);
  });
});

describe('resend under attack: forged errors', () => {
  it('a fake ?OTR Error: in a healthy session re-sends only the unacknowledged, once, encrypted', async () => {
    const pair = await privatePair();
    const acked = await chat(pair, 2, 'ok');
    pair.a.send('unproven', 'u1'); // Bob reads it, but has not answered yet
    await pair.flush();
    const shownBefore = pair.shown.length;
    const wireBefore = pair.fromA.length;
    pair.a.receive(ERROR); // forged by an attacker
    await pair.flush();
    // Re-sent in the new session, but Bob had shown it: its id (message-id.ts) keeps the copy off his screen.
    expect(pair.shown.slice(shownBefore)).toEqual([]);
    for (const id of acked) expect(pair.outcomes(id)).toEqual(['acknowledged']);
    expect(pair.outcomes('u1')).toEqual(['resent']);
    expect(pair.fromA.slice(wireBefore).every((w) => w.startsWith('?OTR'))).toBe(true);
    await chat(pair, 1, 'still');
    expect(pair.outcomes('u1')).toEqual(['resent', 'acknowledged']);
  });

  for (const lossRoundMs of [0, undefined]) {
    it(`the same error replayed 100 times causes a bounded resend: one AKE, each message re-sent at most once (loss round ${lossRoundMs ?? 'default'})`, async () => {
      const pair = await privatePair({}, { delivery: lossRoundMs === undefined ? {} : { lossRoundMs } });
      await chat(pair, 1, 'ok');
      for (let i = 0; i < 3; i++) pair.a.send(`burst ${i}`, `b${i}`);
      await pair.flush();
      const shownBefore = pair.shown.length;
      const wireBefore = pair.fromA.length;
      for (let i = 0; i < 100; i++) {
        pair.a.receive(ERROR);
        if (i % 10 === 0) await pair.flush();
      }
      await pair.flush();
      // None of the three was proven read (Bob has not answered since): each is re-sent at most once,
      // and Bob, who had read them, shows none of the copies (message-id.ts).
      expect(pair.shown.slice(shownBefore)).toEqual([]);
      for (let i = 0; i < 3; i++) expect(pair.outcomes(`b${i}`)[0]).toBe('resent');
      expect(pair.delivery.filter((d) => d.outcome === 'resent')).toHaveLength(3);
      const commits = pair.fromA.slice(wireBefore).filter((w) => w.startsWith('?OTR:AAMC'));
      expect(commits.length).toBeLessThanOrEqual(1); // D-H Commits: the loss recovery is rate-limited
      expect(pair.fromA.slice(wireBefore).every((w) => w.startsWith('?OTR'))).toBe(true);
      expect([pair.a.state, pair.b.state]).toEqual(['encrypted', 'encrypted']);
      // With no echo window every later error counts: the re-sent copies fail (never a second resend).
      for (let i = 0; i < 3; i++) expect(pair.outcomes(`b${i}`)).toEqual(lossRoundMs === 0 ? ['resent', 'failed'] : ['resent']);
    });
  }

  it('never re-sends in plaintext: lost messages wait while the conversation is not private', async () => {
    const pair = await privatePair({}, { delivery: { resecureMs: 150 } });
    pair.newBob();
    pair.bobToAlice = false;
    pair.a.send('hold me', 'h1');
    await pair.flush();
    await pair.b.endPrivate(); // the (new) Bob says nothing useful; Alice ends too
    await pair.a.endPrivate();
    pair.a.receive(ERROR);
    await pair.flush();
    expect(pair.a.state).toBe('plaintext');
    await new Promise((r) => setTimeout(r, 250));
    expect(pair.outcomes('h1')).toEqual(['failed']);
    expect(pair.fromA.filter((w) => w.includes('hold me'))).toEqual([]);
  });
});

describe('the receiver', () => {
  it('takes the [resent] mark off encrypted messages only', async () => {
    const pair = await privatePair();
    pair.a.send('[resent] from a libotr peer');
    await pair.flush();
    expect(pair.shown.at(-1)).toEqual({ text: 'from a libotr peer', encrypted: true, resent: true });
    const plain = new OtrSession({ key: bobKey });
    const seen: { text: string; resent?: boolean }[] = [];
    plain.on('message', (m) => seen.push(m));
    plain.receive('[resent] in plaintext');
    expect(seen).toEqual([{ text: '[resent] in plaintext', encrypted: false }]);
  });
});
