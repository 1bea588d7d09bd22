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
 *
 * {@link generateDsaKeyOneRead}, what the installed `DSA` runs, is the same
 * search except that each candidate p is one Web Crypto read of L/8 bytes
 * made ≡ 1 (mod 2q) ({@link pCandidate}), and that p is accepted, as FIPS
 * 186-4 Table C.1 allows for L = 1024, after trial division, 3 Miller–Rabin
 * rounds and the Lucas test of C.3.3 (native-bigint/lucas.ts) instead of 40
 * Miller–Rabin rounds: the prime found costs about 5 exponentiations instead
 * of 40, which was half of all the search's work. q, g, x and y are as above.
 * Its keys are as valid but not the ones otr.js would draw from the same
 * stream, so {@link generateDsaKey} stays, for that test and for
 * {@link uninstallOneReadSearch} and {@link uninstallLucasTest} (benchmarks).
 */
import { millerRabinRound, modPow } from './native-bigint/arith.js';
import { lucasProbablePrime } from './native-bigint/lucas.js';
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

/** A DSA private key's numbers. */
export type DsaKeyNumbers = Record<'p' | 'q' | 'g' | 'y' | 'x', bigint>;

/** bigint.js's `randBigInt(n, s)` as a native integer. */
export type RandomBits = (n: number, s?: number) => bigint;

/** dsa.js's sizes for L = 1024: N = 160, 40 Miller–Rabin rounds. */
const L = 1024;
const N = 160;
const REPEAT = 40;
/** FIPS 186-4 Table C.1, L = 1024, "M-R tests + Lucas": 3 Miller–Rabin rounds for p before the Lucas test. */
const REPEAT_WITH_LUCAS = 3;
const LM1 = 1n << BigInt(L - 1);

/**
 * dsa.js's isProbPrime(k, 40): trial division, then `rounds` (40) rounds with
 * bases drawn as randBigInt_(·, bitSize(k), 0) until one is below k; with
 * `lucas`, {@link lucasProbablePrime} after them.
 */
function probPrimeTest(random: RandomBits, groups: PrimeGroups, rounds = REPEAT, lucas = false): (k: bigint) => boolean {
  return (k) => {
    if (!passesTrialDivision(k, groups)) return false;
    const l = bitLength(k);
    for (let i = 0; i < rounds; i++) {
      let b = random(l, 0);
      while (!(k > b)) b = random(l, 0);
      if (!millerRabinRound(k, b)) return false;
    }
    return !lucas || lucasProbablePrime(k);
  };
}

/** dsa.js's q: randBigInt(N, 1) made odd, until it passes isProbPrime. */
function searchQ(random: RandomBits, isProbPrime: (k: bigint) => boolean): bigint {
  for (;;) {
    const q = random(N, 1) | 1n;
    if (isProbPrime(q)) return q;
  }
}

/** dsa.js's g (first h = 2, 3, … with h^((p−1)/q) ≠ 1), x (randBigInt(bitSize(q)) until 0 < x < q) and y = g^x. */
function finishKey(p: bigint, q: bigint, random: RandomBits): DsaKeyNumbers {
  // dsa.js: e = (p − 1)·q⁻¹ mod p, which is (p − 1)/q since q divides p − 1.
  const e = (p - 1n) / q;
  let g = 0n;
  for (let h = 2n; ; h++) {
    g = modPow(h, e, p);
    if (g !== 1n) break;
  }
  const qBits = bitLength(q);
  let x = random(qBits);
  while (!(x > 0n && x < q)) x = random(qBits);
  const y = modPow(g, x, p);
  return { p, q, g, y, x };
}

/**
 * A DSA-1024 private key (otr.js's only size in use: L = 1024, N = 160, 40
 * Miller–Rabin rounds; other sizes stay with otr.js): p, q, g, y, x, by
 * otr.js's exact search (same draws in the same order as dsa.js).
 * `random(n, s)` must be bigint.js's `randBigInt(n, s)` as a native integer;
 * `groups` the {@link primeGroups} of bigint.js's `findPrimes(TRIAL_BOUND)`.
 */
export function generateDsaKey(random: RandomBits, groups: PrimeGroups): DsaKeyNumbers {
  const isProbPrime = probPrimeTest(random, groups);
  let p = 0n;
  let q = 0n;
  search: for (;;) {
    q = searchQ(random, isProbPrime);
    for (let counter = 0; counter < 4 * L; counter++) {
      const c = random(L, 1) | 1n;
      // p = c − (c mod q − 1), i.e. p ≡ 1 (mod q). (c mod q = 0, chance 2^−N,
      // would make bigint.js's sub wrap around; here it gives c + 1.)
      p = c - ((c % q) - 1n);
      if (LM1 > p) continue;
      if (isProbPrime(p)) break search;
    }
  }
  return finishKey(p, q, random);
}

/**
 * One candidate p of {@link generateDsaKeyOneRead} from `L/8` random bytes
 * (big-endian): c = the bytes with the top bit set, p = c − (c mod 2q) + 1,
 * so p ≡ 1 (mod 2q): odd and with q | p − 1, as dsa.js's p ≡ 1 (mod q)
 * intends (its even candidates only fail trial division by 2). Below
 * 2^(L−1) (c within 2q of it) means "draw again", as in dsa.js.
 */
export function pCandidate(bytes: Uint8Array, q: bigint): bigint {
  let hex = '';
  for (const b of bytes) hex += (b | 0x100).toString(16).slice(1);
  const c = BigInt(`0x${hex}`) | LM1;
  return c - (c % (2n * q)) + 1n;
}

/**
 * A DSA-1024 private key like {@link generateDsaKey} (the same q, the same
 * acceptance tests for p: trial division below {@link TRIAL_BOUND} and 40
 * Miller–Rabin rounds, the same g, x and y; FIPS 186-4 §A.1 / Go's
 * crypto/dsa, which dsa.js follows), but each candidate p is one read of
 * `L/8` bytes from `randomBytes` ({@link pCandidate}) instead of a
 * limb-array `randBigInt` drawn through bigint.js's 40-byte seed pool, and
 * candidates are odd by construction. With `lucas` (the default), p passes
 * 3 Miller–Rabin rounds and the Lucas test (FIPS 186-4 C.3.3, Table C.1)
 * instead of 40 rounds; q keeps its 40.
 */
export function generateDsaKeyOneRead(random: RandomBits, randomBytes: (n: number) => Uint8Array, groups: PrimeGroups, lucas = true): DsaKeyNumbers {
  const isProbPrime = probPrimeTest(random, groups);
  const isPrimeP = lucas ? probPrimeTest(random, groups, REPEAT_WITH_LUCAS, true) : isProbPrime;
  for (;;) {
    const q = searchQ(random, isProbPrime);
    for (let counter = 0; counter < 4 * L; counter++) {
      const p = pCandidate(randomBytes(L / 8), q);
      if (LM1 > p) continue;
      if (isPrimeP(p)) return finishKey(p, q, random);
    }
  }
}

// --- installation over otr's DSA ---------------------------------------------------------------

/** otr's `DSA` constructor with its static functions. */
type DsaConstructor = { new (obj?: unknown, opts?: unknown): object; (obj?: unknown, opts?: unknown): object; prototype: object } & Record<
  string,
  unknown
>;

/** otr's main module object (`{ OTR, DSA }`). */
type OtrModule = { DSA: DsaConstructor };

/** One installation: otr's DSA, ours, and which p search ours runs. */
interface Installed {
  original: DsaConstructor;
  fast: DsaConstructor;
  /** {@link generateDsaKeyOneRead} (when the environment has `crypto.getRandomValues`) instead of {@link generateDsaKey}. */
  oneRead: boolean;
  /** That search's p test: 3 Miller–Rabin rounds and the Lucas test instead of 40 rounds. */
  lucas: boolean;
}

const installedOn = new WeakMap<object, Installed>();

/** A CSPRNG read of `n` bytes, or `undefined` without Web Crypto. */
const webCryptoBytes: ((n: number) => Uint8Array) | undefined =
  typeof globalThis.crypto?.getRandomValues === 'function' ? (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)) : undefined;

/**
 * Make `otrModule.DSA(null, { nocache: true })` (a DSA-1024 key with fresh
 * parameters, the only way the project generates keys) use
 * {@link generateDsaKeyOneRead} (or {@link generateDsaKey} after
 * {@link uninstallOneReadSearch}). Every other call, and `instanceof`, `parsePublic`,
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
  const record: Installed = { original, fast: original, oneRead: true, lucas: true };
  record.fast = makeFastDsa(original, bigintModule as unknown as BigIntSource, codec, record);
  installedOn.set(otrModule, record);
  otr.DSA = record.fast;
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

/** otr.js's own `DSA` (dsa.js's module object), whether or not ours is installed over it. */
export function stockDsaOf(otrModule: object): DsaConstructor {
  return installedOn.get(otrModule)?.original ?? (otrModule as OtrModule).DSA;
}

/** Let our `DSA` search p with one random read per candidate ({@link generateDsaKeyOneRead}; the default). */
export function installOneReadSearch(otrModule: object): void {
  const done = installedOn.get(otrModule);
  if (done) done.oneRead = true;
}

/** Let our `DSA` search p exactly as otr.js does ({@link generateDsaKey}). */
export function uninstallOneReadSearch(otrModule: object): void {
  const done = installedOn.get(otrModule);
  if (done) done.oneRead = false;
}

/** Whether our `DSA` is in place and searches p with one random read per candidate. */
export function oneReadSearchActive(otrModule: object): boolean {
  return nativeDsaActive(otrModule) && !!webCryptoBytes && installedOn.get(otrModule)!.oneRead;
}

/** Let the one-read search accept p after 3 Miller–Rabin rounds and the Lucas test (the default). */
export function installLucasTest(otrModule: object): void {
  const done = installedOn.get(otrModule);
  if (done) done.lucas = true;
}

/** Let the one-read search accept p after 40 Miller–Rabin rounds, as otr.js does. */
export function uninstallLucasTest(otrModule: object): void {
  const done = installedOn.get(otrModule);
  if (done) done.lucas = false;
}

/** Whether the one-read search runs and accepts p with the Lucas test. */
export function lucasTestActive(otrModule: object): boolean {
  return oneReadSearchActive(otrModule) && installedOn.get(otrModule)!.lucas;
}

function makeFastDsa(original: DsaConstructor, bigint: BigIntSource, codec: LimbCodec, record: Installed): DsaConstructor {
  const random = (n: number, s?: number): bigint => codec.toBig(bigint.randBigInt(n, s));
  let groups: PrimeGroups | undefined;
  const fast = function DSA(obj?: unknown, opts?: { bit_length?: unknown; nocache?: unknown }): object {
    if (obj || !opts?.nocache || (opts.bit_length != null && opts.bit_length != 1024)) return new original(obj, opts);
    groups ??= primeGroups(bigint.findPrimes(TRIAL_BOUND));
    const key: Record<string, unknown> =
      record.oneRead && webCryptoBytes ? generateDsaKeyOneRead(random, webCryptoBytes, groups, record.lucas) : generateDsaKey(random, groups);
    for (const f in key) key[f] = codec.fromBig(key[f] as bigint);
    return new original(key);
  } as unknown as DsaConstructor;
  // otr's statics, read through to otr's DSA (so a static replaced there later, as
  // native-dsa-verify.ts replaces `verify`, is the one seen here too).
  for (const name of Object.keys(original)) {
    Object.defineProperty(fast, name, {
      get: () => original[name],
      set: (value: unknown) => void (original[name] = value),
      enumerable: true,
      configurable: true,
    });
  }
  fast.prototype = original.prototype;
  return fast;
}
