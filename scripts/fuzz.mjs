#!/usr/bin/env node
/**
 * The fuzz tier (test/protocol/fuzz.test.ts) at full size: 100,000 hostile
 * inputs against an established pair. Seeded and reproducible.
 *
 *   npm run fuzz                               100,000 inputs, seed 1
 *   npm run fuzz -- --inputs 500000 --seed 7   other sizes and seeds
 */
import { spawnSync } from 'node:child_process';
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
const inputs = option('--inputs', 100_000);
const seed = option('--seed', 1);
const polyfill = `--import ${pathToFileURL(join(root, 'scripts/node-polyfills.mjs')).href}`;
const env = {
  ...process.env,
  FUZZ_INPUTS: String(inputs),
  FUZZ_SEED: String(seed),
  NODE_OPTIONS: [process.env.NODE_OPTIONS, polyfill].filter(Boolean).join(' '),
};
env.FUZZ_SEEDS = "1";
const result = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/protocol/fuzz.test.ts'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
