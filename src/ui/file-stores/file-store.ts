/**
 * Where encrypted files go (issue 21): a `FileStore` keeps ciphertext for the peer to fetch. The
 * engine seals a file in its worker (AES-256-GCM); the page hands only that ciphertext to the store,
 * and the reference the peer needs (where, which key) travels inside the OTR conversation. A store
 * never sees a file, its name or its key.
 */

/** Progress of one upload or download: bytes done of `total`. */
export type FileProgress = (done: number, total: number) => void;

/** The contract every file store implements. */
export interface FileStore {
  /**
   * Keep `ciphertext`; resolves with where it is (an id or URL the peer's store can fetch). Rejects
   * with an `E2eeError` of code `file` when it cannot, or with an `AbortError` when `signal` aborts.
   */
  put(ciphertext: Uint8Array, options?: { signal?: AbortSignal; progress?: FileProgress }): Promise<string>;
  /**
   * The ciphertext kept at `at` (as {@link put} returned it, on the sender's side). Rejects with an
   * `E2eeError` of code `file` when it is missing, or `at` is not a place this store fetches from
   * (another origin, another scheme).
   */
  get(at: string, options?: { signal?: AbortSignal; progress?: FileProgress }): Promise<Uint8Array>;
}
