// Encrypted files in isolated mode: the person attaches a file inside the frame (a real file chooser)
// and it reaches an ordinary element; a picture comes back and shows as a thumbnail in the frame.
// Between the frame and the page only ciphertext crosses: the page's store holds no file and no name,
// and the page's events give the file's size and type but not its name.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventsOf, frameOf, openHost, privatePair, useIsolatedSetup, waitForEvents } from './isolated-fixture.js';

const setup = useIsolatedSetup();
const SECRET = 'the-merger-plan-2027';

type StoreWindow = Window & { e2ee: { MemoryFileStore: new (space: string) => { entries(): [string, Uint8Array][] } } };
const stored = (page: Page, space: string) =>
  page.evaluate(
    (s) =>
      new (window as unknown as StoreWindow).e2ee.MemoryFileStore(s).entries().map(([at, c]) => ({ at, text: new TextDecoder('latin1').decode(c) })),
    space,
  );

describe('isolated mode: encrypted files', () => {
  it('a file attached in the frame reaches the ordinary element, a picture comes back as a thumbnail, and the page sees ciphertext only', async () => {
    const page = await openHost(setup.browser(), setup.origins());
    const space = `iso-files-${Date.now()}`;
    await privatePair(page, { files: space });
    const frame = await frameOf(page, 'alice');
    // The person picks a file in the frame's own file chooser, once the chat takes input (fully in view for 0.5 s).
    await expect.poll(() => frame.locator('[part=input-held]').count(), { timeout: 5_000 }).toBe(0);
    await frame
      .locator('[part=attach-button] input[type=file]')
      .setInputFiles({ name: `${SECRET}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`contents of ${SECRET}`) });
    await waitForEvents(
      page,
      'bob',
      (e) => e.some((x) => x.name === 'e2ee-message' && (x.detail.file as { name?: string } | undefined)?.name === `${SECRET}.txt`),
      'Bob hears of the file',
    );
    const bobCard = page.locator('#bob [part=file]').filter({ hasText: SECRET });
    await expect.poll(() => bobCard.getAttribute('data-phase'), { timeout: 15_000 }).toBe('ready');
    const text = await bobCard.locator('a[part=save]').evaluate(async (a) => (await fetch((a as HTMLAnchorElement).href)).text());
    expect(text).toBe(`contents of ${SECRET}`);

    // Bob sends a picture; the frame shows it, decoded from the decrypted file.
    await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(40, 30);
      canvas.getContext('2d')!.fillRect(0, 0, 40, 30);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      await (document.getElementById('bob') as unknown as { sendFile(f: File): Promise<void> }).sendFile(
        new File([blob], 'holiday.png', { type: 'image/png' }),
      );
    });
    const thumb = frame.locator('img[part=thumbnail]');
    await expect.poll(() => thumb.evaluate((i) => (i as HTMLImageElement).naturalWidth).catch(() => 0), { timeout: 15_000 }).toBe(40);
    expect(await thumb.getAttribute('src')).toMatch(/^blob:/);

    // The page's store: ciphertext only. The page's events: no names.
    const kept = await stored(page, space);
    expect(kept).toHaveLength(2);
    expect(kept.some((k) => k.text.includes(SECRET) || k.text.includes('\x89PNG'))).toBe(false);
    const files = (await eventsOf(page, 'alice'))
      .filter((e) => e.name === 'e2ee-message' && e.detail.file)
      .map((e) => [e.detail.direction, e.detail.file]);
    expect(files).toEqual([
      ['out', { name: '', mediaType: 'text/plain', size: `contents of ${SECRET}`.length }],
      ['in', { name: '', mediaType: 'image/png', size: expect.any(Number) }],
    ]);
    await page.context().close();
  }, 90_000);
});
