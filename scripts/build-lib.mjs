#!/usr/bin/env node
// The library build (`npm run build`), into dist/:
//   1. dist/worker.js: the engine's worker, self-contained (vite.worker.config.ts);
//   2. dist/index.js, dist/connectycube.js and their chunks, with the worker's code
//      embedded as the chunk dist/worker-source.js (vite.lib.config.ts);
//   3. dist/index.d.ts and dist/connectycube.d.ts: tsc's declarations, bundled (rollup.dts.config.mjs);
//   4. dist/custom-elements.json, from the element's TSDoc (custom-elements-manifest.config.mjs);
//   5. dist/frame.html, isolated mode's frame page (it loads dist/frame.js).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const started = Date.now();
const run = (bin, ...args) => execFileSync(process.execPath, [`node_modules/${bin}`, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });

rmSync('dist', { recursive: true, force: true });
run('vite/bin/vite.js', 'build', '--config', 'vite.worker.config.ts', '--logLevel', 'warn');
run('vite/bin/vite.js', 'build', '--config', 'vite.lib.config.ts', '--logLevel', 'warn');
run('typescript/bin/tsc', '-p', 'tsconfig.lib.json');
run('rollup/dist/bin/rollup', '--silent', '-c', 'rollup.dts.config.mjs');
rmSync('dist/types', { recursive: true, force: true });
for (const file of ['dist/index.d.ts', 'dist/connectycube.d.ts']) {
  // lit re-exports lit-html's types; importing them from `lit` keeps consumers on the one dependency they have.
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll("from 'lit-html'", "from 'lit'"));
}
run('@custom-elements-manifest/analyzer/cem.js', 'analyze', '--quiet');
// The frame page preloads the chunks its entry imports, so they load with it rather than after it.
const frameChunks = [...readFileSync('dist/frame.js', 'utf8').matchAll(/from\s*["']\.\/([\w.-]+\.js)["']/g)].map((m) => m[1]);
const preload = frameChunks.map((chunk) => `<link rel="modulepreload" href="./${chunk}" />`).join('\n    ');
writeFileSync('dist/frame.html', readFileSync('src/ui/isolated/frame.html', 'utf8').replace('<!-- modulepreload -->', preload));
console.log(`Library built into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
