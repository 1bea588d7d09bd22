// `npm run bench -- --files` (or `npm run bench --files`): the encrypted files' bench tier (issue 21).
// The built package in dist/ (as packed; run `npm run build` first): a loopback origin serves the
// repository, bench/files/index.html loads /dist/index.js from it, and Chromium runs
// bench/files/main.js: sealFile / sendFile / openFile between two engine workers (MB/s, with plain
// WebCrypto on the main thread as the same-run baseline), the page's long tasks during a 25 MiB
// file, and where the engine's time goes (a bare probe worker, buffers cloned and transferred).
// Numbers only: nothing here fails on them.
//   node scripts/bench.mjs --files [--quick] [--out FILE] [--raw FILE]   (--raw: every sample, JSON)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repo, runPage, serveStatic, tierArgs } from '../tier.mjs';

/** Run the tier; prints the table on stdout (and to `--out FILE`), progress on stderr. Returns the table. */
export async function runFiles(args = process.argv.slice(2)) {
  const { quick } = tierArgs(args);
  if (!existsSync(join(repo, 'dist/index.js'))) throw new Error('No library build in dist/ (dist/index.js is missing): run npm run build first.');
  // 127.0.0.1: a secure context, as WebCrypto needs.
  const server = await serveStatic(repo);
  process.stderr.write(`  files tier: page ${server.origin}/bench/files/index.html, the package from ${server.origin}/dist/index.js${quick ? ', quick' : ''}\n`);
  return runPage(`${server.origin}/bench/files/index.html${quick ? '?quick' : ''}`, { servers: [server], args });
}
