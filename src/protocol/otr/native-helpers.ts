/**
 * Faster, exact replacements for otr.js's hot helper functions
 * (`otr/lib/helpers.js`, one shared CommonJS module object that otr's files
 * call at call time, like bigint.js).
 *
 * - Hashes and MACs (`h1`, `h2`, `makeMac`, `make1Mac`, `smpHash`) and
 *   AES-CTR (`encryptAes`, `decryptAes`) run on our own synchronous SHA-1,
 *   SHA-256, HMAC and AES-128 (src/protocol/native-helpers/) instead of
 *   CryptoJS's object-heavy code. (WebCrypto is asynchronous and cannot
 *   serve otr's synchronous calls.)
 * - `multPowMod` (`a^b · c^d mod e`, SMP's proofs) runs on native `BigInt`
 *   with shared squarings.
 *
 * Every replacement returns exactly what the original returns (property
 * tests compare them) and hands any input outside the shapes otr.js uses
 * (non-string data, non-16-byte AES keys, CryptoJS-string plaintexts,
 * malformed numbers) to the original. No randomness is involved.
 */
import { nativeCodecFor, type BigIntModule } from './native-bigint.js';
import { multiPowMod as nativeMultiPowMod } from './native-bigint/multi-exp.js';
import { aes128Ctr } from './native-helpers/aes.js';
import { hmac, sha1, sha256 } from './native-helpers/sha.js';
import { bytesToLatin1, latin1Bytes, lazyWordArray, wordArrayBytes } from './native-codecs.js';

/** otr's helpers module object (its functions are writable properties). */
export type HelpersModule = object;

/** A CryptoJS WordArray, as far as we use it. */
interface WordArray {
  words: number[];
  sigBytes: number;
}

type Limbs = number[];

interface Helpers {
  h1(b: string, secbytes: string): string;
  h2(b: string, secbytes: string): string;
  makeMac(aesctr: string, m: string): string;
  make1Mac(aesctr: string, m: string): string;
  smpHash(version: number, fmpi: Limbs, smpi?: Limbs): Limbs;
  encryptAes(msg: WordArray | string, c: string, iv: string): string;
  decryptAes(msg: string, c: string, iv: string): WordArray;
  multPowMod(a: Limbs, b: Limbs, c: Limbs, d: Limbs, e: Limbs): Limbs;
  packBytes(val: number, bytes: number): string;
  packMPI(mpi: Limbs): string;
  bits2bigInt(bits: string): Limbs;
}

/** Names of the helpers {@link installNativeHelpers} replaces. */
export const REPLACED_HELPERS = ['h1', 'h2', 'makeMac', 'make1Mac', 'smpHash', 'encryptAes', 'decryptAes', 'multPowMod'] as const;
type Name = (typeof REPLACED_HELPERS)[number];
type Table = Pick<Helpers, Name>;

const installed = new WeakMap<object, { originals: Table; natives: Table }>();

/**
 * Replace otr's hot helpers on `helpersModule` with native versions.
 * Idempotent; the originals are kept for {@link uninstallNativeHelpers}.
 *
 * @param helpersModule - `otr/lib/helpers.js`'s module object.
 * @param bigintModule - otr's vendored bigint.js module object (for its limb format).
 * @returns whether the native helpers are now active.
 */
export function installNativeHelpers(helpersModule: HelpersModule, bigintModule: BigIntModule): boolean {
  const mod = helpersModule as Record<string, unknown>;
  let done = installed.get(helpersModule);
  if (!done) {
    const codec = nativeCodecFor(bigintModule);
    const needed = [...REPLACED_HELPERS, 'packBytes', 'packMPI', 'bits2bigInt'];
    if (!codec || !needed.every((k) => typeof mod[k] === 'function') || typeof Uint8Array !== 'function') return false;
    const originals = Object.fromEntries(REPLACED_HELPERS.map((k) => [k, mod[k]])) as unknown as Table;
    const natives = makeNatives(mod as unknown as Helpers, originals, codec);
    if (!natives) return false;
    done = { originals, natives };
    installed.set(helpersModule, done);
  }
  for (const k of REPLACED_HELPERS) mod[k] = done.natives[k];
  return true;
}

/** Put otr's own helpers back (benchmarks compare both in one run). */
export function uninstallNativeHelpers(helpersModule: HelpersModule): void {
  const done = installed.get(helpersModule);
  if (!done) return;
  const mod = helpersModule as Record<string, unknown>;
  for (const k of REPLACED_HELPERS) mod[k] = done.originals[k];
}

/** Whether the native helpers are in place on `helpersModule`. */
export function nativeHelpersActive(helpersModule: HelpersModule): boolean {
  const done = installed.get(helpersModule);
  const mod = helpersModule as Record<string, unknown>;
  return !!done && REPLACED_HELPERS.every((k) => mod[k] === done.natives[k]);
}

/** otr's original helpers saved by {@link installNativeHelpers}, if it ran on this module. */
export function helperOriginals(helpersModule: HelpersModule): Readonly<Table> | undefined {
  return installed.get(helpersModule)?.originals;
}

function makeNatives(hlp: Helpers, orig: Table, codec: NonNullable<ReturnType<typeof nativeCodecFor>>): Table | undefined {
  // CryptoJS's WordArray for decryptAes's result: the native encoders' lazy ones when installed
  // (then CryptoJS's AES need not exist at all; see scripts/slim-cryptojs.mjs), else the kind the
  // original decryptAes returns (we do not load CryptoJS ourselves).
  let makeWordArray: (words: number[], sigBytes: number) => WordArray;
  if (!lazyWordArray(new Uint8Array(0))) {
    const zero16 = '\0'.repeat(16);
    const sample = orig.decryptAes('', zero16, zero16) as unknown as WordArray & object;
    const WordArrayProto = Object.getPrototypeOf(sample) as { create?: (words: number[], sigBytes: number) => WordArray };
    if (!Array.isArray(sample.words) || typeof WordArrayProto?.create !== 'function') return undefined;
    makeWordArray = WordArrayProto.create.bind(WordArrayProto);
  }

  const str = (s: unknown): s is string => typeof s === 'string';

  const h1 = (b: string, secbytes: string): string =>
    str(b) && str(secbytes) ? latin1(sha1(bytes(b + secbytes))) : orig.h1(b, secbytes);

  const h2 = (b: string, secbytes: string): string =>
    str(b) && str(secbytes) ? latin1(sha256(bytes(b + secbytes))) : orig.h2(b, secbytes);

  // HMAC-SHA256 keyed with m over aesctr, first 160 bits.
  const makeMac = (aesctr: string, m: string): string =>
    str(aesctr) && str(m) ? latin1(hmac(sha256, bytes(m), bytes(aesctr)).subarray(0, 20)) : orig.makeMac(aesctr, m);

  // The last data-message MAC, remembered: a received message's MAC is checked before otr.js
  // touches its counters (fixes.ts, checkDataMac), and otr.js then computes the same MAC again.
  let lastMac: { data: string; key: string; mac: string } | undefined;
  const make1Mac = (aesctr: string, m: string): string => {
    if (!str(aesctr) || !str(m)) return orig.make1Mac(aesctr, m);
    if (lastMac && lastMac.key === m && lastMac.data === aesctr) return lastMac.mac;
    const mac = latin1(hmac(sha1, bytes(m), bytes(aesctr)));
    lastMac = { data: aesctr, key: m, mac };
    return mac;
  };

  function smpHash(version: number, fmpi: Limbs, smpi?: Limbs): Limbs {
    const data = hlp.packBytes(version, 1) + hlp.packMPI(fmpi) + (smpi ? hlp.packMPI(smpi) : '');
    return hlp.bits2bigInt(latin1(sha256(bytes(data))));
  }

  function encryptAes(msg: WordArray | string, c: string, iv: string): string {
    const data = str(msg) ? undefined : wordArrayBytes(msg);
    if (!data || !str(c) || c.length !== 16 || !str(iv) || iv.length !== 16) return orig.encryptAes(msg, c, iv);
    return latin1(aes128Ctr(bytes(c), bytes(iv), data));
  }

  function decryptAes(msg: string, c: string, iv: string): WordArray {
    if (!str(msg) || !str(c) || c.length !== 16 || !str(iv) || iv.length !== 16) return orig.decryptAes(msg, c, iv);
    const out = aes128Ctr(bytes(c), bytes(iv), bytes(msg));
    const lazy = lazyWordArray(out); // with the native encoders: words built only if read
    if (lazy) return lazy;
    const words: number[] = new Array((out.length + 3) >> 2).fill(0);
    for (let i = 0; i < out.length; i++) words[i >>> 2]! |= out[i]! << (24 - 8 * (i & 3));
    return makeWordArray!(words, out.length);
  }

  const { toBig, fromBig } = codec;
  const wellFormed = (x: unknown): x is Limbs => Array.isArray(x) && x.length > 0 && x[x.length - 1] === 0 && x.every(isLimb);
  const isLimb = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v < 2 ** codec.bpe && v % 1 === 0;

  function multPowMod(a: Limbs, b: Limbs, c: Limbs, d: Limbs, e: Limbs): Limbs {
    if (![a, b, c, d, e].every(wellFormed) || (e[0]! & 1) === 0) return orig.multPowMod(a, b, c, d, e);
    const n = toBig(e);
    if (n <= 1n) return orig.multPowMod(a, b, c, d, e);
    return fromBig(nativeMultiPowMod(toBig(a), toBig(b), toBig(c), toBig(d), n));
  }

  return { h1, h2, makeMac, make1Mac, smpHash, encryptAes, decryptAes, multPowMod };
}

/** CryptoJS's Latin1 parse: one byte per character, its low 8 bits. */
const bytes = latin1Bytes;

/** Bytes to a binary string (one character per byte). */
const latin1 = bytesToLatin1;
