/**
 * The AKE's Diffie–Hellman secret, handed on to the first data-message session made from the same
 * two keys.
 *
 * OTR v3, "Authenticated Key Exchange": each side computes s = (g^y)^x from its AKE key x and the
 * peer's g^y, and derives the AKE's own keys from it. When the AKE succeeds, our AKE key becomes our
 * previous key and g^y the peer's newest ("Exchanging data": the first data message goes from our
 * key id k to theirs), so the session of that pair ("Computing AES keys, MAC keys and the SSID")
 * hashes the very same s. otr.js computes it twice: in `createKeys` and again in `DHSession`, one
 * 1536-bit exponentiation per side per AKE spent on a value already known.
 *
 * Here `createKeys` (same derivation, otr's own helpers) also remembers s, keyed by our private key
 * object and paired with the peer's public value it was computed with; the lazy data session
 * (native-sessions.ts) takes it once, when it derives the keys of exactly that pair. The entry lives
 * no longer than the private key (a WeakMap), which can recompute s anyway, and is dropped on use.
 */

import type { RawAkeInternals } from './internals.js';
import { memberSwap } from './member-swap.js';

/** otr's `lib/ake.js` module object (its `AKE` constructor, or the constructor itself). */
export type AkeModule = object;

type Limbs = number[];
interface Helpers {
  packMPI(x: Limbs): string;
  h2(b: string, secbytes: string): string;
  mask(bytes: string, start: number, n: number): string;
}
interface BigIntLib {
  powMod(x: Limbs, y: Limbs, n: Limbs): Limbs;
  equals(x: Limbs, y: Limbs): boolean | number;
  str2bigInt(s: string, base: number): Limbs;
}
/** What `createKeys` reads and sets on the AKE object. */
type AkeKeys = Pick<RawAkeInternals, 'our_dh' | 'ssid' | 'c' | 'c_prime' | 'm1' | 'm2' | 'm1_prime' | 'm2_prime'>;
type CreateKeys = (this: AkeKeys, g: Limbs) => void;

/** Our private key → the peer's public value and the packed secret s (MPI) computed with it. */
const secrets = new WeakMap<Limbs, { theirY: Limbs; secbytes: string }>();

const swap = memberSwap<CreateKeys>('createKeys');

/**
 * Replace the AKE's `createKeys` with one that also remembers s. Idempotent.
 *
 * @param akeModule - `otr/lib/ake.js`'s export (the `AKE` constructor).
 * @param helpersModule - `otr/lib/helpers.js`'s module object.
 * @param bigintModule - otr's vendored bigint.js (looked up at call time: a native back-end applies).
 * @param constModule - `otr/lib/const.js` (the DH modulus).
 * @returns whether the replacement is now active.
 */
export function installAkeSecretReuse(akeModule: AkeModule, helpersModule: object, bigintModule: object, constModule: object): boolean {
  const N = (constModule as { N?: unknown }).N;
  if (typeof N !== 'string') return false;
  return swap.install(prototypeOf(akeModule), () => rememberingCreateKeys(helpersModule as Helpers, bigintModule as BigIntLib, N));
}

/** Put otr.js's own `createKeys` back (benchmarks compare both in one run). */
export function uninstallAkeSecretReuse(akeModule: AkeModule): void {
  swap.uninstall(prototypeOf(akeModule));
}

/** Whether the remembering `createKeys` is in place. */
export function akeSecretReuseActive(akeModule: AkeModule): boolean {
  return swap.active(prototypeOf(akeModule));
}

/**
 * The packed secret an AKE computed from `ourPrivate` and `theirY`, once: the entry is dropped, and
 * `undefined` comes back for any other pair (then the caller exponentiates).
 */
export function takeAkeSecret(ourPrivate: Limbs, theirY: Limbs, big: { equals(x: Limbs, y: Limbs): boolean | number }): string | undefined {
  const entry = secrets.get(ourPrivate);
  if (!entry || !big.equals(entry.theirY, theirY)) return undefined;
  secrets.delete(ourPrivate);
  return entry.secbytes;
}

function rememberingCreateKeys(HLP: Helpers, BI: BigIntLib, modulusHex: string): CreateKeys {
  let modulus: Limbs | undefined;
  /** otr.js's `createKeys` (spec: "Authenticated Key Exchange", keys from s), plus the memo. */
  return function createKeys(this: AkeKeys, g: Limbs): void {
    modulus ??= BI.str2bigInt(modulusHex, 16);
    const secbytes = HLP.packMPI(BI.powMod(g, this.our_dh.privateKey, modulus));
    secrets.set(this.our_dh.privateKey, { theirY: g, secbytes });
    this.ssid = HLP.mask(HLP.h2('\x00', secbytes), 0, 64); // first 64 bits
    const tmp = HLP.h2('\x01', secbytes);
    this.c = HLP.mask(tmp, 0, 128); // first 128 bits
    this.c_prime = HLP.mask(tmp, 128, 128); // second 128 bits
    this.m1 = HLP.h2('\x02', secbytes);
    this.m2 = HLP.h2('\x03', secbytes);
    this.m1_prime = HLP.h2('\x04', secbytes);
    this.m2_prime = HLP.h2('\x05', secbytes);
  };
}

function prototypeOf(akeModule: AkeModule): Record<string, unknown> | undefined {
  return (akeModule as { prototype?: Record<string, unknown> }).prototype;
}
