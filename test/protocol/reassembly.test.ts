import { describe, expect, it } from 'vitest';

import { MAX_PIECES, Reassembler, fragmentStart, parseFragment } from '../../src/protocol/reassembly.js';

describe('parseFragment', () => {
  it('reads v3 and v2 headers, and a piece holding commas and spaces (libotr fragments its plain query)', () => {
    expect(parseFragment('?OTR|0000abcd|00000100,00001,00002,piece, with, commas ,')).toEqual({
      version: 3, sender: 0xabcd, receiver: 0x100, k: 1, n: 2, piece: 'piece, with, commas ',
    });
    expect(parseFragment('?OTR,1,3,?OTRv23? <b>a</b>, b,')).toEqual({ version: 2, sender: 0, receiver: 0, k: 1, n: 3, piece: '?OTRv23? <b>a</b>, b' });
    expect(parseFragment('?OTR,00002,00002,,')?.piece).toBe('');
    expect(parseFragment('?OTR|ffffffff|0,1,1,x,\r\n')).toMatchObject({ sender: 0xffffffff, receiver: 0, piece: 'x' });
  });

  it.each([
    ['no final comma', '?OTR|100|100,1,2,abc'],
    ['bad tag', '?OTR|zz|100,1,2,abc,'],
    ['tag too long', '?OTR|123456789|100,1,2,abc,'],
    ['count too large', `?OTR,1,${MAX_PIECES + 1},abc,`],
    ['missing numbers', '?OTR,1,abc,'],
  ])('refuses %s', (_why, text) => {
    expect(parseFragment(text)).toBeUndefined();
  });

  it('finds a fragment after leading text, like libotr (first ?OTR in the text)', () => {
    expect(fragmentStart('hi ?OTR,1,2,x,')).toBe(3);
    expect(fragmentStart('?OTRv3? ?OTR,1,2,x,')).toBe(-1);
    expect(fragmentStart('?OTR:AAMD.')).toBe(-1);
  });
});

const frag = (k: number, n: number, piece: string, sender = 0x100) => ({ version: 3 as const, sender, receiver: 0, k, n, piece });

describe('Reassembler (spec, "Fragmentation")', () => {
  it('joins a set in order', () => {
    const r = new Reassembler(1000);
    expect(r.add(frag(1, 3, 'ab'))).toEqual({ kind: 'partial' });
    expect(r.add(frag(2, 3, 'c,d'))).toEqual({ kind: 'partial' });
    expect(r.add(frag(3, 3, 'e'))).toEqual({ kind: 'complete', text: 'abc,de' });
    expect(r.heldLength).toBe(0);
  });

  it('discards k = 0, n = 0 and k > n without touching the stored set', () => {
    const r = new Reassembler(1000);
    r.add(frag(1, 2, 'a'));
    for (const f of [frag(0, 2, 'x'), frag(1, 0, 'x'), frag(3, 2, 'x')]) expect(r.add(f)).toEqual({ kind: 'discarded' });
    expect(r.add(frag(2, 2, 'b'))).toEqual({ kind: 'complete', text: 'ab' });
  });

  it('forgets the set on an out-of-order, duplicated or foreign-count piece', () => {
    for (const bad of [frag(4, 4, 'd'), frag(2, 4, 'b'), frag(3, 5, 'c')]) {
      const r = new Reassembler(1000);
      r.add(frag(1, 4, 'a'));
      r.add(frag(2, 4, 'b'));
      expect(r.add(bad)).toEqual({ kind: 'discarded' });
      expect(r.heldLength).toBe(0);
      // The rest of the forgotten set cannot complete it.
      expect(r.add(frag(3, 4, 'c'))).toEqual({ kind: 'discarded' });
      expect(r.add(frag(4, 4, 'd'))).toEqual({ kind: 'discarded' });
    }
  });

  it('starts over on k = 1 (an abandoned set is dropped), and keeps senders apart', () => {
    const r = new Reassembler(1000);
    r.add(frag(1, 5, 'old'));
    r.add(frag(1, 2, 'x', 0x200));
    r.add(frag(1, 2, 'new'));
    expect(r.add(frag(2, 2, 'y', 0x200))).toEqual({ kind: 'complete', text: 'xy' });
    expect(r.add(frag(2, 2, '!'))).toEqual({ kind: 'complete', text: 'new!' });
  });

  it('drops a set that grows past the limit, and holds no more than the limit', () => {
    const r = new Reassembler(100);
    expect(r.add(frag(1, MAX_PIECES, 'x'.repeat(60)))).toEqual({ kind: 'partial' });
    expect(r.add(frag(2, MAX_PIECES, 'x'.repeat(60)))).toEqual({ kind: 'too-large', length: 120 });
    expect(r.heldLength).toBe(0);
    expect(r.add(frag(3, MAX_PIECES, 'x'))).toEqual({ kind: 'discarded' });
  });

  it('keeps at most a few senders, and forgets all on reset (a non-fragmented message)', () => {
    const r = new Reassembler(1000);
    for (let s = 0; s < 10; s++) r.add(frag(1, 2, 'abc', 0x100 + s));
    expect(r.heldLength).toBeLessThanOrEqual(4 * 3);
    r.reset();
    expect(r.heldLength).toBe(0);
  });

  it('joins 65,535 pieces in linear time', () => {
    const r = new Reassembler(10 * MAX_PIECES);
    const started = performance.now();
    let result;
    for (let k = 1; k <= MAX_PIECES; k++) result = r.add(frag(k, MAX_PIECES, 'abcdefghij'));
    expect(result).toEqual({ kind: 'complete', text: 'abcdefghij'.repeat(MAX_PIECES) });
    expect(performance.now() - started).toBeLessThan(500);
  });
});
