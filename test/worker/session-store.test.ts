/** When the session store writes: at once, or after a quiet moment with a cap (sends: short, reads: long). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionSnapshot } from '../../src/protocol/index.js';
import { SessionStore } from '../../src/worker/session-store.js';
import { MemoryStore } from '../../src/worker/store.js';

/** A stand-in snapshot: the store checks shapes only when reading back. */
const snap = (n: number) => ({ ourFingerprint: `fp${n}`, otr: {} }) as unknown as SessionSnapshot;

describe('SessionStore writes', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function stored(store: MemoryStore): Promise<string | undefined> {
    await vi.advanceTimersByTimeAsync(0);
    return (await store.get<SessionSnapshot>('session:1234:bob'))?.ourFingerprint;
  }

  it('writes the latest state once after a burst, and a delayed write only after a quiet moment (at most maxMs)', async () => {
    const store = new MemoryStore();
    const set = vi.spyOn(store, 'set');
    const sessions = new SessionStore(store, 1234);
    let n = 0;
    for (let i = 0; i < 5; i++) sessions.saveSoon('bob', () => snap(++n));
    expect(await stored(store)).toBe('fp1'); // one write, taken when it ran
    expect(set).toHaveBeenCalledTimes(1);

    sessions.saveAfterQuiet('bob', () => snap(10), 500, 5_000);
    await vi.advanceTimersByTimeAsync(400);
    sessions.saveAfterQuiet('bob', () => snap(11), 500, 5_000); // another read: wait again
    await vi.advanceTimersByTimeAsync(400);
    expect(await stored(store)).toBe('fp1');
    await vi.advanceTimersByTimeAsync(100);
    expect(await stored(store)).toBe('fp11');

    // Reads every 300 ms never leave 500 ms of quiet: the cap writes after 5 s.
    for (let t = 0; t < 5_200; t += 300) {
      sessions.saveAfterQuiet('bob', () => snap(100 + t), 500, 5_000);
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(Number((await stored(store))!.slice(2))).toBeGreaterThanOrEqual(100 + 4_800);
  });

  it('a later call with a longer wait never postpones an earlier call\'s cap (a read after a send)', async () => {
    const store = new MemoryStore();
    const set = vi.spyOn(store, 'set');
    const sessions = new SessionStore(store, 1234);
    sessions.saveAfterQuiet('bob', () => snap(1), 25, 250); // a send
    for (let t = 0; t < 240; t += 20) {
      await vi.advanceTimersByTimeAsync(20);
      sessions.saveAfterQuiet('bob', () => snap(2), 500, 5_000); // reads keep coming
    }
    expect(await stored(store)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(20);
    expect(await stored(store)).toBe('fp2'); // 250 ms after the send, with the latest state
    expect(set).toHaveBeenCalledTimes(1);
    // Sends in a burst: one write after 25 ms without another.
    for (let i = 0; i < 5; i++) {
      sessions.saveAfterQuiet('bob', () => snap(10 + i), 25, 250);
      await vi.advanceTimersByTimeAsync(5);
    }
    expect(set).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(25);
    expect(await stored(store)).toBe('fp14');
    expect(set).toHaveBeenCalledTimes(2);
  });

  it('a write without delay takes a delayed one along; forget cancels it and deletes', async () => {
    const store = new MemoryStore();
    const sessions = new SessionStore(store, 1234);
    sessions.saveAfterQuiet('bob', () => snap(1), 500, 5_000);
    sessions.saveSoon('bob', () => snap(2));
    expect(await stored(store)).toBe('fp2');
    sessions.saveAfterQuiet('bob', () => snap(3), 500, 5_000);
    await sessions.forget('bob');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await stored(store)).toBeUndefined();
  });

  it('reports a failed write, and goes on', async () => {
    const store = new MemoryStore();
    const failures: string[] = [];
    const sessions = new SessionStore(store, 1234, (peer, error) => failures.push(`${peer}: ${(error as Error).message}`));
    vi.spyOn(store, 'set').mockRejectedValueOnce(new Error('QuotaExceededError'));
    sessions.saveSoon('bob', () => snap(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(failures).toEqual(['bob: QuotaExceededError']);
    sessions.saveSoon('bob', () => snap(2));
    expect(await stored(store)).toBe('fp2');
  });
});
