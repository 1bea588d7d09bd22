/**
 * Exact replacements for the CryptoJS hashers otr.js calls directly rather than through its
 * helpers module:
 * - `CryptoJS.SHA1` and `CryptoJS.SHA256`: the AKE's hash of g^x (ake.js), the MAC keys of every
 *   data-message key (otr.js, `SessionKeys`), key fingerprints (dsa.js);
 * - `CryptoJS.algo.SHA256.create()` and `CryptoJS.algo.HMAC.create(SHA256 or SHA1, key)`, the
 *   incremental forms: the AKE's MAC over g^x, g^y, the key and its id (ake.js `hMac`), DSA's nonce
 *   (dsa.js `generateNonce`), SMP's secret (sm.js `makeSecret`).
 * CryptoJS runs them through its object machinery (`_append`, `_process`, `_doProcessBlock` on a
 * words array), about 3 ms of every AKE here; these run our SHA and HMAC (native-helpers/sha.ts)
 * on bytes.
 *
 * Same inputs, same output: a string is hashed as its UTF-8 (CryptoJS's `Utf8.parse`, which
 * throws on a lone surrogate as CryptoJS does), a clamped WordArray (every one otr.js passes) as its
 * `sigBytes` bytes; the result is a WordArray of the digest. A call with a configuration object, an
 * unclamped WordArray (whose stray bits CryptoJS hashes along) or any other input goes to the
 * original.
 */
import { clampedWordArrayBytes, lazyWordArray, type CryptoJsModule } from './native-codecs.js';
import { hmac, sha1, sha256 } from './native-helpers/sha.js';

type Helper = (message: unknown, cfg?: unknown) => unknown;
type Name = 'SHA1' | 'SHA256';
const NAMES: readonly Name[] = ['SHA1', 'SHA256'];
const HASHES: Record<Name, (data: Uint8Array) => Uint8Array> = { SHA1: sha1, SHA256: sha256 };

/** CryptoJS's incremental hasher objects, as far as otr.js uses them. */
interface Incremental {
  update(data: unknown): Incremental;
  finalize(data?: unknown): unknown;
}
type Create = (...args: unknown[]) => Incremental;
interface Algo {
  create: Create;
}

interface Shape {
  SHA1: Helper;
  SHA256: Helper;
  enc: { Utf8: { parse(text: string): unknown } };
  algo: { SHA1: Algo; SHA256: Algo; HMAC: Algo };
}

/** What is replaced: the two helpers, and the `create` of three algorithm objects. */
interface Table {
  SHA1: Helper;
  SHA256: Helper;
  createSha256: Create;
  createHmac: Create;
}

const installed = new WeakMap<object, { originals: Table; natives: Table }>();

/**
 * Replace `CryptoJS.SHA1` and `CryptoJS.SHA256` on `cryptoJs` (after the native encoders, whose
 * lazy WordArrays the results are). Idempotent.
 *
 * @returns whether the native hashers are now active.
 */
export function installNativeHashers(cryptoJs: CryptoJsModule): boolean {
  const js = cryptoJs as Partial<Shape>;
  let done = installed.get(cryptoJs);
  if (!done) {
    const algo = js.algo;
    if (typeof js.SHA1 !== 'function' || typeof js.SHA256 !== 'function' || typeof js.enc?.Utf8?.parse !== 'function') return false;
    if (!algo || ![algo.SHA1, algo.SHA256, algo.HMAC].every((a) => typeof a?.create === 'function')) return false;
    if (!lazyWordArray(new Uint8Array(0))) return false; // the native encoders must be installed
    const originals: Table = { SHA1: js.SHA1, SHA256: js.SHA256, createSha256: algo.SHA256.create, createHmac: algo.HMAC.create };
    const utf8 = js.enc.Utf8;
    /** The bytes CryptoJS would hash for `data`, when they are plain bytes (see the file comment). */
    const read = (data: unknown): Uint8Array | undefined => clampedWordArrayBytes(typeof data === 'string' ? utf8.parse(data) : data);
    const helper = (name: Name): Helper =>
      function (message: unknown, cfg?: unknown): unknown {
        const data = cfg === undefined ? read(message) : undefined;
        return data ? lazyWordArray(HASHES[name](data)) : originals[name](message, cfg);
      };
    const createSha256: Create = function (this: Algo, ...args: unknown[]): Incremental {
      if (args.length) return originals.createSha256.apply(this, args);
      return new NativeIncremental(read, (data) => sha256(data), () => originals.createSha256.call(algo.SHA256));
    };
    const createHmac: Create = function (this: Algo, ...args: unknown[]): Incremental {
      const [hasher, key] = args;
      const hash = hasher === algo.SHA256 ? sha256 : hasher === algo.SHA1 ? sha1 : undefined;
      // An unclamped key goes to CryptoJS, which clamps it in place (a clamped one reads the same).
      const keyBytes = hash && args.length === 2 ? read(key) : undefined;
      if (!hash || !keyBytes) return originals.createHmac.apply(this, args);
      return new NativeIncremental(read, (data) => hmac(hash, keyBytes, data), () => originals.createHmac.call(algo.HMAC, hasher, lazyWordArray(keyBytes)));
    };
    done = { originals, natives: { SHA1: helper('SHA1'), SHA256: helper('SHA256'), createSha256, createHmac } };
    installed.set(cryptoJs, done);
  }
  place(js as Shape, done.natives);
  return true;
}

function place(js: Shape, table: Table): void {
  js.SHA1 = table.SHA1;
  js.SHA256 = table.SHA256;
  js.algo.SHA256.create = table.createSha256;
  js.algo.HMAC.create = table.createHmac;
}

/**
 * An incremental hash or HMAC over bytes: `update` collects, `finalize` hashes. An input without a
 * plain byte meaning (an unclamped WordArray) hands everything to CryptoJS's own object, fed the
 * same bytes so far, so the result is CryptoJS's in every case.
 */
class NativeIncremental implements Incremental {
  private parts: Uint8Array[] = [];
  private original?: Incremental;

  constructor(
    private readonly read: (data: unknown) => Uint8Array | undefined,
    private readonly digest: (data: Uint8Array) => Uint8Array,
    private readonly makeOriginal: () => Incremental,
  ) {}

  update(data: unknown): Incremental {
    if (!this.original) {
      const bytes = this.read(data);
      if (bytes) {
        this.parts.push(bytes);
        return this;
      }
      this.original = this.makeOriginal();
      for (const part of this.parts) this.original.update(lazyWordArray(part));
    }
    this.original.update(data);
    return this;
  }

  finalize(data?: unknown): unknown {
    if (data) this.update(data); // CryptoJS appends only a truthy final part
    if (this.original) return this.original.finalize();
    const all = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of this.parts) {
      all.set(part, at);
      at += part.length;
    }
    this.parts = [];
    return lazyWordArray(this.digest(all));
  }
}

/** Put CryptoJS's own hashers back. */
export function uninstallNativeHashers(cryptoJs: CryptoJsModule): void {
  const done = installed.get(cryptoJs);
  if (done) place(cryptoJs as Shape, done.originals);
}

/** Whether the native hashers are in place on `cryptoJs`. */
export function nativeHashersActive(cryptoJs: CryptoJsModule): boolean {
  const done = installed.get(cryptoJs);
  const js = cryptoJs as Partial<Shape>;
  return !!done && NAMES.every((n) => js[n] === done.natives[n]) && js.algo?.SHA256.create === done.natives.createSha256 && js.algo?.HMAC.create === done.natives.createHmac;
}

/** CryptoJS's own hashers, saved by {@link installNativeHashers} (tests compare against them). */
export function hasherOriginals(cryptoJs: CryptoJsModule): Readonly<Table> | undefined {
  return installed.get(cryptoJs)?.originals;
}
