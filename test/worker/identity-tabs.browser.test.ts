/**
 * One identity, many tabs: two workers (as two tabs run them) open the same new identity at once and
 * end up with one key, every time; the stored key is that key. Web Locks in real Chromium workers.
 */
import { startEngine } from '../../src/ui/index.js';
import { assertEqual } from '../helpers/assert.js';

describe('one identity in two tabs at once', () => {
  it('10 trials: both get the same key, and it is the stored one', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const name = `tabs-${Date.now()}-${trial}`;
      const [tab1, tab2] = [startEngine({ name }), startEngine({ name })];
      const [a, b] = await Promise.all([tab1.identity(), tab2.identity()]);
      assertEqual(a.fingerprint, b.fingerprint, `trial ${trial}: one key`);
      tab1.terminate();
      tab2.terminate();
      const reloaded = startEngine({ name });
      assertEqual((await reloaded.identity()).fingerprint, a.fingerprint, `trial ${trial}: the key kept after a reload`);
      reloaded.terminate();
    }
  });
});
