// Browser tests in real Chromium. Vite runs in middleware mode inside WTR's
// server, so tests get the same transforms and otr aliases as the app
// (vite.config.ts). Test files: test/**/*.browser.test.ts. A private Prosody
// (scripts/wtr-prosody.mjs) runs alongside for the real-XMPP tests.
import { createServer } from 'vite';
import { chromeLauncher } from '@web/test-runner-chrome';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wtrProsody } from './scripts/wtr-prosody.mjs';
import { buildShipped, serveStatic } from './scripts/build-shipped.mjs';

// A private Prosody for the ConnectyCube tests (test/e2e), reachable from the page under /__prosody__/.
const prosody = wtrProsody();

const chromiumArgs = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

let vite;
const viteOwns = (path) => /^\/(src|test|node_modules\/\.vite|@vite|@fs|@id|@react-refresh)\//.test(path) || path.startsWith('/node_modules/') && !path.startsWith('/node_modules/@web/');

/** WTR's own browser modules (used by @web/test-runner-commands) are WTR's to serve, not Vite's to resolve. */
const wtrOwnModules = {
  name: 'wtr-own-modules',
  resolveId: (id) => (id === '/__web-dev-server__web-socket.js' ? { id, external: true } : undefined),
};

/** Koa middleware handing Vite's paths to Vite's connect stack. */
async function viteMiddleware(ctx, next) {
  if (!viteOwns(ctx.path)) return next();
  vite ??= await createServer({ configFile: 'vite.config.ts', server: { middlewareMode: true, hmr: false }, appType: 'custom', logLevel: 'warn', plugins: [wtrOwnModules] });
  const handled = await new Promise((resolve) => {
    ctx.res.once('finish', () => resolve(true));
    vite.middlewares(ctx.req, ctx.res, () => resolve(false));
  });
  if (handled) ctx.respond = false;
  else await next();
}

// The production build (vite build of bench/shipped/), served under /__built__/ for
// test/worker/built-bundle.browser.test.ts. Built once, on the first request.
let built;
async function builtMiddleware(ctx, next) {
  if (!ctx.path.startsWith('/__built__/')) return next();
  built ??= buildShipped(join(tmpdir(), `e2ee-built-${process.pid}`));
  const handled = serveStatic((await built).outDir, '/__built__/')(ctx.req, ctx.res);
  if (handled) ctx.respond = false;
  else await next();
}

export default {
  files: process.env.WTR_FILES ? process.env.WTR_FILES.split(',') : ['test/**/*.browser.test.ts'],
  concurrency: 1,
  nodeResolve: false,
  testsFinishTimeout: 10 * 60_000,
  browserStartTimeout: 60_000,
  testFramework: { config: { timeout: 180_000 } },
  middleware: [prosody.middleware, builtMiddleware, viteMiddleware],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        args: [...chromiumArgs, `--user-data-dir=${mkdtempSync(join(tmpdir(), 'e2ee-wtr-'))}`],
      },
    }),
  ],
  plugins: [prosody.plugin, { name: 'close-vite', serverStop: () => vite?.close() }],
};
