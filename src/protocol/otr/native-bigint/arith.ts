/**
 * Modular arithmetic on native `BigInt`, with exactly the mathematical
 * results bigint.js produces (see the property tests).
 */

/**
 * Window width for a sliding-window exponentiation with an exponent of
 * `bits` bits. Measured in Chromium 156 and Node 20 (1024/1536-bit moduli,
 * 160/320/1024/1536-bit exponents): widths 4–6 are within noise of each
 * other from 320 bits on; these are OpenSSL's thresholds, which minimise
 * the multiplication count (squarings + 2^(w−1) table entries + bits/(w+1)).
 */
export function windowBits(bits: number): number {
  if (bits > 671) return 6;
  if (bits > 239) return 5;
  if (bits > 79) return 4;
  if (bits > 23) return 3;
  return 1;
}

/**
 * `base ** exp mod n` for odd `n` ≥ 1 and `exp` ≥ 1 (callers handle
 * `exp = 0`). Left-to-right sliding window over the exponent's bits; a base
 * of 2 takes a squaring-only path where each multiplication is a shift and
 * one conditional subtraction.
 */
export function modPow(base: bigint, exp: bigint, n: bigint): bigint {
  const e = exp.toString(2);
  const len = e.length;
  if (base >= n) base %= n;
  if (base === 2n) {
    let r = 1n;
    for (let i = 0; i < len; i++) {
      r = (r * r) % n;
      if (e.charCodeAt(i) === 49) {
        r <<= 1n;
        if (r >= n) r -= n;
      }
    }
    return r % n;
  }
  const w = windowBits(len);
  // odd[i] = base^(2i+1) mod n
  const odd: bigint[] = [base];
  if (w > 1) {
    const sq = (base * base) % n;
    for (let i = 1; i < 1 << (w - 1); i++) odd.push(((odd[i - 1] as bigint) * sq) % n);
  }
  let r = 1n;
  let started = false;
  let i = 0;
  while (i < len) {
    if (e.charCodeAt(i) === 48) {
      if (started) r = (r * r) % n;
      i++;
      continue;
    }
    // Longest window of at most w bits starting at i and ending in a 1 bit.
    let j = i + w < len ? i + w : len;
    while (e.charCodeAt(j - 1) === 48) j--;
    let value = 0;
    for (let k = i; k < j; k++) value = value * 2 + (e.charCodeAt(k) - 48);
    const factor = odd[(value - 1) >> 1] as bigint;
    if (started) {
      for (let k = i; k < j; k++) r = (r * r) % n;
      r = (r * factor) % n;
    } else {
      r = factor;
      started = true;
    }
    i = j;
  }
  return r % n;
}

/**
 * One Miller–Rabin round of base `b` on odd `x` > 1 with 0 ≤ `b` < `x`,
 * exactly as bigint.js's `millerRabin` decides it: 1 = "probably prime".
 */
export function millerRabinRound(x: bigint, b: bigint): 0 | 1 {
  const x1 = x - 1n;
  let s = 0;
  let r = x1;
  while ((r & 1n) === 0n) {
    r >>= 1n;
    s++;
  }
  let a = modPow(b, r, x);
  if (a === 1n || a === x1) return 1;
  for (let j = 1; j <= s - 1 && a !== x1; j++) {
    a = (a * a) % x;
    if (a === 1n) return 0;
  }
  return a === x1 ? 1 : 0;
}

/**
 * bigint.js's `inverseMod_` (HAC 14.61, binary extended GCD) replayed on
 * native integers, so that it returns the very same representative: that
 * algorithm does not always reduce its answer below `n`. Returns `null` when
 * there is no inverse. `limbBits` is the bit width of bigint.js's answer
 * array (it keeps only that many low bits). `x` and `n` must not be 0
 * (bigint.js loops forever there).
 */
export function binaryInverse(x: bigint, n: bigint, limbBits: number): bigint | null {
  if ((x & 1n) === 0n && (n & 1n) === 0n) return null;
  let u = x;
  let v = n;
  let A = 1n;
  let B = 0n;
  let C = 0n;
  let D = 1n;
  for (;;) {
    while ((u & 1n) === 0n) {
      u >>= 1n;
      if ((A & 1n) === 0n && (B & 1n) === 0n) {
        A >>= 1n;
        B >>= 1n;
      } else {
        A = (A + n) >> 1n;
        B = (B - x) >> 1n;
      }
    }
    while ((v & 1n) === 0n) {
      v >>= 1n;
      if ((C & 1n) === 0n && (D & 1n) === 0n) {
        C >>= 1n;
        D >>= 1n;
      } else {
        C = (C + n) >> 1n;
        D = (D - x) >> 1n;
      }
    }
    if (v <= u) {
      u -= v;
      A -= C;
      B -= D;
    } else {
      v -= u;
      C -= A;
      D -= B;
    }
    if (u === 0n) {
      while (C < 0n) C += n;
      if (v !== 1n) return null;
      return BigInt.asUintN(limbBits, C);
    }
  }
}
