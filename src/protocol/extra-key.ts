/**
 * The extra symmetric key (OTR v3 spec, "Extra symmetric key"; libotr's `otrl_message_symkey` and
 * `received_symkey`): both sides of a private conversation can derive one more 256-bit key from the
 * Diffie-Hellman secret of the keys a data message is encrypted with (SHA-256 of 0xFF followed by
 * that secret, `h2(0xFF)`), for use outside OTR, such as encrypting a file. A data message carrying
 * TLV type 8 tells the peer to take it: the TLV's value is a 4-byte *use* (what the key is for, agreed
 * by the applications) followed by use-specific data (say, where the file is).
 *
 * This module holds the TLV's format; the OTR adapter (otr/connection.ts) puts it on a data
 * message and reads it back with the key of the keys that message used.
 */

/** TLV type 8 (OTR v3 spec, "TLV record types"). */
export const EXTRA_KEY_TLV = 8;

/** The most use-specific data a TLV can carry (its 16-bit length holds the 4-byte use too). */
export const MAX_USEDATA = 0xffff - 4;

/** One extra symmetric key taken into use: by us (sent) or by the peer (received). */
export interface ExtraKey {
  /** The 4-byte use, as an unsigned number. */
  use: number;
  /** The use-specific data. */
  usedata: Uint8Array;
  /** The 32-byte key. */
  key: Uint8Array;
}

/**
 * The TLV record (as a byte string: one character per byte, the form otr.js encrypts) telling the
 * peer to use the extra key for `use` with `usedata`.
 * @throws RangeError for a use that is not a 32-bit unsigned integer, or usedata over {@link MAX_USEDATA}.
 */
export function extraKeyTlv(use: number, usedata: Uint8Array): string {
  if (!Number.isInteger(use) || use < 0 || use > 0xffffffff) throw new RangeError(`The extra key's use must be a 32-bit unsigned integer, not ${use}.`);
  if (usedata.length > MAX_USEDATA) throw new RangeError(`The extra key's use data is ${usedata.length} bytes; a TLV holds at most ${MAX_USEDATA}.`);
  const length = 4 + usedata.length;
  let out = String.fromCharCode(0, EXTRA_KEY_TLV, length >> 8, length & 0xff, use >>> 24, (use >>> 16) & 0xff, (use >>> 8) & 0xff, use & 0xff);
  for (const byte of usedata) out += String.fromCharCode(byte);
  return out;
}

/** Every extra-key request among a message's TLVs (the bytes after its first NUL), in order; malformed ones are skipped. */
export function readExtraKeyTlvs(tlvs: string): { use: number; usedata: Uint8Array }[] {
  const found: { use: number; usedata: Uint8Array }[] = [];
  for (let at = 0; at + 4 <= tlvs.length; ) {
    const type = (tlvs.charCodeAt(at) << 8) | tlvs.charCodeAt(at + 1);
    const length = (tlvs.charCodeAt(at + 2) << 8) | tlvs.charCodeAt(at + 3);
    const value = tlvs.slice(at + 4, at + 4 + length);
    if (value.length < length) break; // truncated: nothing after it can be trusted to line up
    if (type === EXTRA_KEY_TLV && length >= 4) {
      const use = ((value.charCodeAt(0) << 24) | (value.charCodeAt(1) << 16) | (value.charCodeAt(2) << 8) | value.charCodeAt(3)) >>> 0;
      found.push({ use, usedata: bytesOf(value.slice(4)) });
    }
    at += 4 + length;
  }
  return found;
}

/** `tlvs` without its TLV 8 records (for otr.js, whose own reading of them breaks on binary data). */
export function withoutExtraKeyTlvs(tlvs: string): string {
  let out = '';
  for (let at = 0; at + 4 <= tlvs.length; ) {
    const type = (tlvs.charCodeAt(at) << 8) | tlvs.charCodeAt(at + 1);
    const length = (tlvs.charCodeAt(at + 2) << 8) | tlvs.charCodeAt(at + 3);
    if (type !== EXTRA_KEY_TLV) out += tlvs.slice(at, at + 4 + length);
    at += 4 + length;
  }
  return out;
}

/** A byte string (one character per byte, as otr.js keeps keys) as bytes. */
export function bytesOf(binary: string): Uint8Array {
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i) & 0xff;
  return out;
}
