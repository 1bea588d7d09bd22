/**
 * Where the engine keeps its identity and trust records. Two
 * implementations: {@link MemoryStore} here (Node tests) and `IdbStore`
 * (IndexedDB via idb-keyval, in the worker).
 */

/** A tiny async key-value store: the part of idb-keyval the engine needs. */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  /** Every key in the store. */
  keys(): Promise<string[]>;
}

/** An in-memory store. Values are structured-cloned, as IndexedDB would. */
export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, unknown>();

  async get<T>(key: string): Promise<T | undefined> {
    return this.map.has(key) ? (structuredClone(this.map.get(key)) as T) : undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    this.map.set(key, structuredClone(value));
  }

  async del(key: string): Promise<void> {
    this.map.delete(key);
  }

  async keys(): Promise<string[]> {
    return [...this.map.keys()];
  }
}
