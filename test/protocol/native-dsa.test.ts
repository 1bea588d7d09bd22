/**
 * Native DSA key generation (otr/native-dsa.ts): its exact search is otr.js's own
 * algorithm (given the same random stream it returns the very same key as
 * lib/dsa.js); the installed one-read search (one random read per candidate p)
 * and the exact one make valid DSA keys.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
  generateDsaKeyOneRead,
  installNativeDsa,
  installOneReadSearch,
  nativeDsaActive,
  oneReadSearchActive,
  passesTrialDivision,
  pCandidate,
  primeGroups,
  uninstallNativeDsa,
  uninstallOneReadSearch,
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

/** Run `f` with our DSA on otr.js's exact search (the one-read search draws p from Web Crypto). */
function exactSearch<T>(f: () => T): T {
  uninstallOneReadSearch(otr);
  try {
    return f();
  } finally {
    installOneReadSearch(otr);
  }
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
    expect(oneReadSearchActive(otr)).toBe(true);
    expect(activeSpeedups()).toContain('dsa-one-read-search');
    expect(fast.prototype).toBe(stockDsa.prototype);
  });

  it('returns the very key otr.js generates from the same random stream', () => {
    for (const seed of [1, 2, 3]) {
      const stock = withStream(seed, () => new stockDsa(null, { nocache: true }));
      const ours = exactSearch(() => withStream(seed, () => new otr.DSA(null, { nocache: true })));
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
    const ours = exactSearch(() => withStream(5, () => new otr.DSA(null, { nocache: true, bit_length: '1024' } as never)));
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

describe('one random read per candidate p', () => {
  const groups = primeGroups((mod.findPrimes as (n: number) => number[])(TRIAL_BOUND));
  const L = 1024;

  it('pCandidate: top bit set, p ≡ 1 (mod 2q), from the bytes as read', () => {
    const q = (1n << 159n) + 7n;
    const zero = pCandidate(new Uint8Array(128), q);
    expect(zero).toBe((1n << 1023n) - ((1n << 1023n) % (2n * q)) + 1n);
    const ones = pCandidate(new Uint8Array(128).fill(255), q);
    expect(ones).toBe((1n << 1024n) - 1n - (((1n << 1024n) - 1n) % (2n * q)) + 1n);
    const next = xorshiftSeed(3);
    for (let i = 0; i < 50; i++) {
      const bytes = new Uint8Array([...next(), ...next(), ...next(), ...next()].slice(0, 128));
      const c = BigInt('0x' + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')) | (1n << 1023n);
      const p = pCandidate(bytes, q);
      expect(p % (2n * q)).toBe(1n);
      expect(c - p).toBeGreaterThanOrEqual(-1n);
      expect(c - p).toBeLessThan(2n * q);
    }
  });

  it('generateDsaKeyOneRead: a valid DSA-1024 key, each candidate one read of L/8 bytes, all different', () => {
    for (const seed of [21, 22]) {
      const next = xorshiftSeed(seed);
      const fixed = makeNativeFunctions({ ...originals, getSeed: next } as BigIntFunctions, codec);
      const draws: [number, number | undefined][] = [];
      const random = (n: number, s?: number): bigint => {
        draws.push([n, s]);
        return toBig(fixed.randBigInt(n, s));
      };
      const reads: Uint8Array[] = [];
      const bytes = xorshiftSeed(seed * 1000);
      const randomBytes = (n: number): Uint8Array => {
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i += 40) out.set(bytes().slice(0, Math.min(40, n - i)), i);
        reads.push(out);
        return out;
      };
      const key = generateDsaKeyOneRead(random, randomBytes, groups);
      expectValidKey({ p: codec.fromBig(key.p), q: codec.fromBig(key.q), g: codec.fromBig(key.g), y: codec.fromBig(key.y), x: codec.fromBig(key.x) } as RawDsa);
      expect(reads.length).toBeGreaterThan(0);
      for (const r of reads) expect(r.length).toBe(L / 8);
      const candidates = reads.map((r) => pCandidate(r, key.q));
      expect(candidates.at(-1)).toBe(key.p); // the last read is the accepted p
      expect(new Set(candidates.map(String)).size).toBe(candidates.length); // a fresh p per candidate
      for (const p of candidates) expect(p % (2n * key.q)).toBe(1n);
      expect(draws.some(([n, s]) => n === L && s === 1)).toBe(false); // p never comes from randBigInt
    }
  }, 60_000);

  it('is what the installed DSA runs: one Web Crypto read per candidate, not otr.js\'s stream', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      const stock = withStream(8, () => new stockDsa(null, { nocache: true }));
      spy.mockClear();
      const ours = withStream(8, () => new otr.DSA(null, { nocache: true })) as RawDsa;
      expectValidKey(ours);
      expect(hex(ours.q)).toBe(hex(stock.q)); // q: the same draws as otr.js
      expect(hex(ours.p)).not.toBe(hex(stock.p)); // p: Web Crypto reads
      const reads = spy.mock.calls.map(([a]) => a as Uint8Array).filter((a) => a.length === L / 8);
      expect(reads.length).toBeGreaterThan(0);
      expect(pCandidate(reads.at(-1)!, toBig(ours.q))).toBe(toBig(ours.p));
      const again = new otr.DSA(null, { nocache: true });
      expect(hex(again.p)).not.toBe(hex(ours.p));
    } finally {
      spy.mockRestore();
    }
  }, 60_000);
});
