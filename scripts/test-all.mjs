#!/usr/bin/env node
// Runs every suite (lint, format and types, unit (Vitest, Node; the library build's
// package, budget and consumer tests among them) and browser (@web/test-runner,
// Chromium)) and ends with one plain line: `N passed, M failed`.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const polyfills = '--import ./scripts/node-polyfills.mjs';
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${polyfills}`.trim() };

function run(cmd, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const totals = { passed: 0, failed: 0 };
const started = Date.now();

// 0. Lint and format (each counts as one test): ESLint over the repository, Prettier over its list.
for (const tool of ['eslint', 'prettier']) {
  const lint = await run('node', ['scripts/lint.mjs', tool]);
  if (lint.code === 0) totals.passed += 1;
  else totals.failed += 1;
}

// 0b. Types (one test): tsc over src, test, scripts and bench, as tsconfig.json lists them. Vitest
// and Vite strip types without checking them, so without this a type error in a test would pass.
const types = await run('npx', ['tsc', '--noEmit']);
if (types.code === 0) totals.passed += 1;
else totals.failed += 1;

// 1. Unit tests (Node): counts come from Vitest's JSON report.
mkdirSync('.cache', { recursive: true });
rmSync('.cache/vitest.json', { force: true });
const unit = await run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.cache/vitest.json']);
try {
  const report = JSON.parse(readFileSync('.cache/vitest.json', 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests + (unit.code !== 0 && report.numFailedTests === 0 ? 1 : 0);
} catch {
  totals.failed += 1; // the runner itself failed
  console.error('Vitest produced no report.');
}

// 2. Browser tests (Chromium): counts come from WTR's summary line.
const browser = await run('npx', ['web-test-runner'], { capture: true });
const plain = browser.out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
const summaries = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)];
const last = summaries.at(-1);
if (last) {
  totals.passed += Number(last[1]);
  totals.failed += Number(last[2]) + (browser.code !== 0 && Number(last[2]) === 0 ? 1 : 0);
} else {
  totals.failed += 1;
  console.error('web-test-runner produced no summary.');
}

console.log(`\nAll suites finished in ${Math.round((Date.now() - started) / 1000)} s.`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 && unit.code === 0 && browser.code === 0 ? 0 : 1);
