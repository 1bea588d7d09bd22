#!/usr/bin/env node
// What the worker bundle holds: builds it as the library does (vite.worker.config.ts), in memory and
// with a source map, and attributes the minified bytes to the source modules they come from.
//   node scripts/bundle-report.mjs [--top N] [--json] [--dump DIR]
// "min" is the minified bytes mapped to a module; "gzip" is that module's share of the bundle's
// gzip -9 size, estimated as the bundle's gzip size split in proportion to each module's own
// code compressed alone (gzip is not additive; the estimate ranks contributors, it is not exact).
// Bytes that map to no source (the bundler's glue) are reported as "(unmapped)".
import { build } from 'vite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TraceMap, eachMapping } from '@jridgewell/trace-mapping';

const args = process.argv.slice(2);
const top = Number(args[args.indexOf('--top') + 1]) || 25;
const asJson = args.includes('--json');
const dumpDir = args.includes('--dump') ? args[args.indexOf('--dump') + 1] : undefined;

const result = await build({
  configFile: resolve('vite.worker.config.ts'),
  logLevel: 'warn',
  build: { write: false, sourcemap: true, emptyOutDir: false },
});
const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
const chunk = outputs.find((o) => o.type === 'chunk' && o.fileName === 'worker.js');
if (!chunk?.map) throw new Error('bundle-report: no worker.js chunk with a source map');

const code = chunk.code;
const lines = code.split('\n');
const lineStarts = [];
for (let i = 0, at = 0; i < lines.length; i++) {
  lineStarts.push(at);
  at += lines[i].length + 1;
}
const map = new TraceMap(chunk.map);
// Each mapping owns the generated text from its column to the next mapping's column on that line.
const owner = new Array(code.length).fill(null);
const segments = [];
eachMapping(map, (m) => segments.push(m));
segments.sort((a, b) => a.generatedLine - b.generatedLine || a.generatedColumn - b.generatedColumn);
for (let i = 0; i < segments.length; i++) {
  const s = segments[i];
  const next = segments[i + 1];
  const start = lineStarts[s.generatedLine - 1] + s.generatedColumn;
  const end =
    next && next.generatedLine === s.generatedLine ? lineStarts[s.generatedLine - 1] + next.generatedColumn : lineStarts[s.generatedLine - 1] + lines[s.generatedLine - 1].length;
  for (let k = start; k < end; k++) owner[k] = s.source;
}

const root = process.cwd();
const label = (source) => {
  if (source === null) return '(unmapped)';
  const path = source.startsWith('/') || /^[A-Za-z]:/.test(source) ? source : resolve(root, 'dist', source);
  const rel = relative(root, path).replace(/\\/g, '/');
  return rel.replace(/^node_modules\//, '');
};
const text = new Map();
for (let k = 0; k < code.length; k++) {
  const name = label(owner[k]);
  let parts = text.get(name);
  if (!parts) text.set(name, (parts = []));
  parts.push(code[k]);
}

const totalMin = Buffer.byteLength(code);
const totalGzip = gzipSync(code, { level: 9 }).length;
const rows = [...text].map(([name, chars]) => {
  const s = chars.join('');
  return { module: name, min: Buffer.byteLength(s), alone: gzipSync(s, { level: 9 }).length };
});
const aloneSum = rows.reduce((sum, r) => sum + r.alone, 0);
for (const r of rows) r.gzip = Math.round((r.alone * totalGzip) / aloneSum);
rows.sort((a, b) => b.gzip - a.gzip);
if (dumpDir) {
  // --dump DIR: each module's minified text, for reading what survived.
  mkdirSync(dumpDir, { recursive: true });
  for (const [name, chars] of text) writeFileSync(join(dumpDir, name.replace(/[/\\]/g, '__') + '.txt'), chars.join(''));
}

if (asJson) {
  console.log(JSON.stringify({ totalMin, totalGzip, rows }, null, 2));
} else {
  console.log(`worker.js: ${totalMin} bytes minified, ${totalGzip} bytes gzip -9, ${rows.length} modules`);
  console.log(`${'gzip≈'.padStart(7)} ${'min'.padStart(7)}  module`);
  for (const r of rows.slice(0, top)) console.log(`${String(r.gzip).padStart(7)} ${String(r.min).padStart(7)}  ${r.module}`);
  const rest = rows.slice(top);
  if (rest.length) {
    const sum = (key) => rest.reduce((s, r) => s + r[key], 0);
    console.log(`${String(sum('gzip')).padStart(7)} ${String(sum('min')).padStart(7)}  (${rest.length} more)`);
  }
}
