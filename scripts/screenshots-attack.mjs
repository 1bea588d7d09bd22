#!/usr/bin/env node
// Writes screenshots/attack-second-ake.png: Bob's element right after an attacker ran a second AKE,
// with Alice's copied instance tag, inside a verified conversation (test/ui/fixtures/key-change-attack.*).
import { out, screenshotSession } from './screenshot-session.mjs';

const session = await screenshotSession();
const { context } = session;
const page = await context.newPage();
await page.setViewportSize({ width: 640, height: 620 });
try {
  await page.goto(new URL('/test/ui/fixtures/key-change-attack.html', session.url).href);
  await page.locator('body[data-done]').waitFor({ timeout: 120_000 });
  const state = await page.locator('body').getAttribute('data-done');
  if (state !== 'encrypted') throw new Error(`Bob shows ${state} after the attacker's AKE`);
  await page.locator('#chat-bob, e2ee-chat').first().locator('[part=key-change]').waitFor({ timeout: 10_000 });
  await page.screenshot({ path: `${out}/attack-second-ake.png` });
  console.log(`wrote ${out}/attack-second-ake.png (Bob shows: ${state}, with the key-change warning)`);
} finally {
  await session.close();
}
