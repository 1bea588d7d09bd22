// Isolated mode over the real ConnectyCube SDK (connectycube 6.1.2's browser build) and a real Prosody
// this file starts: Alice's element is isolated (her chat in the frame origin), Bob's is an ordinary
// element in another tab of the same browser context; each page logs in its own SDK instance and runs
// its own ConnectyCubeTransport (pages/cube-host.js). The server's wiretap shows what crossed it.
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccUser, startProsody, type RunningProsody, type WiretapEntry } from '../../../scripts/prosody.mjs';
import { eventsOf, frameOf, hostUrl, lastState, shownTexts, typeInFrame, useIsolatedSetup, waitForEvents } from './isolated-fixture.js';

const setup = useIsolatedSetup();
const APP_ID = 11;
const ALICE = 401;
const BOB = 402;
const password = (id: number) => `pw-${id}`;
const OUT = 'alice over connectycube: the lighthouse 5512';
const IN = 'bob over connectycube: the ferry 8830';

interface CubeOptions {
  appId: number;
  userId: number;
  password: string;
  peerId: number;
  url: string;
  isolated: boolean;
  identity: string;
}
type CubeWin = Window & {
  cubeReady?: boolean;
  mount?: unknown;
  cube(id: string, o: CubeOptions): Promise<{ state: string; self: string }>;
  closeCubes(): Promise<void>;
};
type Chat = HTMLElement & { send(t: string): Promise<void>; startPrivate(): Promise<void> };

let xmpp: RunningProsody;

beforeAll(async () => {
  xmpp = await startProsody({
    port: 0,
    name: `vitest-isolated-connectycube-${process.pid}`,
    users: [ALICE, BOB].map((id) => ({ user: ccUser(id, APP_ID), password: password(id) })),
  });
}, 300_000); // room for `apt-get install prosody` on a fresh machine

afterAll(async () => {
  await xmpp?.stop();
});

/** pages/cube-host.html in `context`, with the fixture's same-site frame origin (as openHost sets it). */
async function openCubeHost(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`));
  await page.goto(hostUrl(setup.origins()).replace('/host.html?', '/cube-host.html?'));
  await page.waitForFunction(() => (window as unknown as CubeWin).cubeReady === true && typeof (window as unknown as CubeWin).mount === 'function');
  return page;
}

/** The wiretap's entries sent by `from` to `to` (full or bare JIDs). */
const sent = (entries: WiretapEntry[], from: number, to: number) =>
  entries.filter((e) => e.from?.startsWith(`${ccUser(from, APP_ID)}@`) && e.to?.startsWith(`${ccUser(to, APP_ID)}@`));

describe('isolated mode over the real ConnectyCube SDK and Prosody', () => {
  it('AKE, a message each way, the page hears no text and only ?OTR crosses the server', async () => {
    const context = await setup.browser().newContext({ viewport: { width: 1280, height: 1000 } });
    const pages: Page[] = [];
    try {
      const page = await openCubeHost(context);
      const bobPage = await openCubeHost(context);
      pages.push(page, bobPage);
      const run = `${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;
      const common = { appId: APP_ID, url: xmpp.url };
      const alice = await page.evaluate((o) => (window as unknown as CubeWin).cube('alice', o), {
        ...common,
        userId: ALICE,
        password: password(ALICE),
        peerId: BOB,
        isolated: true,
        identity: `cc-alice-${run}`,
      });
      const bob = await bobPage.evaluate((o) => (window as unknown as CubeWin).cube('bob', o), {
        ...common,
        userId: BOB,
        password: password(BOB),
        peerId: ALICE,
        isolated: false,
        identity: `cc-bob-${run}`,
      });
      expect(alice).toEqual({ state: 'connected', self: String(ALICE) });
      expect(bob).toEqual({ state: 'connected', self: String(BOB) });
      await waitForEvents(page, 'alice', (e) => e.some((x) => x.name === 'e2ee-frame'), 'alice frame up');

      // AKE, started by Alice's page: both sides private.
      await page.evaluate(() => (document.getElementById('alice') as Chat).startPrivate());
      await waitForEvents(page, 'alice', (e) => lastState(e) === 'encrypted', 'alice private');
      await waitForEvents(bobPage, 'bob', (e) => lastState(e) === 'encrypted', 'bob private');
      const frame = await frameOf(page, 'alice');
      await expect.poll(() => frame.locator('[part=status]').getAttribute('data-state'), { timeout: 10_000 }).toBe('encrypted');

      // The person types into Alice's frame; Bob's element reads it, encrypted.
      await typeInFrame(frame, OUT);
      const bobEvents = await waitForEvents(
        bobPage,
        'bob',
        (e) => e.some((x) => x.name === 'e2ee-message' && x.detail.direction === 'in'),
        'bob reads alice',
      );
      const bobIn = bobEvents.filter((x) => x.name === 'e2ee-message' && x.detail.direction === 'in');
      expect(bobIn.map((m) => [m.detail.peer, m.detail.text, m.detail.encrypted])).toEqual([[String(ALICE), OUT, true]]);

      // Bob answers; the frame shows it, Alice's page hears both messages without their text.
      await bobPage.evaluate((t) => (document.getElementById('bob') as Chat).send(t), IN);
      await expect.poll(() => shownTexts(frame), { timeout: 15_000 }).toEqual([OUT, IN]);
      await waitForEvents(page, 'alice', (e) => e.filter((x) => x.name === 'e2ee-message').length === 2, 'alice page hears two messages');
      const aliceEvents = await eventsOf(page, 'alice');
      const messages = aliceEvents.filter((e) => e.name === 'e2ee-message');
      expect(messages.map((m) => [m.detail.peer, m.detail.direction, m.detail.encrypted, m.detail.text, m.detail.textWithheld])).toEqual([
        [String(BOB), 'out', true, '', true],
        [String(BOB), 'in', true, '', true],
      ]);
      expect(lastState(aliceEvents)).toBe('encrypted');
      expect(aliceEvents.filter((e) => e.name === 'e2ee-error')).toEqual([]);
      expect(JSON.stringify(aliceEvents)).not.toContain(IN);
      expect(JSON.stringify(aliceEvents)).not.toContain(OUT);

      // The server saw only OTR wire text between the two, and neither plaintext anywhere.
      const entries = xmpp.readWiretap();
      const bodies = (from: number, to: number) =>
        sent(entries, from, to)
          .map((e) => e.body)
          .filter((b): b is string => b !== null);
      const aliceToBob = bodies(ALICE, BOB);
      const bobToAlice = bodies(BOB, ALICE);
      expect(aliceToBob.length).toBeGreaterThanOrEqual(3); // query / DH key / signature, then the data message
      expect(bobToAlice.length).toBeGreaterThanOrEqual(3); // DH commit / reveal signature, then the data message
      for (const body of [...aliceToBob, ...bobToAlice]) expect(body.slice(0, 4)).toBe('?OTR');
      expect(aliceToBob.filter((b) => b.startsWith('?OTR:AAMD')).length).toBeGreaterThanOrEqual(1); // v3 data message
      expect(bobToAlice.filter((b) => b.startsWith('?OTR:AAMD')).length).toBeGreaterThanOrEqual(1);
      const raw = readFileSync(xmpp.wiretapFile, 'utf8');
      expect(raw).not.toContain(OUT);
      expect(raw).not.toContain(IN);
      console.log(
        `[isolated-connectycube] wiretap: ${aliceToBob.length} bodies alice→bob, ${bobToAlice.length} bob→alice, ${entries.length} entries in all`,
      );
    } finally {
      await Promise.all(pages.map((p) => p.evaluate(() => (window as unknown as CubeWin).closeCubes()).catch(() => undefined)));
      await context.close();
    }
  }, 180_000);
});
