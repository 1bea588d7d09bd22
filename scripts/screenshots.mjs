#!/usr/bin/env node
// Writes PNGs of the demo in each state into screenshots/ (git-ignored):
// keygen, plaintext, private, finished, error; at 800 px and 280 px widths.
// Then the real-server form (?cc=1) against a private Prosody: cc-form-error, cc-private.
import { createServer } from 'vite';
import { mkdirSync } from 'node:fs';
import { launchChromium } from './chromium.mjs';
import { ccUser, startProsody } from './prosody.mjs';

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
  await inChat('chat-alice', '[part~=error]').first().waitFor();
  await shot('error');
  await realServer();
} finally {
  await context.close();
  await server.close();
}

/** Two tabs chat through a real Prosody, each set up through the demo's settings form. */
async function realServer() {
  const appId = 1;
  const ids = [1001, 1002];
  const xmpp = await startProsody({ port: 0, name: 'screenshots', users: ids.map((id) => ({ user: ccUser(id, appId), password: `password${id}` })) });
  try {
    const open = async (me, peer, password) => {
      const tab = me === ids[0] ? page : await context.newPage();
      await tab.setViewportSize({ width: 1100, height: 900 });
      await tab.goto(`${url}?cc=1&appId=${appId}&domain=${xmpp.domain}&ws=${encodeURIComponent(xmpp.url)}&user=${me}&peer=${peer}`);
      await tab.locator('#cc-password').fill(password);
      await tab.locator('#cc-connect').click();
      return tab;
    };
    const alice = await open(ids[0], ids[1], 'wrong password');
    await alice.locator('#cc-error:not([hidden])').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${out}/cc-form-error.png`, fullPage: true });
    console.log(`wrote ${out}/cc-form-error.png`);
    await alice.locator('#cc-password').fill(`password${ids[0]}`);
    await alice.locator('#cc-connect').click();
    const bob = await open(ids[1], ids[0], `password${ids[1]}`);
    for (const tab of [alice, bob]) await tab.locator('#chat-cc [part=keygen]').waitFor({ state: 'detached', timeout: 60_000 });
    await alice.locator('#chat-cc [part=start-button]').click();
    await bob.locator('#chat-cc [part=status][data-state=encrypted]').waitFor({ timeout: 30_000 });
    await bob.locator('#chat-cc [part=input]').fill('Hello over a real XMPP server, encrypted end to end.');
    await bob.locator('#chat-cc [part=input]').press('Enter');
    await alice.locator('#chat-cc li.message.in').first().waitFor({ timeout: 30_000 });
    await alice.screenshot({ path: `${out}/cc-private.png`, fullPage: true });
    console.log(`wrote ${out}/cc-private.png`);
    const plain = xmpp.readWiretap().filter((m) => m.body && !m.body.startsWith('?OTR'));
    if (plain.length) throw new Error(`plaintext crossed the server: ${JSON.stringify(plain)}`);
  } finally {
    await xmpp.stop();
  }
}
