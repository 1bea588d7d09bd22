#!/usr/bin/env node
// Writes PNGs of the trust UI into screenshots/ (git-ignored): the Verify
// dialog in each mode, the SMP answer prompt and outcome, the Keys panel with
// its "new key" confirmation, and the key-change warning.
import { out, screenshotSession } from './screenshot-session.mjs';

const session = await screenshotSession();
const { context } = session;
const page = await context.newPage();
await page.setViewportSize({ width: 1100, height: 900 });
const shot = async (name) => {
  await page.screenshot({ path: `${out}/${name}.png` });
  console.log(`wrote ${out}/${name}.png`);
};
const alice = (s) => page.locator('#chat-alice').locator(s);
const bob = (s) => page.locator('#chat-bob').locator(s);
try {
  await page.goto(session.url);
  await alice('[part=start-button]').click({ timeout: 90_000 });
  await bob('[part=status][data-state=encrypted]').waitFor({ timeout: 90_000 });
  await alice('[part=menu-button]').click();
  await alice('[part=verify-button]').click();
  await alice('#question').fill('Where did we first meet?');
  await shot('verify-question-and-answer');
  await alice('[role=tab]').nth(1).click();
  await shot('verify-shared-secret');
  await alice('[role=tab]').nth(2).click();
  await shot('verify-fingerprint');
  await alice('[role=tab]').nth(0).click();
  await alice('#question').fill('Where did we first meet?');
  await alice('#secret').fill('Zermatt');
  await alice('section[role=dialog] button[type=submit]').click();
  await bob('#answer').waitFor({ timeout: 60_000 });
  await shot('verify-answer-prompt');
  await bob('#answer').fill('Zermatt');
  await bob('section[role=dialog] button[type=submit]').click();
  await alice('.outcome.succeeded').waitFor({ timeout: 90_000 });
  await shot('verify-succeeded');
  await bob('section[role=dialog] [aria-label=Close]').click().catch(() => undefined);
  await alice('section[role=dialog] [aria-label=Close]').click().catch(() => undefined);
  await alice('[part=menu-button]').click();
  await alice('[part=fingerprints-button]').click();
  await alice('[part=regenerate-key]').click();
  await shot('keys-panel-confirm-new-key');
  await alice('[part=confirm-regenerate]').click();
  await bob('[part=status][data-state=plaintext]').or(bob('[part=status][data-state=finished]')).waitFor({ timeout: 90_000 });
  await bob('header [part=start-button]').click({ timeout: 90_000 }); // "Start again": the new AKE shows Alice's new key
  await bob('[part=key-change]').waitFor({ timeout: 90_000 });
  await shot('key-change-warning');
} finally {
  await session.close();
}
