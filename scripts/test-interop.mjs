#!/usr/bin/env node
/**
 * Run the libotr interop tests (test/interop).
 *
 *   npm run test:interop                  AKE scenarios repeated 20 times
 *   npm run test:interop -- --repeat 200  stress: AKE scenarios repeated 200 times
 *   npm run test:interop -- --ake-only    only test/interop/libotr-ake.test.ts
 *
 * Other arguments go to vitest. The repeat count reaches the tests as
 * OTR_INTEROP_REPEAT. Builds the libotr peer first (installing gcc and
 * libotr5-dev with apt-get when missing).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { ensureLibotrPeer } from './build-libotr-peer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const env = { ...process.env };
const rest = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--repeat' || arg.startsWith('--repeat=')) {
    const value = arg.includes('=') ? arg.split('=')[1] : args[++i];
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`--repeat needs a positive integer, got ${value}`);
      process.exit(2);
    }
    env.OTR_INTEROP_REPEAT = String(n);
  } else if (arg === '--ake-only') {
    rest.push('test/interop/libotr-ake.test.ts');
  } else {
    rest.push(arg);
  }
}

ensureLibotrPeer();

// Node 20 needs the polyfills for vitest's reporter.
const polyfill = `--import ${pathToFileURL(join(root, 'scripts/node-polyfills.mjs')).href}`;
env.NODE_OPTIONS = [env.NODE_OPTIONS, polyfill].filter(Boolean).join(' ');

const started = Date.now();
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', '--config', 'test/interop/vitest.config.ts', ...rest], {
  cwd: root,
  env,
  stdio: 'inherit',
});
console.log(`interop: repeat ${env.OTR_INTEROP_REPEAT ?? 20}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(result.status ?? 1);
