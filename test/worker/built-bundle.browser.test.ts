/**
 * The worker bundle as `vite build` ships it (not the dev server's modules):
 * web-test-runner.config.mjs builds bench/shipped/ once and serves the output
 * under /__built__/. The engine in that worker must report every speed-up.
 */
import { startEngine } from '../../src/ui/engine-client.js';
import { assertEqual } from '../helpers/assert.js';

describe('the built worker bundle', () => {
  it('runs on native BigInt with every speed-up installed, through the engine client', async () => {
    const manifest = (await (await fetch('/__built__/manifest.json')).json()) as { worker: string };
    const url = `/__built__${manifest.worker}`;
    const script = await fetch(url);
    assertEqual([script.status, script.headers.get('content-type')], [200, 'text/javascript'], 'worker script served');
    const engine = startEngine({ name: `built-${Date.now()}`, createWorker: (name) => new Worker(url, { type: 'module', name }) });
    try {
      const report = await engine.diagnostics();
      assertEqual(report.bigintBackend, 'native', 'backend');
      assertEqual(report.speedups, ['native-bigint', 'native-helpers', 'native-codecs', 'lazy-dh-sessions', 'microtask-io'], 'speed-ups');
    } finally {
      engine.terminate();
    }
  });
});
