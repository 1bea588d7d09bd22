/**
 * Fragments through OtrSession: v2 and v3 headers by the protocol version in
 * use, pieces with commas (libotr's fragmented query), and reassembled text
 * getting exactly the checks of an unfragmented message. Each test fails
 * without the fix it names (src/protocol/reassembly.ts, fragment.ts, limits.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { OtrMessage, Wire, tick } from '../helpers/spec-wire.js';

let alice: IdentityKey;
let bob: IdentityKey;
beforeAll(() => {
  alice = IdentityKey.generate();
  bob = IdentityKey.generate();
});

/** Record everything one session reports. */
function observe(s: OtrSession) {
  const seen = { wire: [] as string[], messages: [] as { text: string; encrypted: boolean }[], errors: [] as { code: string; message: string; peerText?: string }[] };
  s.on('wire', ({ text }) => seen.wire.push(text));
  s.on('message', (m) => seen.messages.push({ text: m.text, encrypted: m.encrypted }));
  s.on('error', ({ error, peerText }) => seen.errors.push(peerText === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, peerText }));
  return seen;
}

/** Split `text` into libotr-style fragments of `size` characters (v3 when tags are given). */
function fragmentsOf(text: string, size: number, tags?: [number, number]): string[] {
  const head = tags ? `?OTR|${tags[0].toString(16).padStart(8, '0')}|${tags[1].toString(16).padStart(8, '0')}` : '?OTR';
  const payload = size - (head.length + 14);
  const n = Math.ceil(text.length / payload);
  return Array.from({ length: n }, (_, i) => `${head},${String(i + 1).padStart(5, '0')},${String(n).padStart(5, '0')},${text.slice(i * payload, (i + 1) * payload)},`);
}

/** A query with an explanation as libotr 4.1 sends it (commas and spaces in the text). */
const LIBOTR_QUERY =
  '?OTRv23?\n<b>alice@example.org</b> has requested an <a href="https://otr.cypherpunks.ca/">Off-the-Record private conversation</a>. However, you do not have a plugin to support that.\nSee https://otr.cypherpunks.ca/ for more information.';

describe('fragment headers follow the protocol version in use', () => {
  it('v2: AKE, messages both ways and SMP run on ?OTR,k,n,piece, fragments of at most 140', async () => {
    const wire = new Wire(new OtrSession({ key: alice, versions: [2], fragmentSize: 140 }), new OtrSession({ key: bob, fragmentSize: 140 }));
    await wire.ake();
    expect([wire.a.protocolVersion, wire.b.protocolVersion]).toEqual([2, 2]);
    await wire.chat(2, 'v2 ' + 'long text, with commas. '.repeat(20));
    let results = 0;
    wire.b.on('smp', (e) => (e.type === 'question' ? wire.b.smpAnswer('s3cret') : e.type === 'result' && e.success && results++));
    wire.a.on('smp', (e) => e.type === 'result' && e.success && results++);
    wire.a.smpStart('s3cret', 'q?');
    for (let i = 0; i < 200 && results < 2; i++) await wire.flush();
    expect(results).toBe(2);
    const all = [...wire.sentByA, ...wire.sentByB].filter((w) => w.startsWith('?OTR') && !w.startsWith('?OTRv'));
    const fragments = all.filter((w) => w.startsWith('?OTR,'));
    expect(fragments.length).toBeGreaterThan(20);
    expect(all.filter((w) => w.startsWith('?OTR|'))).toEqual([]);
    expect(fragments.every((w) => w.length <= 140 && /^\?OTR,\d{5},\d{5},/.test(w))).toBe(true);
    expect(wire.errors).toEqual([]);
  });

  it("v3: ?OTR|sender|receiver fragments carry the message's own tags (an open D-H Commit keeps receiver 0)", async () => {
    const wire = new Wire(new OtrSession({ key: alice, fragmentSize: 140 }), new OtrSession({ key: bob, fragmentSize: 140 }));
    await wire.ake();
    await wire.chat(1, 'v3 ' + 'x'.repeat(400));
    const fromB = wire.sentByB.filter((w) => w.startsWith('?OTR|'));
    expect(fromB.length).toBeGreaterThan(5);
    const tagsOf = (w: string) => w.slice(5, 22).split('|').map((h) => parseInt(h, 16));
    // b answered a's query with a D-H Commit: to any instance of a's.
    expect(tagsOf(fromB[0]!)).toEqual([wire.b.instanceTag, 0]);
    expect(tagsOf(fromB.at(-1)!)).toEqual([wire.b.instanceTag, wire.a.instanceTag]);
  });
});

describe('receiving fragments', () => {
  it("accepts libotr's query fragmented at 140 (pieces with commas): the peer-initiated AKE starts", async () => {
    const b = new OtrSession({ key: bob });
    const seen = observe(b);
    const pieces = fragmentsOf(LIBOTR_QUERY, 140);
    expect(pieces.some((p) => p.slice(18, -1).includes(','))).toBe(true);
    for (const p of pieces) b.receive(p);
    await tick();
    expect(seen.errors).toEqual([]);
    expect(seen.wire.map((w) => OtrMessage.parse(w)?.type)).toEqual([0x02]); // a D-H Commit
  });

  it('shows no fragment piece as a message, and completes a set only in sequence (duplicates and reorders drop it)', async () => {
    const wire = new Wire(new OtrSession({ key: alice }), new OtrSession({ key: bob }));
    await wire.ake();
    const long = 'ordered '.repeat(100);
    wire.a.setFragmentSize(140);
    wire.a.send(long);
    await tick();
    const pieces = wire.toB.splice(0);
    expect(pieces.length).toBeGreaterThan(3);
    const seen = observe(wire.b);
    // Reordered: dropped silently (spec), nothing shown.
    for (const p of [pieces[1]!, pieces[0]!, ...pieces.slice(2)]) wire.b.receive(p);
    // A duplicated piece: dropped.
    for (const p of [pieces[0]!, pieces[1]!, pieces[1]!, ...pieces.slice(2)]) wire.b.receive(p);
    // A missing piece: dropped.
    for (const p of [pieces[0]!, ...pieces.slice(2)]) wire.b.receive(p);
    expect(seen.messages).toEqual([]);
    // In order: delivered once.
    for (const p of pieces) wire.b.receive(p);
    expect(seen.messages).toEqual([{ text: long, encrypted: true }]);
  });

  it('gives a reassembled message the checks of an unfragmented one: junk is refused, not shown as plaintext', () => {
    const b = new OtrSession({ key: bob });
    const seen = observe(b);
    b.receive('?OTR,1,1,?OTR:<junk>.,');
    b.receive(`?OTR|00000100|${b.instanceTag.toString(16)},1,1,?OTR:AAkD.,`);
    expect(seen.messages).toEqual([]);
    expect(seen.errors.map((e) => e.code)).toEqual(['malformed', 'malformed']);
    // A fragment wrapped in a fragment is refused too.
    b.receive('?OTR,1,1,?OTR,1,1,hello,,');
    expect(seen.messages).toEqual([]);
    expect(seen.errors.at(-1)?.code).toBe('malformed');
  });

  it("shows a fragmented ?OTR Error: as the peer's quoted words, never as our own copy", () => {
    const b = new OtrSession({ key: bob });
    const seen = observe(b);
    b.receive('?OTR,1,2,?OTR Error:Your ,');
    b.receive('?OTR,2,2,bank wants your password,');
    b.receive('plain ?OTR Error:second');
    expect(seen.errors).toEqual([
      { code: 'peer-error', message: 'Their app’s words (not ours): “Your bank wants your password”', peerText: 'Your bank wants your password' },
      { code: 'peer-error', message: 'Their app’s words (not ours): “second”', peerText: 'second' },
    ]);
    expect(seen.messages).toEqual([]);
  });

  it('bounds a set announcing a huge total: refused once past the limit, nothing held', () => {
    const b = new OtrSession({ key: bob, maxIncoming: 100_000 });
    const seen = observe(b);
    const piece = 'A'.repeat(10_000);
    const started = performance.now();
    for (let k = 1; k <= 200; k++) b.receive(`?OTR,${k},65535,${piece},`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(seen.errors.map((e) => e.code)).toEqual(['too-large']);
    expect(seen.messages).toEqual([]);
  });

  it('drops fragments addressed to another instance of ours', () => {
    const b = new OtrSession({ key: bob });
    const seen = observe(b);
    b.receive('?OTR|00000100|00000999,1,1,?OTRv3?,');
    expect(seen.wire).toEqual([]);
    expect(seen.errors.map((e) => e.code)).toEqual(['wrong-instance']);
  });
});

describe('limits agree both ways: whatever we send we can receive', () => {
  const cjk = '漢字かな한국어'.repeat(14_286).slice(0, 100_000);
  const mixed = ('Lorem ipsum 漢字 עברית 🙂 ').repeat(5000).slice(0, 100_000);
  const ascii = 'a'.repeat(100_000);

  for (const size of [0, 140]) {
    it(`100,000-character ASCII, mixed and CJK messages both ways (fragment size ${size})`, async () => {
      const wire = new Wire(new OtrSession({ key: alice, fragmentSize: size }), new OtrSession({ key: bob, fragmentSize: size }));
      await wire.ake();
      for (const text of [ascii, mixed, cjk]) {
        wire.a.send(text);
        await wire.flush();
        wire.b.send(text);
        await wire.flush();
        expect(wire.got.b.at(-1) === text && wire.got.a.at(-1) === text).toBe(true);
      }
      expect(wire.errors).toEqual([]);
    });
  }

  it('refuses to send a message too large for our own incoming limit', () => {
    const a = new OtrSession({ key: alice, maxIncoming: 10_000 });
    expect(() => a.send('漢'.repeat(3000))).toThrow(/exceeds the limit/);
  });
});
