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
 * WordArrays made here are lazy: they keep the bytes (or the Latin1 string)
 * they were made from and build their `words` array only when something
 * reads it (an accessor on their prototype, which inherits from CryptoJS's
 * WordArray), after which they are ordinary WordArrays. Until then the
 * encoders read the source directly, so a UTF-8 → Latin1 → Base64 chain
 * converts the text once instead of through a words array at every step.
 * The values are the same either way: nothing can change `words` without
 * reading it first, and a changed `sigBytes` sends the encoders to the words.
 * (The original `Base64.parse` uses `WordArray.create`, which also gives the
 * object its own `init`/`$super`; nothing in otr reads those.)
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
    lazy ??= makeLazy(WordArray as object);
    done = { originals, natives: makeNatives(enc, originals) };
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

/** The source of a lazy WordArray: its bytes, or a string of characters ≤ 0xff (one byte each). */
type Source = Uint8Array | string;

interface Lazy {
  /** A new lazy WordArray over `source` (its sigBytes is the source's length). */
  make(source: Source): WordArray;
  /** Sources of lazy WordArrays whose words have not been built yet. */
  sources: WeakMap<object, Source>;
}
let lazy: Lazy | undefined;

function makeLazy(WordArray: object): Lazy {
  const sources = new WeakMap<object, Source>();
  const proto = Object.create(WordArray) as object;
  const own = (target: object, value: unknown): void => {
    sources.delete(target);
    Object.defineProperty(target, 'words', { value, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(proto, 'words', {
    configurable: true,
    get(this: WordArray) {
      const source = sources.get(this);
      const words = source === undefined ? [] : typeof source === 'string' ? latin1Words(source) : bytesToWords(source);
      own(this, words);
      return words;
    },
    set(this: WordArray, value: unknown) {
      own(this, value);
    },
  });
  return {
    sources,
    make(source) {
      const wa = Object.create(proto) as WordArray;
      wa.sigBytes = source.length;
      sources.set(wa, source);
      return wa;
    },
  };
}

/** The source of `wa` when it is a lazy WordArray not yet built and still of its source's length. */
function sourceOf(wa: WordArray): Source | undefined {
  const source = lazy?.sources.get(wa);
  return source !== undefined && wa.sigBytes === source.length ? source : undefined;
}

/**
 * The significant bytes of a CryptoJS WordArray (for the native helpers),
 * read from a lazy array's source when it has one; undefined when `wa` is
 * not shaped like a WordArray.
 */
export function wordArrayBytes(wa: unknown): Uint8Array | undefined {
  const w = wa as WordArray | null;
  if (!w || typeof w !== 'object') return undefined;
  const source = sourceOf(w);
  if (source !== undefined) return typeof source === 'string' ? latin1Bytes(source) : source;
  if (!Array.isArray(w.words) || typeof w.sigBytes !== 'number' || !(w.sigBytes >= 0) || w.sigBytes % 1 !== 0) return undefined;
  if (w.words.length * 4 < w.sigBytes) return undefined;
  return wordBytes(w);
}

/**
 * The bytes of a *clamped* WordArray: a lazy one, or one with exactly `ceil(sigBytes / 4)` words
 * and zero bits past `sigBytes` (what every encoder returns). CryptoJS's hashers read an unclamped
 * array's extra words and bits into the hash, so only clamped ones have a plain byte meaning there;
 * undefined for any other.
 */
export function clampedWordArrayBytes(wa: unknown): Uint8Array | undefined {
  const w = wa as WordArray | null;
  if (!w || typeof w !== 'object') return undefined;
  if (sourceOf(w) !== undefined) return wordArrayBytes(w);
  if (!Array.isArray(w.words) || typeof w.sigBytes !== 'number' || w.words.length !== Math.ceil(w.sigBytes / 4)) return undefined;
  const tail = w.sigBytes & 3;
  if (tail && ((w.words[w.words.length - 1] as number) & (0xffffffff >>> (8 * tail))) !== 0) return undefined;
  return wordArrayBytes(w);
}

/** A lazy WordArray of `bytes` (the native helpers return these); undefined before {@link installNativeCodecs}. */
export function lazyWordArray(bytes: Uint8Array): WordArray | undefined {
  return lazy?.make(bytes);
}

/** One byte per character: the low 8 bits (CryptoJS's Latin1 parse). */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const WIDE = /[^\x00-\xff]/;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

function makeNatives(enc: Table, orig: Table): Table {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const make = (source: Source): WordArray => lazy!.make(source);
  /** The bytes of `wa`: from its source when lazy, else from its words. */
  const bytesOf = (wa: WordArray): Uint8Array => {
    const source = sourceOf(wa);
    return source === undefined ? wordBytes(wa) : typeof source === 'string' ? latin1Bytes(source) : source;
  };
  /**
   * The last large string made from a lazy array's bytes, and those bytes: otr.js turns a message's
   * bytes into a Latin1 string and parses that same string back right away (decrypt → Latin1 →
   * UTF-8; UTF-8 → Latin1 → encrypt), and the parse then reuses the bytes instead of converting again.
   */
  let recent: { text: string; bytes: Uint8Array } | undefined;
  /** `wa` as a Latin1 string: its source string when lazy, else from its bytes. */
  const latin1Of = (wa: WordArray): string => {
    const source = sourceOf(wa);
    if (typeof source === 'string') return source;
    const text = bytesToLatin1(source ?? wordBytes(wa));
    if (source && text.length >= 256) recent = { text, bytes: source };
    return text;
  };

  const Latin1: Encoder = {
    stringify: latin1Of,
    parse(text) {
      if (recent && recent.text === text) {
        const { bytes } = recent;
        recent = undefined;
        return make(bytes);
      }
      // Characters above 0xff keep only their low byte: build those eagerly, as the original.
      return WIDE.test(text) ? make(latin1Bytes(text)) : make(text);
    },
  };

  const Utf8: Encoder = {
    stringify(wa) {
      try {
        return decoder.decode(bytesOf(wa));
      } catch {
        return orig.Utf8.stringify.call(enc.Utf8, wa); // throws 'Malformed UTF-8 data'
      }
    },
    parse(text) {
      const bytes = utf8Bytes(text);
      return bytes ? make(bytes) : orig.Utf8.parse.call(enc.Utf8, text);
    },
  };

  const Base64: Encoder = {
    stringify(wa) {
      // The original clamps its argument in place; a lazy array not yet built is clamped already.
      if (sourceOf(wa) === undefined) wa.clamp();
      return btoa(latin1Of(wa));
    },
    parse(text) {
      const pad = text.indexOf('=');
      const end = pad === -1 ? text.length : pad;
      const bytes = decodeBase64(text, end);
      return bytes ? make(bytes) : orig.Base64.parse.call(enc.Base64, text);
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

/** CryptoJS words (big-endian int32) of `bytes`. */
function bytesToWords(bytes: Uint8Array): number[] {
  const n = bytes.length;
  const words: number[] = new Array((n + 3) >>> 2);
  let i = 0;
  for (; i + 4 <= n; i += 4) words[i >>> 2] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
  if (i < n) {
    let w = 0;
    for (let j = 0; i + j < n; j++) w |= bytes[i + j]! << (24 - 8 * j);
    words[i >>> 2] = w;
  }
  return words;
}

/** CryptoJS words of a string, one byte (the low 8 bits) per character. */
function latin1Words(text: string): number[] {
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
  return words;
}

/** Bytes to a binary string, one character per byte, in linear time. */
export function bytesToLatin1(bytes: Uint8Array): string {
  if (bytes.length <= 256) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  // Each byte widened to one UTF-16 code unit below 256, which UTF-16LE decodes to that very
  // character (no surrogates can occur): about 3.5× faster than fromCharCode in chunks at 64 KiB.
  const units = new Uint16Array(bytes.length);
  units.set(bytes);
  return utf16.decode(units);
}

const utf16 = new TextDecoder('utf-16le');

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
