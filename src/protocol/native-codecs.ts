/**
 * Faster, exact replacements for CryptoJS 3.1.2's text encoders
 * (`CryptoJS.enc.Latin1`, `.Utf8`, `.Base64`, as vendored by otr.js in
 * `otr/vendor/crypto.js`).
 *
 * otr.js moves every message through these encoders several times (UTF-8 →
 * Latin1 → WordArray → AES → Base64 on the way out, the reverse on the way
 * in). The originals push one character (or one `indexOf` lookup) at a time;
 * these run on typed arrays, lookup tables, `TextDecoder` and chunked
 * `String.fromCharCode`, and return the same values:
 *
 * - `Latin1.parse` / `Latin1.stringify`: the same words (`int32`, big-endian
 *   bytes) and sigBytes, the same string (extra words ignored, missing ones
 *   read as zero).
 * - `Utf8.parse`: UTF-8 as `encodeURIComponent` produces it; a lone surrogate
 *   goes to the original (which throws its `URIError`).
 * - `Utf8.stringify`: valid UTF-8 is decoded by `TextDecoder` with `fatal` and
 *   `ignoreBOM` (the same validity rules as `decodeURIComponent`: no overlong
 *   forms, no surrogates, nothing above U+10FFFF); anything else goes to the
 *   original, which throws `Malformed UTF-8 data`.
 * - `Base64.stringify`: clamps its input (as the original does) and encodes
 *   with `btoa`.
 * - `Base64.parse`: stops at the first `=` as the original; text with any
 *   character outside the Base64 alphabet goes to the original, whose
 *   `indexOf(…) = -1` arithmetic we do not imitate.
 *
 * New WordArrays are made with `new WordArray.init(words, sigBytes)`, as
 * `Latin1.parse` does (the original `Base64.parse` uses `WordArray.create`,
 * which also gives the object its own `init`/`$super`; nothing in otr reads those).
 */

/** A CryptoJS WordArray, as far as the encoders use it. */
interface WordArray {
  words: number[];
  sigBytes: number;
  clamp(): void;
}

interface Encoder {
  stringify(wordArray: WordArray): string;
  parse(text: string): WordArray;
}

/** The CryptoJS module object (`otr/vendor/crypto.js`). */
export type CryptoJsModule = object;

type Name = 'Latin1' | 'Utf8' | 'Base64';
const NAMES: readonly Name[] = ['Latin1', 'Utf8', 'Base64'];
type Table = Record<Name, Encoder>;

const installed = new WeakMap<object, { originals: Table; natives: Table }>();

/**
 * Replace CryptoJS's Latin1, UTF-8 and Base64 encoders with exact native
 * versions. Idempotent; the originals are kept.
 *
 * @param cryptoJs - the CryptoJS module object otr.js uses.
 * @returns whether the native encoders are now active.
 */
export function installNativeCodecs(cryptoJs: CryptoJsModule): boolean {
  const enc = encodersOf(cryptoJs);
  const WordArray = (cryptoJs as { lib?: { WordArray?: { init?: unknown } } }).lib?.WordArray;
  if (!enc || typeof WordArray?.init !== 'function' || typeof TextDecoder !== 'function' || typeof btoa !== 'function') return false;
  let done = installed.get(cryptoJs);
  if (!done) {
    const originals = Object.fromEntries(NAMES.map((n) => [n, { parse: enc[n].parse, stringify: enc[n].stringify }])) as Table;
    const Init = WordArray.init as new (words: number[], sigBytes: number) => WordArray;
    done = { originals, natives: makeNatives(enc, originals, (words, sigBytes) => new Init(words, sigBytes)) };
    installed.set(cryptoJs, done);
  }
  for (const n of NAMES) Object.assign(enc[n], done.natives[n]);
  return true;
}

/** Put CryptoJS's own encoders back. */
export function uninstallNativeCodecs(cryptoJs: CryptoJsModule): void {
  const done = installed.get(cryptoJs);
  const enc = encodersOf(cryptoJs);
  if (!done || !enc) return;
  for (const n of NAMES) Object.assign(enc[n], done.originals[n]);
}

/** Whether the native encoders are in place on `cryptoJs`. */
export function nativeCodecsActive(cryptoJs: CryptoJsModule): boolean {
  const done = installed.get(cryptoJs);
  const enc = encodersOf(cryptoJs);
  return !!done && !!enc && NAMES.every((n) => enc[n].parse === done.natives[n].parse && enc[n].stringify === done.natives[n].stringify);
}

/** CryptoJS's original encoders saved by {@link installNativeCodecs} (tests compare against them). */
export function codecOriginals(cryptoJs: CryptoJsModule): Readonly<Table> | undefined {
  return installed.get(cryptoJs)?.originals;
}

function encodersOf(cryptoJs: CryptoJsModule): Table | undefined {
  const enc = (cryptoJs as { enc?: Partial<Table> }).enc;
  const ok = (e: unknown): e is Encoder => !!e && typeof (e as Encoder).parse === 'function' && typeof (e as Encoder).stringify === 'function';
  return enc && NAMES.every((n) => ok(enc[n])) ? (enc as Table) : undefined;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

function makeNatives(enc: Table, orig: Table, wordArray: (words: number[], sigBytes: number) => WordArray): Table {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  const Latin1: Encoder = {
    stringify: (wa) => bytesToLatin1(wordBytes(wa)),
    parse(text) {
      const n = text.length;
      const words: number[] = new Array((n + 3) >>> 2);
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        words[i >>> 2] = ((text.charCodeAt(i) & 255) << 24) | ((text.charCodeAt(i + 1) & 255) << 16) | ((text.charCodeAt(i + 2) & 255) << 8) | (text.charCodeAt(i + 3) & 255);
      }
      if (i < n) {
        let w = 0;
        for (let j = 0; i + j < n; j++) w |= (text.charCodeAt(i + j) & 255) << (24 - 8 * j);
        words[i >>> 2] = w;
      }
      return wordArray(words, n);
    },
  };

  const Utf8: Encoder = {
    stringify(wa) {
      try {
        return decoder.decode(wordBytes(wa));
      } catch {
        return orig.Utf8.stringify.call(enc.Utf8, wa); // throws 'Malformed UTF-8 data'
      }
    },
    parse(text) {
      const bytes = utf8Bytes(text);
      return bytes ? bytesToWordArray(bytes, wordArray) : orig.Utf8.parse.call(enc.Utf8, text);
    },
  };

  const Base64: Encoder = {
    stringify(wa) {
      wa.clamp(); // the original clamps its argument in place
      return btoa(bytesToLatin1(wordBytes(wa)));
    },
    parse(text) {
      const pad = text.indexOf('=');
      const end = pad === -1 ? text.length : pad;
      const bytes = decodeBase64(text, end);
      return bytes ? bytesToWordArray(bytes, wordArray) : orig.Base64.parse.call(enc.Base64, text);
    },
  };

  return { Latin1, Utf8, Base64 };
}

/** The significant bytes of a WordArray (missing words read as zero, as CryptoJS does). */
function wordBytes(wa: WordArray): Uint8Array {
  const { words, sigBytes } = wa;
  const out = new Uint8Array(sigBytes);
  const whole = sigBytes & ~3;
  let i = 0;
  for (; i < whole; i += 4) {
    const w = words[i >>> 2]!;
    out[i] = w >>> 24;
    out[i + 1] = w >>> 16;
    out[i + 2] = w >>> 8;
    out[i + 3] = w;
  }
  for (; i < sigBytes; i++) out[i] = words[i >>> 2]! >>> (24 - 8 * (i & 3));
  return out;
}

function bytesToWordArray(bytes: Uint8Array, make: (words: number[], sigBytes: number) => WordArray): WordArray {
  const n = bytes.length;
  const words: number[] = new Array((n + 3) >>> 2);
  let i = 0;
  for (; i + 4 <= n; i += 4) words[i >>> 2] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
  if (i < n) {
    let w = 0;
    for (let j = 0; i + j < n; j++) w |= bytes[i + j]! << (24 - 8 * j);
    words[i >>> 2] = w;
  }
  return make(words, n);
}

/** Bytes to a binary string, one character per byte, in linear time. */
export function bytesToLatin1(bytes: Uint8Array): string {
  if (bytes.length <= 4096) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 4096) parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]));
  return parts.join('');
}

/** UTF-8 bytes of `text` (as `encodeURIComponent` encodes it), or undefined at a lone surrogate. */
function utf8Bytes(text: string): Uint8Array | undefined {
  const n = text.length;
  const out = new Uint8Array(n * 3);
  let o = 0;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
    } else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 63);
    } else if (c < 0xd800 || c > 0xdfff) {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    } else {
      const low = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || low < 0xdc00 || low > 0xdfff) return undefined;
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      i++;
      out[o++] = 0xf0 | (c >> 18);
      out[o++] = 0x80 | ((c >> 12) & 63);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    }
  }
  return out.subarray(0, o);
}

/**
 * CryptoJS's Base64 decoding of `text[0, end)`: every character but the
 * first of each group of four yields a byte; a lone last character yields
 * none. Undefined when a character is outside the alphabet.
 */
function decodeBase64(text: string, end: number): Uint8Array | undefined {
  const out = new Uint8Array(end - Math.ceil(end / 4));
  let o = 0;
  let i = 0;
  const idx = (k: number): number => {
    const c = text.charCodeAt(k);
    return c < 128 ? B64_INDEX[c]! : -1;
  };
  for (; i + 4 <= end; i += 4) {
    const a = idx(i), b = idx(i + 1), c = idx(i + 2), d = idx(i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const t = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = t >>> 16;
    out[o++] = t >>> 8;
    out[o++] = t;
  }
  const rest = end - i;
  if (rest > 0) {
    const a = idx(i);
    if (a < 0) return undefined;
    let prev = a;
    for (let j = 1; j < rest; j++) {
      const v = idx(i + j);
      if (v < 0) return undefined;
      out[o++] = (prev << (2 * j)) | (v >>> (6 - 2 * j));
      prev = v;
    }
  }
  return out;
}
