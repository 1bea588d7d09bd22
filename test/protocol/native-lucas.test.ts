// The Lucas probable-prime test of FIPS 186-4 C.3.3 (src/protocol/otr/native-bigint/lucas.ts), which
// the DSA key search runs after 3 Miller–Rabin rounds instead of 37 more: the Jacobi symbol against
// Euler's criterion, the square test, the doubling ladder against the plain Lucas recurrence for every
// odd number below 3000, Baillie–PSW (one base-2 round and this test) against a sieve below 30 000,
// the classic Lucas pseudoprimes, and large primes and composites.
import { beforeAll, describe, expect, it } from 'vitest';
import otr from 'otr';
import { isPerfectSquare, jacobi, lucasProbablePrime } from '../../src/protocol/otr/native-bigint/lucas.js';
import { millerRabinRound, modPow } from '../../src/protocol/otr/native-bigint/arith.js';
import { installLucasTest, lucasTestActive, uninstallLucasTest } from '../../src/protocol/otr/native-dsa.js';
import { activeSpeedups, installSpeedups } from '../../src/protocol/otr/speedups.js';
import { installOtrPatches } from '../../src/protocol/otr/install.js';

beforeAll(() => void installOtrPatches());

const LIMIT = 30_000;
const composite = new Uint8Array(LIMIT);
for (let i = 2; i * i < LIMIT; i++) if (!composite[i]) for (let j = i * i; j < LIMIT; j += i) composite[j] = 1;
const isSmallPrime = (n: number): boolean => n >= 2 && !composite[n];

/** Selfridge's D (method A) for odd non-square `n`, or undefined when a D shares a factor with n. */
function selfridgeD(n: bigint): bigint | undefined {
  for (let d = 5n; ; d = d > 0n ? -(d + 2n) : -d + 2n) {
    const j = jacobi(d, n);
    if (j === -1) return d;
    if (j === 0 && (d < 0n ? -d : d) !== n) return undefined;
  }
}

/** U_{n+1} mod n by the recurrence U_{k+1} = P·U_k − Q·U_{k−1} (P = 1, Q = (1 − D)/4), step by step. */
function lucasByRecurrence(n: bigint, d: bigint): boolean {
  const q = (((1n - d) / 4n) % n + n) % n;
  let [prev, cur] = [0n, 1n]; // U_0, U_1
  for (let k = 1n; k <= n; k++) [prev, cur] = [cur, (((cur - q * prev) % n) + n) % n];
  return cur === 0n;
}

describe('Jacobi symbol and squares', () => {
  it("agrees with Euler's criterion mod every odd prime below 400, and is multiplicative in n", () => {
    for (let p = 3; p < 400; p += 2) {
      if (!isSmallPrime(p)) continue;
      const P = BigInt(p);
      for (let a = -60n; a <= 60n; a++) {
        const r = ((a % P) + P) % P;
        const euler = r === 0n ? 0 : modPow(r, (P - 1n) / 2n, P) === 1n ? 1 : -1;
        expect(jacobi(a, P), `(${a}/${p})`).toBe(euler);
      }
    }
    for (const [m, n] of [[3n, 5n], [7n, 11n], [13n, 13n], [9n, 25n], [101n, 103n]] as const)
      for (let a = -30n; a <= 30n; a++) expect(jacobi(a, m * n), `(${a}/${m}·${n})`).toBe(jacobi(a, m) * jacobi(a, n) || 0);
  });

  it('tells squares from their neighbours, small and 1024-bit', () => {
    for (let k = 0n; k < 2000n; k++) {
      expect(isPerfectSquare(k * k)).toBe(true);
      if (k > 1n) expect(isPerfectSquare(k * k + 1n), `${k}² + 1`).toBe(false);
      if (k > 2n) expect(isPerfectSquare(k * k - 1n), `${k}² − 1`).toBe(false);
    }
    const big = (1n << 511n) + 12345678901234567n;
    expect(isPerfectSquare(big * big)).toBe(true);
    expect(isPerfectSquare(big * big + 1n)).toBe(false);
    expect(isPerfectSquare(big * big - 1n)).toBe(false);
    expect(isPerfectSquare(big * (big + 2n))).toBe(false);
  });
});

describe('Lucas probable-prime test (FIPS 186-4 C.3.3)', () => {
  it('computes what the plain Lucas recurrence computes, for every odd n from 3 to 2999', () => {
    let pseudoprimes = 0;
    for (let n = 3n; n < 3000n; n += 2n) {
      const d = isPerfectSquare(n) ? undefined : selfridgeD(n);
      const expected = d !== undefined && lucasByRecurrence(n, d);
      expect(lucasProbablePrime(n), `${n}`).toBe(expected);
      if (expected && !isSmallPrime(Number(n))) pseudoprimes++;
    }
    // The Lucas pseudoprimes below 3000 (OEIS A217120): 323, 377, 1159, 1829.
    expect(pseudoprimes).toBe(4);
    for (const n of [323n, 377n, 1159n, 1829n]) expect(lucasProbablePrime(n), `${n}`).toBe(true);
  });

  it('with one base-2 Miller–Rabin round before it (Baillie–PSW), is exactly primality below 30 000', () => {
    for (let n = 5; n < LIMIT; n += 2) {
      const big = BigInt(n);
      const bpsw = millerRabinRound(big, 2n) === 1 && lucasProbablePrime(big);
      expect(bpsw, `${n}`).toBe(isSmallPrime(n));
    }
    // Strong pseudoprimes to base 2 fail the Lucas test.
    for (const n of [2047n, 3277n, 4033n, 4681n, 8321n, 3215031751n]) {
      expect(millerRabinRound(n, 2n), `${n} fools base 2`).toBe(1);
      expect(lucasProbablePrime(n), `${n}`).toBe(false);
    }
  });

  it('passes large primes and fails large composites', () => {
    const mersenne = [521n, 607n, 1279n].map((e) => (1n << e) - 1n);
    for (const m of mersenne) expect(lucasProbablePrime(m)).toBe(true);
    expect(lucasProbablePrime(mersenne[0]! * mersenne[1]!)).toBe(false);
    expect(lucasProbablePrime(mersenne[0]! * mersenne[0]!)).toBe(false); // a square
    expect(lucasProbablePrime(mersenne[1]! * 3n)).toBe(false);
    expect(lucasProbablePrime((1n << 1024n) + 1n)).toBe(false); // F_10, composite
  });

  it("is the DSA search's p test, installed as the dsa-lucas-test speed-up", () => {
    expect(lucasTestActive(otr)).toBe(true);
    expect(activeSpeedups()).toContain('dsa-lucas-test');
    uninstallLucasTest(otr);
    expect(activeSpeedups()).not.toContain('dsa-lucas-test');
    installLucasTest(otr);
    installSpeedups();
    expect(activeSpeedups()).toContain('dsa-lucas-test');
  });
});
