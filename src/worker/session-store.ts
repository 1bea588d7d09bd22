/**
 * Where conversations outlive the page: the latest snapshot of each conversation's OTR state
 * (see `OtrSession.snapshot`), next to the identity, one record per instance and peer.
 *
 * Forward secrecy: a record is overwritten by every later snapshot, and deleted when the
 * conversation returns to plaintext, so DH keys that rotate out do not stay at rest. What does stay
 * at rest while a conversation is private is its current keys, as Signal keeps its ratchet state.
 */
import { E2eeError, isSessionSnapshot, type SessionSnapshot } from '../protocol/index.js';
import type { KeyValueStore } from './store.js';

/** Per peer: whether a newer snapshot waits to be written, and the write running now. */
interface Writer {
  dirty: boolean;
  running?: Promise<void>;
  take: () => SessionSnapshot | undefined;
  /** What the store holds now (JSON), to skip writes that change nothing. */
  written?: string;
  /** A delayed write waiting to start, and the latest time it may start (the earliest cap asked for). */
  timer?: ReturnType<typeof setTimeout>;
  deadline?: number;
}

/** The snapshots of one OTR instance (one tab) of one identity. */
export class SessionStore {
  private readonly writers = new Map<string, Writer>();

  constructor(
    private readonly store: KeyValueStore,
    /** Our instance tag: the records of other tabs' instances are theirs. */
    private readonly instanceTag: number,
    /** Told when a write fails (the conversation goes on, in memory only until the next write works). */
    private readonly onError: (peer: string, error: unknown) => void = () => undefined,
  ) {}

  /**
   * The stored snapshot for `peer`, if any.
   * @throws E2eeError `store` for a record that isn't one (it is deleted).
   */
  async load(peer: string): Promise<SessionSnapshot | undefined> {
    const value = await this.store.get<unknown>(this.key(peer));
    if (value === undefined) return undefined;
    if (isSessionSnapshot(value)) return value;
    await this.store.del(this.key(peer));
    throw new E2eeError('store', 'The stored conversation was damaged; it was deleted.');
  }

  /**
   * Store, soon, what `take` returns at the time of the write: the latest state, however many
   * changes came before; undefined deletes the record. Writes for one peer never overlap. Takes
   * any delayed write ({@link saveAfterQuiet}) along.
   */
  saveSoon(peer: string, take: () => SessionSnapshot | undefined): void {
    const writer = this.writer(peer, take);
    clearTimeout(writer.timer);
    writer.timer = undefined;
    writer.deadline = undefined;
    writer.dirty = true;
    writer.running ??= this.drain(peer, writer).catch((error: unknown) => this.onError(peer, error));
  }

  /**
   * Store `take`'s state once `quietMs` passed without another call for `peer`, and at the latest
   * `maxMs` after this call: a later call with a longer wait never postpones an earlier call's cap
   * (a read after a send is stored when the send must be).
   */
  saveAfterQuiet(peer: string, take: () => SessionSnapshot | undefined, quietMs: number, maxMs: number): void {
    const writer = this.writer(peer, take);
    const now = Date.now();
    writer.deadline = Math.min(writer.deadline ?? Infinity, now + maxMs);
    clearTimeout(writer.timer);
    const wait = Math.min(quietMs, writer.deadline - now);
    writer.timer = setTimeout(() => this.saveSoon(peer, writer.take), Math.max(0, wait));
  }

  /** Delete `peer`'s record now, and forget any write waiting for it. */
  async forget(peer: string): Promise<void> {
    const writer = this.writers.get(peer);
    if (writer) {
      writer.dirty = false;
      clearTimeout(writer.timer);
      await writer.running;
      this.writers.delete(peer);
    }
    await this.store.del(this.key(peer));
  }

  /** Resolves once every write asked for so far, delayed ones included, is done. */
  async flush(): Promise<void> {
    for (const [peer, writer] of this.writers) if (writer.timer !== undefined) this.saveSoon(peer, writer.take);
    await Promise.all([...this.writers.values()].map((w) => w.running));
  }

  private writer(peer: string, take: () => SessionSnapshot | undefined): Writer {
    let writer = this.writers.get(peer);
    if (!writer) {
      writer = { dirty: false, take };
      this.writers.set(peer, writer);
    }
    writer.take = take;
    return writer;
  }

  private async drain(peer: string, writer: Writer): Promise<void> {
    try {
      await Promise.resolve(); // let the rest of this task's changes in: one write for a burst
      while (writer.dirty) {
        writer.dirty = false;
        const snapshot = writer.take();
        const json = snapshot === undefined ? undefined : JSON.stringify(snapshot);
        if (json === writer.written) continue;
        if (snapshot === undefined) await this.store.del(this.key(peer));
        else await this.store.set(this.key(peer), snapshot);
        writer.written = json;
      }
    } finally {
      writer.running = undefined;
    }
  }

  private key(peer: string): string {
    return `session:${this.instanceTag}:${peer}`;
  }
}
