/**
 * The shared render clock on real `<e2ee-chat>` elements (Chromium): with few on the page an update
 * runs at once; with MANY or more, updates the controllers ask for (no property named) are drawn at
 * one shared tick, while a property the page sets renders at once, without waiting for the tick.
 * Order-based, not timed: each check reads how many ticks had fired when the update was done.
 */
import '../../src/ui/e2ee-chat.js';
import type { E2eeChat } from '../../src/ui/e2ee-chat.js';
import { MANY, renderTicks } from '../../src/ui/render-clock.js';
import { assert, assertEqual } from '../helpers/assert.js';

function mount(count: number): E2eeChat[] {
  return Array.from({ length: count }, (_, i) => {
    const el = document.createElement('e2ee-chat') as E2eeChat;
    el.isolated = false;
    el.peerName = `peer ${i}`;
    document.body.append(el);
    return el;
  });
}

/** The ticks that had fired when `el`'s pending update finished. */
async function ticksWhenDone(el: E2eeChat): Promise<number> {
  await el.updateComplete;
  return renderTicks();
}

describe('render clock on <e2ee-chat>', () => {
  let els: E2eeChat[] = [];
  afterEach(() => {
    for (const el of els) el.remove();
    els = [];
  });

  it('with few elements, an update runs without a tick', async () => {
    els = mount(2);
    await Promise.all(els.map((el) => el.updateComplete));
    const before = renderTicks();
    els[0]!.requestUpdate();
    assertEqual(await ticksWhenDone(els[0]!), before, 'no shared tick with 2 elements');
  });

  it('with many, engine-driven updates share one tick; a property set by the page renders at once', async () => {
    els = mount(MANY + 2);
    await Promise.all(els.map((el) => el.updateComplete)); // first renders never wait
    const before = renderTicks();
    for (const el of els) el.requestUpdate();
    const done = await Promise.all(els.map(ticksWhenDone));
    assert(done.every((t) => t === before + 1), `all ${els.length} updates drawn at one tick (ticks when done: ${done})`);

    // Another engine-driven update waits for the next tick…
    const waiting = els[1]!;
    waiting.requestUpdate();
    assert(waiting.isUpdatePending, 'pending');
    // …but a property set now is drawn at once, with no tick in between.
    const urgent = els[0]!;
    const ticks = renderTicks();
    urgent.requestUpdate();
    urgent.peerName = 'Zed';
    assertEqual(await ticksWhenDone(urgent), ticks, 'peer-name rendered before the next tick');
    assert(urgent.renderRoot.textContent?.includes('Zed'), 'the new name is shown');
    assert((await ticksWhenDone(waiting)) > ticks, 'the engine-driven update came with the next tick');
  });
});
