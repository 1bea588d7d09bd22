/**
 * Browser stand-in for Node's `crypto`, used only by otr's vendored bigint.js
 * when bundled by Vite (see vite.config.ts). It offers nothing but the
 * platform CSPRNG, so bigint.js takes its `getRandomValues` branch.
 *
 * It must not export `randomBytes`: bigint.js would then prefer it.
 * The call goes through `globalThis.crypto` at call time, because a bare
 * re-export of the method fails with "Illegal invocation".
 */
export function getRandomValues<T extends ArrayBufferView | null>(array: T): T {
  return globalThis.crypto.getRandomValues(array as unknown as Uint8Array<ArrayBuffer>) as unknown as T;
}

export default { getRandomValues };
