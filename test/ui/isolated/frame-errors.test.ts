// Isolated mode's bad inputs and hard places, in real Chromium: a frame that does not answer, one
// on the wrong origin or the page's own, one from another release (each a visible inline error and
// an `e2ee-error` of code `frame`, never a silent blank); a frame on another site, which Chromium
// gives no storage; and the page's theme, taken only when it is plain and readable.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type Served } from '../../consumer/static-server.js';
import {
  eventsOf,
  frameOf,
  lastState,
  openHost,
  shownTexts,
  typeInFrame,
  useIsolatedSetup,
  waitForEvents,
  type HostOptions,
} from './isolated-fixture.js';

const setup = useIsolatedSetup();
let pages: Served;
beforeAll(async () => {
  pages = await serveStatic(join(import.meta.dirname, 'pages'), '127.0.0.1');
});
afterAll(() => pages?.close());

/** Mount a pair on a host page with `options`; returns the page once Alice reported a frame error. */
async function frameError(options: HostOptions): Promise<{ page: Page; message: string; shown: string; ms: number }> {
  const page = await openHost(setup.browser(), setup.origins(), options);
  const started = Date.now();
  await page.evaluate(() => (window as unknown as { pair: () => void }).pair());
  const events = await waitForEvents(
    page,
    'alice',
    (e) => e.some((x) => x.name === 'e2ee-error' && x.detail.code === 'frame'),
    'a frame error',
    15_000,
  );
  const message = String(events.find((x) => x.name === 'e2ee-error')!.detail.message);
  const error = page.locator('#alice [part=frame-error]');
  await error.waitFor({ state: 'visible' });
  const shown = await error.innerText();
  const box = await error.boundingBox();
  expect(box!.height).toBeGreaterThan(40); // a visible box, not a blank
  return { page, message, shown, ms: Date.now() - started };
}

describe('isolated mode: a frame that cannot be used', () => {
  it('a frame URL that does not answer', async () => {
    const { page, message, shown, ms } = await frameError({ frameUrl: `${setup.origins().frame.origin}/no-such-frame.html`, timeoutMs: 1500 });
    expect(message).toMatch(/did not answer within 1\.5 s/);
    expect(shown).toBe(message);
    expect(ms).toBeGreaterThanOrEqual(1400);
    // And the API says so too, instead of waiting forever.
    const sent = await page.evaluate(() =>
      (document.getElementById('alice') as unknown as { startPrivate(): Promise<void> }).startPrivate().then(
        () => 'started',
        (e: { code: string }) => e.code,
      ),
    );
    expect(sent).toBe('frame');
    await page.context().close();
  }, 60_000);

  it('a frame that answers from another origin than the one configured', async () => {
    const { page, message } = await frameError({ frameOrigin: 'http://localhost:9' });
    expect(message).toMatch(/answered from http:\/\/localhost:\d+, not http:\/\/localhost:9/);
    await page.context().close();
  }, 60_000);

  it("a frame on the page's own origin (which the page could read)", async () => {
    const { page, message, ms } = await frameError({ frameUrl: `${setup.origins().page.origin}/dist/frame.html` });
    expect(message).toMatch(/on the page's own origin/);
    expect(ms).toBeLessThan(5000); // at once, not after a timeout
    await page.context().close();
  }, 60_000);

  it('a frame from another release', async () => {
    const { page, message } = await frameError({ frameUrl: `${pages.origin}/old-frame.html`, frameOrigin: pages.origin });
    expect(message).toMatch(/another release \(bridge 0, this element speaks 1\)/);
    await page.context().close();
  }, 60_000);
});

describe('isolated mode: where the frame runs', () => {
  it('a frame on another site gets no storage from Chromium: the chat still works, and says its key lasts for this visit', async () => {
    const page = await openHost(setup.browser(), setup.origins(), { frameUrl: `${setup.origins().crossSite.origin}/frame.html` });
    await page.evaluate(() => (window as unknown as { pair: () => void }).pair());
    await page.evaluate(() => (document.getElementById('alice') as unknown as { startPrivate(): Promise<void> }).startPrivate());
    const alice = await waitForEvents(page, 'alice', (e) => lastState(e) === 'encrypted', 'alice private on a cross-site frame');
    expect(alice.filter((e) => e.name === 'e2ee-error').map((e) => e.detail.code)).toEqual(['store']);
    const frame = await frameOf(page, 'alice');
    expect(await frame.locator('p[role=status]').first().innerText()).toMatch(/lasts for this visit only/);
    await typeInFrame(frame, 'from a cross-site frame');
    await waitForEvents(page, 'bob', (e) => e.some((x) => x.name === 'e2ee-message' && x.detail.text === 'from a cross-site frame'), 'bob reads it');
    await page.context().close();
  }, 60_000);

  it("takes the page's theme tokens when plain and readable, refuses the rest, and keeps its own colours when the page's would hide a label", async () => {
    const page = await openHost(setup.browser(), setup.origins());
    await page.addStyleTag({
      content: '#alice { --e2ee-accent: rgb(120, 20, 160); --e2ee-radius: 3px; --e2ee-bg: url(https://evil.example/x.png); }',
    });
    await page.evaluate(() => (window as unknown as { pair: () => void }).pair());
    const frame = await frameOf(page, 'alice');
    const send = frame.locator('[part=send-button]');
    await expect.poll(() => send.evaluate((b) => getComputedStyle(b).backgroundColor), { timeout: 10_000 }).toBe('rgb(120, 20, 160)');
    expect(await frame.locator('[part=frame]').evaluate((f) => getComputedStyle(f).borderTopLeftRadius)).toBe('3px');
    expect(await frame.locator('[part=frame]').evaluate((f) => getComputedStyle(f).backgroundImage)).toBe('none');
    const refused = (await eventsOf(page, 'alice')).filter((e) => e.name === 'e2ee-error').map((e) => String(e.detail.message));
    expect(refused).toEqual([expect.stringMatching(/theme values for --e2ee-bg/)]);

    // A "Not encrypted" pill in its own background colour says nothing: those colours are refused.
    await page.evaluate(() => {
      const el = document.getElementById('alice') as HTMLElement & { peerName: string };
      el.style.setProperty('--e2ee-danger', '#ffffff');
      el.style.setProperty('--e2ee-on-danger', '#fefefe');
      el.peerName = 'Bob'; // any change re-sends the settings and the theme
    });
    await waitForEvents(
      page,
      'alice',
      (e) => e.some((x) => x.name === 'e2ee-error' && /unreadable/.test(String(x.detail.message))),
      'colours refused',
    );
    const pill = frame.locator('[part=status]');
    const [color, background] = await pill.evaluate((p) => [getComputedStyle(p).color, getComputedStyle(p).backgroundColor]);
    expect([color, background]).not.toEqual(['rgb(254, 254, 254)', 'rgb(255, 255, 255)']);
    expect(await send.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe('rgb(120, 20, 160)'); // all colours back to the defaults
    expect(await shownTexts(frame)).toEqual([]);
    await page.context().close();
  }, 60_000);
});
