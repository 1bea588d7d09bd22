/**
 * Test helper: seeded generators of hostile wire inputs for the fuzz tier
 * (test/protocol/fuzz.test.ts). Reproducible: the same seed gives the same inputs.
 */

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The kinds of input, in the order the counts are reported. */
export const KINDS = ['random-bytes', 'random-unicode', 'mutated', 'fragments', 'replay', 'query-error', 'oversize'] as const;
export type Kind = (typeof KINDS)[number];

const QUERIES = ['?OTR?', '?OTRv2?', '?OTRv3?', '?OTRv23?', '?OTRv?', '?OTRv4?', '?OTR?v3?', '?OTR', '?OTR:', '?OTR:AAMD.', '?OTR Error:x', '?OTR Error:', '?OTR,', '?OTR|'];
const WHITESPACE_V3 = '\x20\x09\x20\x20\x09\x09\x09\x09\x20\x09\x20\x09\x20\x09\x20\x20\x20\x20\x09\x09\x20\x20\x09\x09';

export class HostileInputs {
  private readonly random: () => number;

  /**
   * @param seed - PRNG seed.
   * @param corpus - real wire texts of the pair under test (AKE and data messages, fragments).
   * @param maxIncoming - the target's incoming limit, for oversize inputs.
   */
  constructor(
    seed: number,
    private readonly corpus: readonly string[],
    private readonly maxIncoming: number,
  ) {
    this.random = prng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }
  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** One input and its kind. */
  next(): { kind: Kind; text: string } {
    const r = this.random();
    const kind: Kind =
      r < 0.15 ? 'random-bytes' : r < 0.27 ? 'random-unicode' : r < 0.62 ? 'mutated' : r < 0.8 ? 'fragments' : r < 0.88 ? 'replay' : r < 0.9995 ? 'query-error' : 'oversize';
    return { kind, text: this.make(kind) };
  }

  /** One input of the given kind. */
  nextOf(kind: Kind): { kind: Kind; text: string } {
    return { kind, text: this.make(kind) };
  }

  private make(kind: Kind): string {
    switch (kind) {
      case 'random-bytes':
        return this.bytes(this.int(400));
      case 'random-unicode':
        return this.unicode(this.int(200));
      case 'mutated':
        return this.mutate(this.pick(this.corpus));
      case 'fragments':
        return this.fragment();
      case 'replay':
        return this.pick(this.corpus);
      case 'query-error':
        return this.int(4) === 0 ? `${this.unicode(this.int(20))}${WHITESPACE_V3}` : this.pick(QUERIES) + (this.int(3) === 0 ? this.unicode(this.int(30)) : '');
      case 'oversize':
        return `?OTR:AAMD${'A'.repeat(this.maxIncoming - 10 + this.int(20))}.`;
    }
  }

  private bytes(n: number): string {
    let s = this.int(3) === 0 ? '?OTR' : '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.int(256));
    return s;
  }

  private unicode(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) {
      const r = this.random();
      if (r < 0.1) s += String.fromCharCode(0xd800 + this.int(0x800)); // lone surrogates
      else if (r < 0.3) s += String.fromCodePoint(0x10000 + this.int(0xfffff));
      else if (r < 0.5) s += String.fromCharCode(this.int(0x20));
      else s += String.fromCharCode(this.int(0xd7ff));
    }
    return s;
  }

  /** Flip, insert, delete or truncate, on the base64 body (decoded) or on the text. */
  private mutate(text: string): string {
    const m = /^\?OTR:([A-Za-z0-9+/=]+)\.$/.exec(text);
    if (m && this.int(4) !== 0) {
      const body = Buffer.from(m[1]!, 'base64');
      const edits = 1 + this.int(4);
      let bytes: Buffer = body;
      for (let e = 0; e < edits; e++) {
        const at = this.int(Math.max(1, bytes.length));
        const op = this.int(5);
        if (op === 0 && bytes.length) bytes[at] = this.int(256);
        else if (op === 1 && bytes.length) bytes[at]! ^= 1 << this.int(8);
        else if (op === 2) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([this.int(256)]), bytes.subarray(at)]);
        else if (op === 3) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + this.int(8))]);
        else bytes = bytes.subarray(0, at);
      }
      return `?OTR:${bytes.toString('base64')}.`;
    }
    const chars = [...text];
    for (let e = 1 + this.int(3); e > 0; e--) {
      const at = this.int(Math.max(1, chars.length));
      const op = this.int(3);
      if (op === 0) chars[at] = String.fromCharCode(this.int(128));
      else if (op === 1) chars.splice(at, 1 + this.int(5));
      else chars.splice(at, 0, this.pick([',', '|', '.', '?', ':', 'A', ' ', '\x00']));
    }
    return chars.join('');
  }

  /** A fragment of a real or junk message: random k/n, tags, counts, nesting. */
  private fragment(): string {
    const inner = this.int(3) === 0 ? this.pick(QUERIES) + this.bytes(this.int(50)) : this.pick(this.corpus);
    const n = this.pick([1, 2, 3, 5, 65535, 0, 99999]);
    const k = this.pick([1, 1, 2, n, n + 1, 0]);
    const piece = this.int(5) === 0 ? `?OTR,1,1,${inner},` : inner.slice(0, 1 + this.int(Math.max(1, inner.length)));
    const hex = () => this.int(2 ** 32).toString(16).slice(0, 1 + this.int(9));
    const header = this.int(2) === 0 ? `?OTR,${k},${n},` : `?OTR|${hex()}|${this.int(2) ? '0' : hex()},${String(k).padStart(5, '0')},${String(n).padStart(5, '0')},`;
    return `${header}${piece},${this.int(10) === 0 ? ' trailing' : ''}`;
  }
}
