/**
 * Our own reassembler for incoming OTR fragments (otr.js's is never used).
 *
 * OTR v3 spec, "Fragmentation" (https://otr.cypherpunks.ca/Protocol-v3-4.1.1.html):
 * a fragment is `?OTR|sender|receiver,k,n,piece,` (v3) or `?OTR,k,n,piece,` (v2).
 * The receiver keeps the fragment number K, the count N and the text F so far:
 * - k = 0, n = 0 or k > n: discard the fragment (the stored set is kept);
 * - k = 1: forget what was stored and start over with this piece;
 * - n = N and k = K + 1: append the piece;
 * - anything else (out of order, duplicated, another set): forget what was stored;
 * - once K = N, F is the received message.
 * A non-fragmented message makes the receiver forget any stored fragment.
 *
 * The piece is everything between the header and the final comma, so pieces may
 * hold commas and spaces (libotr fragments its plain-text query message too).
 * Bounded: a set may announce at most {@link MAX_PIECES} pieces and grow to at most
 * `maxLength` characters; pieces are kept in an array and joined once (linear time).
 */

/** The largest fragment count the wire format allows (libotr prints it in 5 digits, as a short). */
export const MAX_PIECES = 65535;

/** One parsed fragment. */
export interface Fragment {
  version: 2 | 3;
  /** Sender and receiver instance tags (v3); 0 for v2. */
  sender: number;
  receiver: number;
  k: number;
  n: number;
  piece: string;
}

const V3_HEADER = /^\?OTR\|([0-9a-fA-F]{1,8})\|([0-9a-fA-F]{1,8}),(\d{1,5}),(\d{1,5}),/;
const V2_HEADER = /^\?OTR,(\d{1,5}),(\d{1,5}),/;

/**
 * Where the OTR fragment in `text` starts, or -1 when `text` is not a fragment.
 * Like libotr and otr.js we look at the first `?OTR` in the text: it is a fragment
 * when a `|` (v3) or `,` (v2) follows.
 */
export function fragmentStart(text: string): number {
  const at = text.indexOf('?OTR');
  if (at < 0) return -1;
  const next = text.charCodeAt(at + 4);
  return next === 0x7c /* | */ || next === 0x2c /* , */ ? at : -1;
}

/**
 * Parse the fragment that starts at `text[at]` (see {@link fragmentStart}).
 * Returns undefined when it is malformed (bad header, no final comma, numbers out of range).
 */
export function parseFragment(text: string, at = 0): Fragment | undefined {
  const rest = text.slice(at).trimEnd();
  if (!rest.endsWith(',')) return undefined;
  const v3 = V3_HEADER.exec(rest);
  const match = v3 ?? V2_HEADER.exec(rest);
  if (!match) return undefined;
  const [kText, nText] = v3 ? [match[3]!, match[4]!] : [match[1]!, match[2]!];
  const k = Number(kText);
  const n = Number(nText);
  if (n > MAX_PIECES) return undefined;
  const piece = rest.slice(match[0].length, -1);
  return {
    version: v3 ? 3 : 2,
    sender: v3 ? parseInt(match[1]!, 16) >>> 0 : 0,
    receiver: v3 ? parseInt(match[2]!, 16) >>> 0 : 0,
    k,
    n,
    piece,
  };
}

/** What {@link Reassembler.add} did with a fragment. */
export type AddResult =
  /** Stored; more pieces are needed. */
  | { kind: 'partial' }
  /** The set is complete: `text` is the whole message. */
  | { kind: 'complete'; text: string }
  /** Discarded, per the spec (k = 0, n = 0, k > n) or out of sequence; nothing to report. */
  | { kind: 'discarded' }
  /** The set grew past the length limit and was dropped. */
  | { kind: 'too-large'; length: number };

interface StoredSet {
  n: number;
  k: number;
  pieces: string[];
  length: number;
}

/** How many senders' sets are kept at once (one per peer instance; more are evicted oldest first). */
const MAX_SETS = 4;

/** Reassembles fragment sets, one per sender (protocol version and instance tag). */
export class Reassembler {
  private readonly sets = new Map<string, StoredSet>();

  /** @param maxLength - the longest reassembled message accepted, in characters. */
  constructor(private readonly maxLength: number) {}

  /** Add one fragment (already parsed and addressed to us). */
  add(fragment: Fragment): AddResult {
    const { k, n, piece } = fragment;
    if (k === 0 || n === 0 || k > n) return { kind: 'discarded' }; // spec: discard, keep what is stored
    const key = `${fragment.version}:${fragment.sender}`;
    let set = this.sets.get(key);
    if (k === 1) {
      set = { n, k: 1, pieces: [piece], length: piece.length };
      this.sets.delete(key);
      this.sets.set(key, set);
      while (this.sets.size > MAX_SETS) this.sets.delete(this.sets.keys().next().value!);
    } else if (set && n === set.n && k === set.k + 1) {
      set.k = k;
      set.pieces.push(piece);
      set.length += piece.length;
    } else {
      this.sets.delete(key); // spec: out of sequence, forget the stored fragment
      return { kind: 'discarded' };
    }
    if (set.length > this.maxLength) {
      this.sets.delete(key);
      return { kind: 'too-large', length: set.length };
    }
    if (set.k < set.n) return { kind: 'partial' };
    this.sets.delete(key);
    return { kind: 'complete', text: set.pieces.join('') };
  }

  /** Forget every stored set (spec: on any non-fragmented message). */
  reset(): void {
    this.sets.clear();
  }

  /** Characters held in incomplete sets (for tests and memory bounds). */
  get heldLength(): number {
    let total = 0;
    for (const set of this.sets.values()) total += set.length;
    return total;
  }
}
