/**
 * Shape checks for incoming OTR wire text, run before otr.js sees it.
 * otr.js passes a `?OTR:` message it cannot parse on to the user as if it
 * were plaintext; we reject such text as malformed instead.
 */

import { fragmentStart, parseFragment } from './reassembly.js';

const ENCODED = /^\?OTR:([A-Za-z0-9+/]+={0,2})\.$/;
const MESSAGE_TYPES = new Set([0x02, 0x0a, 0x11, 0x12, 0x03]);

/**
 * Returns why `text` is not well-formed OTR wire text, or undefined when it
 * is well-formed or not OTR-encoded at all (plaintext, queries, errors).
 */
export function wireProblem(text: string): string | undefined {
  const trimmed = text.trim();
  const fragmentAt = fragmentStart(text);
  if (fragmentAt >= 0) return parseFragment(text, fragmentAt) ? undefined : 'a malformed OTR fragment';
  if (!text.includes('?OTR:')) return undefined;
  const match = ENCODED.exec(trimmed);
  if (!match) return 'a truncated or garbled OTR message (it must be ?OTR:<base64>.)';
  const head = decodeHead(match[1]!);
  if (!head) return 'an OTR message whose base64 cannot be decoded';
  const version = (head[0]! << 8) | head[1]!;
  if (version !== 2 && version !== 3) return `an OTR message of unsupported protocol version ${version}`;
  if (!MESSAGE_TYPES.has(head[2]!)) return `an OTR message of unknown type 0x${head[2]!.toString(16)}`;
  return undefined;
}

function decodeHead(base64: string): number[] | undefined {
  try {
    const bytes = atob(base64.slice(0, 8));
    return bytes.length >= 3 ? [bytes.charCodeAt(0), bytes.charCodeAt(1), bytes.charCodeAt(2)] : undefined;
  } catch {
    return undefined;
  }
}
