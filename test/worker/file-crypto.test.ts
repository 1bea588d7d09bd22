// Encrypted files, the crypto (src/worker/file-crypto.ts), on Node's WebCrypto: a sealed file opens
// with the same extra key and no other; the ciphertext holds neither the bytes nor the name; every
// change to the ciphertext or the reference is refused before any byte is given out.
import { describe, expect, it } from 'vitest';
import { E2eeError } from '../../src/protocol/index.js';
import { encodeFileReference, openFile, parseFileReference, referTo, sealFile, type FileReference } from '../../src/worker/file-crypto.js';

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
    expect(reference).toMatchObject({ v: 1, at: 'blob-1', name: meta.name, type: meta.type, size: data.length });
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

  it('reads back only well-formed references of ours', async () => {
    const reference = await referTo(await sealFile(data, meta), 'https://store.example/f/1', extraKey);
    expect(parseFileReference(encodeFileReference(reference))).toEqual(reference);
    const bad: Partial<Record<keyof FileReference | 'extra', unknown>>[] = [{ v: 2 }, { at: '' }, { size: -1 }, { size: 1.5 }, { sha256: 'AAAA' }, { iv: 'not base64!' }, { key: btoa('x'.repeat(39)) }, { name: 'x'.repeat(256) }, { extra: 1 }];
    for (const change of bad) expect(parseFileReference(encodeFileReference({ ...reference, ...change } as FileReference)), JSON.stringify(change)).toBeUndefined();
    expect(parseFileReference(new Uint8Array([0xff, 0xfe]))).toBeUndefined();
    expect(parseFileReference(new TextEncoder().encode('null'))).toBeUndefined();
  });
});

async function sha(bytes: Uint8Array): Promise<string> {
  return btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource))));
}
