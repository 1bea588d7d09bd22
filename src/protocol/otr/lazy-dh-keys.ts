/**
 * DH key pairs whose public half is computed on first read.
 *
 * otr.js makes two fresh DH key pairs (`OTR.prototype.dh`: a 320-bit private key, spec "Authenticated
 * Key Exchange": x ≥ 320 bits, and g^x mod p, one 1536-bit exponentiation) in `init()`, i.e. for every
 * new conversation object. A conversation restored from storage throws both away unread, and one
 * that never goes private never reads them: with 100 stored conversations that is 200
 * exponentiations (about 60 ms here) spent on keys nobody uses. This replacement draws the private
 * key exactly as otr.js does, at the same moment and from the same source (bigint.js's
 * `randBigInt`), and computes `publicKey` with bigint.js's `powMod` when something first reads it,
 * so every reader sees the value otr.js would have made.
 */

import { memberSwap } from './member-swap.js';

/** otr's module object (`import otr from 'otr'`). */
export type OtrModule = object;

type Limbs = number[];
interface BigIntLib {
  randBigInt(bits: number, strong?: number): Limbs;
  powMod(x: Limbs, y: Limbs, n: Limbs): Limbs;
  str2bigInt(s: string, base: number): Limbs;
}
interface OtrConstants {
  G: string;
  N: string;
}
type MakePair = () => { privateKey: Limbs; publicKey: Limbs };
interface OtrPrototype {
  dh: MakePair;
}

const swap = memberSwap<MakePair>('dh');

/**
 * Replace `OTR.prototype.dh` with a pair whose `publicKey` is derived on first read. Idempotent.
 *
 * @param otrModule - otr's main module (`{ OTR, DSA }`).
 * @param bigintModule - otr's vendored bigint.js module object (looked up at call time, so a native
 *   back-end installed on it applies).
 * @param constModule - `otr/lib/const.js` (the group's generator and modulus).
 */
export function installLazyDhKeys(otrModule: OtrModule, bigintModule: object, constModule: object): void {
  swap.install(prototypeOf(otrModule), () => lazyPairs(bigintModule, constModule));
}

/** otr's `dh`, with `publicKey` derived on first read. */
function lazyPairs(bigintModule: object, constModule: object): MakePair {
  const big = bigintModule as BigIntLib;
  const constants = constModule as OtrConstants;
  let group: { g: Limbs; n: Limbs } | undefined;
  const lazy: MakePair = function dh() {
    const privateKey = big.randBigInt(320);
    let publicKey: Limbs | undefined;
    return {
      privateKey,
      get publicKey(): Limbs {
        group ??= { g: big.str2bigInt(constants.G, 10), n: big.str2bigInt(constants.N, 16) };
        return (publicKey ??= big.powMod(group.g, privateKey, group.n));
      },
      set publicKey(value: Limbs) {
        publicKey = value;
      },
    };
  };
  return lazy;
}

/** Put otr.js's own `dh` back (benchmarks compare both in one run). */
export function uninstallLazyDhKeys(otrModule: OtrModule): void {
  swap.uninstall(prototypeOf(otrModule));
}

/** Whether the lazy key pairs are in place on `otrModule`. */
export function lazyDhKeysActive(otrModule: OtrModule): boolean {
  return swap.active(prototypeOf(otrModule));
}

function prototypeOf(otrModule: OtrModule): OtrPrototype {
  return (otrModule as { OTR: { prototype: OtrPrototype } }).OTR.prototype;
}
