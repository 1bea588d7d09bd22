/**
 * Lazy data-message key sessions for otr.js.
 *
 * otr.js derives a key session (`OTR.prototype.DHSession`: one 1536-bit
 * Diffie–Hellman exponentiation plus hashes) for every pair of our two
 * latest and their two latest DH keys as soon as a key rotates, i.e. four
 * exponentiations per direction change, although a conversation that
 * alternates uses only two of those sessions. This replacement computes
 * each session's keys on first use, with the same derivation (OTR v3
 * "Computing AES keys, MAC keys and the SSID"): the same values whenever
 * otr.js reads them, fewer exponentiations overall.
 *
 * The keys are derived through otr's own helpers and bigint.js at the time
 * of first use (so native backends, when installed, apply); the session of
 * the AKE's own two keys reuses the secret that AKE computed (ake-secret.ts).
 */
import { takeAkeSecret } from './ake-secret.js';
import { powModKeepingTable } from './native-bigint.js';
import { sha1 } from './native-helpers/sha.js';
import { memberSwap } from './member-swap.js';

/** otr's module object (`import otr from 'otr'`). */
export type OtrModule = object;

type Limbs = number[];
interface DhPair {
  privateKey: Limbs;
  publicKey: Limbs;
}
interface Helpers {
  packMPI(x: Limbs): string;
  h1(b: string, secbytes: string): string;
  h2(b: string, secbytes: string): string;
}
interface BigIntLib {
  powMod(x: Limbs, y: Limbs, n: Limbs): Limbs;
  greater(x: Limbs, y: Limbs): number | boolean;
  equals(x: Limbs, y: Limbs): number | boolean;
  str2bigInt(s: string, base: number): Limbs;
}
type SessionCtor = new (ourDh: DhPair, theirY: Limbs) => object;

const KEY_FIELDS = ['id', 'sendenc', 'sendmac', 'rcvenc', 'rcvmac', 'extra_symkey'] as const;
type KeyField = (typeof KEY_FIELDS)[number];

const swap = memberSwap<SessionCtor>('DHSession');

/**
 * Replace `OTR.prototype.DHSession` with a lazy equivalent. Idempotent.
 *
 * @param otrModule - otr's main module (`{ OTR, DSA }`).
 * @param helpersModule - `otr/lib/helpers.js`'s module object.
 * @param bigintModule - otr's vendored bigint.js module object.
 * @param constModule - `otr/lib/const.js` (for the DH modulus).
 * @returns whether the lazy sessions are now active.
 */
export function installLazyDhSessions(otrModule: OtrModule, helpersModule: object, bigintModule: object, constModule: object): boolean {
  const N = (constModule as { N?: unknown }).N;
  if (typeof N !== 'string') return false;
  return swap.install(otrPrototype(otrModule), () => makeLazySession(helpersModule as Helpers, bigintModule as BigIntLib, N));
}

/** Put otr's eager `DHSession` back. */
export function uninstallLazyDhSessions(otrModule: OtrModule): void {
  swap.uninstall(otrPrototype(otrModule));
}

/** Whether the lazy sessions are in place. */
export function lazyDhSessionsActive(otrModule: OtrModule): boolean {
  return swap.active(otrPrototype(otrModule));
}

function otrPrototype(otrModule: OtrModule): object | undefined {
  return (otrModule as { OTR?: { prototype?: object } }).OTR?.prototype;
}

function makeLazySession(HLP: Helpers, BI: BigIntLib, modulusHex: string): SessionCtor {
  let modulus: Limbs | undefined;

  /** One key session between our DH pair and their public value. */
  class LazyDhSession {
    send_counter = 0;
    rcv_counter = 0;
    rcvmacused = false;
    private readonly ourPrivate: Limbs;
    private readonly ourPublic: Limbs;
    private readonly theirY: Limbs;

    constructor(ourDh: DhPair, theirY: Limbs) {
      this.ourPrivate = ourDh.privateKey;
      this.ourPublic = ourDh.publicKey;
      this.theirY = theirY;
      // Not enumerable: the session looks like otr's (counters and keys only).
      for (const k of ['ourPrivate', 'ourPublic', 'theirY'] as const) Object.defineProperty(this, k, { enumerable: false, writable: true });
    }

    /** Derive the keys now unless they are already (the warm-up ahead of use, see {@link warmNextSession}). */
    warm(): void {
      if (!Object.hasOwn(this, 'sendenc')) this.derive();
    }

    /** Derive every key of this session and store them as plain fields. */
    derive(): void {
      modulus ??= BI.str2bigInt(modulusHex, 16);
      // The first session after an AKE is that of the AKE's own keys: its secret is known (ake-secret.ts).
      // Their key meets our previous and next keys: its powers are kept while it lives (native-bigint.ts).
      const secbytes =
        takeAkeSecret(this.ourPrivate, this.theirY, BI) ??
        HLP.packMPI(powModKeepingTable(BI, this.theirY, this.ourPrivate, modulus) ?? BI.powMod(this.theirY, this.ourPrivate, modulus));
      const high = !!BI.greater(this.ourPublic, this.theirY);
      const sendenc = HLP.h1(high ? '\x01' : '\x02', secbytes).substring(0, 16);
      const rcvenc = HLP.h1(high ? '\x02' : '\x01', secbytes).substring(0, 16);
      const keys: Record<KeyField, string> = {
        id: HLP.h2('\x00', secbytes).substring(0, 8),
        sendenc,
        sendmac: sha1Latin1(sendenc),
        rcvenc,
        rcvmac: sha1Latin1(rcvenc),
        extra_symkey: HLP.h2('\xff', secbytes),
      };
      for (const k of KEY_FIELDS) Object.defineProperty(this, k, { value: keys[k], writable: true, enumerable: true, configurable: true });
    }
  }
  for (const k of KEY_FIELDS) {
    Object.defineProperty(LazyDhSession.prototype, k, {
      configurable: true,
      get(this: LazyDhSession) {
        this.derive();
        return (this as unknown as Record<KeyField, string>)[k];
      },
      set(this: LazyDhSession, value: string) {
        Object.defineProperty(this, k, { value, writable: true, enumerable: true, configurable: true });
      },
    });
  }
  return LazyDhSession as unknown as SessionCtor;
}

function sha1Latin1(s: string): string {
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return String.fromCharCode(...sha1(bytes));
}

/**
 * Derive ahead of time the key session the next data message of a turn-taking conversation needs,
 * so that its exponentiation runs while we wait for the peer or the user instead of on the path of
 * that message. In otr.js's grid `sessKeys[ours][theirs]` (0: newest key, 1: the one before):
 * - after we sent (our previous key to their newest), the peer's reply is encrypted from their
 *   newest to our newest: `[0][0]`;
 * - after we read a message (and rotated), our reply goes from our previous key to their newest:
 *   `[1][0]`.
 * Exactly the sessions a conversation that alternates uses, and at most one exponentiation per
 * change of key otherwise. Does nothing for otr's eager sessions (lazy ones are not installed) or
 * an instance without keys.
 */
export function warmNextSession(otr: object, after: 'sent' | 'verified'): void {
  const grid = (otr as { sessKeys?: ({ warm?: () => void } | undefined)[][] }).sessKeys;
  const session = after === 'sent' ? grid?.[0]?.[0] : grid?.[1]?.[0];
  if (typeof session?.warm === 'function') session.warm();
}
