// Isolated mode end to end, in real Chromium on two origins with the built package: a whole
// conversation between an isolated element (its chat in the frame) and an ordinary one, typed and
// read the way a person does, SMP included, then a reload and a key change.
import { describe, expect, it } from 'vitest';
import { eventsOf, frameOf, lastState, openHost, privatePair, shownTexts, typeInFrame, useIsolatedSetup, waitForEvents } from './isolated-fixture.js';

const setup = useIsolatedSetup();

type Chat = HTMLElement & { state: string; send(t: string): Promise<void>; regenerateKey(): Promise<void>; exportPrivateKey(): Promise<string> };

describe('isolated mode: a whole conversation', () => {
  it('AKE, messages both ways, SMP, reload and a key change notice, with the page hearing states but no text', async () => {
    const context = await setup.browser().newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await openHost(setup.browser(), setup.origins(), { context });
    // The frame runs under its own strict policy (frame.html): nothing it does may be refused by it.
    const refusedByCsp: string[] = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && refusedByCsp.push(m.text()));
    const run = String(Date.now());
    await privatePair(page, { run });
    const frame = await frameOf(page, 'alice');

    // The person types in the frame; Bob's ordinary element receives it encrypted.
    await typeInFrame(frame, 'hello from the frame');
    await waitForEvents(
      page,
      'bob',
      (e) => e.some((x) => x.name === 'e2ee-message' && x.detail.text === 'hello from the frame' && x.detail.encrypted === true),
      'bob reads alice',
    );
    await page.evaluate(() => (document.getElementById('bob') as Chat).send('hi alice, in the frame'));
    await expect.poll(() => shownTexts(frame), { timeout: 10_000 }).toEqual(['hello from the frame', 'hi alice, in the frame']);

    // The page heard both messages happen, and neither text.
    const alice = await eventsOf(page, 'alice');
    const messages = alice.filter((e) => e.name === 'e2ee-message');
    expect(messages.map((m) => [m.detail.direction, m.detail.encrypted, m.detail.text, m.detail.textWithheld])).toEqual([
      ['out', true, '', true],
      ['in', true, '', true],
    ]);
    expect(lastState(alice)).toBe('encrypted');
    // Without expose-text the page cannot write in the person's name either.
    const refused = await page.evaluate(() =>
      (document.getElementById('alice') as Chat).send('forged').then(
        () => 'sent',
        (e: { code?: string }) => e.code,
      ),
    );
    expect(refused).toBe('frame');
    // Nor take the key.
    expect(
      await page.evaluate(() =>
        (document.getElementById('alice') as Chat).exportPrivateKey().then(
          () => 'exported',
          (e: { code?: string }) => e.code,
        ),
      ),
    ).toBe('frame');

    // SMP: Bob asks a question in his Verify panel; the person answers it in the frame.
    const bob = page.locator('#bob');
    await bob.locator('[part=menu-button]').click();
    await bob.locator('[part=verify-button]').click();
    await bob.locator('e2ee-verify-dialog #question').fill('Where did we meet?');
    await bob.locator('e2ee-verify-dialog #secret').fill('the harbour');
    await bob.locator('e2ee-verify-dialog button[type=submit]').click();
    // The frame opens its Verify panel by itself, with Bob's question.
    const answer = frame.locator('e2ee-verify-dialog #answer');
    await answer.waitFor({ timeout: 30_000 });
    await expect.poll(() => frame.locator('e2ee-verify-dialog p[role=status]').innerText(), { timeout: 10_000 }).toContain('Where did we meet?');
    await answer.fill('the harbour');
    await frame.locator('e2ee-verify-dialog button[type=submit]').click();
    await waitForEvents(page, 'bob', (e) => lastState(e) === 'verified', 'bob verified alice', 30_000);
    await expect.poll(() => frame.locator('[part=status]').getAttribute('data-state'), { timeout: 10_000 }).toBe('encrypted'); // libotr semantics: only the asker trusts

    // Reload: the frame's storage (same site, other origin) keeps the conversation going.
    await page.reload();
    await page.waitForFunction(() => (window as { hostReady?: boolean }).hostReady === true);
    await page.evaluate((r) => (window as unknown as { pair: (o: object) => void }).pair({ run: r }), run);
    await waitForEvents(page, 'alice', (e) => e.some((x) => x.name === 'e2ee-frame'), 'frame up after reload');
    const frame2 = await frameOf(page, 'alice');
    await page.evaluate(() => (document.getElementById('alice') as unknown as { startPrivate(): Promise<void> }).startPrivate());
    await waitForEvents(page, 'alice', (e) => lastState(e) === 'encrypted', 'alice private after reload');
    await waitForEvents(page, 'bob', (e) => lastState(e) === 'verified', 'bob still trusts alice after reload', 30_000);
    await typeInFrame(frame2, 'after the reload');
    await waitForEvents(
      page,
      'bob',
      (e) => e.some((x) => x.name === 'e2ee-message' && x.detail.text === 'after the reload'),
      'bob reads alice after reload',
    );
    // Alice's key survived the reload: Bob sees the key he verified, not a new one.
    const bobTrust = (await eventsOf(page, 'bob')).filter((e) => e.name === 'e2ee-trust');
    expect(bobTrust.every((t) => t.detail.replacesVerified === false)).toBe(true);

    // Key change: Alice verifies Bob by fingerprint in the frame, then Bob's key is replaced.
    await frame2.locator('[part=menu-button]').click();
    await frame2.locator('[part=verify-button]').click();
    await frame2.getByRole('tab', { name: /fingerprint/i }).click();
    await frame2.getByRole('button', { name: /mark.*verified/i }).click();
    await waitForEvents(page, 'alice', (e) => lastState(e) === 'verified', 'alice verified bob');
    await page.keyboard.press('Escape');
    await page.evaluate(() => (document.getElementById('bob') as Chat).regenerateKey());
    await page.evaluate(() => (document.getElementById('bob') as unknown as { startPrivate(): Promise<void> }).startPrivate());
    const changed = await waitForEvents(
      page,
      'alice',
      (e) => e.some((x) => x.name === 'e2ee-trust' && x.detail.replacesVerified === true),
      'key change reaches the page',
      30_000,
    );
    expect(lastState(changed)).toBe('encrypted'); // not verified any more
    await expect.poll(() => frame2.locator('[part=key-change]').count(), { timeout: 10_000 }).toBe(1);
    expect(refusedByCsp).toEqual([]);
    await context.close();
  }, 180_000);
});
