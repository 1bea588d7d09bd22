/**
 * Message ids: a TLV we append to every data message of ours that carries text, so that a re-sent
 * copy of a message the peer has already shown is recognised and not shown twice.
 *
 * Why it is needed: a message of ours stays unacknowledged until the peer's next message proves it
 * was read (outbox.ts). Any loss signal in that time (the peer's `?OTR Error:`, which anyone can
 * inject, or a message of ours it could not read) makes us re-send it after the next AKE, as
 * libotr does. Without an id the peer cannot tell the copy from a new message with the same text.
 *
 * The format (OTR v3 spec, "Data Message": the plaintext is the message, optionally followed by a
 * NUL byte and TLV records; "receivers must ignore TLVs of unknown types", which libotr 4.1 and
 * otr.js 0.2.16 both do): type {@link MESSAGE_ID_TLV}, length 16, value 16 lowercase hex digits of
 * 8 random bytes. Every byte of it is ASCII, so it survives otr.js's UTF-8 encoding of the text
 * unchanged. The id says nothing about the message; it is encrypted and authenticated with it.
 */

/** Our TLV type (outside the types the OTR v3 spec and libotr define, 0–8). */
export const MESSAGE_ID_TLV = 0x7e2e;

const ID_HEX = 16;
const SUFFIX = `\x00${String.fromCharCode(MESSAGE_ID_TLV >> 8, MESSAGE_ID_TLV & 0xff)}\x00${String.fromCharCode(ID_HEX)}`;
const HEX_ID = /^[0-9a-f]{16}$/;

/** A fresh random id (crypto.getRandomValues). */
export function newMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_HEX / 2));
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** `text` with the id TLV appended, as handed to otr.js for encryption. */
export function withMessageId(text: string, id: string): string {
  return `${text}${SUFFIX}${id}`;
}

/**
 * The message id among a received message's TLVs (the bytes after its first NUL, as otr.js hands
 * them to its TLV handler), or undefined when there is none or it is malformed.
 */
export function readMessageId(tlvs: string): string | undefined {
  for (let at = 0; at + 4 <= tlvs.length; ) {
    const type = (tlvs.charCodeAt(at) << 8) | tlvs.charCodeAt(at + 1);
    const length = (tlvs.charCodeAt(at + 2) << 8) | tlvs.charCodeAt(at + 3);
    const value = tlvs.slice(at + 4, at + 4 + length);
    if (value.length < length) return undefined;
    if (type === MESSAGE_ID_TLV) return HEX_ID.test(value) ? value : undefined;
    at += 4 + length;
  }
  return undefined;
}

/**
 * How many ids of shown messages a conversation keeps: twice the most messages the sender's outbox
 * tracks for re-sending (outbox.ts, `maxTracked` 128), so any copy it can re-send is recognised.
 * About 4.6 KB in a stored session snapshot.
 */
export const SHOWN_IDS_KEPT = 256;

/** The ids of the messages shown most recently, oldest forgotten first. */
export class ShownIds {
  private readonly ids = new Set<string>();

  constructor(
    private readonly capacity = SHOWN_IDS_KEPT,
    ids: readonly string[] = [],
  ) {
    for (const id of ids) this.add(id);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }

  /** Oldest first, for a snapshot. */
  list(): string[] {
    return [...this.ids];
  }
}
