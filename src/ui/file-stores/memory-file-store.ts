/**
 * The loopback's file store: ciphertext kept in memory, shared by every `MemoryFileStore` of the
 * same `space` in this page (the demo and tests; the loopback transport's counterpart). Ids are
 * random and say nothing about the file.
 */
import { E2eeError } from '../../protocol/errors.js';
import type { FileProgress, FileStore } from './file-store.js';

const spaces = new Map<string, Map<string, Uint8Array>>();
const PREFIX = 'memory-file:';

export class MemoryFileStore implements FileStore {
  private readonly files: Map<string, Uint8Array>;

  /** Stores of the same `space` see each other's files. */
  constructor(readonly space = 'default') {
    let files = spaces.get(space);
    if (!files) spaces.set(space, (files = new Map()));
    this.files = files;
  }

  async put(ciphertext: Uint8Array, options: { signal?: AbortSignal; progress?: FileProgress } = {}): Promise<string> {
    options.signal?.throwIfAborted();
    const at = `${PREFIX}${crypto.randomUUID()}`;
    this.files.set(at, ciphertext.slice());
    options.progress?.(ciphertext.length, ciphertext.length);
    return at;
  }

  async get(at: string, options: { signal?: AbortSignal; progress?: FileProgress } = {}): Promise<Uint8Array> {
    options.signal?.throwIfAborted();
    if (!at.startsWith(PREFIX)) throw new E2eeError('file', `This store fetches only its own files, not ${at.slice(0, 80)}.`);
    const file = this.files.get(at);
    if (!file) throw new E2eeError('file', 'The file is not in the store (it was removed, or never uploaded).');
    options.progress?.(file.length, file.length);
    return file.slice();
  }

  /** What the store holds (for tests that check it holds only ciphertext). */
  entries(): [string, Uint8Array][] {
    return [...this.files.entries()];
  }
}
