/**
 * The worker entry: one `Engine` per worker, exposed through Comlink. The
 * worker's `name` selects the identity (IndexedDB database
 * `e2ee-chat:<name>`), so several identities can live on one page.
 */
import { expose } from 'comlink';
import './error-transfer.js';
import { Engine } from './engine.js';
import { serveEvents, type EventPortApi } from './event-port.js';
import { IdbStore } from './idb-store.js';

const scope = globalThis as unknown as { name?: string };
const engine = new Engine({ store: new IdbStore(scope.name || 'default') });
// Events leave on a port of their own, batched and one way (see event-port.ts).
const api: EventPortApi = { openEvents: (port) => serveEvents((listener) => engine.subscribe(listener), port) };
expose(Object.assign(engine, api));
