import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { ownSourcesKeepSideEffects } from './vite.otr-shims.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const WORKER_SOURCE = 'virtual:e2ee-worker-source';

/** Serves dist/worker.js (built first by vite.worker.config.ts) as a module whose default export is its code. */
function embeddedWorker(): Plugin {
  return {
    name: 'e2ee-embedded-worker',
    resolveId: (id) => (id === WORKER_SOURCE ? `\0${WORKER_SOURCE}` : undefined),
    load(id) {
      if (id !== `\0${WORKER_SOURCE}`) return undefined;
      return `export default ${JSON.stringify(readFileSync(here('./dist/worker.js'), 'utf8'))};`;
    },
  };
}

/** Collapse the whitespace in Lit `css` literals of our sources (CSS does not care; the bundle does). */
function compactCssLiterals(): Plugin {
  return {
    name: 'e2ee-compact-css-literals',
    transform(code, id) {
      if (!/\/src\/ui\/[\w-]+\.ts$/.test(id) || !code.includes('css`')) return undefined;
      const compact = (body: string) =>
        body
          .replace(/\s+/g, ' ')
          .replace(/ ?([{};,]) ?/g, '$1')
          .replace(/: /g, ':')
          .trim();
      return { code: code.replace(/css`([^`]*)`/g, (_m, body: string) => `css\`${compact(body)}\``), map: null };
    },
  };
}

/**
 * Library build, step 2: the main-thread entries, `dist/index.js` (defines
 * `<e2ee-chat>`), `dist/connectycube.js` and `dist/frame.js` (isolated mode's frame), with lit and comlink bundled so
 * that one `<script type="module">` is enough. The worker's code comes as a
 * separate chunk (`dist/worker-source.js`), loaded when the first engine
 * starts. `connectycube` stays external: it is an optional peer dependency.
 */
export default defineConfig({
  publicDir: false,
  plugins: [embeddedWorker(), compactCssLiterals(), ownSourcesKeepSideEffects()],
  resolve: {
    alias: [{ find: /^\.\/default-worker\.js$/, replacement: here('./src/lib/default-worker.ts') }],
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: false,
    minify: 'oxc',
    lib: {
      entry: {
        index: 'src/index.ts',
        connectycube: 'src/connectycube.ts',
        frame: 'src/ui/isolated/frame-page.ts',
        'frame-hello': 'src/ui/isolated/frame-hello.ts',
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      external: ['connectycube'],
      output: {
        minify: true,
        chunkFileNames: (chunk) => (chunk.moduleIds.some((id) => id.includes(WORKER_SOURCE)) ? 'worker-source.js' : 'shared-[hash].js'),
      },
    },
  },
});
