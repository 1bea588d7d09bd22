/**
 * The worker entry: one `Engine` per worker, exposed through Comlink. The
 * worker's `name` selects the identity (IndexedDB database
 * `e2ee-chat:<name>`), so several identities can live on one page.
 */
import { expose } from 'comlink';
import './error-transfer.js';
import { Engine } from './engine.js';
import { IdbStore } from './idb-store.js';

const scope = globalThis as unknown as { name?: string };
const name = scope.name || 'default';
expose(new Engine({ store: new IdbStore(name), identityName: name }));
