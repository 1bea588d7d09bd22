/**
 * Exponentiations that share work: fixed-base tables for small public bases
 * (OTR's generator 2, used for every DH key and most of SMP) and
 * simultaneous two-base exponentiation (`a^b · c^d mod n`, as in SMP's proofs).
 * All results are plain modular arithmetic, so they equal bigint.js's.
 */
import { modPow, windowBits } from './arith.js';

/**
 * Precomputed powers `g^(16^i) mod n` of one base, grown on demand.
 * Exponentiation is Brickell–Gordon–McCurley–Wilson with 4-bit digits
 * (the exponent's hex digits): about `bits/4 + 30` multiplications and no
 * squarings, against `bits` squarings for square-and-multiply.
 */
export class FixedBase {
  private readonly powers: bigint[];

  /** @param base - the base (any value; it is reduced mod `n`). @param n - odd modulus ≥ 1. */
  constructor(
    readonly base: bigint,
    readonly n: bigint,
  ) {
    this.powers = [base % n];
  }

  /** `base^exp mod n` for `exp` ≥ 0. */
  pow(exp: bigint): bigint {
    const n = this.n;
    if (exp === 0n) return 1n % n;
    const hex = exp.toString(16);
    const len = hex.length;
    const powers = this.powers;
    while (powers.length < len) {
      let g = powers[powers.length - 1] as bigint;
      for (let k = 0; k < 4; k++) g = (g * g) % n;
      powers.push(g);
    }
    // buckets[d] = product of the powers whose digit is d.
    const buckets: (bigint | undefined)[] = new Array(16);
    for (let i = 0; i < len; i++) {
      const d = HEX_DIGIT[hex.charCodeAt(len - 1 - i)] as number;
      if (d === 0) continue;
      const g = powers[i] as bigint;
      const b = buckets[d];
      buckets[d] = b === undefined ? g : (b * g) % n;
    }
    // Π buckets[d]^d as running products: acc = Σ_{d' ≥ d} buckets[d'] (multiplicatively).
    let acc: bigint | undefined;
    let result: bigint | undefined;
    for (let d = 15; d >= 1; d--) {
      const b = buckets[d];
      if (b !== undefined) acc = acc === undefined ? b : (acc * b) % n;
      if (acc !== undefined) result = result === undefined ? acc : (result * acc) % n;
    }
    return (result as bigint) % n;
  }
}

const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_DIGIT['0123456789abcdef'.charCodeAt(i)] = i;

/**
 * `base^exp mod n` for odd `n` ≥ 1 and `exp` ≥ 1, on a cached
 * {@link FixedBase} table when `base` is a small public generator seen with
 * this modulus before, or any base raised to a long exponent.
 *
 * Long exponents: SMP raises each of its derived bases (g2, g3, Qa/Qb) to
 * three long exponents on each side. Building a table while exponentiating
 * costs about 7% more than a sliding window (the squarings are the same;
 * BGMW's multiplications replace the window's), and every later
 * exponentiation on it a quarter of the multiplications and no squarings,
 * so a base gets one at its first long exponentiation. Besides tables of
 * public generators these hold powers of SMP's g2, g3, Qa/Qb (which otr.js
 * itself keeps for the whole SMP run) and of the peer's public values; at
 * most {@link MAX_TABLES} are kept.
 */
export function powModCached(base: bigint, exp: bigint, n: bigint): bigint {
  const table = cachedTable(base, exp, n);
  return table ? table.pow(exp) : modPow(base, exp, n);
}

function cachedTable(base: bigint, exp: bigint, n: bigint): FixedBase | undefined {
  if (base < 0n || n <= 1n) return undefined;
  // long: at least three quarters as long as the modulus (SMP's random 1536-bit exponents)
  if (base < SMALL_BASE) return fixedBaseFor(base, n, 2);
  return exp.toString(16).length * 4 < n.toString(16).length * 3 ? undefined : fixedBaseFor(base, n, 1);
}

/** Bases below this are treated as public generators and may get a cached table. */
const SMALL_BASE = 1n << 32n;
/** Tables kept (least recently used dropped first); one for a 1536-bit modulus is about 74 KB. */
const MAX_TABLES = 8;

const tables = new Map<string, FixedBase>();
const uses = new Map<string, number>();

/** The table for `base` mod `n`, made at its `after`-th exponentiation. */
function fixedBaseFor(base: bigint, n: bigint, after: number): FixedBase | undefined {
  const key = `${base.toString(16)}:${n.toString(16)}`;
  const table = tables.get(key);
  if (table) {
    tables.delete(key); // move to the most recent position
    tables.set(key, table);
    return table;
  }
  const count = (uses.get(key) ?? 0) + 1;
  if (count < after) {
    if (uses.size >= 64) uses.clear();
    uses.set(key, count);
    return undefined;
  }
  uses.delete(key);
  const made = new FixedBase(base, n);
  tables.set(key, made);
  if (tables.size > MAX_TABLES) tables.delete(tables.keys().next().value as string);
  return made;
}

/** Drop every cached table (for tests and benchmarks). */
export function clearFixedBaseTables(): void {
  tables.clear();
  uses.clear();
}

/**
 * Drop the tables of large bases (SMP's g2, g3, Qa/Qb and the peer's values) and their counts,
 * keeping those of small public generators: called when an SMP exchange ends, so no powers of its
 * values stay in memory after it.
 */
export function dropLargeBaseTables(): void {
  for (const map of [tables, uses] as Map<string, unknown>[]) {
    for (const key of [...map.keys()]) if (isLargeBaseKey(key)) map.delete(key);
  }
}

/** How many tables are held (for tests); `large`: only those of large bases. */
export function fixedBaseTableCount(large = false): number {
  return large ? [...tables.keys()].filter(isLargeBaseKey).length : tables.size;
}

function isLargeBaseKey(key: string): boolean {
  return BigInt(`0x${key.slice(0, key.indexOf(':'))}`) >= SMALL_BASE;
}

/**
 * Windows of a left-to-right sliding-window scan of `exp` (> 0): for each
 * window, the bit position (from the least significant bit) where it ends,
 * and its odd value.
 */
function slidingWindows(exp: bigint, w: number): { end: Int32Array; value: Int32Array; count: number; bits: number } {
  const e = exp.toString(2);
  const len = e.length;
  const end = new Int32Array(len + 1);
  const value = new Int32Array(end.length);
  let count = 0;
  let i = 0;
  while (i < len) {
    if (e.charCodeAt(i) === 48) {
      i++;
      continue;
    }
    let j = i + w < len ? i + w : len;
    while (e.charCodeAt(j - 1) === 48) j--;
    let v = 0;
    for (let k = i; k < j; k++) v = v * 2 + (e.charCodeAt(k) - 48);
    end[count] = len - j;
    value[count++] = v;
    i = j;
  }
  return { end, value, count, bits: len };
}

/** Odd powers `x^1, x^3, …, x^(2^w − 1)` mod n. */
function oddPowers(x: bigint, w: number, n: bigint): bigint[] {
  const odd = [x % n];
  if (w > 1) {
    const sq = (odd[0]! * odd[0]!) % n;
    for (let i = 1; i < 1 << (w - 1); i++) odd.push((odd[i - 1]! * sq) % n);
  }
  return odd;
}

/**
 * `a^b · c^d mod n` for odd `n` > 1 and `b`, `d` ≥ 0 (`x^0` = 1).
 * A small base with a cached table is done on its table; otherwise both
 * exponentiations share one chain of squarings (interleaved sliding windows).
 */
export function multiPowMod(a: bigint, b: bigint, c: bigint, d: bigint, n: bigint): bigint {
  if (b === 0n) return d === 0n ? 1n % n : powModCached(c, d, n);
  if (d === 0n) return powModCached(a, b, n);
  if (a >= 0n && a < SMALL_BASE) return (powModCached(a, b, n) * powModCached(c, d, n)) % n;
  if (c >= 0n && c < SMALL_BASE) return (powModCached(a, b, n) * powModCached(c, d, n)) % n;
  // A large base with (or due) a table: its side on the table, the other alone.
  const tableA = cachedTable(a, b, n);
  const tableC = cachedTable(c, d, n);
  if (tableA || tableC) return ((tableA ? tableA.pow(b) : modPow(a, b, n)) * (tableC ? tableC.pow(d) : modPow(c, d, n))) % n;
  const wa = slidingWindows(b, windowBits(b.toString(2).length));
  const wc = slidingWindows(d, windowBits(d.toString(2).length));
  const ta = oddPowers(a, windowBits(wa.bits), n);
  const tc = oddPowers(c, windowBits(wc.bits), n);
  let r: bigint | undefined;
  let ia = 0;
  let ic = 0;
  for (let pos = Math.max(wa.bits, wc.bits) - 1; pos >= 0; pos--) {
    if (r !== undefined) r = (r * r) % n;
    if (ia < wa.count && wa.end[ia] === pos) {
      const f = ta[(wa.value[ia++]! - 1) >> 1]!;
      r = r === undefined ? f : (r * f) % n;
    }
    if (ic < wc.count && wc.end[ic] === pos) {
      const f = tc[(wc.value[ic++]! - 1) >> 1]!;
      r = r === undefined ? f : (r * f) % n;
    }
  }
  return (r as bigint) % n;
}
