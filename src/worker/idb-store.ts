/** IndexedDB-backed {@link KeyValueStore}, one database per identity. */
import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';
import type { KeyValueStore } from './store.js';

/** A store in the IndexedDB database `e2ee-chat:<name>`, so several identities can share one origin. */
export class IdbStore implements KeyValueStore {
  private readonly store: UseStore;

  constructor(name: string) {
    this.store = createStore(`e2ee-chat:${name}`, 'keyval');
  }

  get<T>(key: string): Promise<T | undefined> {
    return get<T>(key, this.store);
  }

  set(key: string, value: unknown): Promise<void> {
    return set(key, value, this.store);
  }

  del(key: string): Promise<void> {
    return del(key, this.store);
  }

  async keys(): Promise<string[]> {
    return (await keys(this.store)).map(String);
  }
}
