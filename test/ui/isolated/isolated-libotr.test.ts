// Isolated mode against the reference implementation: an isolated <e2ee-chat> in Chromium (its chat
// in the cross-origin frame, built package) and a libotr 4.1 peer process, joined by a loopback
// bridge: a Transport of the page whose `send` hands the body to libotr, and whose handlers hear what
// libotr puts on the wire. The person types and reads in the frame; the page hears states, no text.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFingerprint } from '../../../src/protocol/index.js';
import { KeyDir, LibotrPeer, buildLibotrPeer } from '../../interop/libotr-peer.js';
import {
  eventsOf,
  frameOf,
  lastState,
  openHost,
  shownTexts,
  typeInFrame,
  useIsolatedSetup,
  waitForEvents,
  type Recorded,
} from './isolated-fixture.js';

const setup = useIsolatedSetup();
let keys: KeyDir;
beforeAll(() => {
  buildLibotrPeer(); // may apt-get install gcc and libotr5-dev on a fresh machine
  keys = new KeyDir();
}, 900_000);
afterAll(() => keys?.remove());

type Seen = { dir: 'out' | 'in'; body: string };
type BridgeWindow = Window & {
  __toLibotr(body: string): Promise<void>;
  bridge: { seen: Seen[]; deliver(body: string): Promise<void> };
  mount(id: string, options: object): HTMLElement;
};

/** The page, every body the bridge carried (in order), deliveries into the page that failed (none expected). */
type Bridge = { page: Page; seen(): Promise<Seen[]>; lost: string[]; close(): Promise<void> };

/** The host page with `#alice` (isolated) mounted on a bridge to `peer`, carrying bodies up to `maxMessageSize`. */
async function connect(peer: LibotrPeer, maxMessageSize: number): Promise<Bridge> {
  const context = await setup.browser().newContext({ viewport: { width: 1280, height: 1000 } });
  let closing = false;
  const lost: string[] = [];
  const page = await openHost(setup.browser(), setup.origins(), { context });
  await page.exposeFunction('__toLibotr', async (body: string) => void (await peer.recv(body)));
  // What libotr sends reaches the element's handlers in order (one evaluate after the other).
  peer.onWire = (text) =>
    void page
      .evaluate((body) => (window as unknown as BridgeWindow).bridge.deliver(body), text)
      .catch((e: unknown) => closing || lost.push(String(e)));
  await page.evaluate(
    ({ mms, identity }) => {
      const w = window as unknown as BridgeWindow;
      type Handler = (m: { from: string; body: string; at: Date }) => unknown;
      const handlers = new Set<Handler>();
      const seen: Seen[] = [];
      w.bridge = {
        seen,
        async deliver(body) {
          seen.push({ dir: 'in', body });
          await Promise.all([...handlers].map((h) => h({ from: 'libotr', body, at: new Date() })));
        },
      };
      const transport = {
        self: identity,
        state: 'connected',
        maxMessageSize: mms,
        async send(to: string, body: string) {
          if (to !== 'libotr') throw new Error(`sent to ${to}`);
          seen.push({ dir: 'out', body });
          await w.__toLibotr(body);
        },
        onMessage: (h: Handler) => (handlers.add(h), () => void handlers.delete(h)),
        onStateChange: () => () => undefined,
      };
      w.mount('alice', { peer: 'libotr', transport, isolated: true, identity });
    },
    { mms: maxMessageSize, identity: `alice-${Date.now()}-${maxMessageSize}` },
  );
  return {
    page,
    lost,
    seen: () => page.evaluate(() => (window as unknown as BridgeWindow).bridge.seen),
    close: () => ((closing = true), context.close()),
  };
}

const startPrivate = (page: Page) =>
  page.evaluate(() => (document.getElementById('alice') as unknown as { startPrivate(): Promise<void> }).startPrivate());
const statuses = (events: Recorded[]) => events.filter((e) => e.name === 'e2ee-status').map((e) => e.detail);
const messages = (events: Recorded[]) =>
  events.filter((e) => e.name === 'e2ee-message').map((e) => [e.detail.direction, e.detail.encrypted, e.detail.text, e.detail.textWithheld]);

/** Private (v3) on both sides: the page's last status, libotr's context. */
async function expectPrivate(page: Page, peer: LibotrPeer): Promise<void> {
  const events = await waitForEvents(page, 'alice', (e) => lastState(e) === 'encrypted', 'alice private', 60_000);
  expect(statuses(events).at(-1)).toEqual({
    peer: 'libotr',
    state: 'encrypted',
    protocolVersion: 3,
    theirFingerprint: formatFingerprint(peer.fingerprint),
  });
  await peer.waitFor(() => peer.count('secure') > 0, 'libotr secure');
  expect(await peer.tags()).toMatchObject({ ours: peer.instanceTag, version: 3, msgstate: 1 }); // OTRL_MSGSTATE_ENCRYPTED
}

/** Every body on the bridge is OTR wire text, and none carries any of `texts`. */
function expectOnlyWire(seen: Seen[], texts: string[]): void {
  expect(seen.filter((s) => s.dir === 'out').length).toBeGreaterThan(0);
  expect(seen.filter((s) => s.dir === 'in').length).toBeGreaterThan(0);
  for (const s of seen) {
    expect(s.body.startsWith('?OTR'), s.body.slice(0, 80)).toBe(true);
    for (const t of texts) expect(s.body.includes(t)).toBe(false);
  }
}

/** The person types `ours` in the frame, libotr sends `theirs`: each arrives, encrypted. */
async function exchange(page: Page, peer: LibotrPeer, ours: string, theirs: string, before: string[]): Promise<void> {
  const frame = await frameOf(page, 'alice');
  const n = peer.received.length;
  await typeInFrame(frame, ours);
  await peer.waitFor(() => peer.received.length > n, 'libotr to receive');
  expect(peer.received.slice(n)).toEqual([{ text: ours, encrypted: true }]);
  await peer.send(theirs);
  await expect.poll(() => shownTexts(frame), { timeout: 20_000 }).toEqual([...before, ours, theirs]);
}

/** libotr ends the conversation: the element reports `finished`, and libotr is back to plaintext. */
async function libotrEnds(page: Page, peer: LibotrPeer): Promise<void> {
  await peer.end();
  await waitForEvents(page, 'alice', (e) => lastState(e) === 'finished', 'alice sees the end');
  expect((await peer.tags()).msgstate).toBe(0); // OTRL_MSGSTATE_PLAINTEXT on libotr's side
  const frame = await frameOf(page, 'alice');
  await expect.poll(() => frame.locator('[part=status]').getAttribute('data-state'), { timeout: 10_000 }).toBe('finished');
}

describe('isolated mode against libotr 4.1', () => {
  it('AKE by us, messages both ways, SMP asked by each side, end by libotr; only wire text crosses', async () => {
    const peer = await LibotrPeer.start(keys);
    let bridge: Bridge | undefined;
    try {
      bridge = await connect(peer, 0);
      const { page } = bridge;
      await startPrivate(page);
      await expectPrivate(page, peer);
      const frame = await frameOf(page, 'alice');

      const ours = 'hello libotr, from the frame';
      const theirs = 'hello frame, from libotr 4.1';
      await exchange(page, peer, ours, theirs, []);
      expect(messages(await eventsOf(page, 'alice'))).toEqual([
        ['out', true, '', true],
        ['in', true, '', true],
      ]);

      // libotr asks a question; the frame opens its Verify panel by itself and the person answers.
      await peer.smpStart('secret words', 'Our code?');
      const answer = frame.locator('e2ee-verify-dialog #answer');
      await answer.waitFor({ timeout: 30_000 });
      expect(await frame.locator('e2ee-verify-dialog p[role=status]').innerText()).toContain('Our code?');
      await answer.fill('secret words');
      await frame.locator('e2ee-verify-dialog button[type=submit]').click();
      await peer.waitFor(() => peer.smpResults().length === 1, 'libotr SMP result', 60_000);
      expect(peer.smpResults()).toEqual(['success']);
      expect(peer.lastSmpTrust()).toBe('smp'); // libotr semantics: the asker trusts...
      await expect.poll(() => frame.locator('e2ee-verify-dialog [part=answered]').count(), { timeout: 10_000 }).toBe(1);
      expect(lastState(await eventsOf(page, 'alice'))).toBe('encrypted'); // ...the answerer does not

      // The person asks back through the menu; libotr answers; now our side trusts libotr.
      await frame.locator('e2ee-verify-dialog button.close').click();
      await frame.locator('[part=menu-button]').click();
      await frame.locator('[part=verify-button]').click();
      await frame.locator('e2ee-verify-dialog #question').fill('Where do we meet?');
      await frame.locator('e2ee-verify-dialog #secret').fill('under the clock');
      await frame.locator('e2ee-verify-dialog button[type=submit]').click();
      await peer.waitFor(() => peer.lastSmpQuestion() === 'Where do we meet?', 'libotr asked', 30_000);
      await peer.smpRespond('under the clock');
      await peer.waitFor(() => peer.smpResults().length === 2, 'libotr second SMP result', 60_000);
      expect(peer.smpResults()).toEqual(['success', 'success']);
      expect(peer.lastSmpTrust()).toBe('smp'); // still its trust from its own question: answering changes none
      const verified = await waitForEvents(page, 'alice', (e) => lastState(e) === 'verified', 'alice verified libotr', 30_000);
      expect(statuses(verified).at(-1)).toMatchObject({ state: 'verified', protocolVersion: 3 });

      await libotrEnds(page, peer);
      expectOnlyWire(await bridge.seen(), [ours, theirs, 'secret words', 'under the clock', 'Where do we meet?']);
      expect(peer.problems).toEqual([]);
      expect(bridge.lost).toEqual([]);
    } finally {
      await bridge?.close();
      await peer.close();
    }
  }, 180_000);

  it('AKE by libotr, fragments both ways (1400), then again after libotr ends', async () => {
    const peer = await LibotrPeer.start(keys);
    let bridge: Bridge | undefined;
    try {
      await peer.setMaxMessageSize(1400);
      bridge = await connect(peer, 1400);
      const { page } = bridge;
      await page.evaluate(() => (document.getElementById('alice') as unknown as { ready: Promise<void> }).ready);
      await peer.query();
      await expectPrivate(page, peer);

      const ours = `long from the frame ${'ours '.repeat(250)}end`;
      const theirs = `long from libotr ${'theirs '.repeat(180)}end`;
      await exchange(page, peer, ours, theirs, []);

      await libotrEnds(page, peer);
      // From finished, libotr asks again: a new AKE, a new exchange.
      await peer.query();
      await waitForEvents(
        page,
        'alice',
        (e) => statuses(e).filter((s) => s.state === 'encrypted').length >= 2 && lastState(e) === 'encrypted',
        'private again',
        60_000,
      );
      await expectPrivate(page, peer);
      await peer.waitFor(() => peer.count('secure') === 2, 'libotr secure again');
      await exchange(page, peer, 'short after the end', 'short reply after the end', [ours, theirs]);
      const out = ['out', true, '', true];
      const inn = ['in', true, '', true];
      expect(messages(await eventsOf(page, 'alice'))).toEqual([out, inn, out, inn]);

      const seen = await bridge.seen();
      expectOnlyWire(seen, [ours.slice(0, 30), theirs.slice(0, 30), 'short after the end', 'short reply after the end']);
      // Both sides fragmented: pieces no longer than 1400, some of them v3 fragments.
      expect(Math.max(...seen.map((s) => s.body.length))).toBeLessThanOrEqual(1400);
      for (const dir of ['out', 'in'] as const)
        expect(seen.some((s) => s.dir === dir && /^\?OTR\|[0-9a-f]+\|[0-9a-f]+,\d+,\d+,/.test(s.body))).toBe(true);
      expect(peer.problems).toEqual([]);
      expect(bridge.lost).toEqual([]);
    } finally {
      await bridge?.close();
      await peer.close();
    }
  }, 180_000);
});
