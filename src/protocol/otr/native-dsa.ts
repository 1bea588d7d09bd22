/**
 * DSA key generation with fresh domain parameters on native `BigInt`.
 *
 * otr.js's lib/dsa.js (`new DSA(null, { nocache: true })`) draws a random
 * q, tests it, then draws up to 4·L random p ≡ 1 (mod q), each tested by
 * trial division by every prime below 30 000 and then `repeat` Miller–Rabin
 * rounds with random bases (40 for L = 1024); g = h^((p−1)/q) for the first
 * h = 2, 3, … with g ≠ 1; x uniform in (0, q); y = g^x. It does all of that
 * through bigint.js limb arrays, one `modInt` per small prime.
 *
 * {@link generateDsaKey} runs that very algorithm step for step: the same
 * calls to bigint.js's `randBigInt` (its CSPRNG, whichever backend is
 * installed) in the same order with the same sizes, the same acceptance
 * tests, the same number of Miller–Rabin rounds with the same bases. Given
 * the same random stream it returns the very same key (the tests check
 * this against otr.js). It is faster because the numbers stay native and
 * trial division takes one native remainder per group of primes whose
 * product fits in 53 bits instead of one limb-array `modInt` per prime.
 */
import { millerRabinRound, modPow } from './native-bigint/arith.js';
import { bitLength, type LimbCodec } from './native-bigint/convert.js';
import { nativeCodecFor, type BigIntModule } from './native-bigint.js';

type Limbs = number[];

/** What this module needs from bigint.js (looked up on the module at call time, as dsa.js does). */
interface BigIntSource {
  randBigInt(n: number, s?: number): Limbs;
  findPrimes(n: number): number[];
}

/** dsa.js's trial-division bound (`B` in its isProbPrime: bigint.js's findPrimes(30000)). */
export const TRIAL_BOUND = 30000;

/** Primes packed into groups whose product is below 2^53: one native remainder per group. */
export type PrimeGroups = { product: bigint; primes: number[] }[];

/** Group `primes` (ascending, each below 2^26) for {@link passesTrialDivision}. */
export function primeGroups(primes: readonly number[]): PrimeGroups {
  const groups: PrimeGroups = [];
  let group: number[] = [];
  let product = 1;
  for (const p of primes) {
    if (product * p > Number.MAX_SAFE_INTEGER) {
      groups.push({ product: BigInt(product), primes: group });
      group = [];
      product = 1;
    }
    group.push(p);
    product *= p;
  }
  groups.push({ product: BigInt(product), primes: group });
  return groups;
}

/** dsa.js's trial division: false when one of the primes divides `k` and is not `k` itself. */
export function passesTrialDivision(k: bigint, groups: PrimeGroups): boolean {
  for (const group of groups) {
    const r = Number(k % group.product);
    for (const p of group.primes) if (r % p === 0 && k !== BigInt(p)) return false;
  }
  return true;
}

/**
 * A DSA-1024 private key (otr.js's only size in use: L = 1024, N = 160, 40
 * Miller–Rabin rounds; other sizes stay with otr.js): p, q, g, y, x.
 * `random(n, s)` must be bigint.js's `randBigInt(n, s)` as a native integer;
 * `groups` the {@link primeGroups} of bigint.js's `findPrimes(TRIAL_BOUND)`.
 */
export function generateDsaKey(random: (n: number, s?: number) => bigint, groups: PrimeGroups): Record<'p' | 'q' | 'g' | 'y' | 'x', bigint> {
  const L = 1024;
  const N = 160;
  const repeat = 40;

  // dsa.js isProbPrime(k, n): trial division, then n rounds with bases drawn
  // as randBigInt_(·, bitSize(k), 0) until one is below k.
  const isProbPrime = (k: bigint): boolean => {
    if (!passesTrialDivision(k, groups)) return false;
    const l = bitLength(k);
    for (let i = 0; i < repeat; i++) {
      let b = random(l, 0);
      while (!(k > b)) b = random(l, 0);
      if (!millerRabinRound(k, b)) return false;
    }
    return true;
  };

  const LM1 = 1n << BigInt(L - 1);
  let p = 0n;
  let q = 0n;
  search: for (;;) {
    q = random(N, 1) | 1n;
    if (!isProbPrime(q)) continue;
    for (let counter = 0; counter < 4 * L; counter++) {
      const c = random(L, 1) | 1n;
      // p = c − (c mod q − 1), i.e. p ≡ 1 (mod q). (c mod q = 0, chance 2^−N,
      // would make bigint.js's sub wrap around; here it gives c + 1.)
      p = c - ((c % q) - 1n);
      if (LM1 > p) continue;
      if (isProbPrime(p)) break search;
    }
  }

  // dsa.js: e = (p − 1)·q⁻¹ mod p, which is (p − 1)/q since q divides p − 1.
  const e = (p - 1n) / q;
  let g = 0n;
  for (let h = 2n; ; h++) {
    g = modPow(h, e, p);
    if (g !== 1n) break;
  }

  // dsa.js makeRandom(0, q): randBigInt(bitSize(q)) until 0 < x < q.
  const qBits = bitLength(q);
  let x = random(qBits);
  while (!(x > 0n && x < q)) x = random(qBits);
  const y = modPow(g, x, p);
  return { p, q, g, y, x };
}

// --- installation over otr's DSA ---------------------------------------------------------------

/** otr's `DSA` constructor with its static functions. */
type DsaConstructor = { new (obj?: unknown, opts?: unknown): object; (obj?: unknown, opts?: unknown): object; prototype: object } & Record<
  string,
  unknown
>;

/** otr's main module object (`{ OTR, DSA }`). */
type OtrModule = { DSA: DsaConstructor };

const installedOn = new WeakMap<object, { original: DsaConstructor; fast: DsaConstructor }>();

/**
 * Make `otrModule.DSA(null, { nocache: true })` (a DSA-1024 key with fresh
 * parameters, the only way the project generates keys) use
 * {@link generateDsaKey}. Every other call, and `instanceof`, `parsePublic`,
 * `parsePrivate`, `verify`, …, are otr's own: the replacement shares
 * otr's prototype and statics, and builds its keys with otr's constructor
 * (`new DSA({ p, q, g, y, x })`), so they are ordinary otr DSA objects.
 * Idempotent. Does nothing when the environment has no `BigInt`.
 */
export function installNativeDsa(otrModule: object, bigintModule: BigIntModule): boolean {
  const otr = otrModule as OtrModule;
  const done = installedOn.get(otrModule);
  if (done) {
    otr.DSA = done.fast;
    return true;
  }
  const codec = nativeCodecFor(bigintModule);
  if (!codec) return false;
  const original = otr.DSA;
  const fast = makeFastDsa(original, bigintModule as unknown as BigIntSource, codec);
  installedOn.set(otrModule, { original, fast });
  otr.DSA = fast;
  return true;
}

/** Put otr's own `DSA` back. */
export function uninstallNativeDsa(otrModule: object): void {
  const done = installedOn.get(otrModule);
  if (done) (otrModule as OtrModule).DSA = done.original;
}

/** Whether {@link installNativeDsa}'s `DSA` is in place on `otrModule`. */
export function nativeDsaActive(otrModule: object): boolean {
  const done = installedOn.get(otrModule);
  return !!done && (otrModule as OtrModule).DSA === done.fast;
}

function makeFastDsa(original: DsaConstructor, bigint: BigIntSource, codec: LimbCodec): DsaConstructor {
  const random = (n: number, s?: number): bigint => codec.toBig(bigint.randBigInt(n, s));
  let groups: PrimeGroups | undefined;
  const fast = function DSA(obj?: unknown, opts?: { bit_length?: unknown; nocache?: unknown }): object {
    if (obj || !opts?.nocache || (opts.bit_length != null && opts.bit_length != 1024)) return new original(obj, opts);
    const key: Record<string, unknown> = generateDsaKey(random, (groups ??= primeGroups(bigint.findPrimes(TRIAL_BOUND))));
    for (const f in key) key[f] = codec.fromBig(key[f] as bigint);
    return new original(key);
  } as unknown as DsaConstructor;
  for (const name of Object.keys(original)) fast[name] = original[name];
  fast.prototype = original.prototype;
  return fast;
}
