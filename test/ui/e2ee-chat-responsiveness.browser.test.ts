// In a file of its own, so the page is fresh: long tasks left over from other tests cannot count here.
import { pairOfChats, shadow, unmount } from '../helpers/chat-fixture.js';
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';

describe('<e2ee-chat>: no freezing', () => {
  it('first key generation plus the AKE cause 0 long tasks; the keygen indicator comes and goes', async () => {
    const [a, b] = pairOfChats();
    await Promise.all([a.el.updateComplete, b.el.updateComplete]);
    // Measure from here: mounting and the first render are not key generation. The workers are
    // still booting, so generation has not started yet (checked below). The task running this code
    // (mounting, first render, worker start) is reported once it ends, so only tasks that start
    // from here count.
    const from = performance.now();
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => e.startTime >= from && longTasks.push(e.duration)));
    observer.observe({ type: 'longtask' });
    assertEqual([...a.events['e2ee-keygen'], ...b.events['e2ee-keygen']], [], 'no key generation began before measuring');
    const indicatorTexts: string[] = [];
    const watch = new MutationObserver(() => {
      const banner = shadow(a.el).querySelector('[part=keygen]');
      if (banner) indicatorTexts.push(banner.textContent?.trim() ?? '');
    });
    watch.observe(shadow(a.el), { childList: true, subtree: true, characterData: true });
    await until(() => a.events['e2ee-keygen'].some((k) => k.phase === 'done') && b.events['e2ee-keygen'].some((k) => k.phase === 'done'), 'keygen', 60_000);
    await a.el.updateComplete;
    watch.disconnect();
    assert(indicatorTexts.length > 0, 'the indicator appeared');
    assert(indicatorTexts.every((t) => /^Generating your encryption key… \d+\.\d s$/.test(t)), `indicator text: ${indicatorTexts[0]}`);
    assertEqual(shadow(a.el).querySelector('[part=keygen]'), null, 'indicator gone after generation');
    const done = a.events['e2ee-keygen'].find((k) => k.phase === 'done')!;
    assert(typeof done.ms === 'number' && done.ms > 0, 'done carries ms');
    await a.el.startPrivate();
    await until(() => a.el.state === 'encrypted' && b.el.state === 'encrypted', 'encrypted');
    await new Promise((r) => setTimeout(r, 100));
    observer.disconnect();
    unmount(a, b);
    assertEqual(longTasks, [], 'long tasks (ms) on the main thread');
  });
});
