/**
 * Encrypted files (issue 21), the crypto: a file is encrypted with a fresh AES-256-GCM key (WebCrypto),
 * and that key is wrapped (AES-KW, RFC 3394) under a key derived from the conversation's extra
 * symmetric key (OTR v3 TLV 8, src/protocol/extra-key.ts) with HKDF-SHA-256 (RFC 5869), so only the
 * two sides of the private conversation can unwrap it. What travels to the store is the ciphertext
 * alone; what travels in the OTR message is the {@link FileReference}: where it is, its size and
 * type, its name, the SHA-256 of the ciphertext, the IV and the wrapped key.
 *
 * Opening checks the size, the hash and then the GCM tag, and gives no bytes unless all hold.
 */
import { E2eeError } from '../protocol/index.js';

/** The TLV 8 `use` of our file references ('e2ee-chat file, version 1'). */
export const FILE_USE = 0x7e2e0001;

/** HKDF's info: binds the wrapping key to this use, so the extra key serves nothing else by accident. */
const INFO = new TextEncoder().encode('e2ee-chat file key wrap v1');

/** What an OTR message says about one encrypted file. */
export interface FileReference {
  v: 1;
  /** Where the ciphertext is: the store's id or URL. */
  at: string;
  /** The file's name and media type, as the sender gave them. */
  name: string;
  type: string;
  /** Plaintext size in bytes. */
  size: number;
  /** SHA-256 of the ciphertext, base64. */
  sha256: string;
  /** The 12-byte GCM IV, base64. */
  iv: string;
  /** The file key wrapped with AES-KW, base64 (40 bytes). */
  key: string;
}

/** A file sealed for upload: the ciphertext for the store, and what its reference needs but the place and the wrapped key. */
export interface SealedFile {
  ciphertext: Uint8Array;
  fileKey: CryptoKey;
  fixed: Omit<FileReference, 'at' | 'key'>;
}

const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** The AES-KW key for `extraKey` (HKDF-SHA-256, no salt, {@link INFO}). */
async function wrappingKey(extraKey: Uint8Array, usage: 'wrapKey' | 'unwrapKey'): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', extraKey as BufferSource, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(), info: INFO }, base, { name: 'AES-KW', length: 256 }, false, [usage]);
}

/** Encrypt `data` with a fresh key (the ciphertext is the GCM output: data, then its 16-byte tag). */
export async function sealFile(data: Uint8Array, meta: { name: string; type: string }): Promise<SealedFile> {
  const fileKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, fileKey, data as BufferSource));
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', ciphertext));
  return { ciphertext, fileKey, fixed: { v: 1, name: meta.name, type: meta.type, size: data.length, sha256: b64(hash), iv: b64(iv) } };
}

/** The reference to `sealed`, stored at `at`, its key wrapped for the conversation whose extra key is `extraKey`. */
export async function referTo(sealed: Pick<SealedFile, 'fileKey' | 'fixed'>, at: string, extraKey: Uint8Array): Promise<FileReference> {
  const wrapped = new Uint8Array(await crypto.subtle.wrapKey('raw', sealed.fileKey, await wrappingKey(extraKey, 'wrapKey'), 'AES-KW'));
  return { ...sealed.fixed, at, key: b64(wrapped) };
}

/**
 * Decrypt a downloaded `ciphertext` of `reference`.
 * @throws E2eeError `file` when the size, hash, key or tag does not check: no bytes are given then.
 */
export async function openFile(ciphertext: Uint8Array, reference: FileReference, extraKey: Uint8Array): Promise<Uint8Array> {
  if (ciphertext.length !== reference.size + 16) throw new E2eeError('file', `The file is ${ciphertext.length} bytes, not the ${reference.size + 16} announced: it is truncated or not this file.`);
  const hash = b64(new Uint8Array(await crypto.subtle.digest('SHA-256', ciphertext as BufferSource)));
  if (hash !== reference.sha256) throw new E2eeError('file', 'The file does not match its hash: it was changed or replaced in the store.');
  let fileKey: CryptoKey;
  try {
    fileKey = await crypto.subtle.unwrapKey('raw', unb64(reference.key) as BufferSource, await wrappingKey(extraKey, 'unwrapKey'), 'AES-KW', 'AES-GCM', false, ['decrypt']);
  } catch {
    throw new E2eeError('file', "The file's key does not open with this conversation's keys.");
  }
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(reference.iv) as BufferSource }, fileKey, ciphertext as BufferSource));
  } catch {
    throw new E2eeError('file', 'The file does not decrypt: it was tampered with.');
  }
}

/** The reference in a TLV 8's use data, if it is one of ours and well formed. */
export function parseFileReference(usedata: Uint8Array): FileReference | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(usedata));
  } catch {
    return undefined;
  }
  const r = value as Partial<FileReference>;
  const base64 = (s: unknown, bytes: number) => typeof s === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(s) && atob(s).length === bytes;
  const ok =
    r?.v === 1 &&
    typeof r.at === 'string' && r.at.length > 0 && r.at.length <= 2048 &&
    typeof r.name === 'string' && r.name.length <= 255 &&
    typeof r.type === 'string' && r.type.length <= 255 &&
    Number.isSafeInteger(r.size) && r.size! >= 0 &&
    base64(r.sha256, 32) && base64(r.iv, 12) && base64(r.key, 40) &&
    Object.keys(r).length === 8;
  return ok ? (r as FileReference) : undefined;
}

/** A reference as TLV 8 use data. */
export function encodeFileReference(reference: FileReference): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(reference));
}
