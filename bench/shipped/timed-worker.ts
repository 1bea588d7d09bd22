/**
 * Bench worker: the product's worker entry (src/worker/worker.ts), plus a
 * busy-time counter. The counter adds up the time spent inside OtrSession's
 * calls and event emissions (all the crypto, encoding and event posting)
 * and inside key generation, without double-counting nested calls. The page
 * reads it with a raw `{ benchBusy: true }` message (Comlink ignores it).
 */
import './t0.js';
import '../../src/worker/worker.js';
import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { IdbStore } from '../../src/worker/idb-store.js';

/** Worker clock (ms since the worker was created): code starts, modules evaluated; IndexedDB calls. */
const startup = { origin: performance.timeOrigin, t0: (globalThis as { benchT0?: number }).benchT0 ?? NaN, t1: performance.now(), idb: [] as string[], get: [NaN, NaN], set: [NaN, NaN] };

let busy = 0;
let depth = 0;
function timed<A extends unknown[], R>(f: (this: unknown, ...args: A) => R): (this: unknown, ...args: A) => R {
  return function (this: unknown, ...args: A): R {
    if (depth++ > 0) {
      try {
        return f.apply(this, args);
      } finally {
        depth--;
      }
    }
    const started = performance.now();
    try {
      return f.apply(this, args);
    } finally {
      depth--;
      busy += performance.now() - started;
    }
  };
}

const proto = OtrSession.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const name of ['send', 'receive', 'startPrivate', 'smpStart', 'smpAnswer', 'emit']) proto[name] = timed(proto[name]!);
const statics = IdentityKey as unknown as Record<string, (...args: unknown[]) => unknown>;
statics.generate = timed(statics.generate!);

const store = IdbStore.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
for (const name of ['get', 'set']) {
  const original = store[name]!;
  store[name] = async function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      startup.idb.push(`${name} ${started.toFixed(1)}→${performance.now().toFixed(1)}`);
      if (name === 'get' && Number.isNaN(startup.get[0]!)) startup.get = [started, performance.now()];
      if (name === 'set' && Number.isNaN(startup.set[0]!)) startup.set = [started, performance.now()];
    }
  };
}

self.addEventListener('message', (event: MessageEvent) => {
  if ((event.data as { benchBusy?: unknown } | null)?.benchBusy === true) self.postMessage({ benchBusy: busy, startup });
});
