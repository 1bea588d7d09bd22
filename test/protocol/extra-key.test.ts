// The extra symmetric key (OTR v3 spec, "Extra symmetric key"; TLV 8): the key we take is the one
// the peer derives from the same message, for the use and data we sent; the TLV's bytes survive
// otr.js's UTF-8 step; the text beside it reads as a plain message; it needs a private v3 session.
import { describe, expect, it } from 'vitest';
import { E2eeError, type ExtraKey } from '../../src/protocol/index.js';
import { extraKeyTlv, readExtraKeyTlvs } from '../../src/protocol/extra-key.js';
import { sessionPair } from '../helpers/session-pair.js';

async function privatePair() {
  const pair = sessionPair();
  const got: { a: ExtraKey[]; b: ExtraKey[]; bText: string[] } = { a: [], b: [], bText: [] };
  pair.a.on('extra-key', (k) => got.a.push(k));
  pair.b.on('extra-key', (k) => got.b.push(k));
  pair.b.on('message', ({ text, encrypted }) => got.bText.push(`${encrypted ? 'E' : 'P'}:${text}`));
  pair.a.startPrivate();
  await pair.pump();
  expect([pair.a.state, pair.b.state]).toEqual(['encrypted', 'encrypted']);
  return { ...pair, got };
}

describe('the extra symmetric key (TLV 8)', () => {
  it('the peer takes the same 32-byte key, with the use and every byte of the data, and reads the text beside it', async () => {
    const { a, b, pump, got } = await privatePair();
    const usedata = Uint8Array.from({ length: 300 }, (_, i) => (i * 7 + 0x80) & 0xff); // every high byte, which UTF-8 would mangle
    const key = a.sendExtraKey(0x7e2e0001, usedata, 'A file: photo.jpg (an app without files sees this)');
    await pump();
    expect(key).toHaveLength(32);
    expect(got.b).toHaveLength(1);
    expect(got.b[0]!.use).toBe(0x7e2e0001);
    expect([...got.b[0]!.usedata]).toEqual([...usedata]);
    expect(Buffer.from(got.b[0]!.key).toString('hex')).toBe(Buffer.from(key).toString('hex'));
    expect(got.bText).toEqual(['E:A file: photo.jpg (an app without files sees this)']);
    // And the other way, after the keys rotated: a different key, still agreed.
    b.send('reply');
    await pump();
    const back = b.sendExtraKey(1, new Uint8Array([1, 2, 3]), 'ünïcode text');
    await pump();
    expect(Buffer.from(got.a[0]!.key).toString('hex')).toBe(Buffer.from(back).toString('hex'));
    expect(Buffer.from(back).equals(Buffer.from(key))).toBe(false);
  });

  it('belongs to the DH keys: two messages under the same keys give the same key, whatever the use; new keys give another', async () => {
    const { a, b, pump, got } = await privatePair();
    const announced = a.nextExtraKey!;
    const first = a.sendExtraKey(1, new Uint8Array());
    expect(Buffer.from(announced).equals(Buffer.from(first))).toBe(true); // what it said the next message would carry
    const second = a.sendExtraKey(2, new Uint8Array());
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true); // same DH keys, same key (the use does not enter it)
    await pump();
    b.send('rotate');
    await pump();
    a.send('rotate too');
    await pump();
    const later = a.sendExtraKey(3, new Uint8Array());
    await pump();
    expect(Buffer.from(later).equals(Buffer.from(first))).toBe(false);
    expect(got.b.map((k) => k.use)).toEqual([1, 2, 3]);
  });

  it('is refused outside a private conversation, and for a use or data that does not fit a TLV', async () => {
    const { a } = sessionPair();
    expect(a.nextExtraKey).toBeUndefined();
    expect(() => a.sendExtraKey(1, new Uint8Array())).toThrow(E2eeError);
    const { a: p } = await privatePair();
    expect(() => p.sendExtraKey(-1, new Uint8Array())).toThrow(/32-bit/);
    expect(() => p.sendExtraKey(2 ** 32, new Uint8Array())).toThrow(/32-bit/);
    expect(() => p.sendExtraKey(1, new Uint8Array(0xffff))).toThrow(/at most 65531/);
  });

  it('reads TLV records as the spec lays them out, skipping other types and stopping at a truncated one', () => {
    const tlv = extraKeyTlv(0x01020304, new Uint8Array([9, 8, 7]));
    expect([...tlv].map((c) => c.charCodeAt(0))).toEqual([0, 8, 0, 7, 1, 2, 3, 4, 9, 8, 7]);
    const other = '\x7e\x2e\x00\x02ab';
    const found = readExtraKeyTlvs(other + tlv + tlv.slice(0, 6));
    expect(found.map((f) => [f.use, [...f.usedata]])).toEqual([[0x01020304, [9, 8, 7]]]);
  });
});
