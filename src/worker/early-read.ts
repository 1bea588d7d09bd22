/**
 * The worker's first act: open its IndexedDB database and start reading the
 * stored identity while the rest of the bundle (otr.js, bigint.js, CryptoJS,
 * the engine) is still being evaluated. worker.ts imports this module before
 * anything else, so the read overlaps about 20 ms of module evaluation
 * instead of starting when the first `identity()` call arrives (issue 15,
 * "first key without waiting"). {@link IdbStore} hands the result to the
 * first `get` of that key, unless the key was written meanwhile.
 */
import { createStore, get, type UseStore } from 'idb-keyval';

/** The record the identity vault (identity.ts) reads on first use. */
export const IDENTITY_RECORD = 'identity';

/** Reads started early on one identity's database. */
export interface EarlyRead {
  /** The identity's name (database `e2ee-chat:<name>`). */
  readonly name: string;
  readonly store: UseStore;
  /** Pending reads by key; each is handed out once. */
  readonly reads: Map<string, Promise<unknown>>;
}

/** Open `e2ee-chat:<name>` and start reading `keys`. */
export function startEarlyRead(name: string, keys: readonly string[]): EarlyRead {
  const store = createStore(`e2ee-chat:${name}`, 'keyval');
  const reads = new Map<string, Promise<unknown>>();
  for (const key of keys) {
    const pending = get(key, store);
    pending.catch(() => undefined); // reported by the get that takes it
    reads.set(key, pending);
  }
  return { name, store, reads };
}
