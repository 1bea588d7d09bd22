// `npm run bench -- --files` (or `npm run bench --files`): the encrypted files' bench tier (issue 21).
// The built package in dist/ (as packed; run `npm run build` first): a loopback origin serves the
// repository, bench/files/index.html loads /dist/index.js from it, and Chromium runs
// bench/files/main.js: sealFile / sendFile / openFile between two engine workers (MB/s, with plain
// WebCrypto on the main thread as the same-run baseline), the page's long tasks during a 25 MiB
// file, and where the engine's time goes (a bare probe worker, buffers cloned and transferred).
// Numbers only: nothing here fails on them.
//   node scripts/bench.mjs --files [--quick] [--out FILE] [--raw FILE]   (--raw: every sample, JSON)
import { createServer } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { launchChromium } from '../../scripts/chromium.mjs';

const repo = resolve(import.meta.dirname, '../..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.css': 'text/css' };

/** Serve `root` on a free loopback port (127.0.0.1: a secure context, as WebCrypto needs). */
async function serveStatic(root) {
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
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) };
}

/** Run the tier; prints the table on stdout (and to `--out FILE`), progress on stderr. Returns the table. */
export async function runFiles(args = process.argv.slice(2)) {
  const log = (line) => process.stderr.write(`  ${line}\n`);
  const quick = args.includes('--quick') || process.env.npm_config_quick === 'true';
  const outAt = args.indexOf('--out');
  const rawAt = args.indexOf('--raw');
  const began = Date.now();
  if (!existsSync(join(repo, 'dist/index.js'))) throw new Error('No library build in dist/ (dist/index.js is missing): run npm run build first.');
  const server = await serveStatic(repo);
  log(`files tier: page ${server.origin}/bench/files/index.html, the package from ${server.origin}/dist/index.js${quick ? ', quick' : ''}`);
  const browser = await launchChromium();
  let text;
  let raw;
  try {
    const tab = browser.pages()[0] ?? (await browser.newPage());
    tab.on('console', (m) => m.text().startsWith('Failed to load resource') || log(m.text()));
    tab.on('pageerror', (e) => log(`page error: ${e.message}`));
    // A missing file (dist/ rebuilt meanwhile: its chunks' names change) fails the run oddly: say which.
    tab.on('requestfinished', async (request) => {
      const status = (await request.response())?.status();
      if (status && status >= 400 && !request.url().endsWith('/favicon.ico')) log(`HTTP ${status}: ${request.url()}`);
    });
    await tab.goto(`${server.origin}/bench/files/index.html${quick ? '?quick' : ''}`);
    await tab.waitForFunction(() => window.benchResult, null, { timeout: 10 * 60_000, polling: 250 });
    const result = await tab.evaluate(() => window.benchResult);
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
