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
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repo, runPage, serveStatic, tierArgs } from '../tier.mjs';

/** Run the tier; prints the table on stdout (and to `--out FILE`), progress on stderr. Returns the table. */
export async function runIsolated(args = process.argv.slice(2)) {
  const { quick } = tierArgs(args);
  if (!existsSync(join(repo, 'dist/frame.html'))) throw new Error('No library build in dist/ (dist/frame.html is missing): run npm run build first.');
  const dist = join(repo, 'dist');
  // The frame's files may be cached, as from a CDN: a warm frame start is a returning visitor's.
  const cached = { 'cache-control': 'max-age=3600' };
  const servers = await Promise.all([serveStatic(repo, 'localhost'), serveStatic(dist, 'localhost', cached), serveStatic(dist, '127.0.0.1', cached)]);
  const [page, frame, crossSite] = servers;
  // Frames on origins the browser has not seen (each once): a first visit's start, its HTTP cache cold.
  const colds = await Promise.all(Array.from({ length: quick ? 2 : 6 }, () => serveStatic(dist, 'localhost', cached)));
  servers.push(...colds);
  process.stderr.write(`  isolated tier: page ${page.origin}, frame ${frame.origin} (same site), ${crossSite.origin} (cross site), frame files cacheable${quick ? ', quick' : ''}\n`);
  const query = new URLSearchParams({ frame: `${frame.origin}/frame.html`, cross: `${crossSite.origin}/frame.html` });
  query.set('cold', colds.map((s) => `${s.origin}/frame.html`).join(' '));
  if (quick) query.set('quick', '');
  // The bench's chats must be fully on screen (the anti-overlay guard holds input otherwise).
  return runPage(`${page.origin}/bench/isolated/index.html?${query}`, { servers, args, viewport: { width: 1280, height: 800 } });
}
