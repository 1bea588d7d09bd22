#!/usr/bin/env node
// `npm run lint`: ESLint over the repository, then Prettier over the files scripts/format.mjs lists.
// The toolchain is a separate install in tools/lint (see its package.json); this installs it first
// when it is missing or older than its lock file. Exit code 1 on any error (warnings pass).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const lock = 'tools/lint/package-lock.json';
const marker = 'tools/lint/node_modules/.package-lock.json';
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.log('Installing the lint toolchain (tools/lint)…');
  execFileSync('npm', ['ci', '--prefix', 'tools/lint', '--no-audit', '--no-fund', '--loglevel=error'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

const only = process.argv[2]; // `eslint` or `prettier`: run one of them
let failed = false;
const step = (name, args) => {
  if (only && only !== name) return;
  try {
    execFileSync(process.execPath, args, { stdio: 'inherit' });
    console.log(`${name}: ok`);
  } catch {
    console.log(`${name}: FAILED`);
    failed = true;
  }
};
step('eslint', ['tools/lint/node_modules/eslint/bin/eslint.js', '.']);
step('prettier', ['scripts/format.mjs']);
process.exit(failed ? 1 : 0);
