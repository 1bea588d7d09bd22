/**
 * FallbackStore: where the browser refuses this origin storage (a third-party frame), the store
 * moves to memory for the worker's life; any other storage failure is passed on as it is.
 */
import { describe, expect, it } from 'vitest';
import { FallbackStore, isStorageRefused } from '../../src/worker/fallback-store.js';
import { MemoryStore, type KeyValueStore } from '../../src/worker/store.js';

/** What `indexedDB.open` fails with in a third-party frame once storage is blocked (a DOMException). */
const denied = (): Error => Object.assign(new Error('The user denied permission to access the database.'), { name: 'UnknownError' });
const quota = (): Error => Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });

/** A store whose every call rejects with `error()`, counting calls. */
function failing(error: () => unknown): KeyValueStore & { calls: number } {
  const store = {
    calls: 0,
    fail(): Promise<never> {
      store.calls++;
      return Promise.reject(error());
    },
    get: () => store.fail(),
    set: () => store.fail(),
    del: () => store.fail(),
    keys: () => store.fail(),
  };
  return store;
}

describe('isStorageRefused', () => {
  it('is true for the browser refusing storage', () => {
    expect(isStorageRefused({ name: 'UnknownError', message: 'The user denied permission to access the database.' })).toBe(true);
    expect(isStorageRefused(denied())).toBe(true);
    expect(isStorageRefused({ name: 'SecurityError' })).toBe(true);
    expect(isStorageRefused({ name: 'SecurityError', message: 'The operation is insecure.' })).toBe(true);
  });

  it('is false for a fault of the database, a full disk, or anything else', () => {
    expect(isStorageRefused({ name: 'UnknownError', message: 'Internal error opening backing store' })).toBe(false);
    expect(isStorageRefused({ name: 'UnknownError' })).toBe(false);
    expect(isStorageRefused({ name: 'QuotaExceededError' })).toBe(false);
    expect(isStorageRefused({ name: 'QuotaExceededError', message: 'denied permission' })).toBe(false);
    expect(isStorageRefused(new Error('The user denied permission to access the database.'))).toBe(false);
    expect(isStorageRefused(undefined)).toBe(false);
    expect(isStorageRefused(null)).toBe(false);
    expect(isStorageRefused('SecurityError')).toBe(false);
  });
});

describe('FallbackStore', () => {
  it('moves to memory when storage is refused: get/set/del/keys work and it is volatile', async () => {
    const primary = failing(denied);
    const store = new FallbackStore(primary);
    expect(store.volatile).toBe(false);

    expect(await store.get('missing')).toBeUndefined();
    expect(store.volatile).toBe(true);
    const value = { key: 'AAAA', tags: [1, 2], nested: { at: 5 } };
    await store.set('identity', value);
    await store.set('trust:bob', ['fp']);
    const back = await store.get<typeof value>('identity');
    expect(back).toEqual(value);
    expect(back).not.toBe(value); // structured-cloned, as IndexedDB would
    value.nested.at = 6;
    expect((await store.get<typeof value>('identity'))?.nested.at).toBe(5);
    expect((await store.keys()).sort()).toEqual(['identity', 'trust:bob']);
    await store.del('trust:bob');
    expect(await store.keys()).toEqual(['identity']);
    expect(await store.get('trust:bob')).toBeUndefined();
    expect(store.volatile).toBe(true);
  });

  it('moves to memory on the first call of any kind (a SecurityError too)', async () => {
    for (const first of ['set', 'del', 'keys'] as const) {
      const store = new FallbackStore(failing(() => ({ name: 'SecurityError', message: 'The operation is insecure.' })));
      if (first === 'set') await store.set('a', 1);
      else if (first === 'del') await store.del('a');
      else expect(await store.keys()).toEqual([]);
      expect(store.volatile).toBe(true);
      expect(await store.get('a')).toBe(first === 'set' ? 1 : undefined);
    }
  });

  it('once volatile, never calls the primary again', async () => {
    const primary = failing(denied);
    const store = new FallbackStore(primary);
    await store.set('a', 1);
    expect(primary.calls).toBe(1);
    await store.get('a');
    await store.set('b', 2);
    await store.del('a');
    await store.keys();
    expect(primary.calls).toBe(1);
    expect(await store.keys()).toEqual(['b']);
  });

  it('calls in flight when storage is refused all land in the one memory store', async () => {
    const store = new FallbackStore(failing(denied));
    await Promise.all([store.set('a', 1), store.set('b', 2), store.set('c', 3)]);
    expect((await store.keys()).sort()).toEqual(['a', 'b', 'c']);
  });

  it('passes on any other failure and stays on the primary', async () => {
    const primary = failing(quota);
    const store = new FallbackStore(primary);
    await expect(store.set('a', 1)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    await expect(store.get('a')).rejects.toMatchObject({ name: 'QuotaExceededError' });
    await expect(store.keys()).rejects.toMatchObject({ name: 'QuotaExceededError' });
    await expect(store.del('a')).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(store.volatile).toBe(false);
    expect(primary.calls).toBe(4); // each call tried the primary again

    const broken = new FallbackStore(failing(() => Object.assign(new Error('Internal error opening backing store'), { name: 'UnknownError' })));
    await expect(broken.get('a')).rejects.toThrow('Internal error opening backing store');
    expect(broken.volatile).toBe(false);
  });

  it('with a working primary, keeps values there and is not volatile', async () => {
    const primary = new MemoryStore();
    const store = new FallbackStore(primary);
    await store.set('identity', { key: 'AAAA' });
    expect(await primary.get('identity')).toEqual({ key: 'AAAA' });
    await primary.set('trust:bob', ['fp']);
    expect(await store.get('trust:bob')).toEqual(['fp']);
    expect((await store.keys()).sort()).toEqual(['identity', 'trust:bob']);
    await store.del('identity');
    expect(await primary.keys()).toEqual(['trust:bob']);
    expect(store.volatile).toBe(false);
  });
});
