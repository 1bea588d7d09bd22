/**
 * Native DSA key generation (otr/native-dsa.ts) must be otr.js's own
 * algorithm: given the same random stream it returns the very same key as
 * lib/dsa.js, and with real randomness its keys are valid DSA keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bigint from 'otr/vendor/bigint.js';
import otr from 'otr';
import type { RawDsa } from 'otr';
import { installOtrPatches } from '../../src/protocol/otr/install.js';
import { bigIntOriginals, makeLimbCodec, type BigIntFunctions, type Limbs } from '../../src/protocol/otr/native-bigint.js';
import { makeNativeFunctions } from '../../src/protocol/otr/native-bigint/ops.js';
import { millerRabinRound } from '../../src/protocol/otr/native-bigint/arith.js';
import {
  TRIAL_BOUND,
  generateDsaKey,
  installNativeDsa,
  nativeDsaActive,
  passesTrialDivision,
  primeGroups,
  uninstallNativeDsa,
} from '../../src/protocol/otr/native-dsa.js';
import { activeSpeedups, installSpeedups, uninstallSpeedups } from '../../src/protocol/otr/speedups.js';

installOtrPatches();
type Fn = (...args: never[]) => unknown;
const mod = bigint as unknown as Record<string, Fn>;
const originals = bigIntOriginals(bigint)!;
const codec = makeLimbCodec(26);
const toBig = (x: Limbs): bigint => codec.toBig(x);
const hex = (x: Limbs): string => toBig(x).toString(16);

/** A deterministic stand-in for bigint.js's getSeed (40 bytes per call). */
function xorshiftSeed(seed: number): () => number[] {
  let s = seed >>> 0 || 1;
  return () => {
    const out: number[] = [];
    for (let i = 0; i < 40; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      out.push((s >>> 0) & 255);
    }
    return out;
  };
}

/** Run `f` with bigint.js's random functions drawing from a fixed stream. */
function withStream<T>(seed: number, f: () => T): T {
  const saved = { randBigInt: mod.randBigInt, randBigInt_: mod.randBigInt_ };
  const orig = { ...originals, getSeed: xorshiftSeed(seed) } as BigIntFunctions;
  const fixed = makeNativeFunctions(orig, codec);
  mod.randBigInt = fixed.randBigInt as Fn;
  mod.randBigInt_ = fixed.randBigInt_ as Fn;
  try {
    return f();
  } finally {
    Object.assign(mod, saved);
  }
}

/** An independent probable-prime check (64 MR rounds, bases from a fixed stream). */
function isPrime(n: bigint): boolean {
  if (n < 2n) return false;
  for (const p of [2n, 3n, 5n, 7n, 11n, 13n]) if (n % p === 0n) return n === p;
  let s = 0x2545f491;
  for (let i = 0; i < 64; i++) {
    let b = 0n;
    for (let k = 0; k < n.toString(2).length; k += 30) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      b = (b << 30n) | BigInt(s >>> 2);
    }
    b = 2n + (b % (n - 3n));
    if (!millerRabinRound(n, b)) return false;
  }
  return true;
}

function expectValidKey(key: RawDsa, L = 1024, N = 160): void {
  const [p, q, g, y, x] = [key.p, key.q, key.g, key.y, key.x!].map(toBig) as [bigint, bigint, bigint, bigint, bigint];
  expect(p.toString(2).length).toBe(L);
  expect(q.toString(2).length).toBe(N);
  expect((p - 1n) % q).toBe(0n);
  expect(isPrime(q)).toBe(true);
  expect(isPrime(p)).toBe(true);
  expect(g > 1n && g < p).toBe(true);
  const pow = (b: bigint, e: bigint): bigint => {
    let r = 1n;
    for (b %= p; e > 0n; e >>= 1n, b = (b * b) % p) if (e & 1n) r = (r * b) % p;
    return r;
  };
  expect(pow(g, q)).toBe(1n); // g has order q (q prime, g ≠ 1)
  expect(x > 0n && x < q).toBe(true);
  expect(pow(g, x)).toBe(y);
}

let stockDsa: typeof otr.DSA;
beforeAll(() => {
  uninstallNativeDsa(otr);
  stockDsa = otr.DSA;
  installNativeDsa(otr, bigint);
});
afterAll(() => {
  installSpeedups();
});

describe('trial division', () => {
  it('rejects exactly what dsa.js rejects, with bigint.js\'s primes below 30000', () => {
    const primes = (mod.findPrimes as (n: number) => number[])(TRIAL_BOUND);
    expect(primes.length).toBe(3245);
    const groups = primeGroups(primes);
    expect(groups.flatMap((g) => g.primes)).toEqual(primes);
    for (const g of groups) expect(g.product).toBe(g.primes.reduce((a, p) => a * BigInt(p), 1n));
    for (const g of groups) expect(g.product <= BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const naive = (k: bigint): boolean => primes.every((p) => k % BigInt(p) !== 0n || k === BigInt(p));
    const next = xorshiftSeed(7);
    const samples: bigint[] = [2n, 3n, 29989n, 29999n, 30011n, 29989n * 29993n, 1n << 1023n];
    for (let i = 0; i < 300; i++) samples.push(BigInt('0x' + next().map((b) => b.toString(16).padStart(2, '0')).join('')) | 1n);
    for (let i = 0; i < 100; i++) samples.push(BigInt(primes[i * 32]!) * BigInt(primes[(i * 7) % primes.length]!) * (samples[i + 7]! | 1n));
    for (const k of samples) expect(passesTrialDivision(k, groups)).toBe(naive(k));
  });
});

describe('native DSA key generation', () => {
  it('is installed as a speed-up and uninstalls to otr.js', () => {
    expect(nativeDsaActive(otr)).toBe(true);
    expect(activeSpeedups()).toContain('native-dsa');
    const fast = otr.DSA;
    uninstallSpeedups();
    expect(otr.DSA).toBe(stockDsa);
    expect(nativeDsaActive(otr)).toBe(false);
    installSpeedups();
    expect(otr.DSA).toBe(fast);
    expect(fast.parsePublic).toBe(stockDsa.parsePublic);
    expect(fast.prototype).toBe(stockDsa.prototype);
  });

  it('returns the very key otr.js generates from the same random stream', () => {
    for (const seed of [1, 2, 3]) {
      const stock = withStream(seed, () => new stockDsa(null, { nocache: true }));
      const ours = withStream(seed, () => new otr.DSA(null, { nocache: true }));
      expect(ours).toBeInstanceOf(stockDsa);
      expect([ours.p, ours.q, ours.g, ours.y, ours.x!].map(hex)).toEqual([stock.p, stock.q, stock.g, stock.y, stock.x!].map(hex));
      expect(ours.packPrivate()).toBe(stock.packPrivate());
    }
  }, 60_000);

  it('generates valid DSA-1024 keys that sign and verify', () => {
    for (let i = 0; i < 3; i++) {
      const key = new otr.DSA(null, { nocache: true }) as RawDsa & { sign(m: string): [Limbs, Limbs] };
      expect(key).toBeInstanceOf(stockDsa);
      expectValidKey(key);
      const [r, s] = key.sign('hello');
      const verify = (otr.DSA as unknown as { verify: (...a: unknown[]) => unknown }).verify;
      expect(verify(key, 'hello', r, s)).toBeTruthy();
      expect(verify(key, 'hellO', r, s)).toBeFalsy();
      const parsed = otr.DSA.parsePrivate(key.packPrivate());
      expect(parsed.fingerprint()).toBe(key.fingerprint());
    }
  }, 60_000);

  it('leaves keys from numbers, other sizes and cached parameters to otr.js', () => {
    const key = new otr.DSA(null, { nocache: true });
    const copy = new otr.DSA({ p: key.p, q: key.q, g: key.g, y: key.y, x: key.x });
    expect(copy.fingerprint()).toBe(key.fingerprint());
    expect(() => new otr.DSA(null, { nocache: true, bit_length: 512 })).toThrow('Unsupported bit length.');
    // a 1024-bit key asked for explicitly, as a string too, is ours and the same as otr.js's from the same stream
    const stock = withStream(5, () => new stockDsa(null, { nocache: true, bit_length: '1024' } as never));
    const ours = withStream(5, () => new otr.DSA(null, { nocache: true, bit_length: '1024' } as never));
    expect(ours.packPrivate()).toBe(stock.packPrivate());
  }, 60_000);

  it('generateDsaKey makes DSA-1024 parameters', () => {
    const next = xorshiftSeed(11);
    const random = (n: number, s?: number): bigint => {
      const fixed = makeNativeFunctions({ ...originals, getSeed: next } as BigIntFunctions, codec);
      return toBig(fixed.randBigInt(n, s));
    };
    const groups = primeGroups((mod.findPrimes as (n: number) => number[])(TRIAL_BOUND));
    const key = generateDsaKey(random, groups);
    expect(key.p.toString(2).length).toBe(1024);
    expect((key.p - 1n) % key.q).toBe(0n);
  }, 60_000);
});
