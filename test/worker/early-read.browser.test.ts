/**
 * The worker's early identity read (src/worker/early-read.ts): the first get
 * of the key gets the value read at start-up, unless the key was written
 * meanwhile; later gets read afresh.
 */
import { createStore, set } from 'idb-keyval';
import { startEarlyRead } from '../../src/worker/early-read.js';
import { IdbStore } from '../../src/worker/idb-store.js';
import { assertEqual } from '../helpers/assert.js';

const unique = () => `early-${Date.now()}-${Math.random().toString(36).slice(2)}`;

describe('early identity read', () => {
  it('serves the read started early to the first get, and reads afresh after that', async () => {
    const name = unique();
    await set('identity', { v: 1 }, createStore(`e2ee-chat:${name}`, 'keyval'));
    const early = startEarlyRead(name, ['identity']);
    const store = new IdbStore(name, early);
    assertEqual(await store.get('identity'), { v: 1 }, 'first get');
    assertEqual(early.reads.size, 0, 'handed out once');
    await set('identity', { v: 2 }, createStore(`e2ee-chat:${name}`, 'keyval'));
    assertEqual(await store.get('identity'), { v: 2 }, 'second get reads afresh');
  });

  it('a write before the first get makes the early read stale: the get reads afresh', async () => {
    const name = unique();
    const early = startEarlyRead(name, ['identity']);
    const store = new IdbStore(name, early);
    await store.set('identity', { v: 'written' });
    assertEqual(await store.get('identity'), { v: 'written' }, 'get after set');
  });

  it('an early read for another name is not used', async () => {
    const early = startEarlyRead(unique(), ['identity']);
    const store = new IdbStore(unique(), early);
    assertEqual(await store.get('identity'), undefined, 'empty store');
    assertEqual(early.reads.size, 1, 'untouched');
  });
});
