// Builds the bench page (bench/shipped/) with `vite build` and vite.config.ts, as the app is built:
// the engine client and its worker bundle exactly as shipped, plus the bench's two extra workers.
// Used by `npm run bench` and by the browser test of the built worker (web-test-runner.config.mjs).
import { build } from 'vite';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The bundle's worker files (paths under the output folder) and the product worker's sizes. */
export async function buildShipped(outDir = resolve('.cache/shipped-dist')) {
  await build({
    configFile: resolve('vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: resolve('bench/shipped/index.html') } },
  });
  const assets = readdirSync(join(outDir, 'assets'));
  const find = (re) => {
    const name = assets.find((f) => re.test(f));
    if (!name) throw new Error(`no ${re} in ${outDir}/assets (${assets.join(', ')})`);
    return `/assets/${name}`;
  };
  const worker = find(/^worker-[\w-]+\.js$/);
  const bytes = readFileSync(join(outDir, worker));
  const manifest = {
    page: '/bench/shipped/index.html',
    worker,
    timedWorker: find(/^timed-worker-[\w-]+\.js$/),
    stockWorker: find(/^stock-worker-[\w-]+\.js$/),
    workerBytes: bytes.length,
    workerGzipBytes: gzipSync(bytes, { level: 9 }).length,
  };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { outDir, ...manifest };
}

const types = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.map': 'application/json' };

/** Koa-free request handler serving `outDir` under `prefix` (GET only). Returns false when not ours. */
export function serveStatic(outDir, prefix = '/') {
  return (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(prefix)) return false;
    const rel = url.pathname.slice(prefix.length).replace(/^\/+/, '');
    const file = resolve(outDir, rel);
    if (!file.startsWith(resolve(outDir))) return false;
    let body;
    try {
      body = readFileSync(file);
    } catch {
      res.statusCode = 404;
      res.end('not found');
      return true;
    }
    res.statusCode = 200;
    res.setHeader('content-type', types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream');
    res.setHeader('cache-control', 'no-store');
    // Cross-origin isolation: workers then get fine-grained performance.now() (5 µs, not 100 µs).
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('cross-origin-embedder-policy', 'require-corp');
    res.end(body);
    return true;
  };
}
