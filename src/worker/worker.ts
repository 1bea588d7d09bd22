/**
 * The worker entry: one `Engine` per worker, exposed through Comlink. The
 * worker's `name` selects the identity (IndexedDB database
 * `e2ee-chat:<name>`), so several identities can live on one page.
 */
// First: open the database and start reading the identity while the rest evaluates (early-read.ts).
import { early, workerName } from './early-start.js';
import { expose, transfer } from 'comlink';
import './error-transfer.js';
import { Engine } from './engine.js';
import { serveEvents, type EventPortApi } from './event-port.js';
import { IdbStore } from './idb-store.js';
import { FallbackStore } from './fallback-store.js';

// Where the browser refuses this origin storage (a third-party frame), the store lives in memory.
const engine = new Engine({ store: new FallbackStore(new IdbStore(workerName, early)), identityName: workerName });
// Events leave on a port of their own, batched and one way (see event-port.ts).
const api: EventPortApi = { openEvents: (port) => serveEvents((listener) => engine.subscribe(listener), port) };
// A file's bytes leave the worker transferred, not copied (the worker keeps no reference to them).
const seal = engine.sealFile.bind(engine);
const open = engine.openFile.bind(engine);
engine.sealFile = async (...args) => {
  const sealed = await seal(...args);
  return transfer(sealed, [sealed.ciphertext.buffer]);
};
engine.openFile = async (...args) => {
  const data = await open(...args);
  return transfer(data, [data.buffer]);
};
expose(Object.assign(engine, api));
