import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const shim = (name: string) => fileURLToPath(new URL(`./src/protocol/shims/${name}.ts`, import.meta.url));

/**
 * otr 0.2.16 is UMD and takes its CommonJS branch under a bundler. That branch
 * requires Node's `crypto`, `path` and `webworker-threads`; these aliases give
 * it browser stand-ins (see src/protocol/shims and ../shared/field-notes.md).
 * Shared by the app config (vite.config.ts) and the library's worker build.
 */
export const otrShims = {
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
};

/**
 * package.json's `sideEffects` describes the published dist/ files. Our own sources under src/ keep
 * their side effects (element definitions, Comlink's error handler, otr.js fixes) in every build, and
 * so do the bench's (bench/shipped/stock-worker.ts is `import './timed-worker.js'` and little else).
 */
export function ownSourcesKeepSideEffects(): Plugin {
  return {
    name: 'e2ee-own-sources-keep-side-effects',
    enforce: 'post',
    transform(code, id) {
      return /\/(src|bench)\//.test(id) && !id.includes('/node_modules/') ? { code, map: null, moduleSideEffects: true } : undefined;
    },
  };
}
