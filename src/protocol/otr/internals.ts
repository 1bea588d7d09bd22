/**
 * A typed view of the otr.js 0.2.16 internals that src/protocol/otr/fixes.ts
 * patches (its AKE, OTR prototype, constants, helpers and bigint.js), plus
 * small byte-string helpers built on otr's own. Part of the loader seam:
 * nothing outside src/protocol/otr/loader.ts and otr/fixes.ts imports it.
 */
import otrModule from 'otr';
import type { RawBigInt } from 'otr';
import akeModule from 'otr/lib/ake.js';
import constModule from 'otr/lib/const.js';
import helpersModule from 'otr/lib/helpers.js';
import bigintModule from 'otr/vendor/bigint.js';

// ---------------------------------------------------------------------------
// The parts of otr.js's internals we use, typed.

export interface DhPair {
  privateKey: RawBigInt;
  publicKey: RawBigInt;
}

export interface AkeMessage {
  version: string;
  type: string;
  msg: string;
  /** v3 only: sender and receiver instance tags, 4 bytes each. */
  instance_tags?: string;
}

/** A parsed data message as otr.js hands it to `handleDataMsg`. */
export type DataMessage = AkeMessage;

/** One set of session keys (otr.js's `DHSession`), as far as the fixes read it. */
export interface SessionKeys {
  rcvmac: string;
  rcv_counter: number;
  /** SHA-256(0xFF ‖ secret) of these keys' DH secret, as a byte string (the extra symmetric key). */
  extra_symkey: string;
}

/** The fields and methods of otr.js's AKE object that the fixes touch. */
export interface RawAkeInternals {
  otr: RawOtrInternals;
  our_dh: DhPair;
  our_keyid: number;
  their_y: RawBigInt | null;
  their_keyid: number | null;
  their_priv_pk: unknown;
  /** Our revealed key `r`: after the fix, always a 16-byte binary string. */
  r: string | null;
  myhashed: string | null;
  dhcommit: string | null;
  encrypted: string | null;
  hashed: string | null;
  /** The session id, from s (set by `createKeys`). */
  ssid: string | null;
  c: string | null;
  c_prime: string | null;
  m1: string | null;
  m2: string | null;
  m1_prime: string | null;
  m2_prime: string | null;
  createKeys(g: RawBigInt): void;
  verifySignMac(
    mac: string,
    aesctr: string,
    m2: string,
    c: string,
    theirY: RawBigInt,
    ourPublic: RawBigInt,
    m1: string,
    ctr: string,
  ): [string | null, number?, unknown?];
  makeM(theirY: RawBigInt, m1: string, c: string, m2: string): string;
  akeSuccess(version: string): void;
  sendMsg(version: string, type: string, msg: string): void;
  handleAKE(msg: AkeMessage): void;
  initiateAKE(version: string): void;
  /**
   * Ours, not otr.js's: the peer instance this AKE runs with (v3). 0 while our
   * D-H Commit is open to any instance; undefined before the AKE starts.
   */
  peerTag?: number;
  /** Ours: when this AKE started (ms since epoch); undefined before it starts. */
  startedAt?: number;
  /** Ours: the protocol version of the D-H Commit we sent in this AKE. */
  otr_version_sent?: string;
  /** Ours: the protocol version this AKE runs in (of the D-H Commit that opened it, ours or the peer's). */
  akeVersion?: string;
}

export interface RawOtrInternals {
  ake: RawAkeInternals & { otr_version?: string };
  msgstate: number;
  authstate: number;
  our_dh: DhPair;
  our_old_dh: DhPair;
  our_keyid: number;
  their_y: RawBigInt | null;
  their_old_y: RawBigInt | null;
  their_keyid: number;
  sm: { smpstate: number } | null;
  our_instance_tag: string;
  their_instance_tag: string;
  fragment_size: number;
  sessKeys: (SessionKeys | null | undefined)[][];
  dh(): DhPair;
  error(reason: string): void;
  notify(reason: string, severity?: string): void;
  io(msg: string | string[], meta?: unknown): void;
  trigger(event: string, args: unknown[]): void;
  handleDataMsg(msg: DataMessage): string | undefined;
  doAKE(msg: { ver: string[] }): void;
  checkInstanceTags(tags: string): boolean | undefined;
  prepareMsg(msg: string, esk?: unknown): string | string[] | undefined;
}

export interface Helpers {
  packMPI(x: RawBigInt): string;
  packData(s: string): string;
  readMPI(s: string): RawBigInt;
  readLen(s: string): number;
  splitype(types: string[], msg: string): string[];
  packCtr(n: number): string;
  h2(prefix: string, data: string): string;
  decryptAes(msg: string, key: string, ctr: string): { toString(): string };
  checkGroup(g: RawBigInt, nMinus2: RawBigInt): boolean;
  compare(a: string, b: string): boolean;
  make1Mac(data: string, key: string): string;
  unpackCtr(ctr: string): number;
  packINT(n: number): string;
  wrapMsg(msg: string, fragmentSize: number, v3: boolean, ourTag: string, theirTag: string): [string | null, string | string[]];
}

export interface BigIntLib {
  randBigInt(bits: number, s?: number): RawBigInt;
  bigInt2bits(x: RawBigInt, pad?: number): string;
  str2bigInt(s: string, base: number, minSize?: number): RawBigInt;
  sub(x: RawBigInt, y: RawBigInt): RawBigInt;
  equals(x: RawBigInt, y: RawBigInt): number | boolean;
}

export const AKE = akeModule as unknown as { prototype: RawAkeInternals };
export const OTR = otrModule.OTR as unknown as { prototype: RawOtrInternals & { _akeInit(): void } };
export const CONST = constModule as unknown as Record<string, number | string>;
export const HLP = helpersModule as unknown as Helpers;
export const BI = bigintModule as unknown as BigIntLib;

export const MSGSTATE_ENCRYPTED = CONST.MSGSTATE_ENCRYPTED as number;
export const AUTHSTATE_NONE = CONST.AUTHSTATE_NONE as number;
export const AUTHSTATE_AWAITING_DHKEY = CONST.AUTHSTATE_AWAITING_DHKEY as number;
export const AUTHSTATE_AWAITING_REVEALSIG = CONST.AUTHSTATE_AWAITING_REVEALSIG as number;
export const AUTHSTATE_AWAITING_SIG = CONST.AUTHSTATE_AWAITING_SIG as number;
export const SMPSTATE_EXPECT1 = CONST.SMPSTATE_EXPECT1 as number;
export const STATUS_AKE_INIT = CONST.STATUS_AKE_INIT as number;

/** OTR message types of the AKE. */
export const MSG_DH_COMMIT = '\x02';
export const MSG_DH_KEY = '\x0a';
export const MSG_REVEAL_SIGNATURE = '\x11';
export const MSG_SIGNATURE = '\x12';

/** Length of the AES key `r` in bytes (128 bits). */
export const R_BYTES = 16;

/** 2 <= g^x <= p-2 is the range a DH public value must lie in. */
export const P_MINUS_2 = BI.sub(BI.str2bigInt(CONST.N as string, 16), BI.str2bigInt('2', 10));

// ---------------------------------------------------------------------------
// Small byte-string helpers (binary strings: one char per byte).

/** A binary string (one byte per character) as lowercase hex, two digits per byte. */
export function binaryToHex(binary: string): string {
  let hex = '';
  for (let i = 0; i < binary.length; i++) {
    const c = binary.charCodeAt(i);
    hex += c < 256 ? HEX_BYTE[c] : c.toString(16);
  }
  return hex;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function hexToBinary(hex: string): string {
  let out = '';
  for (let i = 0; i + 1 < hex.length; i += 2) out += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/**
 * AES-128-CTR with initial counter 0 over a binary string. CTR mode is its
 * own inverse, so otr.js's decrypt helper (which takes and returns binary
 * data, unlike its encrypt helper) serves for both directions.
 */
export function aesCtr(key: string, data: string): string {
  const words = HLP.decryptAes(data, key, HLP.packCtr(0));
  return hexToBinary(words.toString()); // a CryptoJS WordArray: toString() is hex
}

export function sha256(data: string): string {
  return HLP.h2('', data); // h2(b, x) = SHA-256(b || x); with b empty, plain SHA-256
}

/**
 * A fresh random 128-bit AES key as exactly 16 bytes, whose first hex digit is
 * not 0. Sent as 16 bytes (DATA) as the spec says; the first digit is drawn
 * non-zero because stock otr.js 0.2.16 reads r as a number and rebuilds the key
 * from its hex digits without leading zeros, so it fails ("Hashed g^x does not
 * match") on any r below 2^124. Costs log2(16/15) ≈ 0.09 bits of r's 128.
 */
export function randomR(): string {
  for (;;) {
    const r = BI.bigInt2bits(BI.randBigInt(R_BYTES * 8), R_BYTES);
    if (r.charCodeAt(0) >= 0x10) return r;
  }
}

/**
 * The AES key stock otr.js 0.2.16 derives from the AKE value `r` (given as
 * big-endian bytes): the hex digits of r as a number (no leading zeros) read
 * two at a time, a last odd digit becoming a byte of its own (CryptoJS's
 * `Hex.parse`). Equals `r` itself when r is 16 bytes with a non-zero first digit.
 */
export function stockOtrKey(r: string): string {
  let hex = '';
  for (let i = 0; i < r.length; i++) hex += r.charCodeAt(i).toString(16).padStart(2, '0');
  hex = hex.replace(/^0+/, '') || '0';
  let key = '';
  for (let i = 0; i < hex.length; i += 2) key += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return key;
}
