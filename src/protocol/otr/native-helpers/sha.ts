/**
 * SHA-1 and SHA-256 (FIPS 180-4) and HMAC (RFC 2104) over byte arrays,
 * synchronous, for otr.js's hashing helpers. Written from the standards.
 */

const W = new Int32Array(80);

/** Message padded to whole 64-byte blocks with the big-endian 64-bit bit length at the end. */
function pad(data: Uint8Array): Uint8Array {
  const len = data.length;
  const total = (((len + 8) >> 6) + 1) << 6;
  const out = new Uint8Array(total);
  out.set(data);
  out[len] = 0x80;
  const bits = len * 8;
  const view = new DataView(out.buffer);
  view.setUint32(total - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(total - 4, bits >>> 0);
  return out;
}

function digestBytes(h: Int32Array | number[], words: number): Uint8Array {
  const out = new Uint8Array(words * 4);
  for (let i = 0; i < words; i++) {
    const v = h[i] as number;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = (v >>> 16) & 255;
    out[i * 4 + 2] = (v >>> 8) & 255;
    out[i * 4 + 3] = v & 255;
  }
  return out;
}

/** SHA-1 digest (20 bytes). */
export function sha1(data: Uint8Array): Uint8Array {
  const m = pad(data);
  let h0 = 0x67452301 | 0;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476 | 0;
  let h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < m.length; off += 64) {
    for (let t = 0; t < 16; t++) {
      const j = off + t * 4;
      W[t] = (m[j]! << 24) | (m[j + 1]! << 16) | (m[j + 2]! << 8) | m[j + 3]!;
    }
    for (let t = 16; t < 80; t++) {
      const x = W[t - 3]! ^ W[t - 8]! ^ W[t - 14]! ^ W[t - 16]!;
      W[t] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    // The four 20-round stages, each with its own function and constant.
    let t = 0;
    for (; t < 20; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + W[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = tmp;
    }
    for (; t < 40; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + W[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = tmp;
    }
    for (; t < 60; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + (0x8f1bbcdc | 0) + W[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = tmp;
    }
    for (; t < 80; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + (0xca62c1d6 | 0) + W[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = tmp;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return digestBytes([h0, h1, h2, h3, h4], 5);
}

/** SHA-256 round constants: first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K256 = new Int32Array(64);
/** SHA-256 initial hash: first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H256 = new Int32Array(8);
{
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const frac32 = (x: number): number => {
    // 2^32 · frac(x), exactly: x has ≥ 52 fraction bits here, more than the 32 we keep.
    return Math.floor((x - Math.floor(x)) * 2 ** 32) | 0;
  };
  primes.forEach((p, i) => {
    K256[i] = frac32(Math.cbrt(p));
    if (i < 8) H256[i] = frac32(Math.sqrt(p));
  });
}

/** SHA-256 digest (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  const m = pad(data);
  const h = H256.slice();
  for (let off = 0; off < m.length; off += 64) {
    for (let t = 0; t < 16; t++) {
      const j = off + t * 4;
      W[t] = (m[j]! << 24) | (m[j + 1]! << 16) | (m[j + 2]! << 8) | m[j + 3]!;
    }
    for (let t = 16; t < 64; t++) {
      const x = W[t - 15]!;
      const y = W[t - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
    }
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let e = h[4]!;
    let f = h[5]!;
    let g = h[6]!;
    let hh = h[7]!;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K256[t]! + W[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
    h[5] = (h[5]! + f) | 0;
    h[6] = (h[6]! + g) | 0;
    h[7] = (h[7]! + hh) | 0;
  }
  return digestBytes(h, 8);
}

/** HMAC with a 64-byte-block hash (SHA-1 or SHA-256). */
export function hmac(hash: (data: Uint8Array) => Uint8Array, key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = key.length > 64 ? hash(key) : key;
  const inner = new Uint8Array(64 + message.length);
  const outerKey = new Uint8Array(64);
  for (let i = 0; i < 64; i++) {
    const b = i < k.length ? k[i]! : 0;
    inner[i] = b ^ 0x36;
    outerKey[i] = b ^ 0x5c;
  }
  inner.set(message, 64);
  const ih = hash(inner);
  const outer = new Uint8Array(64 + ih.length);
  outer.set(outerKey);
  outer.set(ih, 64);
  const mac = hash(outer);
  // Key material: the padded keys (and the hashed key, when the key was long).
  inner.fill(0, 0, 64);
  outerKey.fill(0);
  outer.fill(0, 0, 64);
  if (k !== key) k.fill(0);
  return mac;
}
