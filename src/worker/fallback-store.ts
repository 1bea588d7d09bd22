/**
 * A store that keeps working where the browser refuses storage altogether: a frame on another site
 * than its page, once third-party storage is blocked (Chromium's default from version 156 on this
 * project's machines: `indexedDB.open` fails with "The user denied permission to access the
 * database."). Then, and only then, it moves to memory for the worker's life, so the chat still
 * runs, with a key that lasts for this visit. Any other failure (a broken database, a full disk) is
 * passed on as it is, so the engine reports it.
 */
import { MemoryStore, type KeyValueStore } from './store.js';

/** Whether `error` is the browser refusing this origin any storage (not a fault of the database). */
export function isStorageRefused(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return name === 'SecurityError' || (name === 'UnknownError' && /denied permission/i.test(message ?? ''));
}

export class FallbackStore implements KeyValueStore {
  private memory?: MemoryStore;

  constructor(private readonly primary: KeyValueStore) {}

  /** Whether the store moved to memory (nothing is kept past this worker). */
  get volatile(): boolean {
    return this.memory !== undefined;
  }

  private async run<T>(work: (store: KeyValueStore) => Promise<T>): Promise<T> {
    if (this.memory) return work(this.memory);
    try {
      return await work(this.primary);
    } catch (error) {
      if (!isStorageRefused(error)) throw error;
      this.memory ??= new MemoryStore();
      return work(this.memory);
    }
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.run((store) => store.get<T>(key));
  }

  set(key: string, value: unknown): Promise<void> {
    return this.run((store) => store.set(key, value));
  }

  del(key: string): Promise<void> {
    return this.run((store) => store.del(key));
  }

  keys(): Promise<string[]> {
    return this.run((store) => store.keys());
  }
}
