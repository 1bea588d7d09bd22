/**
 * Test helper: how many Diffie–Hellman shared secrets otr.js computes while `run` runs, i.e.
 * exponentiations through bigint.js's `powMod` with a base other than 2 (a new DH key is 2^x).
 */
import { bigIntModule } from '../../src/protocol/otr/loader.js';

export function sharedSecretsDuring(run: () => void): number {
  const bigint = bigIntModule as unknown as { powMod: (x: number[], y: number[], n: number[]) => number[] };
  const powMod = bigint.powMod;
  let count = 0;
  bigint.powMod = (x, y, n) => {
    if (!(x.length > 0 && x[0] === 2 && x.slice(1).every((v) => v === 0))) count++;
    return powMod(x, y, n);
  };
  try {
    run();
  } finally {
    bigint.powMod = powMod;
  }
  return count;
}
