/**
 * Encrypted files in ConnectyCube's own storage (its REST "blobs", `ConnectyCube.storage` of the JS
 * SDK 6.x), for real deployments on ConnectyCube's servers. Each file is uploaded as a private blob
 * under a random name with a neutral type, and the peer, a user of the same app, fetches it by its
 * uid through the SDK's `privateUrl` (which carries the session's token). What is uploaded is the
 * ciphertext the engine sealed, nothing else.
 *
 * The calls are the SDK's `StorageService.createAndUpload(params)` and `privateUrl(uid)`
 * (`connectycube/dist/types/Storage.d.ts`); {@link CubeStorage} is that slice, and a test checks that
 * the SDK's own `storage` fits it. It cannot run here (no ConnectyCube servers); the test drives it
 * with a stand-in for those two calls and a real HTTP server.
 */
import { E2eeError } from '../../protocol/errors.js';
import type { FileProgress, FileStore } from './file-store.js';
import { abortError, downloadBytes, reason } from './http-download.js';

/** The part of the SDK's `ConnectyCube.storage` this store calls. */
export interface CubeStorage {
  createAndUpload(params: { name: string; file: File; type: string; size: number; public?: boolean }): Promise<{ uid?: string }>;
  privateUrl(fileUID?: string): string;
}

/** Where a file is, as the peer's store reads it: the blob's uid. */
const SCHEME = 'connectycube-blob:';

export interface ConnectyCubeFileStoreOptions {
  /** The largest download accepted, in bytes (default 26 MB: a 25 MB file and its tag). */
  maxBytes?: number;
  /** The `fetch` to use; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

export class ConnectyCubeFileStore implements FileStore {
  private readonly maxBytes: number;
  private readonly fetch: typeof fetch;

  /** `storage` is the SDK's `ConnectyCube.storage` (of an instance that has a user session). */
  constructor(
    private readonly storage: CubeStorage,
    options: ConnectyCubeFileStoreOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 26 * 1024 * 1024;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async put(ciphertext: Uint8Array, options: { signal?: AbortSignal; progress?: FileProgress } = {}): Promise<string> {
    const { signal, progress } = options;
    if (signal?.aborted) throw abortError(signal);
    const name = `${crypto.randomUUID()}.bin`; // never the file's own name
    const file = new File([ciphertext as BlobPart], name, { type: 'application/octet-stream' });
    progress?.(0, ciphertext.length);
    let blob: { uid?: string };
    try {
      blob = await this.storage.createAndUpload({ name, file, type: file.type, size: file.size, public: false });
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      throw new E2eeError('file', `The upload to ConnectyCube failed: ${reason(error)}.`);
    }
    if (signal?.aborted) throw abortError(signal);
    if (!blob.uid || !/^[\w-]{8,128}$/.test(blob.uid)) throw new E2eeError('file', 'ConnectyCube answered the upload without a usable file id.');
    progress?.(ciphertext.length, ciphertext.length);
    return `${SCHEME}${blob.uid}`;
  }

  async get(at: string, options: { signal?: AbortSignal; progress?: FileProgress } = {}): Promise<Uint8Array> {
    const uid = typeof at === 'string' && at.startsWith(SCHEME) ? at.slice(SCHEME.length) : '';
    if (!/^[\w-]{8,128}$/.test(uid)) throw new E2eeError('file', `This store fetches only ConnectyCube files (${SCHEME}…), not ${String(at).slice(0, 80)}.`);
    const url = this.storage.privateUrl(uid);
    if (!/^https:\/\//.test(url)) throw new E2eeError('file', 'The SDK gave no https address for the file.');
    return downloadBytes(this.fetch, url, { maxBytes: this.maxBytes, ...(options.signal ? { signal: options.signal } : {}), ...(options.progress ? { progress: options.progress } : {}) });
  }
}
