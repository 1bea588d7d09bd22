#!/usr/bin/env node
// Writes screenshots/ux-<scheme>-<width>-<step>.png: every state and timeline notice of the demo,
// at 1280 px (both chats) and 360 px (one chat), in light and dark. README's gallery uses some.
import { out, screenshotSession } from './screenshot-session.mjs';

const session = await screenshotSession();
const { context } = session;
try {
  for (const scheme of ['light', 'dark']) await run(scheme);
} finally {
  await session.close();
}

async function run(scheme) {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: scheme });
  const alice = (s) => page.locator('#chat-alice').locator(s);
  const bob = (s) => page.locator('#chat-bob').locator(s);
  /** Both widths: the page at 1280, then `who`'s element at 360. */
  const shot = async (step, who = 'alice') => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.waitForTimeout(150);
    await page.locator('#chat-alice').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${out}/ux-${scheme}-1280-${step}.png` });
    await page.setViewportSize({ width: 360, height: 760 });
    await page.waitForTimeout(150);
    await page.locator(`#chat-${who}`).screenshot({ path: `${out}/ux-${scheme}-360-${step}.png` });
    console.log(`wrote ${out}/ux-${scheme}-{1280,360}-${step}.png`);
    await page.setViewportSize({ width: 1280, height: 860 });
  };
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto(session.url);
  for (const chat of [alice, bob]) await chat('[part=keygen]').waitFor({ state: 'detached', timeout: 90_000 });
  await alice('[part=input]').fill('Hi Bob, this one goes out in plaintext.');
  await alice('[part=input]').press('Enter');
  await bob('li.message.in').first().waitFor();
  await shot('plaintext');
  await alice('header [part=start-button]').click();
  await bob('[part=status][data-state=encrypted]').waitFor({ timeout: 60_000 });
  await bob('[part=input]').fill('Now we are private. مرحبا 👋');
  await bob('[part=input]').press('Enter');
  await alice('li.message.in').first().waitFor();
  await shot('private-not-verified');
  await alice('[part=menu-button]').click();
  await shot('menu');
  await alice('[part=verify-button]').click();
  await alice('#question').fill('Where did we first meet?');
  await alice('#secret').fill('Zermatt');
  await shot('verify-panel');
  await alice('section[role=dialog] button[type=submit]').click();
  await bob('#answer').waitFor({ timeout: 60_000 });
  await bob('#answer').fill('Zermatt');
  await shot('verify-asked', 'bob');
  await bob('section[role=dialog] button[type=submit]').click();
  await bob('li[data-kind=smp-answered]').waitFor({ timeout: 60_000 });
  await alice('[part=status][data-state=verified]').waitFor({ timeout: 60_000 });
  await shot('verified-asker');
  await shot('answered-not-verified', 'bob');
  await bob('section[role=dialog] [aria-label=Close]').click().catch(() => undefined);
  await alice('header [part=end-button]').click();
  await bob('li[data-kind=ended-by-peer]').waitFor();
  await shot('ended-by-peer', 'bob');
  await page.evaluate(() => document.querySelector('#chat-alice').transport.disconnect());
  await alice('[part=input]').fill('This will fail: the connection is down.');
  await alice('[part=input]').press('Enter');
  await alice('li[part~=error]').first().waitFor();
  await alice('li[part~=error] summary').first().click();
  await shot('error-with-details');
  await page.evaluate(() => document.querySelector('#chat-alice').transport.connect());
  await alice('[part=menu-button]').click();
  await alice('[part=fingerprints-button]').click();
  await alice('[part=regenerate-key]').click();
  await shot('keys-confirm-new-key');
  await alice('[part=confirm-regenerate]').click();
  await bob('header [part=start-button]').click({ timeout: 60_000 }); // "Start again" after Alice's new key
  await bob('li[data-kind=key-changed]').waitFor({ timeout: 90_000 });
  await shot('key-changed-not-verified', 'bob');
  // Bob makes a new key too: Alice had verified him, so she gets the loud warning.
  await bob('[part=menu-button]').click();
  await bob('[part=fingerprints-button]').click();
  await bob('[part=regenerate-key]').click();
  await bob('[part=confirm-regenerate]').click();
  await alice('header [part=start-button]').click({ timeout: 60_000 });
  await alice('[part=key-change]').waitFor({ timeout: 90_000 });
  await shot('key-changed-verified');
  // Someone on the path injects ?OTRv2?: the conversation moves to the old protocol, visibly.
  await page.evaluate(() => document.querySelector('#chat-alice').engine.receive('bob', '?OTRv2?'));
  await alice('li[data-kind=version-changed]').waitFor({ timeout: 60_000 });
  await shot('version-changed');
  await page.close();
}
