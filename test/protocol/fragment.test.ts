import { describe, expect, it } from 'vitest';
import { FRAGMENT_OVERHEAD, MIN_FRAGMENT_SIZE, fragmentWire } from '../../src/protocol/fragment.js';
import { wireProblem } from '../../src/protocol/wire-check.js';

describe('fragmentWire', () => {
  const message = `?OTR:${'QUJD'.repeat(500)}.`;

  it.each([MIN_FRAGMENT_SIZE, 140, 141, 500, 1999])('keeps every fragment within %i characters, header included', (size) => {
    const parts = fragmentWire(message, size, 0x1234abcd, 0x100);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(size);
    const payload = parts.map((p) => p.split(',')[3]).join('');
    expect(payload).toBe(message);
    expect(parts[0]).toMatch(/^\?OTR\|1234abcd\|00000100,00001,\d{5},/);
    for (const p of parts) expect(wireProblem(p)).toBeUndefined();
  });

  it('uses the whole budget: a 140 limit carries 140 - overhead characters of payload', () => {
    const parts = fragmentWire(message, 140, 0x100, 0x100);
    expect(parts[0]!.length).toBe(140);
    expect(parts[0]!.split(',')[3]!.length).toBe(140 - FRAGMENT_OVERHEAD);
  });

  it('leaves short messages, queries and plaintext alone', () => {
    expect(fragmentWire('?OTR:AAMC.', 140, 0x100, 0x100)).toEqual(['?OTR:AAMC.']);
    expect(fragmentWire('?OTRv3?' + ' '.repeat(300), 140, 0x100, 0x100)).toHaveLength(1);
    expect(fragmentWire('x'.repeat(1000), 140, 0x100, 0x100)).toHaveLength(1);
  });

  it('rejects a size too small to carry payload', () => {
    expect(() => fragmentWire(message, MIN_FRAGMENT_SIZE - 1, 0x100, 0x100)).toThrow(RangeError);
  });
});

describe('wireProblem', () => {
  it.each([
    ['?OTR:AAMD', /truncated or garbled/],
    ['?OTR:AAMD!!.', /truncated or garbled/],
    ['?OTR:AAkD.', /unsupported protocol version 9/],
    ['?OTR:AAP/AAAA.', /unknown type 0xff/],
    ['?OTR|zz|00000100,00001,00002,abc,', /malformed OTR fragment/],
    ['?OTR,1,2,abc', /malformed OTR fragment/],
  ])('%s is refused', (text, why) => {
    expect(wireProblem(text)).toMatch(why);
  });

  it.each(['hello', '?OTRv3?', '?OTR Error:oops', '?OTR:AAMD.', '?OTR|0000abcd|00000100,00001,00002,QUJD,'])('%s passes', (text) => {
    expect(wireProblem(text)).toBeUndefined();
  });
});
