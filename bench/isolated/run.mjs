// `npm run bench -- --isolated` (or `npm run bench --isolated`): the isolated mode's bench tier.
// The built package in dist/ (as packed; run `npm run build` first) on loopback origins, like the
// isolated mode's tests (test/ui/isolated/isolated-fixture.ts):
// - the page origin (http://localhost:A) serves the repository: bench/isolated/index.html loads
//   /dist/index.js from it;
// - the frame origin (http://localhost:B, the same site: the frame keeps its storage) serves dist/;
// - a cross-site frame origin (http://127.0.0.1:C: no storage for the frame) serves dist/ too.
// Chromium opens the page, which times frame start and the per-message cost of the extra hop
// (bench/isolated/main.js), and prints the table it made. Numbers only: nothing here fails on them.
//   node scripts/bench.mjs --isolated [--quick] [--out FILE] [--raw FILE]   (--raw: every sample, JSON)
import { createServer } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { launchChromium } from '../../scripts/chromium.mjs';

const repo = resolve(import.meta.dirname, '../..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.css': 'text/css' };

/** Serve `root` on a free loopback port, named `host` (`localhost` or `127.0.0.1`) in the origin. */
async function serveStatic(root, host, cacheControl = 'no-store') {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(normalize(root))) return void res.writeHead(403).end();
    let body;
    try {
      body = readFileSync(file);
    } catch {
      return void res.writeHead(404).end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cacheControl }).end(body);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { origin: `http://${host}:${server.address().port}`, close: () => new Promise((done) => server.close(done)) };
}

/** Run the tier; prints the table on stdout (and to `--out FILE`), progress on stderr. Returns the table. */
export async function runIsolated(args = process.argv.slice(2)) {
  const log = (line) => process.stderr.write(`  ${line}\n`);
  const quick = args.includes('--quick') || process.env.npm_config_quick === 'true';
  const outAt = args.indexOf('--out');
  const rawAt = args.indexOf('--raw');
  const began = Date.now();
  if (!existsSync(join(repo, 'dist/frame.html'))) throw new Error('No library build in dist/ (dist/frame.html is missing): run npm run build first.');
  const dist = join(repo, 'dist');
  // The frame's files may be cached, as from a CDN: a warm frame start is a returning visitor's.
  const cached = 'max-age=3600';
  const servers = await Promise.all([serveStatic(repo, 'localhost'), serveStatic(dist, 'localhost', cached), serveStatic(dist, '127.0.0.1', cached)]);
  const [page, frame, crossSite] = servers;
  log(`isolated tier: page ${page.origin}, frame ${frame.origin} (same site), ${crossSite.origin} (cross site), frame files cacheable (${cached})${quick ? ', quick' : ''}`);
  const browser = await launchChromium();
  let text;
  let raw;
  try {
    const tab = browser.pages()[0] ?? (await browser.newPage());
    await tab.setViewportSize({ width: 1280, height: 800 }); // the bench's chats must be fully on screen (anti-overlay guard)
    tab.on('console', (m) => m.text().startsWith('Failed to load resource') || log(m.text()));
    tab.on('pageerror', (e) => log(`page error: ${e.message}`));
    // A missing file (dist/ rebuilt meanwhile: its chunks' names change) fails the run oddly: say which.
    tab.on('requestfinished', async (request) => {
      const status = (await request.response())?.status();
      if (status && status >= 400 && !request.url().endsWith('/favicon.ico')) log(`HTTP ${status}: ${request.url()}`);
    });
    const query = new URLSearchParams({ frame: `${frame.origin}/frame.html`, cross: `${crossSite.origin}/frame.html` });
    if (quick) query.set('quick', '');
    await tab.goto(`${page.origin}/bench/isolated/index.html?${query}`);
    await tab.waitForFunction(() => window.benchResult, null, { timeout: 10 * 60_000, polling: 250 });
    const result = await tab.evaluate(() => window.benchResult);
    if (result.error) throw new Error(result.error);
    raw = result.raw;
    text = `${result.table}\ntier wall time ${((Date.now() - began) / 1000).toFixed(1)} s (Chromium start and page load included)`;
    console.log(text);
  } finally {
    await browser.close();
    await Promise.all(servers.map((s) => s.close()));
  }
  if (outAt >= 0) writeFileSync(args[outAt + 1], text + '\n');
  if (rawAt >= 0) writeFileSync(args[rawAt + 1], JSON.stringify(raw, null, 1) + '\n');
  return text;
}
