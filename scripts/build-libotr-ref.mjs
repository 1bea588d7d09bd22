#!/usr/bin/env node
/**
 * Build bench/libotr/ref.c (the libotr 4.1 reference timed by `npm run bench`, issue 22) into
 * test/interop/build/libotr-ref, with the interop peer's toolchain: gcc and libotr5-dev, installed
 * with apt-get when missing (ensureToolchain from build-libotr-peer.mjs).
 *
 * Usable as a script (`node scripts/build-libotr-ref.mjs [--force]`, prints the binary's path) or
 * imported: `ensureLibotrRef()` returns the path and rebuilds only when the source is newer.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureToolchain } from './build-libotr-peer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REF_SOURCE = join(root, 'bench/libotr/ref.c');
export const REF_BINARY = join(root, 'test/interop/build/libotr-ref');

/** libotr's compile and link flags (pkg-config when present, else -lotr), as the peer's build. */
function libotrFlags() {
  const r = spawnSync('pkg-config', ['--cflags', '--libs', 'libotr'], { encoding: 'utf8' });
  const flags = r.status === 0 ? r.stdout.trim().split(/\s+/).filter(Boolean) : ['-lotr'];
  return [...flags, '-lgcrypt'];
}

const isFresh = () => existsSync(REF_BINARY) && statSync(REF_BINARY).mtimeMs >= statSync(REF_SOURCE).mtimeMs;

/** Build the reference when needed (ref.c is warning-free with -Wall -Wextra); returns the binary's path. */
export function ensureLibotrRef({ force = false, log = console.error } = {}) {
  if (isFresh() && !force) return REF_BINARY;
  ensureToolchain({ log });
  mkdirSync(dirname(REF_BINARY), { recursive: true });
  const tmp = `${REF_BINARY}.${process.pid}.tmp`;
  const flags = ['-std=gnu11', '-O2', '-Wall', '-Wextra'];
  execFileSync('gcc', [...flags, '-o', tmp, REF_SOURCE, ...libotrFlags()], { stdio: ['ignore', 2, 2] });
  renameSync(tmp, REF_BINARY); // atomic: a concurrent build never leaves half a binary
  return REF_BINARY;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(ensureLibotrRef({ force: process.argv.includes('--force') }));
}
