/**
 * IndexedDB-backed {@link KeyValueStore}, one database per identity.
 *
 * IndexedDB's cost is mostly per transaction, and a page coming back with 100 conversations asks
 * for 100 session records, then 100 trust records, and writes 100 restored states, all at once.
 * So the reads asked for in one microtask checkpoint share one read-only transaction, and the
 * writes (sets and deletes, in the order asked) share one read-write transaction. Transactions run
 * in the order they were created, which is the order of each batch's first request; a read asked
 * for after a write therefore sees it.
 */
import { createStore, getMany, keys, promisifyRequest, type UseStore } from 'idb-keyval';
import type { EarlyRead } from './early-read.js';
import type { KeyValueStore } from './store.js';

interface Pending<T> {
  key: string;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}
interface Write extends Pending<void> {
  /** Delete the key (else store `value`). */
  del: boolean;
  value?: unknown;
}
/** Requests of one kind that will share one transaction; `seq` orders batches as they were opened. */
interface Batch<T> {
  seq: number;
  keys: Set<string>;
  items: T[];
}

/** A store in the IndexedDB database `e2ee-chat:<name>`, so several identities can share one origin. */
export class IdbStore implements KeyValueStore {
  private readonly store: UseStore;
  /** Reads started before this store existed (early-read.ts), each served once to the first `get`. */
  private readonly early: Map<string, Promise<unknown>>;
  /** The batches still open for more requests (each flushes in the microtask after it opened). */
  private reads?: Batch<Pending<unknown>>;
  private writes?: Batch<Write>;
  private opened = 0;

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
    // A read must not run before a write asked for earlier, nor after one asked for later.
    if (!this.reads || this.conflicts(this.writes, this.reads, key)) this.reads = this.open((batch) => this.readBatch(batch));
    const batch = this.reads;
    batch.keys.add(key);
    return new Promise<T | undefined>((resolve, reject) => batch.items.push({ key, resolve: resolve as (value: unknown) => void, reject }));
  }

  set(key: string, value: unknown): Promise<void> {
    return this.write(key, false, value);
  }

  del(key: string): Promise<void> {
    return this.write(key, true);
  }

  keys(): Promise<string[]> {
    // In order with the batches: after everything asked before, before anything asked after.
    this.reads = this.writes = undefined;
    return new Promise<string[]>((resolve, reject) => {
      this.open(() => keys(this.store).then((all) => resolve(all.map(String)), reject));
    });
  }

  private write(key: string, del: boolean, value?: unknown): Promise<void> {
    this.early.delete(key); // a read started earlier would be stale now
    if (!this.writes || this.conflicts(this.reads, this.writes, key)) this.writes = this.open((batch) => this.writeBatch(batch));
    const batch = this.writes;
    batch.keys.add(key);
    return new Promise<void>((resolve, reject) => batch.items.push({ key, value, del, resolve, reject }));
  }

  /** Whether `key` was asked of the other kind's `other` batch after `mine` opened (so `mine` would run out of order). */
  private conflicts<A, B>(other: Batch<A> | undefined, mine: Batch<B>, key: string): boolean {
    return !!other && other.seq > mine.seq && other.keys.has(key);
  }

  private open<T>(flush: (batch: Batch<T>) => void): Batch<T> {
    const batch: Batch<T> = { seq: this.opened++, keys: new Set(), items: [] };
    queueMicrotask(() => {
      if (this.reads === (batch as unknown)) this.reads = undefined;
      if (this.writes === (batch as unknown)) this.writes = undefined;
      flush(batch);
    });
    return batch;
  }

  private readBatch({ items }: Batch<Pending<unknown>>): void {
    getMany(
      items.map((read) => read.key),
      this.store,
    ).then(
      (values) => items.forEach((read, i) => read.resolve(values[i])),
      (error: unknown) => items.forEach((read) => read.reject(error)),
    );
  }

  private writeBatch({ items }: Batch<Write>): void {
    const taken: Write[] = [];
    this.store('readwrite', (objects) => {
      for (const write of items) {
        try {
          if (write.del) objects.delete(write.key);
          else objects.put(write.value, write.key);
          taken.push(write);
        } catch (error) {
          write.reject(error); // e.g. a value that cannot be cloned: that write alone fails
        }
      }
      return promisifyRequest(objects.transaction);
    }).then(
      () => taken.forEach((write) => write.resolve()),
      (error: unknown) => items.forEach((write) => write.reject(error)), // a second reject changes nothing
    );
  }
}
