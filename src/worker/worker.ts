/**
 * The worker entry: one `Engine` per worker, exposed through Comlink. The
 * worker's `name` selects the identity (IndexedDB database
 * `e2ee-chat:<name>`), so several identities can live on one page.
 */
// First: open the database and start reading the identity while the rest evaluates (early-read.ts).
import { early, workerName } from './early-start.js';
import { expose } from 'comlink';
import './error-transfer.js';
import { Engine } from './engine.js';
import { serveEvents, type EventPortApi } from './event-port.js';
import { IdbStore } from './idb-store.js';
import { FallbackStore } from './fallback-store.js';

// Where the browser refuses this origin storage (a third-party frame), the store lives in memory.
const engine = new Engine({ store: new FallbackStore(new IdbStore(workerName, early)), identityName: workerName });
// Events leave on a port of their own, batched and one way (see event-port.ts).
const api: EventPortApi = { openEvents: (port) => serveEvents((listener) => engine.subscribe(listener), port) };
expose(Object.assign(engine, api));
