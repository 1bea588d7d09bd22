/**
 * The native-BigInt backend must return exactly what bigint.js returns:
 * same values, same array shapes, on random inputs and on edges. Compared
 * against pristine copies of bigint.js's functions saved before installing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import bigint from 'otr/vendor/bigint.js';
import otr from 'otr';
import { millerRabinRound } from '../../src/protocol/otr/native-bigint/arith.js';
import {
  REPLACED,
  clearFixedBaseTables,
  modPow,
  multiPowMod,
  powModCached,
  fixedBaseTableCount,
  activeBigIntBackend,
  bigIntOriginals,
  installNativeBigInt,
  uninstallNativeBigInt,
  type BigIntFunctions,
  type Limbs,
} from '../../src/protocol/otr/native-bigint.js';
import { until } from '../helpers/until.js';
import { rawOtrPair } from '../helpers/raw-otr-pair.js';

type Fn = (...args: never[]) => unknown;
const mod = bigint as unknown as Record<string, Fn>;
// Pristine bigint.js functions (if something already installed us, take its saved originals).
const pristine: Record<string, Fn> = { ...mod, ...(bigIntOriginals(bigint) as Record<string, Fn> | undefined) };
const P = pristine as unknown as BigIntFunctions & {
  str2bigInt(s: string, base: number, minSize?: number): Limbs;
  bigInt2str(x: Limbs, base: number): string;
  getSeed(): number[];
};
const N = mod as unknown as typeof P; // the module: native once installed

const big = (hex: string, minSize?: number): Limbs => P.str2bigInt(hex, 16, minSize);
const dec = (s: string): Limbs => P.str2bigInt(s, 10);
const toBig = (x: Limbs): bigint => BigInt('0x' + P.bigInt2str(x, 16));
const fromBig = (v: bigint, minSize?: number): Limbs => big(v.toString(16), minSize);

// Deterministic test inputs (a fixed xorshift stream; real randomness is tested separately).
let seed = 0x9e3779b9;
function nextU32(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
function randBits(bits: number, top = false): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i += 32) v = (v << 32n) | BigInt(nextU32());
  v &= (1n << BigInt(bits)) - 1n;
  if (top && bits > 0) v |= 1n << BigInt(bits - 1);
  return v;
}
const pick = (n: number): number => nextU32() % n;
/** A random shape for the same value: trimmed (one leading zero limb) or padded with more zero limbs. */
function shaped(v: bigint): Limbs {
  const x = fromBig(v);
  return pick(2) ? x.concat(new Array(1 + pick(5)).fill(0)) : x;
}
const SIZES = [1, 2, 25, 26, 27, 52, 53, 64, 100, 160, 161, 255, 320, 512, 1023, 1024, 1536];
const sizeOf = (): number => (pick(3) === 0 ? 1 + pick(1600) : (SIZES[pick(SIZES.length)] as number));

const MODP_1536 = big(
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF',
);

/** Call the pristine and the installed function on copies of the same inputs; both must agree exactly. */
function same(name: keyof typeof P, ...args: unknown[]): void {
  const copy = () => args.map((a) => (Array.isArray(a) ? a.slice() : a)) as never[];
  const run = (f: Fn, xs: never[]): { value: unknown } | { threw: string } => {
    try {
      return { value: f(...xs) };
    } catch (e) {
      return { threw: (e as Error).constructor.name };
    }
  };
  const want = run(pristine[name] as Fn, copy());
  const ins = copy();
  const got = run(mod[name] as Fn, ins);
  try {
    expect(got).toEqual(want);
    expect(ins).toEqual(args); // inputs untouched
  } catch (e) {
    throw new Error(`${name}(${args.map((a) => (Array.isArray(a) ? toBig(a as Limbs).toString(16) + `/${a.length}` : String(a))).join(', ')}): ${(e as Error).message}`);
  }
}

beforeAll(() => {
  expect(installNativeBigInt(bigint)).toBe('native');
});
afterAll(() => {
  uninstallNativeBigInt(bigint);
});

describe('installNativeBigInt', () => {
  it('is idempotent, keeps the originals and reports the backend', () => {
    const first = REPLACED.map((k) => mod[k]);
    expect(installNativeBigInt(bigint)).toBe('native');
    expect(REPLACED.map((k) => mod[k])).toEqual(first);
    expect(activeBigIntBackend()).toBe('native');
    for (const k of REPLACED) expect(mod[k]).not.toBe(pristine[k]);
    expect(bigIntOriginals(bigint)?.powMod).toBe(pristine.powMod);
    uninstallNativeBigInt(bigint);
    expect(activeBigIntBackend()).toBe('bigint.js');
    for (const k of REPLACED) expect(mod[k]).toBe(pristine[k]);
    installNativeBigInt(bigint);
    expect(REPLACED.map((k) => mod[k])).toEqual(first);
    expect(activeBigIntBackend()).toBe('native');
  });

  it('leaves a module it does not recognise alone', () => {
    expect(installNativeBigInt({ powMod: () => [0] })).toBe('bigint.js');
    expect(activeBigIntBackend()).toBe('bigint.js');
    installNativeBigInt(bigint);
    expect(activeBigIntBackend()).toBe('native');
  });
});

describe('same results as bigint.js', () => {
  it('powMod: random odd moduli and exponents of all sizes', () => {
    for (let i = 0; i < 300; i++) {
      const nb = sizeOf();
      const n = randBits(nb, true) | 1n;
      const eb = pick(4) === 0 ? 1 + pick(nb + 40) : Math.min(1 + pick(200), nb + 1);
      const x = pick(5) === 0 ? randBits(nb + 1 + pick(60)) : randBits(nb) % n;
      same('powMod', shaped(x), shaped(randBits(eb)), shaped(n));
    }
  });

  it('powMod: the OTR group, DH-sized and full exponents, base 2', () => {
    const g = dec('2');
    for (let i = 0; i < 6; i++) {
      same('powMod', g, fromBig(randBits(320)), MODP_1536);
      same('powMod', fromBig(randBits(1535)), fromBig(randBits(320)), MODP_1536);
    }
    same('powMod', fromBig(randBits(1535)), fromBig(randBits(1536)), MODP_1536);
    same('powMod', g, fromBig(randBits(1536)), MODP_1536);
  });

  it('powMod: edges', () => {
    const nm1 = fromBig(toBig(MODP_1536) - 1n);
    for (const n of [dec('1'), dec('3'), dec('7'), MODP_1536, fromBig((1n << 26n) - 1n), fromBig((1n << 52n) + 1n)]) {
      const nv = toBig(n);
      for (const x of [0n, 1n, 2n, nv - 1n, nv, nv + 1n, nv * 3n + 2n].filter((v) => v >= 0n)) {
        for (const y of [0n, 1n, 2n, nv - 1n, 65537n, (1n << 26n) - 1n, 1n << 26n].filter((v) => v >= 0n)) {
          same('powMod', fromBig(x), fromBig(y), n);
        }
      }
    }
    same('powMod', nm1, nm1, MODP_1536);
    same('powMod', dec('0'), dec('0'), dec('0')); // even modulus: bigint.js's own path
    for (let i = 0; i < 60; i++) {
      const nb = 2 + pick(300);
      same('powMod', shaped(randBits(nb + pick(30))), shaped(randBits(1 + pick(64))), shaped(randBits(nb, true) & ~1n));
    }
  });

  it('multMod, mod, mult, subMod, divMod: random and edges', () => {
    for (let i = 0; i < 400; i++) {
      const nb = sizeOf();
      let n = randBits(nb, true);
      if (pick(3)) n |= 1n;
      const x = randBits(1 + pick(nb + 60));
      const y = randBits(1 + pick(nb + 60));
      same('multMod', shaped(x), shaped(y), shaped(n));
      same('mod', shaped(randBits(1 + pick(2 * nb + 60))), shaped(n));
      same('mult', shaped(x), shaped(y));
      same('subMod', shaped(x), shaped(y), shaped(n));
      if (n > 1n) same('divMod', shaped(x % n), shaped((y % (n - 1n)) + 1n), shaped(n));
    }
    for (const n of [1n, 2n, 3n, (1n << 26n) - 1n, 1n << 26n, toBig(MODP_1536)]) {
      for (const x of [0n, 1n, n - 1n, n, n + 1n, n * n, (n << 30n) + 5n].filter((v) => v >= 0n)) {
        for (const y of [0n, 1n, n - 1n, n + 1n]) {
          same('multMod', fromBig(x), fromBig(y), fromBig(n));
          same('mult', fromBig(x), fromBig(y));
          same('subMod', fromBig(x), fromBig(y), fromBig(n));
        }
        same('mod', fromBig(x), fromBig(n));
        same('mod', fromBig(x, 70), fromBig(n));
      }
    }
  });

  it('inverseMod: same representative (bigint.js does not always reduce it)', () => {
    let unreduced = 0;
    for (let i = 0; i < 400; i++) {
      const nb = pick(2) ? 2 + pick(400) : (SIZES[pick(SIZES.length)] as number) + 1;
      let n = randBits(nb, true);
      if (pick(3)) n |= 1n;
      let x = randBits(1 + pick(nb + 40));
      if (x === 0n) x = 1n;
      same('inverseMod', shaped(x), shaped(n));
      const r = P.inverseMod(fromBig(x), fromBig(n));
      if (r && toBig(r) >= n) unreduced++;
    }
    expect(unreduced).toBeGreaterThan(0); // the quirk the native version replays
    for (const n of [1n, 2n, 3n, 4n, toBig(MODP_1536)]) for (const x of [1n, 2n, n - 1n, n, n + 1n].filter((v) => v > 0n)) same('inverseMod', fromBig(x), fromBig(n));
    expect(() => N.divMod(dec('5'), dec('6'), dec('9'))).toThrow(); // no inverse: throws like bigint.js
  });

  it('inverseMod of 0 is null (bigint.js never returns there)', () => {
    expect(N.inverseMod(dec('0'), dec('7'))).toBeNull();
    expect(N.inverseMod(dec('3'), dec('0'))).toBeNull();
  });

  it('millerRabinRound (native-dsa\'s Miller–Rabin): bigint.js\'s millerRabin decision on primes, composites, Carmichael numbers, strong pseudoprimes, random bases', () => {
    const check = (x: bigint, b: bigint): void => {
      const want = (pristine.millerRabin as (x: Limbs, b: Limbs) => number)(fromBig(x), fromBig(b));
      expect(millerRabinRound(x, b), `${x} base ${b}`).toBe(want);
    };
    const special = [3n, 5n, 7n, 9n, 15n, 561n, 1105n, 2047n, 3277n, 41041n, 3215031751n, 2152302898747n, (1n << 61n) - 1n, (1n << 89n) - 1n, toBig(MODP_1536), (1n << 127n) - 1n];
    for (const x of special) for (const b of [0n, 1n, 2n, 3n, x - 1n, x - 2n, x / 2n].filter((v) => v >= 0n && v < x)) check(x, b);
    for (let i = 0; i < 150; i++) {
      const xb = SIZES[pick(SIZES.length)] as number;
      const x = randBits(Math.max(xb, 3), true) | 1n;
      check(x, randBits(Math.max(xb, 3)) % x);
    }
    const q = toBig(big('E950511EAB424B9A19A2AEB4E159B7844C589C4F')); // a 160-bit prime (RFC 6979's DSA-1024 q)
    for (let i = 0; i < 20; i++) check(q, randBits(160) % q);
  });
});

describe('tables for large bases used again (SMP\'s g2, g3, Qa/Qb)', () => {
  const N = toBig(MODP_1536);
  /** Square-and-multiply, the plain reference. */
  const ref = (b: bigint, e: bigint, n: bigint): bigint => {
    let r = 1n % n;
    for (b %= n; e > 0n; e >>= 1n, b = (b * b) % n) if (e & 1n) r = (r * b) % n;
    return r;
  };

  it('powMod on one base many times: same as bigint.js, a table from the first long exponent on', () => {
    clearFixedBaseTables();
    const base = randBits(1535);
    for (let i = 0; i < 8; i++) {
      const bits = i % 3 === 2 ? 1 + pick(300) : 1400 + pick(137);
      same('powMod', fromBig(base), fromBig(randBits(bits) | 1n), MODP_1536);
    }
    expect(fixedBaseTableCount()).toBe(1);
    // short exponents alone never build one
    clearFixedBaseTables();
    for (let i = 0; i < 4; i++) same('powMod', fromBig(base), fromBig(randBits(256) | 1n), MODP_1536);
    expect(fixedBaseTableCount()).toBe(0);
  });

  it('multiPowMod with a reused base on either side, and exponents of every size', () => {
    clearFixedBaseTables();
    const g3 = randBits(1536) % N;
    for (let i = 0; i < 12; i++) {
      const other = pick(3) === 0 ? 2n : randBits(1536) % N;
      const e1 = randBits(pick(4) === 0 ? pick(300) : 1536);
      const e2 = randBits(pick(2) ? 256 : 1536);
      const [a, b, c, d] = pick(2) ? [g3, e1, other, e2] : [other, e2, g3, e1];
      expect(multiPowMod(a, b, c, d, N)).toBe((ref(a, b, N) * ref(c, d, N)) % N);
      if (b > 0n) expect(powModCached(g3, b | 1n, N)).toBe(ref(g3, b | 1n, N));
    }
    expect(fixedBaseTableCount()).toBeGreaterThanOrEqual(1);
  });

  it('keeps at most 8 tables and tells moduli apart', () => {
    clearFixedBaseTables();
    const bases = Array.from({ length: 12 }, () => randBits(1530));
    for (let round = 0; round < 3; round++) {
      for (const b of bases) {
        const e = randBits(1536);
        expect(powModCached(b, e, N)).toBe(ref(b, e, N));
        expect(fixedBaseTableCount()).toBeLessThanOrEqual(8);
      }
    }
    expect(fixedBaseTableCount()).toBe(8);
    clearFixedBaseTables();
    const n2 = randBits(1536) | 1n | (1n << 1535n);
    const b = bases[0]!;
    for (let i = 0; i < 6; i++) {
      const e = randBits(1536);
      const n = i % 2 ? N : n2;
      expect(powModCached(b, e, n)).toBe(modPow(b, e, n));
    }
    expect(fixedBaseTableCount()).toBe(2);
    clearFixedBaseTables();
    expect(fixedBaseTableCount()).toBe(0);
  });
});

describe('inputs outside bigint.js\'s contract', () => {
  it('go to bigint.js when an argument lacks a leading zero limb (bigint.js may loop forever there)', () => {
    const seen: string[] = [];
    const stubs: Record<string, Fn> = { ...pristine };
    for (const k of REPLACED) stubs[k] = ((..._args: never[]) => (seen.push(k), [7, 0])) as Fn;
    stubs.getSeed = pristine.getSeed as Fn;
    installNativeBigInt(stubs);
    const S = stubs as unknown as typeof P;
    const bare = [5, 1]; // 5 + 2^26, no leading zero
    const ok = [3, 0];
    expect(S.powMod(bare, ok, [7, 0])).toEqual([7, 0]);
    expect(S.powMod(ok, ok, [8, 0])).toEqual([7, 0]); // even modulus
    expect(S.multMod(ok, bare, [7, 0])).toEqual([7, 0]);
    expect(S.mod(ok, [5, 1])).toEqual([7, 0]);
    expect(S.inverseMod(bare, [7, 0])).toEqual([7, 0]);
    expect(seen).toEqual(['powMod', 'powMod', 'multMod', 'mod', 'inverseMod']);
    expect(S.powMod(ok, ok, [7, 0])).toEqual([6, 0]); // well-formed: native (27 mod 7)
    installNativeBigInt(bigint);
  });
});

describe('randomness', () => {
  it('randBigInt: same shapes as bigint.js, the right bit lengths, bytes only from bigint.js getSeed()', () => {
    const seedSpy = vi.fn(P.getSeed);
    // The native functions call the getSeed they saved at install time: reinstall around a spied module copy.
    const copy: Record<string, Fn> = { ...pristine, getSeed: seedSpy as unknown as Fn };
    installNativeBigInt(copy);
    const R = copy as unknown as typeof P;
    const mathRandom = vi.spyOn(Math, 'random');
    try {
      for (let n = 1; n <= 130; n++) {
        for (const s of [0, 1]) {
          const got = R.randBigInt(n, s);
          const want = P.randBigInt(n, s);
          expect(got.length).toBe(want.length);
          const v = toBig(got);
          expect(v < 1n << BigInt(n)).toBe(true);
          if (s === 1) expect(v >= 1n << BigInt(n - 1)).toBe(true);
          expect(got.every((l) => Number.isInteger(l) && l >= 0 && l < 2 ** 26)).toBe(true);
        }
      }
      const buf = new Array<number>(45).fill(7);
      R.randBigInt_(buf, 1024, 1);
      expect(buf.length).toBe(45);
      expect(toBig(buf) >> 1023n).toBe(1n);
      expect(buf.slice(40)).toEqual([0, 0, 0, 0, 0]);
      expect(seedSpy).toHaveBeenCalled();
      expect(mathRandom).not.toHaveBeenCalled();
      // Every bit of a 1536-bit number is set about half the time.
      const counts = new Array<number>(1536).fill(0);
      for (let i = 0; i < 400; i++) {
        const v = toBig(R.randBigInt(1536));
        for (let b = 0; b < 1536; b++) if ((v >> BigInt(b)) & 1n) counts[b]!++;
      }
      expect(Math.min(...counts)).toBeGreaterThan(120);
      expect(Math.max(...counts)).toBeLessThan(280);
    } finally {
      mathRandom.mockRestore();
      installNativeBigInt(bigint);
    }
  });
});

describe('otr.js on the native backend', () => {
  it('shadow run: keygen, AKE, messages and SMP; every native call agrees with bigint.js', async () => {
    const calls: Record<string, number> = {};
    const deterministic = REPLACED.filter((k) => !k.startsWith('rand'));
    const natives = Object.fromEntries(deterministic.map((k) => [k, mod[k] as Fn]));
    for (const k of deterministic) {
      mod[k] = ((...args: unknown[]) => {
        calls[k] = (calls[k] ?? 0) + 1;
        const copies = args.map((a) => (Array.isArray(a) ? a.slice() : a)) as never[];
        const got = (natives[k] as Fn)(...(args as never[]));
        expect(got, k).toEqual((pristine[k] as Fn)(...copies));
        return got;
      }) as Fn;
    }
    const keyB = new otr.DSA(null, { nocache: true }); // native only
    const mathRandom = vi.spyOn(Math, 'random');
    try {
      const keyA = new otr.DSA(null, { nocache: true }); // shadowed
      const { a, b, inbox, ake, smp } = rawOtrPair(keyA, keyB, 'swordfish');
      await ake();
      a.sendMsg('hi');
      b.sendMsg('hello');
      a.sendMsg('again');
      await until(() => inbox.length === 3, 'messages');
      expect(inbox.sort()).toEqual(['a→b again', 'a→b hi', 'b→a hello']);
      expect(await smp('swordfish', 'name of the fish?')).toEqual([true, true]);
      expect(mathRandom).not.toHaveBeenCalled();
      expect(calls.powMod).toBeGreaterThan(30);
      expect(calls.inverseMod).toBeGreaterThan(2);
    } finally {
      mathRandom.mockRestore();
      for (const k of deterministic) mod[k] = natives[k] as Fn;
    }
  });
});

describe('large-base tables and the end of an SMP exchange', () => {
  it('keeps tables of SMP values only while the exchange runs: none are left once it succeeded or was aborted', async () => {
    const { sessionPair } = await import('../helpers/session-pair.js');
    const { tick } = await import('../helpers/spec-wire.js');
    const { a, b, toB, pump: deliver } = sessionPair();
    const results: boolean[] = [];
    b.on('smp', (e) => (e.type === 'question' ? b.smpAnswer('horse') : e.type === 'result' ? results.push(e.success) : undefined));
    let largeDuring = 0;
    const pump = () => deliver(30, () => (largeDuring = Math.max(largeDuring, fixedBaseTableCount(true))));
    a.startPrivate();
    await pump();
    clearFixedBaseTables();
    a.smpStart('horse');
    await pump();
    expect(results).toEqual([true]);
    expect(largeDuring).toBeGreaterThan(0); // the exchange used tables of its values
    expect(fixedBaseTableCount(true)).toBe(0);
    expect(fixedBaseTableCount()).toBeGreaterThan(0); // the generator's stays
    // An aborted exchange leaves none either.
    a.smpStart('horse');
    for (let i = 0; i < 2; i++) {
      await tick();
      for (const w of toB.splice(0)) b.receive(w);
    }
    a.smpAbort();
    await pump();
    expect(fixedBaseTableCount(true)).toBe(0);
  });
});
