#!/usr/bin/env node
// `npm run bench`: stock otr.js (bigint.js) vs the native-BigInt backend, same run,
// in Node and in Chromium (a dedicated worker, served by Vite with vite.config.ts).
//   node scripts/bench.mjs [--quick] [--node-only | --chromium-only] [--out FILE]
import { createServer } from 'vite';
import { writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleRendererMemory } from './renderer-memory.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outAt = args.indexOf('--out');
const log = (line) => process.stderr.write(`  ${line}\n`);
const tables = [];

if (!args.includes('--chromium-only')) {
  const server = await createServer({ server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'warn' });
  try {
    const { runNodeBench } = await server.ssrLoadModule('/bench/node.ts');
    tables.push(await runNodeBench(quick, log));
  } finally {
    await server.close();
  }
  console.log(tables.at(-1) + '\n');
}

if (!args.includes('--node-only')) {
  const { chromium } = await import('playwright-core');
  const server = await createServer({ server: { port: 0, strictPort: false, hmr: false }, logLevel: 'warn' });
  await server.listen();
  const base = server.resolvedUrls.local[0];
  const profile = mkdtempSync(join(tmpdir(), 'e2ee-bench-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
  });
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    let phase = '';
    const stopSampling = sampleRendererMemory(() => phase);
    page.on('console', (m) => {
      const backend = /^(native|bigint\.js) /.exec(m.text())?.[1];
      if (backend) phase = backend;
      log(m.text());
    });
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(`${base}bench/index.html${quick ? '?quick' : ''}`);
    await page.waitForFunction(() => window.benchResult, null, { timeout: 30 * 60_000, polling: 500 });
    const result = await page.evaluate(() => window.benchResult);
    if (result.error) throw new Error(result.error);
    const peaks = stopSampling();
    const rss = [...peaks].map(([backend, mib]) => `${backend}: ${mib.toFixed(0)} MiB`).join('; ');
    result.table += `\nPeak renderer RSS (page + worker, sampled from /proc every 100 ms): ${rss || 'n/a'}`;
    tables.push(result.table);
    console.log(result.table + '\n');
  } finally {
    await browser.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

if (outAt >= 0) writeFileSync(args[outAt + 1], tables.join('\n\n') + '\n');
