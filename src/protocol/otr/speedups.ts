/**
 * The one place that installs every exact speed-up under otr.js. The loader
 * (otr/loader.ts) calls {@link installSpeedups} once when it loads, so Node
 * (tests, tools) and the worker bundle run the same code paths.
 *
 * Each back-end replaces functions on one of otr's shared CommonJS module
 * objects (otr calls them through those objects at call time) and returns
 * bit-for-bit what the original returns; the exactness tests are
 * test/protocol/native-*.test.ts.
 */
import otrModule from 'otr';
import bigintModule from 'otr/vendor/bigint.js';
import akeModule from 'otr/lib/ake.js';
import constModule from 'otr/lib/const.js';
import helpersModule from 'otr/lib/helpers.js';
import cryptoJsModule from 'otr/vendor/crypto.js';

import { activeBigIntBackend, installNativeBigInt, uninstallNativeBigInt } from './native-bigint.js';
import {
  installLucasTest,
  installNativeDsa,
  installOneReadSearch,
  lucasTestActive,
  nativeDsaActive,
  oneReadSearchActive,
  stockDsaOf,
  uninstallLucasTest,
  uninstallNativeDsa,
  uninstallOneReadSearch,
} from './native-dsa.js';
import { installNativeDsaVerify, nativeDsaVerifyActive, uninstallNativeDsaVerify } from './native-dsa-verify.js';
import { installNativeCodecs, nativeCodecsActive, uninstallNativeCodecs } from './native-codecs.js';
import { installNativeHashers, nativeHashersActive, uninstallNativeHashers } from './native-hashers.js';
import { installNativeHelpers, nativeHelpersActive, uninstallNativeHelpers } from './native-helpers.js';
import { installLazyDhSessions, lazyDhSessionsActive, uninstallLazyDhSessions } from './native-sessions.js';
import { akeSecretReuseActive, installAkeSecretReuse, uninstallAkeSecretReuse } from './ake-secret.js';
import { installLazyDhKeys, lazyDhKeysActive, uninstallLazyDhKeys } from './lazy-dh-keys.js';
import { installMicrotaskIo, microtaskIoActive, uninstallMicrotaskIo } from './io.js';

/** The names of the back-ends, as `diagnostics()` reports them. */
export const SPEEDUPS = [
  /** Native `BigInt` under bigint.js (modexp, primes, conversions): native-bigint.ts. */
  'native-bigint',
  /** DSA key generation (fresh p, q, g) on native `BigInt`, otr's algorithm step for step: native-dsa.ts. */
  'native-dsa',
  /** Its search for p with one random read per candidate (p ≡ 1 mod 2q): native-dsa.ts. */
  'dsa-one-read-search',
  /** Its p accepted after 3 Miller–Rabin rounds and FIPS 186-4's Lucas test instead of 40 rounds: native-dsa.ts. */
  'dsa-lucas-test',
  /** DSA signature verification as one two-base exponentiation on native `BigInt`: native-dsa-verify.ts. */
  'native-dsa-verify',
  /** Our SHA-1, SHA-256, HMAC, AES-128-CTR under otr's helpers: native-helpers.ts. */
  'native-helpers',
  /** CryptoJS's Latin1/UTF-8/Base64 encoders without WordArray plumbing: native-codecs.ts. */
  'native-codecs',
  /** `CryptoJS.SHA1` / `CryptoJS.SHA256`, which otr.js calls directly, on our SHA: native-hashers.ts. */
  'native-hashers',
  /** Data-message key sessions derived on first use: native-sessions.ts. */
  'lazy-dh-sessions',
  /** The AKE's DH secret reused by the data session of the same two keys: ake-secret.ts. */
  'ake-secret-reuse',
  /** DH key pairs whose public half is computed on first read: lazy-dh-keys.ts. */
  'lazy-dh-keys',
  /** otr's output queue drained in a microtask instead of a timer per packet: otr/io.ts. */
  'microtask-io',
] as const;

/** One of {@link SPEEDUPS}. */
export type Speedup = (typeof SPEEDUPS)[number];

/**
 * Install every speed-up (idempotent). Order matters: the helpers build on
 * the native bigint.js codec and return the native encoders' lazy WordArrays.
 *
 * @returns the back-ends now active.
 */
export function installSpeedups(): Speedup[] {
  installNativeBigInt(bigintModule);
  installNativeDsa(otrModule, bigintModule);
  installOneReadSearch(otrModule);
  installLucasTest(otrModule);
  installNativeDsaVerify(stockDsaOf(otrModule), bigintModule);
  installNativeCodecs(cryptoJsModule);
  installNativeHashers(cryptoJsModule);
  installNativeHelpers(helpersModule, bigintModule);
  installLazyDhSessions(otrModule, helpersModule, bigintModule, constModule);
  installAkeSecretReuse(akeModule, helpersModule, bigintModule, constModule);
  installLazyDhKeys(otrModule, bigintModule, constModule);
  installMicrotaskIo(otrModule);
  return activeSpeedups();
}

/**
 * Put stock otr.js back everywhere (benchmarks compare both in one run;
 * the product never calls this).
 */
export function uninstallSpeedups(): void {
  uninstallMicrotaskIo(otrModule);
  uninstallLazyDhKeys(otrModule);
  uninstallAkeSecretReuse(akeModule);
  uninstallLazyDhSessions(otrModule);
  uninstallNativeHashers(cryptoJsModule);
  uninstallNativeCodecs(cryptoJsModule);
  uninstallNativeHelpers(helpersModule);
  uninstallNativeDsaVerify(stockDsaOf(otrModule));
  uninstallLucasTest(otrModule);
  uninstallOneReadSearch(otrModule);
  uninstallNativeDsa(otrModule);
  uninstallNativeBigInt(bigintModule);
}

/** The back-ends in place right now, in {@link SPEEDUPS} order. */
export function activeSpeedups(): Speedup[] {
  const active: Record<Speedup, boolean> = {
    'native-bigint': activeBigIntBackend() === 'native',
    'native-dsa': nativeDsaActive(otrModule),
    'dsa-one-read-search': oneReadSearchActive(otrModule),
    'dsa-lucas-test': lucasTestActive(otrModule),
    'native-dsa-verify': nativeDsaVerifyActive(stockDsaOf(otrModule)),
    'native-helpers': nativeHelpersActive(helpersModule),
    'native-codecs': nativeCodecsActive(cryptoJsModule),
    'native-hashers': nativeHashersActive(cryptoJsModule),
    'lazy-dh-sessions': lazyDhSessionsActive(otrModule),
    'ake-secret-reuse': akeSecretReuseActive(akeModule),
    'lazy-dh-keys': lazyDhKeysActive(otrModule),
    'microtask-io': microtaskIoActive(otrModule),
  };
  return SPEEDUPS.filter((name) => active[name]);
}
