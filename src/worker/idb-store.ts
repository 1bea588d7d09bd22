/** IndexedDB-backed {@link KeyValueStore}, one database per identity. */
import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';
import type { EarlyRead } from './early-read.js';
import type { KeyValueStore } from './store.js';

/** A store in the IndexedDB database `e2ee-chat:<name>`, so several identities can share one origin. */
export class IdbStore implements KeyValueStore {
  private readonly store: UseStore;
  /** Reads started before this store existed (early-read.ts), each served once to the first `get`. */
  private readonly early: Map<string, Promise<unknown>>;

  /** @param early - reads already started on this name's database; used when its name matches. */
  constructor(name: string, early?: EarlyRead) {
    const mine = early?.name === name ? early : undefined;
    this.store = mine?.store ?? createStore(`e2ee-chat:${name}`, 'keyval');
    this.early = mine?.reads ?? new Map();
  }

  get<T>(key: string): Promise<T | undefined> {
    const pending = this.early.get(key);
    if (pending) {
      this.early.delete(key);
      return pending as Promise<T | undefined>;
    }
    return get<T>(key, this.store);
  }

  set(key: string, value: unknown): Promise<void> {
    this.early.delete(key); // a read started earlier would be stale now
    return set(key, value, this.store);
  }

  del(key: string): Promise<void> {
    this.early.delete(key);
    return del(key, this.store);
  }

  async keys(): Promise<string[]> {
    return (await keys(this.store)).map(String);
  }
}
