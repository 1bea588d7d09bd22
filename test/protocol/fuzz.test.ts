/**
 * Fuzz tier (issues 11 and 19): seeded, reproducible hostile inputs (random bytes and unicode,
 * mutated real messages, fragment games, replays, queries and errors, oversize texts) against an
 * established pair; see test/helpers/fuzz-run.ts for what every run checks (no crash, nothing
 * slow, a ledger proving every message shown as encrypted is a real send shown once, the
 * conversation healing both ways after every batch).
 *
 * FUZZ_INPUTS (default 10,000 per seed), FUZZ_SEED (default 1) and FUZZ_SEEDS (how many seeds from
 * FUZZ_SEED on, default 2) choose the run; the same seed gives the same inputs. `npm run fuzz`
 * runs one long seed; `npm run fuzz:nightly` runs 100 seeds × 10,000 (scripts/fuzz-nightly.mjs).
 */
import { beforeAll, expect, it } from 'vitest';

import { IdentityKey } from '../../src/protocol/index.js';
import { runFuzz } from '../helpers/fuzz-run.js';

const INPUTS = Math.max(1, Number(process.env.FUZZ_INPUTS) || 10_000);
const SEED = Number(process.env.FUZZ_SEED) || 1;
const SEEDS = Math.max(1, Number(process.env.FUZZ_SEEDS) || 2);
/** Most the live heap may grow during one run (the corpus and the sessions' bounded state). */
const MAX_HEAP_GROWTH_MB = 64;

let alice: IdentityKey;
let bob: IdentityKey;
beforeAll(() => {
  alice = IdentityKey.generate();
  bob = IdentityKey.generate();
});

for (let seed = SEED; seed < SEED + SEEDS; seed++) {
  it(`${INPUTS} hostile inputs (seed ${seed}): no crash, nothing slow, only real messages shown and each once, conversation healed after every batch`, async () => {
    const report = await runFuzz({ seed, inputs: INPUTS, alice, bob, log: console.log });
    expect({ crashes: report.crashes, slow: report.slow, forgedShown: report.forgedShown, broken: report.broken }).toEqual({
      crashes: [],
      slow: [],
      forgedShown: [],
      broken: undefined,
    });
    expect(report.heapGrowthMb).toBeLessThan(MAX_HEAP_GROWTH_MB);
  }, 3_600_000);
}
