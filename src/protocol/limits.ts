/**
 * Size limits that agree in both directions: whatever we send, we can receive.
 *
 * An OTR data message carries the UTF-8 bytes of the text plus a bounded
 * overhead (header, keys, counter, MAC, revealed MAC keys), base64-encoded
 * between `?OTR:` and `.` (OTR v3 spec, "Data Message"). The largest message
 * we let a user send is the largest whose encoded form stays within the
 * incoming limit, so our own longest message always passes our own check.
 */

/** Default cap on one incoming wire message (whole, or reassembled from fragments), in characters. */
export const DEFAULT_MAX_INCOMING = 512 * 1024;

/** Bytes of a data message besides the text: generous (header, DH key, MAC, several revealed MAC keys, TLVs). */
export const DATA_MESSAGE_OVERHEAD = 2048;

/** The most UTF-8 bytes one outgoing message may have so that it encodes within `maxIncoming` characters. */
export function maxMessageBytes(maxIncoming: number): number {
  const base64Chars = maxIncoming - '?OTR:'.length - '.'.length;
  return Math.max(0, Math.floor(base64Chars / 4) * 3 - DATA_MESSAGE_OVERHEAD);
}

/** UTF-8 length of a well-formed string (lone surrogates count as 3, as the replacement character). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
