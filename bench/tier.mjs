// What every bench tier in its own folder shares (bench/isolated, bench/files, bench/scale): loopback
// static servers, and one Chromium page run that waits for `window.benchResult` and prints its table.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { launchChromium } from '../scripts/chromium.mjs';

export const repo = resolve(import.meta.dirname, '..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.css': 'text/css' };

/**
 * Serve `root` on a free loopback port, named `host` (`localhost` or `127.0.0.1`) in the origin;
 * `headers` go on every response (default: `cache-control: no-store`).
 */
export async function serveStatic(root, host = '127.0.0.1', headers = { 'cache-control': 'no-store' }) {
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
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...headers }).end(body);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { origin: `http://${host}:${server.address().port}`, close: () => new Promise((done) => server.close(done)) };
}

/** The flags every tier reads: `--quick` (or npm's `--quick`), `--out FILE`, `--raw FILE`. */
export function tierArgs(args) {
  const at = (flag) => (args.indexOf(flag) >= 0 ? args[args.indexOf(flag) + 1] : undefined);
  return { quick: args.includes('--quick') || process.env.npm_config_quick === 'true', out: at('--out'), raw: at('--raw') };
}

/**
 * Open `url` in Chromium, wait for the page's `window.benchResult` ({table, raw?, error?}), print the
 * table with the tier's wall time, write `--out`/`--raw`, and close `servers`. Returns the table.
 */
export async function runPage(url, { servers, args, viewport, log = (line) => process.stderr.write(`  ${line}\n`) }) {
  const { out, raw: rawFile } = tierArgs(args);
  const began = Date.now();
  const browser = await launchChromium();
  let text;
  let raw;
  try {
    const tab = browser.pages()[0] ?? (await browser.newPage());
    if (viewport) await tab.setViewportSize(viewport);
    tab.on('console', (m) => m.text().startsWith('Failed to load resource') || log(m.text()));
    tab.on('pageerror', (e) => log(`page error: ${e.message}`));
    // A missing file (dist/ rebuilt meanwhile: its chunks' names change) fails the run oddly: say which.
    tab.on('requestfinished', async (request) => {
      const status = (await request.response())?.status();
      if (status && status >= 400 && !request.url().endsWith('/favicon.ico')) log(`HTTP ${status}: ${request.url()}`);
    });
    await tab.goto(url);
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
  if (out) writeFileSync(out, text + '\n');
  if (rawFile) writeFileSync(rawFile, JSON.stringify(raw, null, 1) + '\n');
  return text;
}
