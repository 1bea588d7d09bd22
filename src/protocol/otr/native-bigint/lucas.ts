/**
 * The Lucas probable-prime test of FIPS 186-4 Appendix C.3.3 on native
 * `BigInt`, for DSA key generation (native-dsa.ts): with Miller–Rabin rounds
 * before it, FIPS 186-4 Table C.1 lets an L = 1024 prime p be accepted after
 * 3 Miller–Rabin rounds and this test in place of 40 Miller–Rabin rounds, at
 * the same error bound (2^−80). It is the standard Lucas test with Selfridge's
 * parameters (method A: the first D of 5, −7, 9, −11, … with Jacobi(D, C) = −1;
 * P = 1, Q = (1 − D)/4), the one Baillie–PSW pairs with a Miller–Rabin round.
 */

/** Whether `n` ≥ 0 is a perfect square (Newton's integer square root). */
export function isPerfectSquare(n: bigint): boolean {
  if (n < 2n) return true;
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1); // ≥ √n
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x * x === n;
    x = y;
  }
}

/** The Jacobi symbol (a/n) for odd n > 0 (HAC Algorithm 2.149, iterative). */
export function jacobi(a: bigint, n: bigint): -1 | 0 | 1 {
  let x = ((a % n) + n) % n;
  let m = n;
  let result: -1 | 1 = 1;
  while (x !== 0n) {
    while ((x & 1n) === 0n) {
      x >>= 1n;
      const r = m & 7n;
      if (r === 3n || r === 5n) result = result === 1 ? -1 : 1;
    }
    [x, m] = [m, x];
    if ((x & 3n) === 3n && (m & 3n) === 3n) result = result === 1 ? -1 : 1;
    x %= m;
  }
  return m === 1n ? result : 0;
}

/**
 * FIPS 186-4 C.3.3, for odd `c` > 2: `true` = "probably prime", `false` =
 * composite. Steps: 1, a perfect square is composite; 2, D as above (a D
 * with Jacobi(D, c) = 0, D ≠ ±c, shows a factor); 3–7, U and V of K = c + 1
 * from its top bit down; probably prime iff U_{c+1} ≡ 0 (mod c).
 */
export function lucasProbablePrime(c: bigint): boolean {
  if (isPerfectSquare(c)) return false;
  let d = 5n;
  for (;;) {
    const j = jacobi(d, c);
    if (j === -1) break;
    if (j === 0 && (d < 0n ? -d : d) !== c) return false;
    d = d > 0n ? -(d + 2n) : -d + 2n;
  }
  const half = (x: bigint): bigint => ((x & 1n) === 0n ? x : x + c) >> 1n; // x/2 mod c, for 0 ≤ x < c
  const reduce = (x: bigint): bigint => {
    const r = x % c;
    return r < 0n ? r + c : r;
  };
  const k = (c + 1n).toString(2);
  let u = 1n;
  let v = 1n;
  for (let i = 1; i < k.length; i++) {
    const uT = (u * v) % c;
    const vT = half(reduce(v * v + d * (u * u)));
    if (k.charCodeAt(i) === 49) {
      u = half(reduce(uT + vT));
      v = half(reduce(vT + d * uT));
    } else {
      u = uT;
      v = vT;
    }
  }
  return u === 0n;
}
