import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { slimCryptoJs } from './scripts/slim-cryptojs.mjs';

const shim = (name: string) => fileURLToPath(new URL(`./src/protocol/shims/${name}.ts`, import.meta.url));

/**
 * otr 0.2.16 is UMD and takes its CommonJS branch under Vite. That branch
 * requires Node's `crypto`, `path` and `webworker-threads`; the aliases below
 * give it browser stand-ins (see src/protocol/shims and ../shared/field-notes.md).
 * Vite applies them to its dev pre-bundler and to the build alike.
 */
export default defineConfig({
  // Build only: otr's vendored CryptoJS without its AES, which the native helpers replace
  // (issue 15, "don't ship dead code"; see scripts/slim-cryptojs.mjs).
  plugins: [slimCryptoJs()],
  worker: { plugins: () => [slimCryptoJs()], format: 'es' },
  resolve: {
    alias: {
      crypto: shim('crypto'),
      path: shim('path'),
      'webworker-threads': shim('empty'),
    },
  },
  define: {
    __dirname: JSON.stringify('/'),
  },
  optimizeDeps: {
    include: ['otr', 'otr/vendor/bigint.js', 'otr/lib/helpers.js', 'otr/lib/ake.js', 'otr/lib/sm.js', 'otr/lib/const.js', 'otr/vendor/crypto.js'],
  },
  build: {
    target: 'es2022',
  },
  server: {
    host: '127.0.0.1',
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts', 'node_modules/**'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
