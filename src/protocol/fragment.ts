/**
 * OTR fragmentation (sending), v3 and v2, with a bound on the whole fragment.
 *
 * OTR v3 spec, "Fragmentation": v3 fragments are `?OTR|sender|receiver,k,n,piece,`,
 * v2 fragments `?OTR,k,n,piece,`. A message is fragmented with the header of its
 * own protocol version (read from the message), and a v3 message's fragments carry
 * the instance tags of the message itself.
 *
 * Fix for otr.js defect "fragment_size bounds the payload, not the
 * fragment": otr.js puts `fragment_size` characters of payload into each
 * fragment and adds its header on top (152–170 characters for 140). Here
 * the limit is the length on the wire, header included, using libotr's
 * fixed-width headers `?OTR|%08x|%08x,%05u,%05u,` / `?OTR,%05u,%05u,` and the trailing `,`.
 */

/** Characters a v3 fragment adds around its payload. */
export const FRAGMENT_OVERHEAD = '?OTR|'.length + 8 + 1 + 8 + 1 + 5 + 1 + 5 + 1 + 1;

/** Characters a v2 fragment adds around its payload. */
export const FRAGMENT_OVERHEAD_V2 = '?OTR,'.length + 5 + 1 + 5 + 1 + 1;

/** The smallest fragment size that still carries payload (in either version). */
export const MIN_FRAGMENT_SIZE = FRAGMENT_OVERHEAD + 1;

/**
 * Split one OTR wire message into fragments of at most `maxSize` characters.
 * Only encoded `?OTR:` messages are split; queries, errors and messages that
 * already fit pass through unchanged. `maxSize` 0 means no limit.
 * `ourTag`/`theirTag` are used for a v3 header only when the message's own tags cannot be read.
 */
export function fragmentWire(text: string, maxSize: number, ourTag: number, theirTag: number): string[] {
  if (!maxSize || text.length <= maxSize || !text.startsWith('?OTR:')) return [text];
  if (!Number.isInteger(maxSize) || maxSize < MIN_FRAGMENT_SIZE) {
    throw new RangeError(`Fragment size must be an integer of at least ${MIN_FRAGMENT_SIZE}; got ${maxSize}.`);
  }
  const head = readHead(text);
  const v2 = head?.version === 2;
  const payload = maxSize - (v2 ? FRAGMENT_OVERHEAD_V2 : FRAGMENT_OVERHEAD);
  const count = Math.ceil(text.length / payload);
  if (count > 65535) throw new RangeError('Message needs more than 65535 fragments.');
  const prefix = v2 ? '?OTR' : `?OTR|${hex8(head?.sender ?? ourTag)}|${hex8(head?.receiver ?? theirTag)}`;
  const fragments: string[] = [];
  for (let k = 1; k <= count; k++) {
    const piece = text.slice((k - 1) * payload, k * payload);
    fragments.push(`${prefix},${pad5(k)},${pad5(count)},${piece},`);
  }
  return fragments;
}

/** Protocol version (and, for v3, instance tags) of an encoded `?OTR:` message. */
export function readHead(text: string): { version: 2 } | { version: 3; sender: number; receiver: number } | undefined {
  let bytes: string;
  try {
    bytes = atob(text.slice(5, 5 + 16)); // 12 bytes: version, type, sender, receiver
  } catch {
    return undefined;
  }
  if (bytes.length < 3 || bytes.charCodeAt(0) !== 0) return undefined;
  const version = bytes.charCodeAt(1);
  if (version === 2) return { version: 2 };
  if (version !== 3 || bytes.length < 11) return undefined;
  const u32 = (i: number) => ((bytes.charCodeAt(i) << 24) | (bytes.charCodeAt(i + 1) << 16) | (bytes.charCodeAt(i + 2) << 8) | bytes.charCodeAt(i + 3)) >>> 0;
  return { version: 3, sender: u32(3), receiver: u32(7) };
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function pad5(n: number): string {
  return String(n).padStart(5, '0');
}
