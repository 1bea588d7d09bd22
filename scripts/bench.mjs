#!/usr/bin/env node
// `npm run bench`: the built product in Chromium. Builds bench/shipped/ with `vite build`
// (the engine client and the worker bundle as shipped), serves the output from a loopback server,
// and runs bench/shipped/main.ts: two engine workers through startEngine, wall time until the event,
// in-worker busy time, and stock otr.js as the baseline in the same run. Then the libotr 4.1
// reference (bench/libotr/: a C program, same machine, same run) and issue 22's targets against it.
//   node scripts/bench.mjs [--quick | --startup] [--out FILE]   (--startup: worker start-up only, no libotr)
//   node scripts/bench.mjs --libotr [--quick] [--out FILE]        (libotr reference only: bench/libotr/)
//   node scripts/bench.mjs --isolated [--quick] [--out FILE]      (isolated mode's tier only: bench/isolated/)
//   node scripts/bench.mjs --files [--quick] [--out FILE]         (encrypted files' tier only: bench/files/)
//   node scripts/bench.mjs --scale [--quick] [--out FILE]         (scale tier only: bench/scale/)
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { buildShipped, serveStatic } from './build-shipped.mjs';
import { launchChromium } from './chromium.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const startup = args.includes('--startup');
const outAt = args.indexOf('--out');
const log = (line) => process.stderr.write(`  ${line}\n`);

// `--isolated` (or `npm run bench --isolated`, which npm hands on as npm_config_isolated): the
// isolated mode's tier alone, on the built package in dist/ (bench/isolated/run.mjs).
if (args.includes('--isolated') || process.env.npm_config_isolated === 'true') {
  const { runIsolated } = await import('../bench/isolated/run.mjs');
  try {
    await runIsolated(args);
  } catch (error) {
    console.error(`bench --isolated: ${error?.message ?? error}`);
    process.exit(1);
  }
  process.exit(0);
}

// `--files` (or `npm run bench --files`: npm_config_files): the encrypted files' tier alone, on the
// built package in dist/ (bench/files/run.mjs).
if (args.includes('--files') || process.env.npm_config_files === 'true') {
  const { runFiles } = await import('../bench/files/run.mjs');
  try {
    await runFiles(args);
  } catch (error) {
    console.error(`bench --files: ${error?.message ?? error}`);
    process.exit(1);
  }
  process.exit(0);
}

// `--scale` (or `npm run bench --scale`: npm_config_scale): the scale tier alone (issue 22), on the
// built package in dist/ (bench/scale/run.mjs).
if (args.includes('--scale') || process.env.npm_config_scale === 'true') {
  const { runScale } = await import('../bench/scale/run.mjs');
  try {
    await runScale(args);
  } catch (error) {
    console.error(`bench --scale: ${error?.message ?? error}`);
    process.exit(1);
  }
  process.exit(0);
}

// `--libotr` (or `npm run bench --libotr`: npm_config_libotr): the libotr reference alone.
if (args.includes('--libotr') || process.env.npm_config_libotr === 'true') {
  const { runLibotr, libotrTable } = await import('../bench/libotr/run.mjs');
  let table;
  try {
    table = libotrTable(runLibotr({ quick: quick || process.env.npm_config_quick === 'true', log }));
  } catch (error) {
    console.error(`bench --libotr: ${error?.message ?? error}`);
    process.exit(1);
  }
  console.log(table);
  if (outAt >= 0) writeFileSync(args[outAt + 1], table + '\n');
  process.exit(0);
}

const built = await buildShipped();
log(`built ${built.outDir}: worker ${built.worker} ${built.workerBytes} bytes, ${built.workerGzipBytes} gzip (level 9)`);
const handler = serveStatic(built.outDir);
const server = createServer((req, res) => {
  if (!handler(req, res)) {
    res.statusCode = 404;
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium();
let text;
let result;
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('console', (m) => log(m.text()));
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.goto(`${base}${built.page}${startup ? '?startup' : quick ? '?quick' : ''}`);
  await page.waitForFunction(() => window.benchResult, null, { timeout: 30 * 60_000, polling: 500 });
  result = await page.evaluate(() => window.benchResult);
  if (result.error) throw new Error(result.error);
  text = `${result.table}\nWorker bundle (${built.worker.replace(/-[\w-]+\.js$/, '.js')}): ${built.workerBytes} bytes, ${built.workerGzipBytes} bytes gzip -9.`;
  console.log(text);
} finally {
  await browser.close();
  server.close();
}
// The libotr reference, after Chromium has closed (so the two do not share the cores), and issue
// 22's targets: ours (the shipped rows' wall medians) against libotr's medians of this same run.
if (!startup) {
  const { runLibotr, libotrTable, targetsTable } = await import('../bench/libotr/run.mjs');
  try {
    const ref = runLibotr({ quick, log });
    const section = `${libotrTable(ref)}\n\n${targetsTable(ref, result.rows)}`;
    console.log(`\n${section}`);
    text += `\n\n${section}`;
  } catch (error) {
    // The shipped table above stands on its own; say why the comparison is missing, and fail.
    console.error(`bench: libotr reference: ${error?.message ?? error}`);
    process.exitCode = 1;
  }
}
if (outAt >= 0) writeFileSync(args[outAt + 1], text + '\n');
