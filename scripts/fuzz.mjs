#!/usr/bin/env node
/**
 * The fuzz tier (test/protocol/fuzz.test.ts) on one long seed: 100,000 hostile inputs against an
 * established pair. Seeded and reproducible. Runs scripts/fuzz-nightly.mjs with one seed.
 *
 *   npm run fuzz                               100,000 inputs, seed 1
 *   npm run fuzz -- --inputs 500000 --seed 7   other sizes and seeds
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2).map((a) => (a === '--seed' ? '--from' : a));
if (!args.includes('--inputs')) args.push('--inputs', '100000');
const nightly = join(dirname(fileURLToPath(import.meta.url)), 'fuzz-nightly.mjs');
const result = spawnSync(process.execPath, [nightly, '--seeds', '1', '--jobs', '1', ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
