// Encrypted files, the crypto (src/worker/file-crypto.ts), on Node's WebCrypto: a sealed file opens
// with the same extra key and no other; the ciphertext holds neither the bytes nor the name; every
// change to the ciphertext or the reference is refused before any byte is given out, segments
// reordered, dropped or cut short included; a version 1 reference of an earlier release still opens.
import { describe, expect, it } from 'vitest';
import { E2eeError } from '../../src/protocol/index.js';
import { encodeFileReference, openFile, parseFileReference, referTo, sealedLength, sealFile, SEGMENT, type FileReference } from '../../src/worker/file-crypto.js';

const extraKey = crypto.getRandomValues(new Uint8Array(32));
const data = new TextEncoder().encode('the quarterly numbers, not for the server '.repeat(500));
const meta = { name: 'numbers-Q3.txt', type: 'text/plain' };

async function refused(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'opened';
  } catch (error) {
    expect(error).toBeInstanceOf(E2eeError);
    expect((error as E2eeError).code).toBe('file');
    return (error as E2eeError).message;
  }
}

describe('file crypto', () => {
  it('opens with the same extra key; the ciphertext holds neither the content nor the name', async () => {
    const sealed = await sealFile(data, meta);
    const reference = await referTo(sealed, 'blob-1', extraKey);
    expect(reference).toMatchObject({ v: 2, at: 'blob-1', name: meta.name, type: meta.type, size: data.length });
    expect(data.length).toBeLessThan(SEGMENT);
    expect(sealed.ciphertext).toHaveLength(data.length + 16);
    const asText = new TextDecoder('latin1').decode(sealed.ciphertext);
    expect(asText).not.toContain('quarterly');
    expect(asText).not.toContain('numbers-Q3');
    expect(await openFile(sealed.ciphertext, reference, extraKey)).toEqual(data);
  });

  it('two seals of the same file differ (fresh key and IV each time)', async () => {
    const [one, two] = await Promise.all([sealFile(data, meta), sealFile(data, meta)]);
    expect(Buffer.from(one.ciphertext).equals(Buffer.from(two.ciphertext))).toBe(false);
    expect((await referTo(one, 'x', extraKey)).key).not.toBe((await referTo(two, 'x', extraKey)).key);
  });

  it('refuses a flipped bit, a truncated or longer upload, a wrong hash, another key, and a swapped IV or key', async () => {
    const sealed = await sealFile(data, meta);
    const reference = await referTo(sealed, 'blob-1', extraKey);
    const flipped = sealed.ciphertext.slice();
    flipped[100]! ^= 1;
    expect(await refused(openFile(flipped, { ...reference, sha256: await sha(flipped) }, extraKey))).toMatch(/tampered/);
    expect(await refused(openFile(flipped, reference, extraKey))).toMatch(/hash/);
    expect(await refused(openFile(sealed.ciphertext.slice(0, -1), reference, extraKey))).toMatch(/truncated/);
    expect(await refused(openFile(new Uint8Array([...sealed.ciphertext, 0]), reference, extraKey))).toMatch(/truncated/);
    expect(await refused(openFile(sealed.ciphertext, reference, crypto.getRandomValues(new Uint8Array(32))))).toMatch(/key does not open/);
    const other = await referTo(await sealFile(data, meta), 'blob-2', extraKey);
    expect(await refused(openFile(sealed.ciphertext, { ...reference, iv: other.iv }, extraKey))).toMatch(/tampered/);
    expect(await refused(openFile(sealed.ciphertext, { ...reference, key: other.key }, extraKey))).toMatch(/tampered/);
  });

  it('seals in segments: every one opens, and none can be moved, dropped or made the last', async () => {
    const big = new Uint8Array(2 * SEGMENT).map((_, i) => (i * 7 + (i >> 9)) & 0xff);
    crypto.getRandomValues(big.subarray(0, 65536));
    for (const size of [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 2 * SEGMENT - 3]) {
      const sealed = await sealFile(big.slice(0, size), meta);
      expect(sealed.ciphertext, `${size} bytes`).toHaveLength(size + 16 * Math.max(1, Math.ceil(size / SEGMENT)));
      expect(sealed.ciphertext).toHaveLength(sealedLength(size));
      expect(await openFile(sealed.ciphertext, await referTo(sealed, 'x', extraKey), extraKey)).toEqual(big.slice(0, size));
    }
    const whole = big.slice(0, SEGMENT + SEGMENT / 2);
    const sealed = await sealFile(whole, meta);
    const reference = await referTo(sealed, 'x', extraKey);
    const first = sealed.ciphertext.slice(0, SEGMENT + 16);
    const second = sealed.ciphertext.slice(SEGMENT + 16);
    // With the hash made to fit (a forger's best case), each is still refused by a tag.
    const rehash = async (...parts: Uint8Array[]) => b64(await digest(concat(...(await Promise.all(parts.map(digest))))));
    expect(await rehash(first, second)).toBe(reference.sha256);
    // The first segment alone, said to be the whole file: its nonce says it is not the last.
    expect(await refused(openFile(first, { ...reference, size: SEGMENT, sha256: await rehash(first) }, extraKey))).toMatch(/tampered/);
    // Two full segments swapped, neither the last (a file of three).
    const three = concat(big, big.subarray(0, SEGMENT));
    const sealed3 = await sealFile(three, meta);
    const ref3 = await referTo(sealed3, 'x', extraKey);
    const [s0, s1, s2] = [0, 1, 2].map((i) => sealed3.ciphertext.slice(i * (SEGMENT + 16), (i + 1) * (SEGMENT + 16)));
    expect(await openFile(concat(s0!, s1!, s2!), ref3, extraKey)).toEqual(three);
    expect(await refused(openFile(concat(s1!, s0!, s2!), { ...ref3, sha256: await rehash(s1!, s0!, s2!) }, extraKey))).toMatch(/tampered/);
    // The last segment dropped, or a segment's tag cut: the length no longer fits the size.
    expect(await refused(openFile(first, reference, extraKey))).toMatch(/truncated/);
    expect(await refused(openFile(concat(first, second.subarray(0, second.length - 16)), reference, extraKey))).toMatch(/truncated/);
    // A flipped bit in the second segment, the hash made to fit.
    const flipped = concat(first, second);
    flipped[SEGMENT + 16 + 5]! ^= 0x80;
    expect(await refused(openFile(flipped, { ...reference, sha256: await rehash(flipped.subarray(0, SEGMENT + 16), flipped.subarray(SEGMENT + 16)) }, extraKey))).toMatch(/tampered/);
  });

  it("opens a version 1 file (one GCM message, the ciphertext's SHA-256) as earlier releases sealed it", async () => {
    const fileKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, fileKey, data));
    const fixed = { v: 1 as const, name: meta.name, type: meta.type, size: data.length, sha256: b64(await digest(ciphertext)), iv: b64(iv) };
    const reference = await referTo({ fileKey, fixed }, 'old', extraKey);
    expect(parseFileReference(encodeFileReference(reference))).toEqual(reference);
    expect(await openFile(ciphertext, reference, extraKey)).toEqual(data);
    const flipped = ciphertext.slice();
    flipped[3]! ^= 1;
    expect(await refused(openFile(flipped, reference, extraKey))).toMatch(/hash/);
    expect(await refused(openFile(flipped, { ...reference, sha256: b64(await digest(flipped)) }, extraKey))).toMatch(/tampered/);
  });

  it('reads back only well-formed references of ours', async () => {
    const reference = await referTo(await sealFile(data, meta), 'https://store.example/f/1', extraKey);
    expect(parseFileReference(encodeFileReference(reference))).toEqual(reference);
    const bad: Partial<Record<keyof FileReference | 'extra', unknown>>[] = [{ v: 3 }, { v: 1 }, { iv: btoa('x'.repeat(12)) }, { at: '' }, { size: -1 }, { size: 1.5 }, { sha256: 'AAAA' }, { iv: 'not base64!' }, { key: btoa('x'.repeat(39)) }, { name: 'x'.repeat(256) }, { extra: 1 }];
    for (const change of bad) expect(parseFileReference(encodeFileReference({ ...reference, ...change } as FileReference)), JSON.stringify(change)).toBeUndefined();
    expect(parseFileReference(new Uint8Array([0xff, 0xfe]))).toBeUndefined();
    expect(parseFileReference(new TextEncoder().encode('null'))).toBeUndefined();
  });
});

const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const digest = async (bytes: Uint8Array): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};

/** The version 2 hash of `ciphertext` (a file of one segment): the SHA-256 of its segment's SHA-256. */
async function sha(ciphertext: Uint8Array): Promise<string> {
  return b64(await digest(await digest(ciphertext)));
}
