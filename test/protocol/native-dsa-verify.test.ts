/**
 * DSA verification as one two-base exponentiation (otr/native-dsa-verify.ts)
 * must return exactly what otr.js's lib/dsa.js `DSA.verify` returns: the same
 * value (`false`, 1 or 0) on valid, wrong-message, out-of-range and tampered
 * signatures, under many keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bigint from 'otr/vendor/bigint.js';
import otr from 'otr';
import type { RawDsa } from 'otr';
import { installOtrPatches } from '../../src/protocol/otr/install.js';
import { makeLimbCodec, type Limbs } from '../../src/protocol/otr/native-bigint.js';
import { stockDsaOf } from '../../src/protocol/otr/native-dsa.js';
import {
  dsaVerify,
  installNativeDsaVerify,
  inverseModOrUndefined,
  latin1ToBig,
  nativeDsaVerifyActive,
  uninstallNativeDsaVerify,
} from '../../src/protocol/otr/native-dsa-verify.js';
import { activeSpeedups, installSpeedups, uninstallSpeedups } from '../../src/protocol/otr/speedups.js';

installOtrPatches();
installSpeedups();
const codec = makeLimbCodec(26);
const big = (x: Limbs): bigint => codec.toBig(x);
const limbs = (x: bigint): Limbs => codec.fromBig(x);

type Verify = (key: unknown, m: string, r: Limbs, s: Limbs) => unknown;
type SigningKey = RawDsa & { sign(m: string): [Limbs, Limbs] };
const dsa = stockDsaOf(otr) as unknown as { verify: Verify };
let original: Verify;
let fast: Verify;

/** Deterministic bytes (xorshift32). */
function stream(seed: number): (n: number) => number[] {
  let s = seed >>> 0 || 1;
  return (n) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      out.push((s >>> 0) & 255);
    }
    return out;
  };
}
const str = (bytes: number[]): string => String.fromCharCode(...bytes);

beforeAll(() => {
  uninstallNativeDsaVerify(dsa);
  original = dsa.verify;
  installNativeDsaVerify(dsa, bigint);
  fast = dsa.verify;
});
afterAll(() => {
  installSpeedups();
});

/** The same outcome: the same value, or both throwing. */
function outcome(verify: Verify, key: unknown, m: string, r: Limbs, s: Limbs): unknown {
  try {
    return verify(key, m, r, s);
  } catch (e) {
    return `throws ${String(e)}`;
  }
}
function expectSame(key: unknown, m: string, r: Limbs, s: Limbs): unknown {
  const want = outcome(original, key, m, r, s);
  expect(outcome(fast, key, m, r, s)).toStrictEqual(want);
  return want;
}

describe('native DSA verify', () => {
  it('is installed on dsa.js\'s DSA (what lib/ake.js calls) and uninstalls to otr.js', () => {
    expect(fast).not.toBe(original);
    expect(nativeDsaVerifyActive(dsa)).toBe(true);
    expect(activeSpeedups()).toContain('native-dsa-verify');
    expect((otr.DSA as unknown as { verify: Verify }).verify).toBe(fast); // our keygen DSA reads otr's statics
    uninstallSpeedups();
    expect(dsa.verify).toBe(original);
    expect(activeSpeedups()).not.toContain('native-dsa-verify');
    installSpeedups();
    expect(dsa.verify).toBe(fast);
  });

  it('helpers: inverse, Latin1 bytes', () => {
    expect(inverseModOrUndefined(3n, 7n)).toBe(5n);
    expect(inverseModOrUndefined(6n, 9n)).toBeUndefined();
    expect(latin1ToBig('')).toBe(0n);
    expect(latin1ToBig('\x01\x00\xff')).toBe(0x0100ffn);
    expect(latin1ToBig('\u0141')).toBe(0x41n); // char code & 0xff, as CryptoJS's Latin1.parse
  });

  it('gives otr.js\'s answer on valid, wrong, out-of-range and tampered signatures, many keys', () => {
    const next = stream(99);
    const counts = { one: 0, zero: 0, false: 0 };
    for (let d = 0; d < 2; d++) {
      const domain = new otr.DSA(null, { nocache: true }) as SigningKey;
      const [p, q, g] = [big(domain.p), big(domain.q), big(domain.g)];
      for (let k = 0; k < 12; k++) {
        // a fresh key on these parameters: x random in (0, q), y = g^x
        const x = (BigInt('0x' + next(20).map((b) => (b | 0x100).toString(16).slice(1)).join('')) % (q - 1n)) + 1n;
        const y = dsaPow(g, x, p);
        const key = new otr.DSA({ p: domain.p, q: domain.q, g: domain.g, y: limbs(y), x: limbs(x) }) as SigningKey;
        const m = str(next(32));
        const [r, s] = key.sign(m);
        const [rb, sb] = [big(r), big(s)];
        const results = [
          expectSame(key, m, r, s),
          expectSame(key, m.slice(0, 31) + String.fromCharCode(m.charCodeAt(31) ^ 1), r, s),
          expectSame(key, '', r, s),
          expectSame(key, m, limbs(0n), s),
          expectSame(key, m, r, limbs(0n)),
          expectSame(key, m, limbs(q), s),
          expectSame(key, m, r, limbs(q)),
          expectSame(key, m, r, limbs(q + 5n)),
          expectSame(key, m, limbs(rb ^ 1n), s),
          expectSame(key, m, r, limbs(sb ^ 4n)),
          expectSame(key, m, limbs((rb + 1n) % q), limbs(sb)),
          expectSame(key, m, limbs(big(limbs(BigInt('0x' + next(20).map((b) => b.toString(16)).join(''))))), limbs(1n + (sb % (q - 1n)))),
          expectSame(new otr.DSA({ p: domain.p, q: domain.q, g: domain.g, y: limbs(dsaPow(g, x + 1n, p)) }), m, r, s),
        ];
        expect(results[0]).toBe(1); // dsa.js returns bigint.js's equals(): 1 or 0
        expect(results[1]).toBe(0);
        for (const v of results) counts[v === 1 ? 'one' : v === 0 ? 'zero' : 'false']++;
      }
    }
    expect(counts.one).toBeGreaterThanOrEqual(24);
    expect(counts.zero).toBeGreaterThan(24);
    expect(counts.false).toBeGreaterThanOrEqual(24 * 4);
  }, 120_000);

  it('hands inputs it does not cover to otr.js (even p, s with no inverse mod a composite q)', () => {
    const key = { p: limbs(1000n), q: limbs(15n), g: limbs(7n), y: limbs(11n) };
    expect(dsaVerify({ p: 1000n, q: 15n, g: 7n, y: 11n }, 'a', 4n, 6n)).toBeUndefined();
    expect(dsaVerify({ p: 1009n, q: 15n, g: 7n, y: 11n }, 'a', 4n, 6n)).toBeUndefined();
    for (const [r, s] of [
      [4n, 6n],
      [4n, 7n],
      [0n, 7n],
      [4n, 15n],
    ] as const) {
      expectSame(key, 'a', limbs(r), limbs(s));
      expectSame({ ...key, p: limbs(1009n) }, 'a', limbs(r), limbs(s));
      expectSame({ ...key, p: limbs(1n) }, 'a', limbs(r), limbs(s));
    }
    // a small odd-modulus sweep against otr.js (every r, s in range)
    const small = { p: limbs(2027n), q: limbs(1013n), g: limbs(4n), y: limbs(dsaPow(4n, 77n, 2027n)) };
    for (let r = 0n; r < 1015n; r += 13n) for (let s = 0n; s < 1015n; s += 17n) expectSame(small, '\x03\xe8', limbs(r), limbs(s));
  });
});

function dsaPow(b: bigint, e: bigint, n: bigint): bigint {
  let r = 1n;
  for (b %= n; e > 0n; e >>= 1n, b = (b * b) % n) if (e & 1n) r = (r * b) % n;
  return r;
}
