/**
 * Native-`BigInt` arithmetic backend for otr.js.
 *
 * otr.js does nearly all its work in its vendored bigint.js (Leemon Baird's
 * library, 26-bit limbs in otr 0.2.16). Every otr file calls bigint.js
 * through the one shared module object at call time (`BigInt.powMod(…)`),
 * so replacing that object's properties reroutes otr's arithmetic.
 * {@link installNativeBigInt} swaps in native versions of the hot
 * functions (modular exponentiation, with cached fixed-base tables for
 * small public bases such as OTR's generator 2; modular multiply, reduce,
 * inverse, random limb generation, and the byte-string conversions behind
 * otr's MPI encoding). Key generation's prime search (otr's only user of
 * bigint.js's findPrimes, modInt and millerRabin) is native-dsa.ts.
 *
 * Every replacement returns exactly what bigint.js returns, value and array
 * shape (`trim(x, 1)`), and passes inputs outside its verified domain to the
 * original. Randomness still comes only from bigint.js's CSPRNG
 * (`getSeed()` → `crypto.randomBytes` / `crypto.getRandomValues`).
 *
 * Environment-free: runs in Node and in a browser worker.
 */
import { makeLimbCodec, type LimbCodec } from './native-bigint/convert.js';
import { FixedBase } from './native-bigint/multi-exp.js';
import { REPLACED, makeNativeFunctions, wellFormed, type BigIntFunctions, type Limbs, type ReplacedName } from './native-bigint/ops.js';

export { modPow, windowBits } from './native-bigint/arith.js';
export { FixedBase, clearFixedBaseTables, dropLargeBaseTables, multiPowMod, powModCached, fixedBaseTableCount } from './native-bigint/multi-exp.js';
export { makeLimbCodec, type LimbCodec } from './native-bigint/convert.js';
export { REPLACED, type BigIntFunctions, type Limbs, type ReplacedName } from './native-bigint/ops.js';

/** A bigint.js module object (its exported functions are writable properties). */
export type BigIntModule = object;

/** Which arithmetic otr.js is using. */
export type BigIntBackend = 'native' | 'bigint.js';

interface Installed {
  originals: Record<ReplacedName, BigIntFunctions[ReplacedName]>;
  natives: Record<ReplacedName, BigIntFunctions[ReplacedName]>;
  bpe: number;
  codec: LimbCodec;
}

const installed = new WeakMap<object, Installed>();
let lastModule: object | undefined;

/**
 * Replace bigint.js's hot functions on `bigintModule` with native-`BigInt`
 * versions. Idempotent: a second call on the same module changes nothing.
 * The originals are kept (see {@link bigIntOriginals}).
 *
 * @param bigintModule - the vendored bigint.js module object otr.js uses.
 * @returns the backend now active on that module: `'bigint.js'` when the
 *   environment has no `BigInt` or the module is not a bigint.js it knows.
 */
export function installNativeBigInt(bigintModule: BigIntModule): BigIntBackend {
  lastModule = bigintModule;
  const mod = bigintModule as Record<string, unknown>;
  const done = installed.get(bigintModule);
  if (done) {
    for (const name of REPLACED) mod[name] = done.natives[name];
    return 'native';
  }
  const bpe = detectLimbBits(mod);
  if (bpe === undefined || typeof BigInt !== 'function') return 'bigint.js';
  const originals = {} as Installed['originals'];
  for (const name of REPLACED) originals[name] = mod[name] as never;
  const orig = { ...originals, getSeed: mod.getSeed } as BigIntFunctions;
  const codec = makeLimbCodec(bpe);
  const natives = makeNativeFunctions(orig, codec) as Installed['natives'];
  installed.set(bigintModule, { originals, natives, bpe, codec });
  for (const name of REPLACED) mod[name] = natives[name];
  return 'native';
}

/**
 * Put bigint.js's own functions back on `bigintModule` (for benchmarks and
 * tests comparing both backends in one run). {@link installNativeBigInt}
 * re-installs the same native functions.
 */
export function uninstallNativeBigInt(bigintModule: BigIntModule): void {
  const done = installed.get(bigintModule);
  if (!done) return;
  const mod = bigintModule as Record<string, unknown>;
  for (const name of REPLACED) mod[name] = done.originals[name];
}

/** bigint.js's original functions saved by {@link installNativeBigInt}, or `undefined` if it never ran on this module. */
export function bigIntOriginals(bigintModule: BigIntModule): Readonly<Pick<BigIntFunctions, ReplacedName>> | undefined {
  return installed.get(bigintModule)?.originals as Pick<BigIntFunctions, ReplacedName> | undefined;
}

/**
 * The backend in use on the module last passed to
 * {@link installNativeBigInt}: `'native'` while all native functions are
 * in place, `'bigint.js'` otherwise.
 */
export function activeBigIntBackend(): BigIntBackend {
  const done = lastModule && installed.get(lastModule);
  if (!lastModule || !done) return 'bigint.js';
  const mod = lastModule as Record<string, unknown>;
  return REPLACED.every((name) => mod[name] === done.natives[name]) ? 'native' : 'bigint.js';
}

/**
 * Fixed-base tables of bases that are raised again, most recently used last. A table of a 1536-bit
 * base for 320-bit exponents holds 80 powers (about 16 KB), so at most {@link KEPT_TABLES} are kept:
 * the live peer keys of some 30 busy conversations, about 1 MB.
 */
const baseTables = new Map<Limbs, FixedBase>();
/** How many tables {@link powModKeepingTable} keeps at most. */
export const KEPT_TABLES = 64;
let baseTablesMade = 0;

/** How many tables {@link powModKeepingTable} has made so far, and how many it holds now (for tests). */
export function keptTables(): { made: number; held: number } {
  return { made: baseTablesMade, held: baseTables.size };
}

/**
 * `x^y mod n` exactly as bigint.js's `powMod` returns it, on a fixed-base table of `x` kept while
 * `x` is among the {@link KEPT_TABLES} bases raised last: building the table costs about 12% more
 * than one exponentiation, and every later exponentiation of the same base (any exponent of the
 * same length or shorter) about 30% of one. For public bases that meet several exponents: a peer's
 * DH key, which meets our previous and our next keys (native-sessions.ts), usually three times.
 *
 * @returns `undefined` when the native backend is not in place on `bigintModule`, or the inputs are
 *   outside its domain (then use bigint.js's own `powMod`).
 */
export function powModKeepingTable(bigintModule: BigIntModule, x: Limbs, y: Limbs, n: Limbs): Limbs | undefined {
  const done = installed.get(bigintModule);
  if (!done || (bigintModule as Record<string, unknown>).powMod !== done.natives.powMod) return undefined;
  if (!wellFormed(x, y, n) || (n[0]! & 1) === 0) return undefined;
  const { toBig, fromBig } = done.codec;
  const exp = toBig(y);
  if (exp === 0n) return undefined;
  const base = toBig(x);
  const modulus = toBig(n);
  let table = baseTables.get(x);
  baseTables.delete(x);
  // Another modulus, or the array was changed in place since: a table of its value now.
  if (!table || table.n !== modulus || table.base !== base) {
    table = new FixedBase(base, modulus);
    baseTablesMade++;
  }
  baseTables.set(x, table);
  if (baseTables.size > KEPT_TABLES) baseTables.delete(baseTables.keys().next().value!);
  return fromBig(table.pow(exp));
}

/**
 * A limb converter for `bigintModule`'s number format, or `undefined` if it
 * is not a bigint.js this backend knows (for native helpers built on it).
 */
export function nativeCodecFor(bigintModule: BigIntModule): LimbCodec | undefined {
  const done = installed.get(bigintModule);
  const bpe = done ? done.bpe : detectLimbBits(bigintModule as Record<string, unknown>);
  return bpe === undefined || typeof BigInt !== 'function' ? undefined : makeLimbCodec(bpe);
}

/** Bits per limb of a bigint.js module, or `undefined` if it does not look like one. */
function detectLimbBits(mod: Record<string, unknown>): number | undefined {
  const needed = [...REPLACED, 'getSeed', 'str2bigInt'];
  if (!needed.every((name) => typeof mod[name] === 'function')) return undefined;
  // 2^64 − 1: its lowest limb is all ones, i.e. 2^bpe − 1.
  const probe = (mod.str2bigInt as (s: string, base: number) => number[])('ffffffffffffffff', 16);
  const low = probe[0];
  if (typeof low !== 'number') return undefined;
  const bpe = Math.log2(low + 1);
  return Number.isInteger(bpe) && bpe >= 8 && bpe <= 26 ? bpe : undefined;
}
