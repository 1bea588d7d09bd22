// `npm run bench -- --scale` (or `npm run bench --scale`): the scale tier (issue 22).
// The built package in dist/ (as packed; run `npm run build` first): a loopback origin serves the
// repository, cross-origin isolated (COOP same-origin + COEP require-corp on every response, so
// performance.measureUserAgentSpecificMemory() works), and Chromium runs bench/scale/main.js:
// 1. one identity with 1, 10, 100 and 500 stored private conversations: a fresh engine of that
//    identity timed from start to identity(), to the first message decrypted, to every conversation
//    restored (conversation() for each, and one message received on each), the page's long tasks
//    meanwhile, the memory of the worker and of the page, and the IndexedDB bytes per conversation;
// 2. 20 `<e2ee-chat>` elements on one page with 20 peers, every key exchange started at once and
//    messages sent meanwhile: messages lost, and send → e2ee-message latency.
// Numbers only: nothing here fails on them.
//   node scripts/bench.mjs --scale [--quick] [--section 1|2] [--variant own|shared|remote] [--out FILE] [--raw FILE] [--trace FILE]
//   (--quick: no N = 500, fewer runs; --section: that section only; --variant: that way only in
//   section 2; --raw: every sample, JSON; --trace: a Chromium trace of the whole page, for DevTools'
//   Performance panel, with section 2's phases as user timing marks and V8's CPU samples;
//   TRACE_INVALIDATION=1 in the environment adds layout invalidation tracking to it)
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs } from '../../scripts/chromium.mjs';

const repo = resolve(import.meta.dirname, '../..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.css': 'text/css' };
/** Cross-origin isolation: the page (and its workers) may measure memory and time at full resolution. */
const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

/** Serve `root` on a free loopback port (127.0.0.1: a secure context), cross-origin isolated. */
async function serveStatic(root) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(normalize(root))) return void res.writeHead(403, ISOLATION).end();
    let body;
    try {
      body = readFileSync(file);
    } catch {
      return void res.writeHead(404, ISOLATION).end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...ISOLATION }).end(body);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) };
}

/**
 * Chromium as scripts/chromium.mjs launches it, plus ForceEagerMeasureMemory: without it
 * measureUserAgentSpecificMemory() answers only at the next garbage collection (up to 20 s).
 */
function launch() {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'e2ee-chromium-')), {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: [...chromiumArgs, '--enable-blink-features=ForceEagerMeasureMemory'],
  });
}

/** Start a Chromium trace of `tab` (main thread, workers, rendering, user timing); `stop()` gives its JSON text. */
async function startTrace(browser, tab) {
  const cdp = await browser.newCDPSession(tab);
  const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'toplevel', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', ...(process.env.TRACE_INVALIDATION ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : [])];
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: categories } });
  return {
    async stop() {
      const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
      await cdp.send('Tracing.end');
      const { stream } = await complete;
      const chunks = [];
      for (let eof = false; !eof; ) {
        const read = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
        chunks.push(read.data);
        eof = read.eof;
      }
      await cdp.send('IO.close', { handle: stream });
      return chunks.join('');
    },
  };
}

/** Run the tier; prints the table on stdout (and to `--out FILE`), progress on stderr. Returns the table. */
export async function runScale(args = process.argv.slice(2)) {
  const log = (line) => process.stderr.write(`  ${line}\n`);
  const quick = args.includes('--quick') || process.env.npm_config_quick === 'true';
  const outAt = args.indexOf('--out');
  const rawAt = args.indexOf('--raw');
  const sectionAt = args.indexOf('--section');
  const began = Date.now();
  if (!existsSync(join(repo, 'dist/index.js'))) throw new Error('No library build in dist/ (dist/index.js is missing): run npm run build first.');
  const server = await serveStatic(repo);
  log(`scale tier: page ${server.origin}/bench/scale/index.html, the package from ${server.origin}/dist/index.js, cross-origin isolated${quick ? ', quick' : ''}`);
  const browser = await launch();
  let text;
  let raw;
  try {
    const tab = browser.pages()[0] ?? (await browser.newPage());
    await tab.setViewportSize({ width: 1280, height: 800 });
    tab.on('console', (m) => m.text().startsWith('Failed to load resource') || log(m.text()));
    tab.on('pageerror', (e) => log(`page error: ${e.message}`));
    // A missing file (dist/ rebuilt meanwhile: its chunks' names change) fails the run oddly: say which.
    tab.on('requestfinished', async (request) => {
      const status = (await request.response())?.status();
      if (status && status >= 400 && !request.url().endsWith('/favicon.ico')) log(`HTTP ${status}: ${request.url()}`);
    });
    const query = new URLSearchParams();
    if (quick) query.set('quick', '');
    if (sectionAt >= 0) query.set('section', args[sectionAt + 1]);
    const variantAt = args.indexOf('--variant');
    if (variantAt >= 0) query.set('variant', args[variantAt + 1]);
    const traceAt = args.indexOf('--trace');
    const tracing = traceAt >= 0 ? await startTrace(browser, tab) : undefined;
    await tab.goto(`${server.origin}/bench/scale/index.html?${query}`);
    await tab.waitForFunction(() => window.benchResult, null, { timeout: 10 * 60_000, polling: 250 });
    const result = await tab.evaluate(() => window.benchResult);
    if (tracing) writeFileSync(args[traceAt + 1], await tracing.stop());
    if (result.error) throw new Error(result.error);
    raw = result.raw;
    text = `${result.table}\ntier wall time ${((Date.now() - began) / 1000).toFixed(1)} s (Chromium start and page load included)`;
    console.log(text);
  } finally {
    await browser.close();
    await server.close();
  }
  if (outAt >= 0) writeFileSync(args[outAt + 1], text + '\n');
  if (rawAt >= 0) writeFileSync(args[rawAt + 1], JSON.stringify(raw, null, 1) + '\n');
  return text;
}

// Run directly too: node bench/scale/run.mjs [--quick] …
if (import.meta.url === `file://${process.argv[1]}`) {
  runScale().then(() => process.exit(0), (error) => (console.error(`bench --scale: ${error?.message ?? error}`), process.exit(1)));
}
