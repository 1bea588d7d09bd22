// Isolated mode against its own host page: a hostile script runs before the page's code
// (pages/hostile.js taps every message path and every keystroke) and again after the element, and
// tries to read, forge and fake. Every attempt must fail, and each has its assertion here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  eventsOf,
  frameOf,
  lastState,
  openHost,
  privateAcrossTabs,
  shownTexts,
  typeInFrame,
  useIsolatedSetup,
  type Recorded,
} from './isolated-fixture.js';

const setup = useIsolatedSetup();
const hostile = readFileSync(join(import.meta.dirname, 'pages/hostile.js'), 'utf8');

interface Attack {
  traffic: { where: string; data: unknown }[];
  ports: MessagePort[];
  keys: number;
}
type Win = Window & { __attack: Attack; transports: Record<string, { self: string }> };
const SECRET_OUT = 'alice secret: the cake 7731';
const SECRET_IN = 'bob secret: the harbour 4402';

const received = (bobPage: Page, text: string) =>
  eventsOf(bobPage, 'bob').then((e) => e.some((x) => x.name === 'e2ee-message' && x.detail.text === text));
const errors = (events: Recorded[], code: string) => events.filter((e) => e.name === 'e2ee-error' && e.detail.code === code);

/**
 * Alice's isolated chat on a page that runs the hostile script first; Bob in a tab of his own (so
 * that nothing on Alice's page may carry text); a message each way.
 */
async function attackedPair(): Promise<{ page: Page; bobPage: Page; frame: Frame; ids: { alice: string; bob: string } }> {
  const page = await openHost(setup.browser(), setup.origins(), { initScript: hostile });
  const bobPage = await openHost(setup.browser(), setup.origins(), { context: page.context() });
  const ids = await privateAcrossTabs(page, bobPage);
  const frame = await frameOf(page, 'alice');
  await page.evaluate(() => ((window as unknown as Win).__attack.keys = 0));
  await typeInFrame(frame, SECRET_OUT);
  await expect.poll(() => received(bobPage, SECRET_OUT), { timeout: 10_000 }).toBe(true);
  await bobPage.evaluate((t) => (document.getElementById('bob') as unknown as { send(t: string): Promise<void> }).send(t), SECRET_IN);
  await expect.poll(() => shownTexts(frame), { timeout: 10_000 }).toContain(SECRET_IN);
  return { page, bobPage, frame, ids };
}

describe('isolated mode: a hostile host page', () => {
  it('reads nothing: not the shadow root, the frame DOM, the database, the bridge traffic, nor a keystroke', async () => {
    const { page, ids } = await attackedPair();
    const found = await page.evaluate(async (identity) => {
      const el = document.getElementById('alice')!;
      const iframe = el.shadowRoot!.querySelector('iframe')!;
      let frameDocument = 'readable';
      try {
        void iframe.contentWindow!.document.body;
      } catch (error) {
        frameDocument = (error as Error).name;
      }
      const names = (await indexedDB.databases()).map((d) => d.name ?? '');
      // Opening the engine's database by its name gets a new, empty one of the page's own.
      const stores = await new Promise<number>((resolve) => {
        const request = indexedDB.open(`e2ee-chat:${identity}`);
        request.onsuccess = () => resolve(request.result.objectStoreNames.length);
        request.onerror = () => resolve(-1);
      });
      const attack = (window as unknown as Win).__attack;
      return {
        shadow: el.shadowRoot!.innerHTML.replace(/<!--[^]*?-->/g, ''),
        shadowText: el.shadowRoot!.textContent,
        contentDocument: iframe.contentDocument,
        frameDocument,
        names,
        stores,
        traffic: JSON.stringify(attack.traffic),
        bodies: attack.traffic.flatMap((t) => {
          const d = t.data as { t?: string; body?: string } | null;
          return d && (d.t === 'incoming' || d.t === 'send') ? [d.body ?? ''] : [];
        }),
        keys: attack.keys,
      };
    }, ids.alice);
    expect(found.shadow).toMatch(/^<div class="shell ?"><iframe [^>]*><\/iframe><\/div>$/);
    expect(found.shadowText).not.toContain('secret');
    expect(found.contentDocument).toBeNull();
    expect(found.frameDocument).toBe('SecurityError');
    // Only Bob's tab (an ordinary element on this origin) has a database here; nothing of Alice's.
    expect(found.names).toEqual([`e2ee-chat:${ids.bob}`]);
    expect(found.stores).toBe(0);
    // The taps saw the bridge (so they worked), and on it only ?OTR wire text and public facts.
    expect(found.bodies.length).toBeGreaterThan(4);
    expect(found.bodies.every((b) => b.startsWith('?OTR'))).toBe(true);
    expect(found.traffic).not.toContain(SECRET_OUT);
    expect(found.traffic).not.toContain(SECRET_IN);
    expect(found.traffic).not.toMatch(/privkey|private_key|"x":|"priv/i);
    expect(found.keys).toBe(0); // the person typed a whole message in the frame; the page heard no key
    await page.context().close();
  }, 60_000);

  it('forges nothing: a second hello, a hello from another window, malformed, forged and replayed bridge messages, a fake ready', async () => {
    const { page, bobPage, frame, ids } = await attackedPair();
    const outcome = await page.evaluate(async (bob) => {
      const attack = (window as unknown as Win).__attack;
      const iframe = document.getElementById('alice')!.shadowRoot!.querySelector('iframe')!;
      const heard: unknown[] = [];
      // 1. A hello of the page's own, with its own port: the frame took one already.
      const own = new MessageChannel();
      own.port1.onmessage = (e) => heard.push(e.data);
      iframe.contentWindow!.postMessage({ e2eeHost: 'hello', version: '1' }, '*', [own.port2]);
      // 2. A hello from another window of the page (a child frame of its own), not the frame's parent.
      const child = document.createElement('iframe');
      document.body.append(child);
      (window as unknown as { childHeard: unknown[] }).childHeard = heard;
      (child.contentWindow as unknown as { eval(code: string): void }).eval(`
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => parent.childHeard.push(e.data);
        parent.document.getElementById('alice').shadowRoot.querySelector('iframe').contentWindow.postMessage({ e2eeHost: 'hello', version: '1' }, '*', [channel.port2]);
      `);
      // 3. On the real bridge port (the tap caught the element's channel): malformed, a call the page may not make, forged and replayed input.
      const port = attack.ports[0]!;
      port.postMessage({ t: 'call', id: -1, method: 'exportPrivateKey' });
      port.postMessage({ t: 'call', id: 424242, method: 'send', arg: 'forged by the page' });
      port.postMessage({ t: 'incoming', id: 424243, from: bob, body: 'forged plaintext from the page', at: Date.now() });
      // The replay: the wire text that carried Bob's message (the last input before the frame first reported one).
      const shown = attack.traffic.findIndex((t) => {
        const d = t.data as { t?: string; name?: string; detail?: { direction?: string } } | null;
        return t.where === 'port.onmessage' && d?.t === 'event' && d.name === 'e2ee-message' && d.detail?.direction === 'in';
      });
      const replay = attack.traffic
        .slice(0, shown)
        .map((t) => t.data as { t?: string; body?: string; from: string })
        .filter((d) => d?.t === 'incoming' && d.body?.startsWith('?OTR:AAMD'))
        .at(-1)!;
      port.postMessage({ t: 'incoming', id: 424244, from: replay.from, body: replay.body, at: Date.now() });
      // 4. A fake ready, to make the element trust another frame.
      window.postMessage({ e2eeFrame: 'ready', version: '1', overlayGuard: true }, '*');
      await new Promise((r) => setTimeout(r, 1500));
      return { heard };
    }, ids.bob);
    expect(outcome.heard).toEqual([]); // no port but the element's ever got an answer
    const alice = await eventsOf(page, 'alice');
    const refusals = errors(alice, 'frame').map((e) => String(e.detail.message));
    expect(refusals.some((m) => m.includes('second connection'))).toBe(true);
    expect(refusals.some((m) => m.includes('malformed'))).toBe(true);
    expect(refusals.filter((m) => m.includes('second connection'))).toHaveLength(1); // the child frame's hello was not even heard
    expect(alice.filter((e) => e.name === 'e2ee-frame')).toHaveLength(1);
    expect(await received(bobPage, 'forged by the page')).toBe(false);
    // The forged plaintext shows as what it is, not as private; the replay is not shown again.
    const messages = alice.filter((e) => e.name === 'e2ee-message' && e.detail.direction === 'in');
    expect(messages.map((m) => m.detail.encrypted)).toEqual([true, false]);
    // Warnings stay in the timeline (they are not e2ee-error events): the person sees the replay was ignored.
    await expect.poll(() => frame.locator('[part~=error][data-code=repeated]').count(), { timeout: 5_000 }).toBe(1);
    expect((await shownTexts(frame)).filter((t) => t === SECRET_IN)).toHaveLength(1);
    expect(lastState(alice)).toBe('encrypted');
    // And the conversation goes on.
    await typeInFrame(frame, 'still private');
    await expect.poll(() => received(bobPage, 'still private'), { timeout: 10_000 }).toBe(true);
    await page.context().close();
  }, 60_000);

  for (const [trick, css] of [
    ['a fake pill drawn over the frame', ''],
    ['opacity', 'opacity: 0.02'],
    ['clip-path', 'clip-path: inset(0 0 70% 0)'],
    ['transform', 'transform: rotate(0.5deg)'],
  ] as const) {
    it(`holds Send and Verify while the page uses ${trick}, and says why; input counts again once the chat is in view`, async () => {
      const { page, bobPage, frame } = await attackedPair();
      await page.evaluate((style) => {
        const el = document.getElementById('alice')!;
        if (style) el.style.cssText += `;${style}`;
        else {
          const pill = document.createElement('div');
          pill.id = 'fake';
          pill.textContent = 'Encrypted · verified';
          const box = el.getBoundingClientRect();
          pill.style.cssText = `position:fixed;left:${box.left + 8}px;top:${box.top + 8}px;padding:2px 8px;background:#fff;color:#1a7f37;pointer-events:none;z-index:9`;
          document.body.append(pill);
        }
      }, css);
      await expect.poll(() => frame.locator('[part=input-held]').count(), { timeout: 5_000 }).toBe(1);
      expect(await frame.locator('[part=input-held]').innerText()).toMatch(/off/);
      expect(await frame.locator('form[part=composer]').evaluate((f) => (f as HTMLFormElement).inert)).toBe(true);
      expect(await frame.locator('e2ee-verify-dialog').evaluate((d) => (d as HTMLElement).inert)).toBe(true);
      // The person clicks where the composer is and types: nothing is sent.
      const box = (await page.locator('#alice').boundingBox())!;
      await page.mouse.click(box.x + 40, box.y + box.height - 30);
      await page.keyboard.type('typed into a hidden chat');
      await page.keyboard.press('Enter');
      await new Promise((r) => setTimeout(r, 500));
      expect(await received(bobPage, 'typed into a hidden chat')).toBe(false);
      // Back in plain view, after the settle time, the chat takes input again.
      await page.evaluate(() => {
        document.getElementById('fake')?.remove();
        document.getElementById('alice')!.style.cssText = '';
      });
      await expect.poll(() => frame.locator('[part=input-held]').count(), { timeout: 5_000 }).toBe(0);
      await typeInFrame(frame, 'in plain view');
      await expect.poll(() => received(bobPage, 'in plain view'), { timeout: 10_000 }).toBe(true);
      await page.context().close();
    }, 60_000);
  }
});
