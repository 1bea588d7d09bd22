// A @web/test-runner plugin that runs a private Prosody (scripts/prosody.mjs) for the
// browser tests of the ConnectyCube transport, and lets the page reach it:
//
//   GET  /__prosody__/config          { appId, chatDomain, websocketUrl, users: [{ userId, password }], upload: { domain, origin, sizeLimit } }
//   GET  /__prosody__/wiretap         every client-sent <message/> so far: [{ from, to, type, id, body }]
//   POST /__prosody__/wiretap/clear   empty the wiretap file
//   POST /__prosody__/stop            stop the server (to break every connection for real)
//   POST /__prosody__/start           start it again on the same port, keeping accounts and offline messages
//   GET  /__prosody__/uploads         the stored XEP-0363 uploads: [{ slot, size, sha256 (base64) }];
//                                     with ?contains=<base64> each also says whether it holds those bytes
//   POST /__prosody__/uploads/tamper?slot=<slot>   flip one bit in the middle of that stored file
//   POST /__prosody__/uploads/delete?slot=<slot>   delete that stored file (its slot stays: GET answers 410)
//
// Each run gets its own folder, .prosody/wtr-<pid>/ (the work tree may be shared by concurrent
// runs: scripts/prosody.mjs kills a Prosody left running on the same folder), removed on stop.
// Prosody starts in `serverStart` (in the background: browsers launch meanwhile; a request
// waits for it) on a free port, with the test users registered and XEP-0363 HTTP File Upload on
// (`fileShare`: the component upload.localhost), and stops in `serverStop`.
// scripts/prosody.mjs also kills it when this process exits or dies, so no orphan stays behind.
// A failed start fails only the requests (HTTP 503 with the reason), not the other suites.
//
// Use:  const prosody = wtrProsody();
//       export default { middleware: [prosody.middleware, ...], plugins: [prosody.plugin, ...] };
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ccUser, startProsody } from './prosody.mjs';

/** The ConnectyCube app id the test users belong to (any number; no REST calls are made). */
export const TEST_APP_ID = 42;
/** Test user ids: 3001…3014. Each test file takes its own so offline messages never cross tests. */
export const TEST_USER_IDS = Array.from({ length: 14 }, (_, i) => 3001 + i);
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
    running = startProsody({ port, name, fresh, users: fresh ? users : [], log, fileShare: true });
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
        upload: server.fileShare && { domain: server.fileShare.domain, origin: server.fileShare.httpOrigin, sizeLimit: server.fileShare.sizeLimit },
      };
    }
    if (route.startsWith('uploads') && server.fileShare) {
      const answer = uploads(server.fileShare, route, method, ctx.query);
      if (answer) return answer;
    }
    if (route === 'wiretap' && method === 'GET') return server.readWiretap();
    if (route === 'wiretap/clear' && method === 'POST') {
      server.clearWiretap();
      return { cleared: true };
    }
    throw Object.assign(new Error(`no such route: ${method} ${PREFIX}${route}`), { status: 404 });
  }

  /** The stored upload files (GET uploads), or one of them changed or deleted; undefined: no such route. */
  function uploads(share, route, method, query) {
    if (route === 'uploads' && method === 'GET') {
      const needle = typeof query.contains === 'string' ? Buffer.from(query.contains, 'base64') : undefined;
      const names = existsSync(share.dataDir) ? readdirSync(share.dataDir).filter((f) => f.endsWith('.bin')) : [];
      return names.map((f) => {
        const bytes = readFileSync(join(share.dataDir, f));
        const sha256 = createHash('sha256').update(bytes).digest('base64');
        return { slot: decodeURIComponent(f.slice(0, -4)), size: bytes.length, sha256, ...(needle ? { contains: bytes.includes(needle) } : {}) };
      });
    }
    if (method !== 'POST' || (route !== 'uploads/tamper' && route !== 'uploads/delete')) return undefined;
    const file = typeof query.slot === 'string' && query.slot ? share.storedFile(query.slot) : '';
    if (!file || !existsSync(file)) throw Object.assign(new Error(`no stored upload for slot ${query.slot}`), { status: 404 });
    if (route === 'uploads/delete') {
      rmSync(file);
      return { deleted: query.slot };
    }
    const bytes = readFileSync(file);
    const offset = bytes.length >> 1;
    bytes[offset] ^= 1;
    writeFileSync(file, bytes);
    return { tampered: query.slot, offset };
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
