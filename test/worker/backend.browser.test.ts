import { startEngine } from '../../src/ui/engine-client.js';
import { assert, assertEqual } from '../helpers/assert.js';

describe('arithmetic backend in the real worker bundle', () => {
  it('the engine worker runs on native BigInt, and a 1536-bit modexp takes milliseconds, not tens', async () => {
    const engine = startEngine({ name: `backend-${Date.now()}` });
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await engine.diagnostics());
    engine.terminate();
    assertEqual(runs[0]!.bigintBackend, 'native', 'backend');
    const median = runs.map((r) => r.modexpMs).sort((x, y) => x - y)[2]!;
    // bigint.js needs ~9 ms here on an idle machine; native ~0.3–1 ms. Generous for a loaded machine.
    assert(median < 6, `median modexp ${median.toFixed(2)} ms`);
  });
});
