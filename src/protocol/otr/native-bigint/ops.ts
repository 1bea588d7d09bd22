/**
 * Native-`BigInt` replacements for bigint.js's hot functions. Each one
 * returns exactly what the original returns (value and array shape), and
 * hands inputs outside the domain it has been verified on back to the
 * original function.
 */
import { binaryInverse } from './arith.js';
import { makeByteFunctions } from './bytes.js';
import { bitLength, type LimbCodec } from './convert.js';
import { powModCached } from './multi-exp.js';

/** bigint.js number: little-endian array of `bpe`-bit limbs. */
export type Limbs = number[];

/** The bigint.js functions this backend replaces or builds on (the originals). */
export interface BigIntFunctions {
  powMod(x: Limbs, y: Limbs, n: Limbs): Limbs;
  multMod(x: Limbs, y: Limbs, n: Limbs): Limbs;
  mod(x: Limbs, n: Limbs): Limbs;
  mult(x: Limbs, y: Limbs): Limbs;
  inverseMod(x: Limbs, n: Limbs): Limbs | null;
  divMod(num: Limbs, den: Limbs, n: Limbs): Limbs;
  subMod(one: Limbs, two: Limbs, n: Limbs): Limbs;
  randBigInt(n: number, s?: number): Limbs;
  randBigInt_(b: Limbs, n: number, s?: number): void;
  bigInt2bits(bi: Limbs, pad?: number): string;
  ba2bigInt(data: number[]): Limbs;
  getSeed(): number[];
}

/** Names of the functions {@link makeNativeFunctions} replaces. */
export const REPLACED = [
  'powMod',
  'multMod',
  'mod',
  'mult',
  'inverseMod',
  'divMod',
  'subMod',
  'randBigInt',
  'randBigInt_',
  'bigInt2bits',
  'ba2bigInt',
] as const;

/** One of the replaced function names. */
export type ReplacedName = (typeof REPLACED)[number];

const isLimbs = Array.isArray as (value: unknown) => value is Limbs;

/**
 * True when every argument is a limb array with a leading zero limb, the
 * shape bigint.js documents as its input contract ("a bigInt with at least
 * one leading zero element") and the only shape otr.js produces. Without
 * it bigint.js's divide_ can drop bits or loop forever, so such inputs stay
 * with the original.
 */
export function wellFormed(...values: unknown[]): boolean {
  for (const v of values) if (!isLimbs(v) || v.length === 0 || v[v.length - 1] !== 0) return false;
  return true;
}

/**
 * Build the native replacements. `orig` are bigint.js's own functions
 * (used for fallbacks and for randomness, which only ever comes from
 * `orig.getSeed`, i.e. bigint.js's CSPRNG).
 */
export function makeNativeFunctions(orig: BigIntFunctions, codec: LimbCodec): Pick<BigIntFunctions, ReplacedName> {
  const { bpe, toBig, fromBig } = codec;

  function powMod(x: Limbs, y: Limbs, n: Limbs): Limbs {
    // Even moduli take bigint.js's separate square-and-multiply path (which
    // truncates the base to n's length); leave them to it.
    if (!wellFormed(x, y, n) || (n[0]! & 1) === 0) return orig.powMod(x, y, n);
    const e = toBig(y);
    if (e === 0n) return [1, 0]; // bigint.js: anything to the 0th power is 1, even mod 1
    return fromBig(powModCached(toBig(x), e, toBig(n)));
  }

  function multMod(x: Limbs, y: Limbs, n: Limbs): Limbs {
    if (!wellFormed(x, y, n)) return orig.multMod(x, y, n);
    const m = toBig(n);
    if (m === 0n) return orig.multMod(x, y, n);
    const p = toBig(x) * toBig(y);
    // bigint.js multiplies into 2·max(|x|,|n|) limbs and needs one spare limb
    // to normalise before dividing; beyond that it silently truncates.
    if (bitLength(p) > bpe * (2 * Math.max(x.length, n.length) - 1)) return orig.multMod(x, y, n);
    return fromBig(p % m);
  }

  function mod(x: Limbs, n: Limbs): Limbs {
    if (!wellFormed(x, n)) return orig.mod(x, n);
    const m = toBig(n);
    if (m === 0n) return orig.mod(x, n);
    return fromBig(toBig(x) % m);
  }

  function mult(x: Limbs, y: Limbs): Limbs {
    if (!isLimbs(x) || !isLimbs(y)) return orig.mult(x, y);
    return fromBig(toBig(x) * toBig(y));
  }

  function inverseMod(x: Limbs, n: Limbs): Limbs | null {
    if (!wellFormed(x, n)) return orig.inverseMod(x, n);
    const a = toBig(x);
    const m = toBig(n);
    // bigint.js never returns for x = 0 or n = 0; "no inverse" is the answer.
    if (a === 0n || m === 0n) return null;
    const inv = binaryInverse(a, m, bpe * Math.max(x.length, n.length));
    return inv === null ? null : fromBig(inv);
  }

  function divMod(num: Limbs, den: Limbs, n: Limbs): Limbs {
    // Same composition as otr.js's addition to bigint.js (which throws when
    // there is no inverse; so does this, through the original multMod).
    return multMod(num, inverseMod(den, n) as Limbs, n);
  }

  function subMod(one: Limbs, two: Limbs, n: Limbs): Limbs {
    if (!wellFormed(one, two, n)) return orig.subMod(one, two, n);
    const a = toBig(mod(one, n));
    const b = toBig(mod(two, n));
    const r = (b > a ? a + toBig(n) : a) - b;
    // Only a non-negative difference has the same shape as bigint.js's sub().
    return r < 0n ? orig.subMod(one, two, n) : fromBig(r);
  }

  // Random limbs: the same construction as bigint.js's randomBitInt(bpe)
  // (ceil(bpe/8) CSPRNG bytes per limb, top byte masked), but the bytes are
  // fetched 40 at a time through bigint.js's getSeed() instead of one
  // crypto call per byte. Unused bytes are dropped, never kept.
  const fullBytes = Math.floor(bpe / 8);
  const topMask = (1 << (bpe % 8)) - 1;
  const bytesPerLimb = fullBytes + (topMask ? 1 : 0);

  function randBigInt_(b: Limbs, n: number, s?: number): void {
    if (!isLimbs(b) || typeof n !== 'number' || !(n >= 1)) return orig.randBigInt_(b, n, s);
    for (let i = 0; i < b.length; i++) b[i] = 0;
    const a = Math.floor((n - 1) / bpe) + 1;
    let pool: number[] = [];
    let at = 0;
    for (let i = 0; i < a; i++) {
      if (at + bytesPerLimb > pool.length) {
        pool = orig.getSeed();
        at = 0;
      }
      let r = topMask ? pool[at++]! & topMask : 0;
      for (let k = 0; k < fullBytes; k++) r = r * 256 + pool[at++]!;
      b[i] = r;
    }
    b[a - 1]! &= (2 << ((n - 1) % bpe)) - 1;
    if (s == 1) b[a - 1]! |= 1 << ((n - 1) % bpe);
  }

  function randBigInt(n: number, s?: number): Limbs {
    if (typeof n !== 'number' || !(n >= 1)) return orig.randBigInt(n, s);
    const b = new Array<number>(Math.floor((n - 1) / bpe) + 2).fill(0);
    randBigInt_(b, n, s);
    return b;
  }

  const { bigInt2bits, ba2bigInt } = makeByteFunctions(orig, bpe);

  return { powMod, multMod, mod, mult, inverseMod, divMod, subMod, randBigInt, randBigInt_, bigInt2bits, ba2bigInt };
}
