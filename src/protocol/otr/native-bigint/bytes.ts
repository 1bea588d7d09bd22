/**
 * bigint.js's byte-string conversions (the MPI encoding path of otr.js), in
 * linear time. bigint.js shifts the whole number once per byte (quadratic).
 */

/** The originals these replace. */
export interface ByteFunctions {
  bigInt2bits(bi: number[], pad?: number): string;
  ba2bigInt(data: number[]): number[];
}

/**
 * Make the replacements for `bpe`-bit limbs. Inputs outside the shapes
 * bigint.js maintains (limbs that are not integers in [0, 2^bpe), bytes
 * that are not integers in [0, 255]) go to the original.
 */
export function makeByteFunctions(orig: ByteFunctions, bpe: number): ByteFunctions {
  const mask = 2 ** bpe - 1;

  /** Big-endian bytes of the value, no leading zero bytes ('' for 0), left-padded with NULs to `pad`. */
  function bigInt2bits(bi: number[], pad?: number): string {
    if (!Array.isArray(bi)) return orig.bigInt2bits(bi, pad);
    const bytes: number[] = [];
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < bi.length; i++) {
      const limb = bi[i];
      if (typeof limb !== 'number' || !(limb >= 0 && limb <= mask) || limb % 1 !== 0) return orig.bigInt2bits(bi, pad);
      // bits < 8 here, and bits + bpe ≤ 32 (for bpe = 26, bits is even, so ≤ 6): fits 32-bit operations.
      acc |= limb << bits;
      bits += bpe;
      while (bits >= 8) {
        bytes.push(acc & 255);
        acc >>>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) bytes.push(acc & 255);
    let top = bytes.length;
    while (top > 0 && bytes[top - 1] === 0) top--;
    const want = typeof pad === 'number' && pad > top ? pad : top;
    const chars: number[] = new Array(want);
    let k = 0;
    for (let i = want - top; i > 0; i--) chars[k++] = 0;
    for (let i = top - 1; i >= 0; i--) chars[k++] = bytes[i] as number;
    return charsToString(chars);
  }

  /** bigint.js number of max(1, data.length) limbs holding the big-endian bytes `data`. */
  function ba2bigInt(data: number[]): number[] {
    if (!Array.isArray(data)) return orig.ba2bigInt(data);
    const n = data.length;
    for (let i = 0; i < n; i++) {
      const d = data[i];
      if (typeof d !== 'number' || !(d >= 0 && d <= 255) || d % 1 !== 0) return orig.ba2bigInt(data);
    }
    const out = new Array<number>(n > 1 ? n : 1).fill(0);
    const radix = mask + 1;
    // acc < 2^(bits) ≤ 2^(bpe + 7): exact in doubles.
    let acc = 0;
    let bits = 0;
    let k = 0;
    for (let i = n - 1; i >= 0; i--) {
      acc += (data[i] as number) * 2 ** bits;
      bits += 8;
      if (bits >= bpe) {
        const low = acc % radix;
        out[k++] = low;
        acc = (acc - low) / radix;
        bits -= bpe;
      }
    }
    if (bits > 0 && k < out.length) out[k] = acc;
    return out;
  }

  return { bigInt2bits, ba2bigInt };
}

function charsToString(chars: number[]): string {
  if (chars.length <= 8192) return String.fromCharCode.apply(null, chars);
  let s = '';
  for (let i = 0; i < chars.length; i += 8192) s += String.fromCharCode.apply(null, chars.slice(i, i + 8192));
  return s;
}
