// Shared set-up of the screenshot scripts: the demo served by Vite on a free loopback port, and a
// headless Chromium. Pictures go to screenshots/ (git-ignored).
import { createServer } from 'vite';
import { mkdirSync } from 'node:fs';
import { launchChromium } from './chromium.mjs';

export const out = 'screenshots';

/** Start the server and the browser; `close()` stops both. */
export async function screenshotSession() {
  mkdirSync(out, { recursive: true });
  const server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1', hmr: false }, logLevel: 'warn' });
  await server.listen();
  const context = await launchChromium();
  return {
    url: server.resolvedUrls.local[0],
    context,
    close: async () => {
      await context.close();
      await server.close();
    },
  };
}
