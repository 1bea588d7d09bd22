// A @web/test-runner plugin that runs a private Prosody (scripts/prosody.mjs) for the
// browser tests of the ConnectyCube transport, and lets the page reach it:
//
//   GET  /__prosody__/config          { appId, chatDomain, websocketUrl, users: [{ userId, password }] }
//   GET  /__prosody__/wiretap         every client-sent <message/> so far: [{ from, to, type, id, body }]
//   POST /__prosody__/wiretap/clear   empty the wiretap file
//   POST /__prosody__/stop            stop the server (to break every connection for real)
//   POST /__prosody__/start           start it again on the same port, keeping accounts and offline messages
//
// Each run gets its own folder, .prosody/wtr-<pid>/ (the work tree may be shared by concurrent
// runs: scripts/prosody.mjs kills a Prosody left running on the same folder), removed on stop.
// Prosody starts in `serverStart` (in the background: browsers launch meanwhile; a request
// waits for it) on a free port, with the test users registered, and stops in `serverStop`.
// scripts/prosody.mjs also kills it when this process exits or dies, so no orphan stays behind.
// A failed start fails only the requests (HTTP 503 with the reason), not the other suites.
//
// Use:  const prosody = wtrProsody();
//       export default { middleware: [prosody.middleware, ...], plugins: [prosody.plugin, ...] };
import { rmSync } from 'node:fs';
import { ccUser, startProsody } from './prosody.mjs';

/** The ConnectyCube app id the test users belong to (any number; no REST calls are made). */
export const TEST_APP_ID = 42;
/** Test user ids: 3001…3012. Each test file takes its own so offline messages never cross tests. */
export const TEST_USER_IDS = Array.from({ length: 12 }, (_, i) => 3001 + i);
const PREFIX = '/__prosody__/';

const password = (userId) => `pw-${userId}`;

/**
 * Build the plugin and its middleware. Options: `name` (folder under .prosody/,
 * default `wtr-<pid>`; removed when the server stops), `log` (default console.log for the start-up line).
 * @returns {{ plugin: import('@web/dev-server-core').Plugin, middleware: (ctx: import('koa').Context, next: () => Promise<void>) => Promise<void> }}
 */
export function wtrProsody({ name = `wtr-${process.pid}`, log = (line) => console.log(line) } = {}) {
  const users = TEST_USER_IDS.map((userId) => ({ userId, user: ccUser(userId, TEST_APP_ID), password: password(userId) }));
  /** @type {Promise<import('./prosody.mjs').RunningProsody> | undefined} */
  let running;
  let dir;
  let port = 0;
  let stopped = false;

  const start = (fresh) => {
    running = startProsody({ port, name, fresh, users: fresh ? users : [], log });
    running.then((server) => { port = server.port; dir = server.dir; }, (error) => {
      console.error(`[wtr-prosody] Prosody did not start: ${error instanceof Error ? error.message : error}`);
    });
    return running;
  };
  const stop = async () => {
    const server = await running?.catch(() => undefined);
    running = undefined;
    await server?.stop();
  };

  const plugin = {
    name: 'prosody',
    serverStart() {
      if (!running && !stopped) void start(true).catch(() => undefined);
    },
    async serverStop() {
      stopped = true;
      await stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };

  async function handle(ctx, route) {
    const method = ctx.method;
    if (route === 'start' && method === 'POST') {
      if (!running) await start(false);
      const server = await running;
      return { url: server.url, startupMs: server.startupMs };
    }
    if (route === 'stop' && method === 'POST') {
      await stop();
      return { stopped: true };
    }
    if (!running) throw Object.assign(new Error('Prosody is stopped: POST /__prosody__/start first'), { status: 409 });
    const server = await running;
    if (route === 'config' && method === 'GET') {
      return {
        appId: TEST_APP_ID,
        chatDomain: server.domain,
        websocketUrl: server.url,
        users: users.map(({ userId, password: pw }) => ({ userId, password: pw })),
      };
    }
    if (route === 'wiretap' && method === 'GET') return server.readWiretap();
    if (route === 'wiretap/clear' && method === 'POST') {
      server.clearWiretap();
      return { cleared: true };
    }
    throw Object.assign(new Error(`no such route: ${method} ${PREFIX}${route}`), { status: 404 });
  }

  /** Koa middleware answering `/__prosody__/*`; everything else goes on. */
  async function middleware(ctx, next) {
    if (!ctx.path.startsWith(PREFIX)) return next();
    const route = ctx.path.slice(PREFIX.length);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/json';
    try {
      ctx.body = JSON.stringify(await handle(ctx, route));
    } catch (error) {
      ctx.status = error?.status ?? 503;
      ctx.body = JSON.stringify({ error: error instanceof Error ? error.message : String(error) });
    }
  }

  return { plugin, middleware };
}
