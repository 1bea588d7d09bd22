import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Vitest config for the libotr interop tests alone (`npm run test:interop`).
 * In Node, otr loads through Node's own `require`, so none of the browser
 * aliases of vite.config.ts are needed here. The tests build the libotr peer
 * themselves (test/interop/libotr-peer.ts → scripts/build-libotr-peer.mjs).
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/interop/**/*.test.ts'],
    environment: 'node',
    // Vitest's default on 2 cores is 1 worker; the files are independent.
    maxWorkers: 2,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
