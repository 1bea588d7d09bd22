#!/usr/bin/env node
// Installs the Debian packages a command needs, when they are missing.
// Usage: node scripts/ensure-deps.mjs test|demo
// As root it runs apt-get; otherwise it prints the exact command and fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What each command needs: a check, and the Debian package that satisfies it. */
const needs = {
  demo: [],
  test: [
    { what: 'Chromium', ok: () => existsSync(process.env.CHROME_PATH || '/usr/bin/chromium'), pkg: 'chromium' },
    { what: 'Prosody (XMPP server)', ok: () => has('prosody') && has('prosodyctl'), pkg: 'prosody' },
    { what: 'libotr 4 headers', ok: () => existsSync('/usr/include/libotr/proto.h'), pkg: 'libotr5-dev' },
    { what: 'a C compiler', ok: () => has('gcc'), pkg: 'gcc' },
    { what: 'pkg-config', ok: () => has('pkg-config'), pkg: 'pkg-config' },
  ],
};

function has(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

const mode = process.argv[2] ?? 'test';
const missing = (needs[mode] ?? []).filter((n) => !n.ok());
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((n) => n.pkg))];
const command = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
console.log(`Missing: ${missing.map((n) => n.what).join(', ')}.`);
if (process.getuid?.() !== 0) {
  console.error(`Run as root:\n  sudo sh -c '${command}'`);
  process.exit(1);
}
console.log(`Installing with: ${command}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('sh', ['-c', command], { stdio: 'inherit', env });
const still = missing.filter((n) => !n.ok());
if (still.length) {
  console.error(`Still missing after install: ${still.map((n) => n.what).join(', ')}`);
  process.exit(1);
}
