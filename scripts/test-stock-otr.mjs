#!/usr/bin/env node
/**
 * Interop with a stock, unpatched otr.js 0.2.16 peer in a child process
 * (test/interop/stock-otr.test.ts): 200 AKEs per role by default.
 *
 *   npm run test:stock-otr              200 AKEs in each role
 *   npm run test:stock-otr -- --akes 50 another count
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const at = args.indexOf('--akes');
const akes = at >= 0 ? Number(args[at + 1]) : 200;
if (!Number.isInteger(akes) || akes < 1) {
  console.error(`--akes needs a positive integer, got ${args[at + 1]}`);
  process.exit(2);
}
const polyfill = `--import ${pathToFileURL(join(root, 'scripts/node-polyfills.mjs')).href}`;
const env = { ...process.env, STOCK_OTR_AKES: String(akes), NODE_OPTIONS: [process.env.NODE_OPTIONS, polyfill].filter(Boolean).join(' ') };
const started = Date.now();
const result = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/interop/stock-otr.test.ts'], { cwd: root, env, stdio: 'inherit' });
console.log(`stock otr.js: ${akes} AKEs per role, ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(result.status ?? 1);
