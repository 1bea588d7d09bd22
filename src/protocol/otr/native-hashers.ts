/**
 * Exact replacements for `CryptoJS.SHA1` and `CryptoJS.SHA256`, the hasher helpers otr.js calls
 * directly rather than through its helpers module: the AKE's hash of g^x (ake.js), the MAC keys of
 * every data-message key (otr.js, `SessionKeys`), and key fingerprints (dsa.js). CryptoJS runs
 * them through its object machinery (`Hasher._createHelper`: `init`, `_append`, `_process`,
 * `_doProcessBlock` on a words array), about 2 ms of every AKE here; these run our SHA
 * (native-helpers/sha.ts) on bytes.
 *
 * Same inputs, same output: a string is hashed as its UTF-8 (CryptoJS's `Utf8.parse`, which
 * throws on a lone surrogate as CryptoJS does), a clamped WordArray (every one otr.js passes) as its
 * `sigBytes` bytes; the result is a WordArray of the digest. A call with a configuration object, an
 * unclamped WordArray (whose stray bits CryptoJS hashes along) or any other input goes to the
 * original.
 */
import { clampedWordArrayBytes, lazyWordArray, type CryptoJsModule } from './native-codecs.js';
import { sha1, sha256 } from './native-helpers/sha.js';

type Helper = (message: unknown, cfg?: unknown) => unknown;
type Name = 'SHA1' | 'SHA256';
const NAMES: readonly Name[] = ['SHA1', 'SHA256'];
const HASHES: Record<Name, (data: Uint8Array) => Uint8Array> = { SHA1: sha1, SHA256: sha256 };

interface Shape {
  SHA1: Helper;
  SHA256: Helper;
  enc: { Utf8: { parse(text: string): unknown } };
}

const installed = new WeakMap<object, { originals: Record<Name, Helper>; natives: Record<Name, Helper> }>();

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
    if (typeof js.SHA1 !== 'function' || typeof js.SHA256 !== 'function' || typeof js.enc?.Utf8?.parse !== 'function') return false;
    if (!lazyWordArray(new Uint8Array(0))) return false; // the native encoders must be installed
    const originals = { SHA1: js.SHA1, SHA256: js.SHA256 };
    const utf8 = js.enc.Utf8;
    const make = (name: Name): Helper =>
      function (message: unknown, cfg?: unknown): unknown {
        const data = cfg === undefined ? clampedWordArrayBytes(typeof message === 'string' ? utf8.parse(message) : message) : undefined;
        return data ? lazyWordArray(HASHES[name](data)) : originals[name](message, cfg);
      };
    done = { originals, natives: { SHA1: make('SHA1'), SHA256: make('SHA256') } };
    installed.set(cryptoJs, done);
  }
  Object.assign(js, done.natives);
  return true;
}

/** Put CryptoJS's own hashers back. */
export function uninstallNativeHashers(cryptoJs: CryptoJsModule): void {
  const done = installed.get(cryptoJs);
  if (done) Object.assign(cryptoJs, done.originals);
}

/** Whether the native hashers are in place on `cryptoJs`. */
export function nativeHashersActive(cryptoJs: CryptoJsModule): boolean {
  const done = installed.get(cryptoJs);
  const js = cryptoJs as Partial<Shape>;
  return !!done && NAMES.every((n) => js[n] === done.natives[n]);
}

/** CryptoJS's own hashers, saved by {@link installNativeHashers} (tests compare against them). */
export function hasherOriginals(cryptoJs: CryptoJsModule): Readonly<Record<Name, Helper>> | undefined {
  return installed.get(cryptoJs)?.originals;
}
