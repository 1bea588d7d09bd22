#!/usr/bin/env node
// Writes PNGs of the demo in each state into screenshots/ (git-ignored):
// keygen, plaintext, private, finished, error; at 800 px and 280 px widths.
import { createServer } from 'vite';
import { mkdirSync } from 'node:fs';
import { launchChromium } from './chromium.mjs';

const out = 'screenshots';
mkdirSync(out, { recursive: true });
const server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
await server.listen();
const url = server.resolvedUrls.local[0];
const context = await launchChromium();
const page = await context.newPage();
await page.setViewportSize({ width: 1100, height: 900 });
const shot = async (name) => {
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  console.log(`wrote ${out}/${name}.png`);
};
const inChat = (id, selector) => page.locator(`#${id}`).locator(selector);
try {
  await page.goto(url);
  await inChat('chat-alice', '[part=keygen]').waitFor({ timeout: 30_000 });
  await shot('keygen');
  await inChat('chat-alice', '[part=keygen]').waitFor({ state: 'detached', timeout: 60_000 });
  await inChat('chat-bob', '[part=keygen]').waitFor({ state: 'detached', timeout: 60_000 });
  await inChat('chat-alice', '[part=input]').fill('Hi Bob — this one goes out in plaintext.');
  await inChat('chat-alice', '[part=input]').press('Enter');
  await inChat('chat-bob', 'li.message.in').first().waitFor();
  await shot('plaintext');
  await inChat('chat-alice', '[part=start-button]').click();
  await inChat('chat-bob', '[part=status][data-state=encrypted]').waitFor({ timeout: 30_000 });
  await inChat('chat-bob', '[part=input]').fill('Now we are private. <img src=x onerror=alert(1)> مرحبا 👋');
  await inChat('chat-bob', '[part=input]').press('Enter');
  await inChat('chat-alice', 'li.message.in').nth(0).waitFor();
  await inChat('chat-alice', '[part=fingerprints-button]').click();
  await shot('private');
  await page.setViewportSize({ width: 300, height: 900 });
  await shot('private-narrow');
  await page.setViewportSize({ width: 1100, height: 900 });
  await inChat('chat-alice', '[part=end-button]').click();
  await inChat('chat-bob', '[part=status][data-state=finished]').waitFor();
  await shot('finished');
  await page.evaluate(() => document.querySelector('#chat-alice').transport.disconnect());
  await inChat('chat-alice', '[part=input]').fill('This will fail: the connection is down.');
  await inChat('chat-alice', '[part=input]').press('Enter');
  await inChat('chat-alice', '[part=error]').first().waitFor();
  await shot('error');
} finally {
  await context.close();
  await server.close();
}
