/**
 * An OTR conversation's state, taken out of an otr.js instance and put back into a fresh one: what
 * a page needs to keep reading the peer's messages after a reload or an engine restart.
 *
 * What is kept is exactly what OTR v3 needs to go on with the data exchange ("Data exchange",
 * "Computing AES keys, MAC keys and the SSID"): our two latest DH key pairs and their ids, the peer's
 * two latest DH public keys and ids, the peer's long-lived DSA public key, the instance tags, the
 * SSID, the protocol version, the per-key counters and the MAC keys still to be revealed. Session
 * keys are not kept: they are derived again from the DH keys. Keys that rotate out are not in a
 * snapshot taken after the rotation, so a store that keeps only the latest snapshot forgets them.
 *
 * An AKE or SMP exchange in progress is not kept: the AKE starts over, and the snapshot says an SMP
 * exchange was running so that the restored conversation can abort it visibly.
 */
import otr from 'otr';
import { CONST, HLP, binaryToHex, hexToBinary, type DhPair } from './internals.js';
import type { RawDsa, RawOtr } from './loader.js';
import { MSGSTATE, hexToRawBigInt, rawBigIntToHex, unpackInstanceTag } from './loader.js';

/**
 * How far a restored sending counter jumps ahead of the stored one. A snapshot may trail the last
 * messages sent (it is written after them, asynchronously), and AES-CTR must never reuse a counter
 * under one key (spec: "top half of counter init value ... must be strictly larger"), so a restored
 * session continues well past anything it may have sent. Counters are 64-bit; 2^24 gaps leave room
 * for 2^29 restarts of one key pair.
 */
export const SEND_COUNTER_GAP = 2 ** 24;

/** One restored OTR conversation, as plain data (structured-cloneable, no key object). */
export interface OtrStateSnapshot {
  readonly format: 1;
  readonly state: 'encrypted' | 'finished';
  /** Negotiated protocol version. */
  readonly version: 2 | 3;
  /** Our instance tag and the peer's. */
  readonly ourInstanceTag: number;
  readonly theirInstanceTag: number;
  /** The peer's long-lived DSA public key, otr's packed form, hex. */
  readonly theirLongTermKey: string;
  /** Our latest DH key pair (id `ourKeyId`) and the one before (id `ourKeyId - 1`), hex. */
  readonly ourKeyId: number;
  readonly ourDh: HexDhPair;
  readonly ourOldDh: HexDhPair;
  /** The peer's latest DH public key (id `theirKeyId`) and the one before, hex. */
  readonly theirKeyId: number;
  readonly theirY: string;
  readonly theirOldY: string | null;
  /** The session id, hex (8 bytes). */
  readonly ssid: string;
  readonly transmittedRS: boolean;
  /** Counters per key pair: `[ours latest|ours old][theirs latest|theirs old]`; null where no pair exists. */
  readonly counters: readonly (readonly (Counters | null)[])[];
  /** MAC keys of rotated-out receiving keys, hex, revealed with our next message (spec: "Revealing MAC keys"). */
  readonly oldMacKeys: readonly string[];
  /** Whether an SMP exchange was in progress (it cannot be restored). */
  readonly smpRunning: boolean;
}

interface HexDhPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

interface Counters {
  readonly send: number;
  readonly receive: number;
  readonly macUsed: boolean;
}

/** otr.js's session-key object, as far as a snapshot reads and writes it. */
interface KeySession {
  send_counter: number;
  rcv_counter: number;
  rcvmacused: boolean;
}

/** The fields of an otr.js instance a snapshot covers. */
interface StateFields {
  msgstate: number;
  authstate: number;
  our_dh: DhPair;
  our_old_dh: DhPair;
  our_keyid: number;
  their_y: number[] | null;
  their_old_y: number[] | null;
  their_keyid: number;
  their_priv_pk: RawDsa | null;
  our_instance_tag: string;
  their_instance_tag: string;
  ssid: string | null;
  transmittedRS: boolean;
  oldMacKeys: string[];
  sessKeys: (KeySession | null | undefined)[][];
  sm: { smpstate: number } | null;
  ake: { otr_version?: string };
  DHSession: new (ours: DhPair, theirY: number[]) => KeySession;
}

const SMPSTATE_EXPECT1 = CONST.SMPSTATE_EXPECT1 as number;
const AUTHSTATE_NONE = CONST.AUTHSTATE_NONE as number;

/** The conversation's state, or undefined while there is nothing to keep (plaintext, no keys). */
export function takeSnapshot(raw: RawOtr): OtrStateSnapshot | undefined {
  const o = raw as unknown as StateFields;
  if (o.msgstate === MSGSTATE.PLAINTEXT || !o.their_y || !o.their_priv_pk || !o.ssid) return undefined;
  const version = o.ake.otr_version === '\x00\x02' ? 2 : 3;
  return {
    format: 1,
    state: o.msgstate === MSGSTATE.FINISHED ? 'finished' : 'encrypted',
    version,
    ourInstanceTag: unpackInstanceTag(o.our_instance_tag),
    theirInstanceTag: unpackInstanceTag(o.their_instance_tag),
    theirLongTermKey: publicKeyHex(o.their_priv_pk),
    ourKeyId: o.our_keyid,
    ourDh: hexPair(o.our_dh),
    ourOldDh: hexPair(o.our_old_dh),
    theirKeyId: o.their_keyid,
    theirY: bigHex(o.their_y),
    theirOldY: o.their_old_y ? bigHex(o.their_old_y) : null,
    ssid: binaryToHex(o.ssid),
    transmittedRS: !!o.transmittedRS,
    counters: [0, 1].map((i) => [0, 1].map((j) => counters(o.sessKeys[i]?.[j]))),
    oldMacKeys: o.oldMacKeys.map((k) => binaryToHex(k)),
    smpRunning: !!o.sm && o.sm.smpstate !== SMPSTATE_EXPECT1,
  };
}

/**
 * Put `snapshot` into `raw`, a fresh otr.js instance with the same long-lived key and instance tag.
 * Sending counters jump {@link SEND_COUNTER_GAP} ahead. Throws on a snapshot that doesn't fit.
 */
export function restoreSnapshot(raw: RawOtr, snapshot: OtrStateSnapshot): void {
  const o = raw as unknown as StateFields;
  if (snapshot.format !== 1) throw new Error(`Unknown session snapshot format ${String(snapshot.format)}.`);
  if (snapshot.ourInstanceTag !== unpackInstanceTag(o.our_instance_tag)) throw new Error('The session snapshot belongs to another instance.');
  o.our_dh = readPair(snapshot.ourDh);
  o.our_old_dh = readPair(snapshot.ourOldDh);
  o.our_keyid = snapshot.ourKeyId;
  o.their_y = hexToRawBigInt(snapshot.theirY);
  o.their_old_y = snapshot.theirOldY === null ? null : hexToRawBigInt(snapshot.theirOldY);
  o.their_keyid = snapshot.theirKeyId;
  o.their_priv_pk = readPublicKey(snapshot.theirLongTermKey);
  o.their_instance_tag = HLP.packINT(snapshot.theirInstanceTag);
  o.ssid = hexToBinary(snapshot.ssid);
  o.transmittedRS = snapshot.transmittedRS;
  o.oldMacKeys = snapshot.oldMacKeys.map(hexToBinary);
  const ours = [o.our_dh, o.our_old_dh];
  const theirs = [o.their_y, o.their_old_y];
  o.sessKeys = [0, 1].map((i) =>
    [0, 1].map((j) => {
      const theirY = theirs[j];
      const saved = snapshot.counters[i]?.[j];
      if (!theirY || !saved) return null;
      const session = new o.DHSession(ours[i]!, theirY);
      session.send_counter = saved.send + (saved.send > 0 ? SEND_COUNTER_GAP : 0);
      session.rcv_counter = saved.receive;
      session.rcvmacused = saved.macUsed;
      return session;
    }),
  );
  o.ake.otr_version = snapshot.version === 2 ? '\x00\x02' : '\x00\x03';
  o.authstate = AUTHSTATE_NONE;
  o.sm = null;
  o.msgstate = snapshot.state === 'finished' ? MSGSTATE.FINISHED : MSGSTATE.ENCRYPTED;
}

/** Whether `value` has the shape of an {@link OtrStateSnapshot} (read back from a store). */
export function isStateSnapshot(value: unknown): value is OtrStateSnapshot {
  const s = value as Partial<OtrStateSnapshot> | null;
  if (typeof s !== 'object' || s === null || s.format !== 1 || (s.state !== 'encrypted' && s.state !== 'finished')) return false;
  const hex = [s.theirY, s.theirLongTermKey, s.ssid, s.ourDh?.privateKey, s.ourDh?.publicKey, s.ourOldDh?.privateKey, s.ourOldDh?.publicKey];
  if (s.theirOldY !== null) hex.push(s.theirOldY);
  return (
    hex.every(isHex) && Array.isArray(s.oldMacKeys) && s.oldMacKeys.every(isHex) && Array.isArray(s.counters) &&
    [s.ourKeyId, s.theirKeyId, s.ourInstanceTag, s.theirInstanceTag].every(Number.isSafeInteger) && (s.version === 2 || s.version === 3)
  );
}

/** The peer's DSA public key; throws unless it reads back as exactly what was stored. */
function readPublicKey(hex: string): RawDsa {
  const key = otr.DSA.parsePublic(hexToBinary(hex));
  if (binaryToHex(key.packPublic()) !== hex || key.p.length === 0 || key.y.length === 0) throw new Error("the peer's key is malformed");
  return key;
}

function isHex(value: unknown): boolean {
  return typeof value === 'string' && /^[0-9a-f]+$/.test(value);
}

function counters(session: KeySession | null | undefined): Counters | null {
  return session ? { send: session.send_counter, receive: session.rcv_counter, macUsed: !!session.rcvmacused } : null;
}

function hexPair(pair: DhPair): HexDhPair {
  return { privateKey: bigHex(pair.privateKey), publicKey: bigHex(pair.publicKey) };
}

function readPair(pair: HexDhPair): DhPair {
  return { privateKey: hexToRawBigInt(pair.privateKey), publicKey: hexToRawBigInt(pair.publicKey) };
}

/**
 * Hex of a big number, remembered per number object: otr.js replaces a key's array when the key
 * rotates and never changes it in place, and converting six 1536-bit numbers costs milliseconds,
 * which would be paid for every message sent otherwise.
 */
const hexOf = new WeakMap<object, string>();
function bigHex(x: number[]): string {
  let hex = hexOf.get(x);
  if (hex === undefined) hexOf.set(x, (hex = rawBigIntToHex(x)));
  return hex;
}

function publicKeyHex(key: RawDsa): string {
  let hex = hexOf.get(key);
  if (hex === undefined) hexOf.set(key, (hex = binaryToHex(key.packPublic())));
  return hex;
}

