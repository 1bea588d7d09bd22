/**
 * AES-128 encryption (FIPS 197) in counter mode, synchronous, for otr.js's
 * AES-CTR helpers. Written from the standard: the S-box is derived from
 * inversion in GF(2^8) and the affine map, rounds use 32-bit T-tables.
 */

const SBOX = new Uint8Array(256);
const T0 = new Int32Array(256);
const T1 = new Int32Array(256);
const T2 = new Int32Array(256);
const T3 = new Int32Array(256);
{
  // Multiplication by x (= 2) in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.
  const xtime = (b: number): number => ((b << 1) ^ (b & 0x80 ? 0x1b : 0)) & 0xff;
  // Walk the multiplicative group with generator 3 to get logs/antilogs.
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  let v = 1;
  for (let i = 0; i < 255; i++) {
    exp[i] = v;
    log[v] = i;
    v ^= xtime(v); // v · 3
  }
  for (let b = 0; b < 256; b++) {
    const inv = b === 0 ? 0 : exp[(255 - log[b]!) % 255]!;
    let s = inv;
    for (let r = 1; r <= 4; r++) s ^= ((inv << r) | (inv >>> (8 - r))) & 0xff;
    SBOX[b] = s ^ 0x63;
  }
  for (let b = 0; b < 256; b++) {
    const s = SBOX[b]!;
    const s2 = xtime(s);
    const s3 = s2 ^ s;
    // Column (2s, s, s, 3s) as a big-endian word, and its byte rotations.
    const t = (s2 << 24) | (s << 16) | (s << 8) | s3;
    T0[b] = t;
    T1[b] = (t >>> 8) | (t << 24);
    T2[b] = (t >>> 16) | (t << 16);
    T3[b] = (t >>> 24) | (t << 8);
  }
}

/** Expanded AES-128 key: 44 words. */
export function expandKey128(key: Uint8Array): Int32Array {
  const w = new Int32Array(44);
  for (let i = 0; i < 4; i++) w[i] = (key[4 * i]! << 24) | (key[4 * i + 1]! << 16) | (key[4 * i + 2]! << 8) | key[4 * i + 3]!;
  let rcon = 1;
  for (let i = 4; i < 44; i++) {
    let t = w[i - 1]!;
    if (i % 4 === 0) {
      t = (t << 8) | (t >>> 24); // RotWord
      t = (SBOX[t >>> 24]! << 24) | (SBOX[(t >>> 16) & 255]! << 16) | (SBOX[(t >>> 8) & 255]! << 8) | SBOX[t & 255]!;
      t ^= rcon << 24;
      rcon = ((rcon << 1) ^ (rcon & 0x80 ? 0x1b : 0)) & 0xff;
    }
    w[i] = w[i - 4]! ^ t;
  }
  return w;
}

const block = new Int32Array(4);

/** Encrypt one block given as four big-endian words (in `block`), in place. */
function encryptBlock(w: Int32Array): void {
  let s0 = block[0]! ^ w[0]!;
  let s1 = block[1]! ^ w[1]!;
  let s2 = block[2]! ^ w[2]!;
  let s3 = block[3]! ^ w[3]!;
  let k = 4;
  for (let round = 1; round < 10; round++) {
    const t0 = T0[s0 >>> 24]! ^ T1[(s1 >>> 16) & 255]! ^ T2[(s2 >>> 8) & 255]! ^ T3[s3 & 255]! ^ w[k]!;
    const t1 = T0[s1 >>> 24]! ^ T1[(s2 >>> 16) & 255]! ^ T2[(s3 >>> 8) & 255]! ^ T3[s0 & 255]! ^ w[k + 1]!;
    const t2 = T0[s2 >>> 24]! ^ T1[(s3 >>> 16) & 255]! ^ T2[(s0 >>> 8) & 255]! ^ T3[s1 & 255]! ^ w[k + 2]!;
    const t3 = T0[s3 >>> 24]! ^ T1[(s0 >>> 16) & 255]! ^ T2[(s1 >>> 8) & 255]! ^ T3[s2 & 255]! ^ w[k + 3]!;
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
    k += 4;
  }
  const last = (a: number, b: number, c: number, d: number, kw: number): number =>
    ((SBOX[a >>> 24]! << 24) | (SBOX[(b >>> 16) & 255]! << 16) | (SBOX[(c >>> 8) & 255]! << 8) | SBOX[d & 255]!) ^ kw;
  block[0] = last(s0, s1, s2, s3, w[40]!);
  block[1] = last(s1, s2, s3, s0, w[41]!);
  block[2] = last(s2, s3, s0, s1, w[42]!);
  block[3] = last(s3, s0, s1, s2, w[43]!);
}

/**
 * AES-128-CTR of `data` (encryption and decryption alike) with a 16-byte
 * initial counter block. The counter is incremented in its last 32-bit word
 * only, wrapping without carry (as CryptoJS's CTR mode does). Output has
 * the input's length.
 */
export function aes128Ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const w = expandKey128(key);
  const ctr = new Int32Array(4);
  for (let i = 0; i < 4; i++) ctr[i] = (iv[4 * i]! << 24) | (iv[4 * i + 1]! << 16) | (iv[4 * i + 2]! << 8) | iv[4 * i + 3]!;
  const n = data.length;
  const out = new Uint8Array(n);
  // Whole blocks a word at a time (big-endian, as the key stream), then the tail byte by byte.
  const input = new DataView(data.buffer, data.byteOffset, n);
  const output = new DataView(out.buffer);
  const whole = n & ~15;
  let off = 0;
  for (; off < whole; off += 16) {
    block.set(ctr);
    encryptBlock(w);
    ctr[3] = (ctr[3]! + 1) | 0;
    output.setInt32(off, input.getInt32(off) ^ block[0]!);
    output.setInt32(off + 4, input.getInt32(off + 4) ^ block[1]!);
    output.setInt32(off + 8, input.getInt32(off + 8) ^ block[2]!);
    output.setInt32(off + 12, input.getInt32(off + 12) ^ block[3]!);
  }
  if (off < n) {
    block.set(ctr);
    encryptBlock(w);
    for (let j = 0; off + j < n; j++) out[off + j] = data[off + j]! ^ ((block[j >> 2]! >>> (24 - 8 * (j & 3))) & 255);
  }
  // Key material: the round keys and the last key-stream block.
  w.fill(0);
  block.fill(0);
  ctr.fill(0);
  return out;
}
