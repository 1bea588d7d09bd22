import { wrap } from 'comlink';
import { assert, assertEqual } from '../helpers/assert.js';

describe('randomness in the worker', () => {
  it('key material comes from crypto.getRandomValues; Math.random is never called on any crypto path', async () => {
    const worker = new Worker(new URL('../helpers/randomness-worker.ts', import.meta.url), { type: 'module' });
    const remote = wrap<{ run(): Promise<{ getRandomValues: number; getRandomValuesBytes: number; mathRandom: number; fingerprints: string[]; smp: boolean[] }> }>(worker);
    const result = await remote.run();
    worker.terminate();
    // keygen (2 keys), AKE, 6 messages with key rotation, and a full SMP ran:
    assertEqual(result.smp, [true, true], 'SMP succeeded on both sides');
    assert(result.fingerprints[0] !== result.fingerprints[1], 'keys generated in two fresh stores differ');
    assert(result.getRandomValues > 10, `crypto.getRandomValues was used (${result.getRandomValues} calls)`);
    assert(result.getRandomValuesBytes >= 2 * 20, `enough random bytes for two DSA private keys (${result.getRandomValuesBytes})`);
    assertEqual(result.mathRandom, 0, 'Math.random calls');
  });
});
