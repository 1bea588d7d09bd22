/**
 * OTR v3 fragmentation with a bound on the whole fragment.
 *
 * Fix for otr.js defect "fragment_size bounds the payload, not the
 * fragment": otr.js puts `fragment_size` characters of payload into each
 * fragment and adds its header on top (152–170 characters for 140). Here
 * the limit is the length on the wire, header included, using libotr's
 * fixed-width header `?OTR|%08x|%08x,%05u,%05u,` and the trailing `,`.
 */

/** Characters a v3 fragment adds around its payload. */
export const FRAGMENT_OVERHEAD = '?OTR|'.length + 8 + 1 + 8 + 1 + 5 + 1 + 5 + 1 + 1;

/** The smallest fragment size that still carries payload. */
export const MIN_FRAGMENT_SIZE = FRAGMENT_OVERHEAD + 1;

/**
 * Split one OTR wire message into fragments of at most `maxSize` characters.
 * Only encoded `?OTR:` messages are split; queries, errors and messages that
 * already fit pass through unchanged. `maxSize` 0 means no limit.
 */
export function fragmentWire(text: string, maxSize: number, ourTag: number, theirTag: number): string[] {
  if (!maxSize || text.length <= maxSize || !text.startsWith('?OTR:')) return [text];
  if (!Number.isInteger(maxSize) || maxSize < MIN_FRAGMENT_SIZE) {
    throw new RangeError(`Fragment size must be an integer of at least ${MIN_FRAGMENT_SIZE}; got ${maxSize}.`);
  }
  const payload = maxSize - FRAGMENT_OVERHEAD;
  const count = Math.ceil(text.length / payload);
  if (count > 65535) throw new RangeError('Message needs more than 65535 fragments.');
  const tags = `${hex8(ourTag)}|${hex8(theirTag)}`;
  const fragments: string[] = [];
  for (let k = 1; k <= count; k++) {
    const piece = text.slice((k - 1) * payload, k * payload);
    fragments.push(`?OTR|${tags},${pad5(k)},${pad5(count)},${piece},`);
  }
  return fragments;
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function pad5(n: number): string {
  return String(n).padStart(5, '0');
}
