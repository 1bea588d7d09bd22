/**
 * DSA signature verification (FIPS 186-4 §4.7) on native `BigInt`, with
 * g^u1 · y^u2 mod p as one simultaneous two-base exponentiation (Straus's
 * interleaved sliding windows, HAC 14.88's idea: both exponentiations share
 * one chain of squarings) instead of otr.js's two separate `powMod`s.
 *
 * otr.js's lib/dsa.js `DSA.verify(key, m, r, s)`:
 * 1. false unless 0 < r < q and 0 < s < q (`HLP.between`, strict);
 * 2. hm = the bytes of `m` (a Latin1 string, each char & 0xff) as a big-endian integer
 *    (`m` is already the hash: otr passes the SHA-256 MAC of the AKE values);
 * 3. w = s⁻¹ mod q, u1 = hm·w mod q, u2 = r·w mod q;
 * 4. v = ((g^u1 mod p)·(y^u2 mod p) mod p) mod q; returns bigint.js's `equals(v, r)`,
 *    i.e. the number 1 or 0 (only step 1 returns the boolean `false`).
 *
 * {@link dsaVerify} computes the same v, so it returns the same value. Inputs
 * it does not cover exactly (an even or tiny p, or an s with no inverse mod a
 * composite q: otr.js then throws) are handed to otr.js's own `verify`.
 */
import { multiPowMod } from './native-bigint/multi-exp.js';
import { nativeCodecFor, type BigIntModule } from './native-bigint.js';
import type { LimbCodec } from './native-bigint/convert.js';
import { memberSwap } from './member-swap.js';

/** A DSA public key's numbers. */
export interface DsaPublicNumbers {
  p: bigint;
  q: bigint;
  g: bigint;
  y: bigint;
}

/** `x⁻¹ mod n` for 0 < x < n, or `undefined` when gcd(x, n) ≠ 1 (extended Euclid, HAC 2.107). */
export function inverseModOrUndefined(x: bigint, n: bigint): bigint | undefined {
  let [a, b] = [x, n];
  let [u, v] = [1n, 0n];
  while (b !== 0n) {
    const t = a / b;
    [a, b] = [b, a - t * b];
    [u, v] = [v, u - t * v];
  }
  if (a !== 1n) return undefined;
  return ((u % n) + n) % n;
}

/** otr.js's hm: the Latin1 bytes of `m` (char codes & 0xff), big-endian; 0 for "". */
export function latin1ToBig(m: string): bigint {
  if (m.length === 0) return 0n;
  let hex = '';
  for (let i = 0; i < m.length; i++) hex += ((m.charCodeAt(i) & 0xff) | 0x100).toString(16).slice(1);
  return BigInt(`0x${hex}`);
}

/**
 * dsa.js's `DSA.verify` on native integers, returning what it returns (`false`
 * for r or s out of range, else 1 when the signature holds and 0 when not),
 * or `undefined` for inputs left to otr.js (p even or ≤ 1, s not invertible mod q).
 */
export function dsaVerify(key: DsaPublicNumbers, m: string, r: bigint, s: bigint): false | 0 | 1 | undefined {
  const { p, q, g, y } = key;
  if (!(r > 0n && q > r) || !(s > 0n && q > s)) return false;
  if (p <= 1n || (p & 1n) === 0n) return undefined;
  const w = inverseModOrUndefined(s, q);
  if (w === undefined) return undefined;
  const hm = latin1ToBig(m);
  const u1 = (hm * w) % q;
  const u2 = (r * w) % q;
  const v = multiPowMod(g % p, u1, y % p, u2, p) % q;
  return v === r ? 1 : 0;
}

// --- installation over otr's DSA.verify ------------------------------------------------------------

type Limbs = number[];
type Verify = (key: unknown, m: unknown, r: unknown, s: unknown) => unknown;
/** On otr's DSA constructor, only the `verify` static is touched. */
const swap = memberSwap<Verify>('verify');

const isLimbs = (x: unknown): x is Limbs => Array.isArray(x);

/**
 * Replace `dsa.verify` (`dsa`: dsa.js's module object, the `DSA` function
 * that lib/ake.js calls `DSA.verify` on) with {@link dsaVerify}. Idempotent;
 * does nothing (returns false) without `BigInt` or a known bigint.js.
 */
export function installNativeDsaVerify(dsa: object, bigintModule: BigIntModule): boolean {
  return swap.install(dsa, (original) => {
    const codec = nativeCodecFor(bigintModule);
    return codec ? makeFastVerify(original, codec) : undefined;
  });
}

/** Put otr's own `verify` back on `dsa`. */
export function uninstallNativeDsaVerify(dsa: object): void {
  swap.uninstall(dsa);
}

/** Whether {@link installNativeDsaVerify}'s `verify` is in place on `dsa`. */
export function nativeDsaVerifyActive(dsa: object): boolean {
  return swap.active(dsa);
}

function makeFastVerify(original: Verify, codec: LimbCodec): Verify {
  return function verify(this: unknown, key: unknown, m: unknown, r: unknown, s: unknown): unknown {
    const k = key as Partial<Record<'p' | 'q' | 'g' | 'y', unknown>> | null;
    if (k && typeof m === 'string' && isLimbs(r) && isLimbs(s) && isLimbs(k.p) && isLimbs(k.q) && isLimbs(k.g) && isLimbs(k.y)) {
      const numbers = { p: codec.toBig(k.p), q: codec.toBig(k.q), g: codec.toBig(k.g), y: codec.toBig(k.y) };
      const answer = dsaVerify(numbers, m, codec.toBig(r), codec.toBig(s));
      if (answer !== undefined) return answer;
    }
    return original.call(this, key, m, r, s);
  };
}
