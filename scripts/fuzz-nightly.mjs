#!/usr/bin/env node
/**
 * The nightly fuzz tier: many seeds × 10,000 hostile inputs each (test/protocol/fuzz.test.ts), in
 * parallel Vitest processes (one per core). Exits non-zero on any finding.
 *
 *   npm run fuzz:nightly                                  100 seeds from 1, 10,000 inputs each
 *   npm run fuzz:nightly -- --seeds 200 --from 5000 --inputs 20000 --jobs 2
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} needs a positive integer, got ${args[at + 1]}`);
    process.exit(2);
  }
  return value;
};
const seeds = option('--seeds', 100);
const from = option('--from', 1);
const inputs = option('--inputs', 10_000);
const jobs = Math.min(seeds, option('--jobs', availableParallelism()));
const polyfill = `--import ${pathToFileURL(join(root, 'scripts/node-polyfills.mjs')).href}`;

/** Seeds split into `jobs` consecutive ranges, one Vitest process each. */
const ranges = [];
for (let j = 0, start = from; j < jobs; j++) {
  const count = Math.floor(seeds / jobs) + (j < seeds % jobs ? 1 : 0);
  ranges.push({ start, count });
  start += count;
}
const started = Date.now();
const results = await Promise.all(
  ranges.map(
    ({ start, count }) =>
      new Promise((resolve) => {
        const env = {
          ...process.env,
          FUZZ_INPUTS: String(inputs),
          FUZZ_SEED: String(start),
          FUZZ_SEEDS: String(count),
          NODE_OPTIONS: [process.env.NODE_OPTIONS, polyfill].filter(Boolean).join(' '),
        };
        const child = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/protocol/fuzz.test.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('close', (code) => resolve({ start, count, code, lines: out.split('\n').filter((l) => l.includes('fuzz seed')) }));
      }),
  ),
);
let failed = 0;
for (const r of results) {
  for (const line of r.lines) console.log(line.replace(/\x1b\[[0-9;]*m/g, '').trim());
  if (r.code !== 0) {
    failed++;
    console.error(`seeds ${r.start}–${r.start + r.count - 1}: FAILED (exit ${r.code}); rerun with FUZZ_SEED=<seed> FUZZ_SEEDS=1 npm run fuzz`);
  }
}
const total = seeds * inputs;
console.log(`fuzz nightly: ${seeds} seeds from ${from} × ${inputs} inputs = ${total} inputs in ${((Date.now() - started) / 1000).toFixed(0)} s; ${failed ? `${failed} job(s) FAILED` : '0 failures'}`);
process.exit(failed ? 1 : 0);
