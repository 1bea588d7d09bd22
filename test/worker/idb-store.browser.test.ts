/**
 * IdbStore in Chromium's IndexedDB: requests asked for together share a transaction (reads one,
 * writes another), and every answer is what the requests would give one by one, in order.
 */
import { IdbStore } from '../../src/worker/idb-store.js';
import { assert, assertEqual, rejection } from '../helpers/assert.js';

const unique = () => `idb-store-${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** Count the transactions opened on any database while `run` runs, by mode. */
async function counting<T>(run: () => Promise<T>): Promise<{ result: T; readonly: number; readwrite: number }> {
  const original = IDBDatabase.prototype.transaction;
  const counts = { readonly: 0, readwrite: 0 };
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, names: string | string[], mode?: IDBTransactionMode, options?: IDBTransactionOptions) {
    counts[mode === 'readwrite' ? 'readwrite' : 'readonly']++;
    return original.call(this, names, mode, options);
  } as typeof original;
  try {
    const result = await run();
    return { result, ...counts };
  } finally {
    IDBDatabase.prototype.transaction = original;
  }
}

describe('IdbStore batches', () => {
  it('reads 100 keys asked for together in one transaction, each its own value', async () => {
    const store = new IdbStore(unique());
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.set(`k${i}`, { i })));
    const { result, readonly, readwrite } = await counting(() => Promise.all(Array.from({ length: 101 }, (_, i) => store.get(`k${i}`))));
    assertEqual(readonly, 1, 'one read-only transaction');
    assertEqual(readwrite, 0, 'no write');
    assertEqual(result.slice(0, 100), Array.from({ length: 100 }, (_, i) => ({ i })), 'each value');
    assertEqual(result[100], undefined, 'a missing key');
  });

  it('writes 100 sets and deletes asked for together in one transaction, in order', async () => {
    const store = new IdbStore(unique());
    const { readwrite } = await counting(() =>
      Promise.all([...Array.from({ length: 100 }, (_, i) => store.set(`k${i}`, i)), store.del('k5'), store.set('k7', 'again')]),
    );
    assertEqual(readwrite, 1, 'one read-write transaction');
    assertEqual(await Promise.all([store.get('k4'), store.get('k5'), store.get('k7')]), [4, undefined, 'again'], 'in the order asked');
  });

  it('answers mixed requests as if they ran one by one', async () => {
    const store = new IdbStore(unique());
    await store.set('k', 'old');
    const [before, , after, , gone, all] = await Promise.all([
      store.get('k'), // asked before the write: the old value
      store.set('k', 'new'),
      store.get('k'), // asked after it: the new value
      store.del('k'),
      store.get('k'),
      store.keys(),
    ]);
    assertEqual([before, after, gone], ['old', 'new', undefined], 'reads around writes of the same key');
    assertEqual(all, [], 'keys() after the delete');
    await Promise.all([store.set('a', 1), store.set('b', 2)]);
    const [keys, a] = await Promise.all([store.keys(), store.get('a')]);
    assertEqual([keys.sort(), a], [['a', 'b'], 1], 'keys() after the sets');
  });

  it('fails only the write whose value cannot be stored; the others of its batch land', async () => {
    const store = new IdbStore(unique());
    const good = store.set('good', 1);
    const bad = store.set('bad', { run: () => undefined });
    const alsoGood = store.set('also', 2);
    const error = await rejection(bad, 'a function cannot be cloned');
    assert(error.name === 'DataCloneError', `DataCloneError, got ${error.name}`);
    await Promise.all([good, alsoGood]);
    assertEqual(await Promise.all([store.get('good'), store.get('bad'), store.get('also')]), [1, undefined, 2], 'stored');
  });
});
