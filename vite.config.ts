import { defineConfig } from 'vitest/config';
import { otrShims, ownSourcesKeepSideEffects } from './vite.otr-shims.js';
import { slimCryptoJs } from './scripts/slim-cryptojs.mjs';
import { slimOtr } from './scripts/slim-otr.mjs';

/**
 * The app (demo), dev server and test config. otr.js needs browser shims under
 * a bundler (vite.otr-shims.ts); Vite applies them to its dev pre-bundler and
 * to the build alike. The library build is vite.worker.config.ts + vite.lib.config.ts.
 */
export default defineConfig({
  ...otrShims,
  // ownSourcesKeepSideEffects: see vite.otr-shims.ts. slimCryptoJs (build only): otr's vendored CryptoJS
  // without its AES, which the native helpers replace (issue 15, "don't ship dead code"); slimOtr (build
  // only): otr.js without the code it can never run here (scripts/slim-otr.mjs).
  plugins: [ownSourcesKeepSideEffects(), slimCryptoJs(), slimOtr()],
  optimizeDeps: {
    // The consumer fixtures' pages import the installed package; they are not this app's entries.
    entries: ['**/*.html', '!test/consumer/**', '!dist/**', '!dist-demo/**'],
    // WTR serves its own browser commands (they import WTR's websocket module by a relative path).
    exclude: ['@web/test-runner-commands'],
    include: ['otr', 'otr/vendor/bigint.js', 'otr/lib/helpers.js', 'otr/lib/ake.js', 'otr/lib/sm.js', 'otr/lib/const.js', 'otr/vendor/crypto.js'],
  },
  worker: {
    plugins: () => [ownSourcesKeepSideEffects(), slimCryptoJs(), slimOtr()],
    format: 'es',
  },
  build: {
    target: 'es2022',
    outDir: 'dist-demo',
  },
  server: {
    host: '127.0.0.1',
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts', 'node_modules/**', 'test/consumer/.work/**', 'test/consumer/fixtures/**'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
