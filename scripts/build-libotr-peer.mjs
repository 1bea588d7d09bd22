#!/usr/bin/env node
/**
 * Build test/interop/libotr-peer.c (a libotr 4.1 peer for the interop tests)
 * into test/interop/build/libotr-peer, installing gcc and libotr5-dev with
 * apt-get first when they are missing (CI starts from a fresh machine).
 *
 * Usable as a script (`node scripts/build-libotr-peer.mjs`) or imported:
 * `ensureLibotrPeer()` returns the binary's path and rebuilds only when the
 * source is newer than the binary.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PEER_SOURCE = join(root, 'test/interop/libotr-peer.c');
export const PEER_BINARY = join(root, 'test/interop/build/libotr-peer');

function have(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

function headerPresent() {
  // Compile a one-line program against libotr's headers.
  const r = spawnSync('gcc', ['-x', 'c', '-fsyntax-only', '-'], {
    input: '#include <libotr/proto.h>\nint main(void){return 0;}\n',
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  return r.status === 0;
}

/** Install gcc / libotr5-dev when missing. Throws with a clear message when that is impossible. */
export function ensureToolchain({ log = console.error } = {}) {
  const missing = [];
  const gcc = have('gcc', ['--version']);
  if (!gcc) missing.push('gcc');
  // libotr5-dev brings libgcrypt20-dev along. pkg-config is optional (we fall back to -lotr).
  if (!gcc ? !have('dpkg', ['-s', 'libotr5-dev']) : !headerPresent()) missing.push('libotr5-dev');
  if (!have('pkg-config', ['--version']) && missing.length) missing.push('pkg-config');
  if (missing.length === 0) return;
  if (!have('apt-get', ['--version'])) {
    throw new Error(`libotr interop tests need ${missing.join(', ')} and there is no apt-get to install them.`);
  }
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo', '-n'] : [];
  const run = (args) => {
    log(`[libotr-peer] ${[...sudo, ...args].join(' ')}`);
    const [cmd, ...rest] = [...sudo, ...args];
    execFileSync(cmd, rest, { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
  if (!headerPresent()) throw new Error('libotr5-dev was installed but <libotr/proto.h> still does not compile.');
}

function libotrFlags() {
  const r = spawnSync('pkg-config', ['--cflags', '--libs', 'libotr'], { encoding: 'utf8' });
  const flags = r.status === 0 ? r.stdout.trim().split(/\s+/).filter(Boolean) : ['-lotr'];
  return [...flags, '-lgcrypt'];
}

function isFresh() {
  return existsSync(PEER_BINARY) && statSync(PEER_BINARY).mtimeMs >= statSync(PEER_SOURCE).mtimeMs;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Hold a lock (an atomic mkdir) while installing and compiling: parallel
 * test workers may all find the binary missing on a fresh machine, and two
 * concurrent apt-get runs fail on dpkg's lock.
 */
function withLock(work) {
  const lock = join(dirname(PEER_BINARY), '.build-lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true }); // stale
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
      sleep(250);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Build the peer when needed; returns the path of the binary. */
export function ensureLibotrPeer({ force = false, log = console.error } = {}) {
  if (isFresh() && !force) return PEER_BINARY;
  return withLock(() => {
    if (isFresh() && !force) return PEER_BINARY; // built by another worker meanwhile
    ensureToolchain({ log });
    const tmp = `${PEER_BINARY}.${process.pid}.tmp`;
    execFileSync('gcc', ['-std=gnu11', '-O1', '-Wall', '-o', tmp, PEER_SOURCE, ...libotrFlags()], {
      stdio: ['ignore', 2, 2],
    });
    renameSync(tmp, PEER_BINARY);
    return PEER_BINARY;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = ensureLibotrPeer({ force: process.argv.includes('--force') });
  console.log(path);
}
