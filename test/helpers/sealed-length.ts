/**
 * A sealed file's length as src/worker/file-crypto.ts (version 2) defines it: the file, and a 16-byte
 * GCM tag per 256 KiB segment (at least one). Restated here for browser tests, which cannot load that
 * module (it reaches otr.js through the protocol index); test/worker/file-crypto.test.ts checks the
 * module against the same formula.
 */
export const sealedLength = (size: number): number => size + 16 * Math.max(1, Math.ceil(size / (256 * 1024)));
