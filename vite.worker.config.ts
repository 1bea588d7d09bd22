import { defineConfig } from 'vite';
import { otrShims, ownSourcesKeepSideEffects } from './vite.otr-shims.js';
import { slimCryptoJs } from './scripts/slim-cryptojs.mjs';
import { slimOtr } from './scripts/slim-otr.mjs';

/**
 * Library build, step 1: the engine's worker as one self-contained ES module,
 * dist/worker.js, with otr.js and its browser shims resolved here, so that
 * consumers need no bundler configuration. scripts/build-lib.mjs runs it
 * before vite.lib.config.ts, which embeds the result.
 */
export default defineConfig({
  ...otrShims,
  publicDir: false,
  // slimCryptoJs: CryptoJS without its AES, which the native helpers replace (issue 15); slimOtr:
  // otr.js without the code it can never run here (scripts/slim-otr.mjs).
  plugins: [ownSourcesKeepSideEffects(), slimCryptoJs(), slimOtr()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    minify: 'oxc',
    lib: { entry: 'src/worker/worker.ts', formats: ['es'], fileName: () => 'worker.js' },
    rolldownOptions: { output: { codeSplitting: false, minify: true } },
  },
});
