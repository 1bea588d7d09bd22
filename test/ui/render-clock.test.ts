// The page's shared render clock (src/ui/render-clock.ts), with fake timers: while few elements are
// live an update runs at once; from MANY on, updates share one tick, and ticks come at most one
// every GAP_MS.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countLive, GAP_MS, liveElements, MANY, renderSlot, renderTicks } from '../../src/ui/render-clock.js';

afterEach(() => {
  while (liveElements() > 0) countLive(-1);
  vi.useRealTimers();
});

describe('render clock', () => {
  it('gives no wait while fewer than MANY elements are live, and counts them never below 0', () => {
    for (let i = 0; i < MANY - 1; i++) countLive(1);
    expect(renderSlot()).toBeUndefined();
    for (let i = 0; i < MANY + 3; i++) countLive(-1);
    expect(liveElements()).toBe(0);
    expect(renderSlot()).toBeUndefined();
  });

  it('from MANY live elements on, shares one tick among all who ask, then spaces ticks GAP_MS apart', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    for (let i = 0; i < MANY; i++) countLive(1);
    const before = renderTicks();
    const first = renderSlot();
    expect(first).toBeInstanceOf(Promise);
    expect(renderSlot()).toBe(first);
    await vi.advanceTimersByTimeAsync(0);
    await first;
    expect(renderTicks()).toBe(before + 1);
    let second = false;
    const next = renderSlot()!.then(() => (second = true));
    await vi.advanceTimersByTimeAsync(GAP_MS - 1);
    expect(second).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(renderTicks()).toBe(before + 2);
    countLive(-1);
    expect(renderSlot()).toBeUndefined();
  });
});
