/**
 * Our long-lived identity: the DSA key and the OTR instance tag. Loaded from
 * the store, or generated once and persisted. Concurrent callers share one
 * generation.
 */
import { E2eeError, IdentityKey } from '../protocol/index.js';
import { makeInstanceTag } from '../protocol/index.js';
import type { KeyValueStore } from './store.js';

/** The stored form of the identity. */
interface IdentityRecord {
  version: 1;
  key: string;
  instanceTag: number;
  createdAt: number;
}

/** A loaded identity. */
export interface Identity {
  key: IdentityKey;
  instanceTag: number;
}

/** Progress of the first key generation. */
export type KeygenProgress = { phase: 'started' } | { phase: 'done'; ms: number; fingerprint: string };

const KEY = 'identity';

/**
 * Runs `work` while holding the exclusive lock `name` across every tab and worker of the origin
 * (Web Locks), so two tabs opening one new identity at once generate one key, not two. Where Web
 * Locks are missing (Node), there is only one process to coordinate and `work` runs directly.
 */
export type IdentityLock = <T>(name: string, work: () => Promise<T>) => Promise<T>;

export const webLock: IdentityLock = async (name, work) => {
  const locks = (globalThis.navigator as { locks?: { request<T>(name: string, cb: () => Promise<T>): Promise<T> } } | undefined)?.locks;
  if (!locks) return work();
  let started = false;
  try {
    return await locks.request(name, () => ((started = true), work()));
  } catch (error) {
    // Where the browser refuses Web Locks (a third-party frame), it refuses storage too: the store
    // is this worker's memory (fallback-store.ts), which no other tab shares, so no lock is needed.
    if (started || (error as { name?: string })?.name !== 'SecurityError') throw error;
    return work();
  }
};

/** Loads or creates the identity in `store`, reporting generation progress. */
export class IdentityVault {
  private pending?: Promise<Identity>;

  /**
   * `lockName` names this identity across tabs (e.g. its IndexedDB database): the first key
   * generation and every key replacement hold that lock.
   */
  constructor(
    private readonly store: KeyValueStore,
    private readonly progress: (p: KeygenProgress) => void,
    private readonly lockName = 'e2ee-chat:identity',
    private readonly lock: IdentityLock = webLock,
  ) {}

  /** The identity; generated and persisted on first call if the store has none. */
  load(): Promise<Identity> {
    this.pending ??= this.loadOrCreate().catch((error: unknown) => {
      this.pending = undefined; // allow a retry after a failure
      throw error;
    });
    return this.pending;
  }

  private async loadOrCreate(): Promise<Identity> {
    const record = await this.read();
    if (record) return { key: IdentityKey.fromBase64(record.key), instanceTag: record.instanceTag };
    // Another tab may be generating this identity right now: wait for it, then read again.
    return this.lock(this.lockName, () => this.createUnderLock());
  }

  private async createUnderLock(): Promise<Identity> {
    const record = await this.read();
    if (record) return { key: IdentityKey.fromBase64(record.key), instanceTag: record.instanceTag };
    this.progress({ phase: 'started' });
    await new Promise((resolve) => setTimeout(resolve, 0)); // let 'started' reach subscribers first
    const started = performance.now();
    const key = IdentityKey.generate();
    const identity = { key, instanceTag: makeInstanceTag() };
    const fresh: IdentityRecord = { version: 1, key: key.toBase64(), instanceTag: identity.instanceTag, createdAt: Date.now() };
    await this.write(fresh);
    this.progress({ phase: 'done', ms: Math.round(performance.now() - started), fingerprint: key.fingerprint });
    return identity;
  }

  /**
   * Replace the identity with `key` (imported, or freshly generated when
   * omitted), keeping the instance tag. Persisted before it takes effect.
   */
  replace(key?: IdentityKey): Promise<Identity> {
    const previous = this.pending;
    // Set at once, so anything that loads the identity meanwhile waits for the new one.
    const next = this.swap(previous, key);
    this.pending = next;
    next.catch(() => {
      if (this.pending === next) this.pending = previous;
    });
    return next;
  }

  private async swap(previous: Promise<Identity> | undefined, key?: IdentityKey): Promise<Identity> {
    const current = await (previous ?? this.loadOrCreate()).catch(() => undefined);
    return this.lock(this.lockName, () => this.swapUnderLock(current, key));
  }

  private async swapUnderLock(current: Identity | undefined, key?: IdentityKey): Promise<Identity> {
    let next = key;
    if (!next) {
      this.progress({ phase: 'started' });
      await new Promise((resolve) => setTimeout(resolve, 0));
      const started = performance.now();
      next = IdentityKey.generate();
      this.progress({ phase: 'done', ms: Math.round(performance.now() - started), fingerprint: next.fingerprint });
    }
    const identity = { key: next, instanceTag: current?.instanceTag ?? makeInstanceTag() };
    await this.write({ version: 1, key: next.toBase64(), instanceTag: identity.instanceTag, createdAt: Date.now() });
    return identity;
  }

  private async read(): Promise<IdentityRecord | undefined> {
    let value: unknown;
    try {
      value = await this.store.get(KEY);
    } catch (cause) {
      throw new E2eeError('store', `Could not read the identity from storage: ${(cause as Error).message}`);
    }
    if (value === undefined) return undefined;
    if (!isRecord(value)) throw new E2eeError('store', 'The stored identity is damaged (unexpected shape); it was left untouched.');
    return value;
  }

  private async write(record: IdentityRecord): Promise<void> {
    try {
      await this.store.set(KEY, record);
    } catch (cause) {
      throw new E2eeError('store', `Could not save the new identity: ${(cause as Error).message}`);
    }
  }
}

function isRecord(value: unknown): value is IdentityRecord {
  const r = value as Partial<IdentityRecord> | null;
  return (
    typeof r === 'object' && r !== null && r.version === 1 && typeof r.key === 'string' &&
    typeof r.instanceTag === 'number' && r.instanceTag >= 0x100
  );
}
