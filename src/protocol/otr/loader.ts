/**
 * The one place that knows otr 0.2.16's quirks. Everything else in the
 * project uses the typed wrappers exported here.
 *
 * Quirks handled here:
 * - otr is UMD; under Vite it takes its CommonJS branch and needs the
 *   `crypto`/`path`/`webworker-threads` aliases in vite.config.ts. In Node it
 *   loads through Node's own `require` and uses `crypto.randomBytes`.
 * - Without `debug`, otr reports every failure as "An OTR error has
 *   occurred.". We run it with the real reason kept locally, while the peer
 *   still gets only the generic `?OTR Error:` text (see {@link createRawOtr}).
 * - Output (`io`) is always asynchronous (setTimeout).
 * - Its vendored bigint.js and CryptoJS helpers are slow: their hot functions
 *   are replaced, once, at load, by exact native versions (otr/speedups.ts
 *   installs them all, the same way in Node and in the worker).
 */
import otr from 'otr';
import type { RawDsa, RawOtr } from 'otr';
import bigint from 'otr/vendor/bigint.js';

import { applyInstanceFixes } from './fixes.js';
import { binaryToHex } from './internals.js';
import { activeBigIntBackend, nativeCodecFor, type BigIntBackend, type LimbCodec } from './native-bigint.js';
import { installOtrPatches } from './install.js';
import { activeSpeedups, type Speedup } from './speedups.js';

export type { RawDsa, RawOtr } from 'otr';

/** otr's message states. */
export const MSGSTATE = { PLAINTEXT: 0, ENCRYPTED: 1, FINISHED: 2 } as const;

/** otr's (non-standard) status codes, emitted through its `status` event. */
export const OTR_STATUS = { SEND_QUERY: 0, AKE_INIT: 1, AKE_SUCCESS: 2, END_OTR: 3 } as const;

/** The wire text libotr and otr.js send to the peer on any error: it reveals nothing. */
export const GENERIC_ERROR_TEXT = 'An OTR error has occurred.';

/** Options for one raw OTR instance. */
export interface RawOtrOptions {
  priv: RawDsa;
  /** 32-bit instance tag (≥ 0x100). */
  instanceTag: number;
  /** Asked before each `?OTR Error:` reply; false drops that reply (rate limit). Default: always send. */
  allowErrorReply?: () => boolean;
}

/**
 * Create one otr.js `OTR` instance with our fixes applied.
 * Fragmentation is left to the caller (otr's own bounds the payload, not the
 * fragment), so `fragment_size` is 0 here.
 */
export function createRawOtr(options: RawOtrOptions): RawOtr {
  installOtrPatches();
  const instance = new otr.OTR({
    priv: options.priv,
    instance_tag: packInstanceTag(options.instanceTag),
    fragment_size: 0,
    debug: false,
  });
  // Quirk: otr's error() puts the real reason on the wire only in debug
  // mode, and reports the generic text locally otherwise. We want the
  // opposite split: generic text to the peer, the real reason to us.
  instance.error = function error(this: RawOtr, reason: string): void {
    if (options.allowErrorReply?.() ?? true) this.io(`?OTR Error:${GENERIC_ERROR_TEXT}`);
    this.notify(reason);
  };
  // Quirk: otr's io() queues output and hands out one message per timer
  // tick, so a burst (a message's many fragments, error replies) delays
  // everything queued behind it. Each call's messages go out in one tick
  // instead, still in call order; otr's internal callback (endOtr's) still
  // runs after the last of them.
  instance.io = function io(this: RawOtr, msg: string | string[], meta?: unknown): void {
    const list = ([] as string[]).concat(msg);
    const done = isInternalCallback(meta) ? meta.cb : undefined;
    setTimeout(() => {
      for (const text of list) this.trigger('io', [text, done ? null : meta]);
      done?.();
    }, 0);
  };
  applyInstanceFixes(instance);
  return instance;
}

/** otr's internal `OTRCB` wrapper (endOtr's completion callback), recognised by shape. */
function isInternalCallback(meta: unknown): meta is { cb: () => void } {
  return typeof meta === 'object' && meta !== null && typeof (meta as { cb?: unknown }).cb === 'function';
}

/** Generate a DSA-1024 key with fresh domain parameters (never otr's per-thread cache). */
export function generateRawDsa(): RawDsa {
  installOtrPatches();
  return new otr.DSA(null, { nocache: true });
}

/** Parse otr's base64 private-key serialisation. Throws on malformed input. */
export function parseRawDsaBase64(text: string): RawDsa {
  installOtrPatches();
  const key = otr.DSA.parsePrivate(text);
  assertPrivateKey(key);
  return key;
}

/** Build a DSA private key from its five numbers in hex. Throws on inconsistent numbers. */
export function rawDsaFromHex(numbers: { p: string; q: string; g: string; y: string; x: string }): RawDsa {
  installOtrPatches();
  const [p, q, g, y, x] = [numbers.p, numbers.q, numbers.g, numbers.y, numbers.x].map((h) => bigint.str2bigInt(h, 16));
  // Quirk: otr's DSA constructor copies fields from a plain object (no checks).
  const key = new otr.DSA({ p, q, g, y, x });
  assertPrivateKey(key);
  return key;
}

/** The five numbers of a DSA private key, as lowercase hex. */
export function rawDsaToHex(key: RawDsa): { p: string; q: string; g: string; y: string; x: string } {
  installOtrPatches();
  if (!key.x) throw new Error('Not a private key.');
  const hex = rawBigIntToHex;
  return { p: hex(key.p), q: hex(key.q), g: hex(key.g), y: hex(key.y), x: hex(key.x) };
}

/** A fresh random instance tag, as a number ≥ 0x100. */
export function makeInstanceTag(): number {
  installOtrPatches();
  return unpackInstanceTag(otr.OTR.makeInstanceTag());
}

/**
 * What arithmetic otr runs on here, which speed-ups are installed, and one
 * timed 1536-bit modexp (320-bit exponent) as a sanity check.
 */
export function arithmeticReport(): { backend: BigIntBackend; speedups: Speedup[]; modexpMs: number } {
  installOtrPatches();
  const modulus = bigint.str2bigInt(OAKLEY_GROUP_5, 16);
  const exponent = bigint.randBigInt(320);
  const started = performance.now();
  bigint.powMod(bigint.str2bigInt('2', 10), exponent, modulus);
  return { backend: activeBigIntBackend(), speedups: activeSpeedups(), modexpMs: performance.now() - started };
}

/** The 1536-bit MODP group of RFC 3526 that OTR uses for Diffie-Hellman and SMP. */
const OAKLEY_GROUP_5 =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF';

/**
 * bigint.js big integer → lowercase hex without leading zeros ("0" for zero): exactly
 * `bigInt2str(value, 16).toLowerCase()`, which divides by 16 once per digit over every limb
 * (quadratic: 0.2 ms for a 1536-bit number, and each stored session holds several). This goes
 * through `bigInt2bits` (native when installed) and `binaryToHex` instead.
 */
export function rawBigIntToHex(value: number[]): string {
  installOtrPatches();
  const hex = binaryToHex(bigint.bigInt2bits(value));
  const start = hex.charCodeAt(0) === 48 ? 1 : 0; // a first byte below 0x10 has one digit
  return hex.slice(start) || '0';
}

/**
 * Hex → bigint.js big integer: exactly `str2bigInt(hex, 16)` (the same limbs, `trim(x, 1)`-shaped),
 * which is quadratic (0.07 ms for a 1536-bit number, six of them in each restored conversation);
 * lowercase hex goes through V8's linear `BigInt` parse and the native limb codec instead.
 */
export function hexToRawBigInt(hex: string): number[] {
  installOtrPatches();
  const codec = (hexCodec ??= nativeCodecFor(bigint) ?? null);
  return codec && /^[0-9a-f]+$/.test(hex) ? codec.fromBig(BigInt(`0x${hex}`)) : bigint.str2bigInt(hex, 16);
}
let hexCodec: LimbCodec | null | undefined;

/**
 * The vendored bigint.js module object, shared with otr's internals. Only
 * arithmetic back-ends (installed at this seam) should touch it.
 */
export const bigIntModule = bigint;

function assertPrivateKey(key: RawDsa | undefined): asserts key is RawDsa {
  const fields: unknown[] = key ? [key.p, key.q, key.g, key.y, key.x] : [];
  const isNumber = (f: unknown): f is number[] => Array.isArray(f) && f.length > 0 && f.every((limb) => Number.isInteger(limb));
  if (!key || !fields.every(isNumber)) throw new Error('Not a DSA private key.');
  const [p, q, g, y, x] = (fields as number[][]).map((f) => bigint.bigInt2str(f, 16)) as [string, string, string, string, string];
  if (p.length < 256 || q.length < 40 || /^0*1?$/.test(g) || /^0*$/.test(x)) throw new Error('The DSA parameters are out of range.');
  // The public half must match the private half: y = g^x mod p.
  if (bigint.bigInt2str(bigint.powMod(key.g, key.x!, key.p), 16) !== y) throw new Error('The public key does not match the private key.');
}

function packInstanceTag(tag: number): string {
  if (!Number.isInteger(tag) || tag < 0x100 || tag > 0xffffffff) throw new RangeError(`Bad instance tag ${tag}`);
  return String.fromCharCode((tag >>> 24) & 0xff, (tag >>> 16) & 0xff, (tag >>> 8) & 0xff, tag & 0xff);
}

/** A 4-byte packed instance tag (otr.js's form) as a number. */
export function unpackInstanceTag(packed: string): number {
  return ((packed.charCodeAt(0) << 24) | (packed.charCodeAt(1) << 16) | (packed.charCodeAt(2) << 8) | packed.charCodeAt(3)) >>> 0;
}

