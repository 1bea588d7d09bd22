/**
 * Conversions between bigint.js numbers (little-endian arrays of `bpe`-bit
 * limbs) and native `BigInt`. Both directions go through a hex string, which
 * V8 parses and prints in linear time; the bit packing is done with 32-bit
 * integer operations, so it is safe for any `bpe` ≤ 26.
 */

const HEX_BYTE: string[] = [];
for (let i = 0; i < 256; i++) HEX_BYTE.push((i < 16 ? '0' : '') + i.toString(16));

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;

/** A limb converter for one limb width. */
export interface LimbCodec {
  /** Bits per limb. */
  readonly bpe: number;
  /** Value of a limb array (limbs read as unsigned, as bigint.js's non-two's-complement functions do). */
  toBig(limbs: readonly number[]): bigint;
  /**
   * Limb array of a non-negative value, shaped like bigint.js's `trim(x, 1)`:
   * the significant limbs followed by exactly one zero limb (`[0]` for zero).
   */
  fromBig(value: bigint): number[];
}

/** Make a codec for `bpe`-bit limbs (1 ≤ bpe ≤ 26). */
export function makeLimbCodec(bpe: number): LimbCodec {
  if (!Number.isInteger(bpe) || bpe < 1 || bpe > 26) throw new RangeError(`Unsupported limb width ${bpe}`);
  const mask = 2 ** bpe - 1;

  function toBig(limbs: readonly number[]): bigint {
    let n = limbs.length;
    while (n > 0 && limbs[n - 1] === 0) n--;
    if (n === 0) return 0n;
    const parts = new Array<string>(Math.ceil((n * bpe) / 8));
    let k = parts.length;
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      // bits < 8 here and bits + bpe ≤ 32 (for bpe = 26 bits is even, so ≤ 6).
      acc |= (limbs[i] as number) << bits;
      bits += bpe;
      while (bits >= 8) {
        parts[--k] = HEX_BYTE[acc & 255] as string;
        acc >>>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) parts[--k] = HEX_BYTE[acc & 255] as string;
    return BigInt('0x' + (k === 0 ? parts : parts.slice(k)).join(''));
  }

  function fromBig(value: bigint): number[] {
    if (value <= 0n) {
      if (value === 0n) return [0];
      throw new RangeError('Negative value');
    }
    const hex = value.toString(16);
    const out: number[] = [];
    let acc = 0;
    let bits = 0;
    for (let i = hex.length - 1; i >= 0; i--) {
      acc |= (NIBBLE[hex.charCodeAt(i)] as number) << bits;
      bits += 4;
      if (bits >= bpe) {
        out.push(acc & mask);
        acc >>>= bpe;
        bits -= bpe;
      }
    }
    if (bits > 0) out.push(acc);
    while (out.length > 0 && out[out.length - 1] === 0) out.pop();
    out.push(0);
    return out;
  }

  return { bpe, toBig, fromBig };
}

/** Number of significant bits of a non-negative `BigInt` (0 for 0). */
export function bitLength(value: bigint): number {
  if (value === 0n) return 0;
  const hex = value.toString(16);
  return hex.length * 4 - 4 + (32 - Math.clz32(NIBBLE[hex.charCodeAt(0)] as number));
}
