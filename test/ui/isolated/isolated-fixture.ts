/**
 * Isolated mode's test set-up: the built package (dist/, as packed) on two loopback origins and
 * real Chromium through playwright-core.
 * - The page origin serves the repository: the host page (test/ui/isolated/pages/host.html) loads
 *   `/dist/index.js` from its own origin.
 * - The frame origin serves dist/ alone: `/frame.html` is the frame the elements load.
 * Two frame origins exist: one on the page's site (another port of `localhost`: its storage is
 * kept) and one on another site (`127.0.0.1`: Chromium gives a third-party frame no storage).
 * The tests act as the person in front of the screen through playwright (real clicks and keys,
 * reading what the frame shows); everything the page's scripts do goes through `page.evaluate`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { chromiumArgs } from '../../../scripts/chromium.mjs';
import { serveStatic, type Served } from '../../consumer/static-server.js';

const repo = resolve(import.meta.dirname, '../../..');

export interface Origins {
  /** Serves the repository: the host pages and /dist/. */
  page: Served;
  /** dist/ on the page's site (localhost, another port). */
  frame: Served;
  /** dist/ on another site (127.0.0.1). */
  crossSite: Served;
}

/** What the page recorded of one element's events. */
export interface Recorded {
  name: string;
  detail: Record<string, unknown>;
  at: number;
}

/** Start the servers and Chromium for one test file; read them in tests. */
export function useIsolatedSetup(): { origins: () => Origins; browser: () => Browser } {
  let origins: Origins;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(join(repo, 'dist/frame.html'))) throw new Error('No library build in dist/: run `npm run build` first (npm test does).');
    const [page, frame, crossSite] = await Promise.all([
      serveStatic(repo, 'localhost'),
      serveStatic(join(repo, 'dist'), 'localhost'),
      serveStatic(join(repo, 'dist'), '127.0.0.1'),
    ]);
    origins = { page, frame, crossSite };
    browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: chromiumArgs });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all(Object.values(origins ?? {}).map((s: Served) => s.close()));
  });
  return { origins: () => origins, browser: () => browser };
}

export interface HostOptions {
  /** The frame page's URL (default: the same-site frame origin's /frame.html). */
  frameUrl?: string;
  frameOrigin?: string;
  timeoutMs?: number;
  /** A script the page runs before any of its own (a hostile tag loaded first). */
  initScript?: string;
  /** An existing context (to reload in, or to share storage). */
  context?: BrowserContext;
}

/** Open the host page in a fresh context; resolves once its code ran. */
export async function openHost(browser: Browser, origins: Origins, options: HostOptions = {}): Promise<Page> {
  // Tall enough for two 480 px chats: a chat partly scrolled out of view holds its input.
  const context = options.context ?? (await browser.newContext({ viewport: { width: 1280, height: 1000 } }));
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`));
  if (options.initScript) await page.addInitScript(options.initScript);
  await page.goto(hostUrl(origins, options));
  await page.waitForFunction(() => (window as { hostReady?: boolean }).hostReady === true);
  return page;
}

export function hostUrl(origins: Origins, options: HostOptions = {}): string {
  const query = new URLSearchParams({ frame: options.frameUrl ?? `${origins.frame.origin}/frame.html` });
  if (options.frameOrigin) query.set('origin', options.frameOrigin);
  if (options.timeoutMs) query.set('timeout', String(options.timeoutMs));
  return `${origins.page.origin}/test/ui/isolated/pages/host.html?${query}`;
}

/** The frame inside element `#id`, as the person sees it. */
export async function frameOf(page: Page, id: string): Promise<Frame> {
  const handle = await page.locator(`#${id} iframe`).elementHandle({ timeout: 10_000 });
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error(`no frame in #${id}`);
  await frame.waitForSelector('e2ee-chat', { state: 'attached', timeout: 10_000 });
  return frame;
}

/** Events element `#id` dispatched on the page, as the page's listener saw them. */
export function eventsOf(page: Page, id: string): Promise<Recorded[]> {
  return page.evaluate((el) => (window as unknown as { events: Record<string, Recorded[]> }).events[el] ?? [], id);
}

/** Wait until `check` holds for the events of `#id`. */
export async function waitForEvents(page: Page, id: string, check: (events: Recorded[]) => boolean, what: string, ms = 30_000): Promise<Recorded[]> {
  const end = Date.now() + ms;
  for (;;) {
    const events = await eventsOf(page, id);
    if (check(events)) return events;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; #${id} saw ${JSON.stringify(events.map((e) => [e.name, e.detail]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The last privacy state `#id` reported through `e2ee-status`. */
export const lastState = (events: Recorded[]): string | undefined =>
  events.filter((e) => e.name === 'e2ee-status').at(-1)?.detail.state as string | undefined;

/** Alice (isolated) and Bob (ordinary) on one page, both private. */
export async function privatePair(page: Page, options: { run?: string; exposeText?: boolean; files?: string } = {}): Promise<void> {
  await page.evaluate((o) => (window as unknown as { pair: (o: object) => void }).pair(o), options);
  await page.evaluate(() => (document.getElementById('alice') as unknown as { startPrivate(): Promise<void> }).startPrivate());
  await waitForEvents(page, 'alice', (e) => lastState(e) === 'encrypted', 'alice private');
  await waitForEvents(page, 'bob', (e) => lastState(e) === 'encrypted', 'bob private');
}

/**
 * Alice (isolated) alone on `page`, Bob (ordinary) on `bobPage`, a tab of its own: nothing of Bob's
 * runs in Alice's page. Both private on return.
 */
export async function privateAcrossTabs(page: Page, bobPage: Page): Promise<{ alice: string; bob: string }> {
  const run = `${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;
  const [alice, bob, channel] = [`alice-${run}`, `bob-${run}`, `tabs-${run}`];
  type Endpoint = (id: string, o: object) => void;
  await page.evaluate((o) => (window as unknown as { endpoint: Endpoint }).endpoint('alice', o), {
    self: alice,
    peer: bob,
    channel,
    isolated: true,
    identity: alice,
  });
  await bobPage.evaluate((o) => (window as unknown as { endpoint: Endpoint }).endpoint('bob', o), {
    self: bob,
    peer: alice,
    channel,
    isolated: false,
    identity: bob,
  });
  await page.evaluate(() => (document.getElementById('alice') as unknown as { startPrivate(): Promise<void> }).startPrivate());
  await waitForEvents(page, 'alice', (e) => lastState(e) === 'encrypted', 'alice private');
  await waitForEvents(bobPage, 'bob', (e) => lastState(e) === 'encrypted', 'bob private');
  return { alice, bob };
}

/** Type `text` into the frame's composer and press Enter, as a person would. */
export async function typeInFrame(frame: Frame, text: string): Promise<void> {
  const input = frame.locator('e2ee-chat textarea');
  await input.click();
  await input.pressSequentially(text);
  await input.press('Enter');
}

/** Texts of the messages the frame's list shows, in order. */
export function shownTexts(frame: Frame): Promise<string[]> {
  return frame.locator('e2ee-chat li.message .text').allInnerTexts();
}
