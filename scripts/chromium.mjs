// Shared Chromium launch for scripts (screenshots, bench, e2e): Debian's
// /usr/bin/chromium through playwright-core, with the flags this machine needs.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Launch headless Chromium with a fresh profile. */
export function launchChromium() {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'e2ee-chromium-')), {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  });
}
