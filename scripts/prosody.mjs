#!/usr/bin/env node
// A local Prosody XMPP server for <e2ee-chat>'s ConnectyCube transport: for the
// end-to-end tests and for manual demos (`npm run xmpp`). Node built-ins only.
//
// Library:  const xmpp = await startProsody({ port: 5399, users: [{ user: '1001-1', password: 'p' }] });
//           ... xmpp.url, xmpp.domain, xmpp.wiretapFile, xmpp.readWiretap() ...; await xmpp.stop();
// CLI:      node scripts/prosody.mjs [--port 5280] [--app-id 1] [--users 1001,1002] [--keep] [--file-share]
// File upload (XEP-0363), off unless asked: startProsody({ ..., fileShare: true }) adds the
// component upload.localhost (mod_http_file_share), see xmpp.fileShare.
//
// Everything lives in <repo>/.prosody/<name>/ (gitignored): config, data, pid, log and
// the wiretap file written by scripts/prosody/mod_wiretap.lua. Prosody runs in the
// foreground as our child, loopback only; a watchdog kills it if this process dies
// without cleaning up, so no orphans are left behind.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { get as httpGet } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { delimiter } from 'node:path';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PLUGINS = join(ROOT, 'scripts', 'prosody');
/** The one XMPP domain we serve. ConnectyCube derives the domain from the websocket URL's host. */
export const DOMAIN = 'localhost';
export const DEFAULT_PORT = 5280;
const INSTALL_COMMAND = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y prosody';

/** The XMPP local part ConnectyCube uses for a user: `${userId}-${appId}`. */
export const ccUser = (userId, appId) => `${userId}-${appId}`;

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, cmd);
    if (dir && existsSync(file)) return file;
  }
  return null;
}

/** Install Prosody with apt-get when it is missing. Throws (with the exact command) when not root. */
export function ensureProsody({ log = console.error } = {}) {
  if (which('prosody') && which('prosodyctl')) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`Prosody is not installed. Install it with:\n  sudo sh -c '${INSTALL_COMMAND}'`);
  }
  log(`[prosody] not installed; running: ${INSTALL_COMMAND}`);
  const result = spawnSync('sh', ['-c', INSTALL_COMMAND], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0 || !which('prosody')) throw new Error(`[prosody] installation failed: ${INSTALL_COMMAND}`);
}

/** Resolve with a free loopback TCP port. */
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

function portInUse(port) {
  return new Promise((ok) => {
    const socket = tcpConnect({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); ok(true); });
    socket.once('error', () => ok(false));
  });
}

function ipv6LoopbackWorks() {
  return new Promise((ok) => {
    const server = createServer();
    server.once('error', () => ok(false));
    server.listen(0, '::1', () => server.close(() => ok(true)));
  });
}

const lua = (value) => JSON.stringify(String(value)); // a Lua string literal for plain paths/words

/** The XEP-0363 upload component's JID when `fileShare` is on: a subdomain, so disco#items on the domain lists it. */
export const UPLOAD_DOMAIN = `upload.${DOMAIN}`;
/** Default largest upload when `fileShare` is on: 30 MiB (the element's files are at most 25 MiB before sealing). */
export const DEFAULT_FILE_SHARE_SIZE_LIMIT = 30 * 1024 * 1024;

/** `fileShare` option → settings, or null when off. */
function fileShareSettings(option) {
  if (!option) return null;
  const sizeLimit = (typeof option === 'object' && option.sizeLimit) || DEFAULT_FILE_SHARE_SIZE_LIMIT;
  if (!Number.isSafeInteger(sizeLimit) || sizeLimit <= 0) throw new Error(`[prosody] fileShare.sizeLimit must be a positive integer, not ${sizeLimit}`);
  return { domain: UPLOAD_DOMAIN, sizeLimit };
}

/** Prosody's datamanager's file-name encoding: every non-alphanumeric byte as %xx (lower-case hex). */
const dmEncode = (name) => name.replace(/[^a-zA-Z0-9]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

function fileShareConfig(fileShare) {
  if (!fileShare) return '';
  return `
-- XEP-0363 HTTP File Upload (startProsody({ fileShare })): slots from upload.${DOMAIN}, files PUT to
-- and GET from http://${DOMAIN}:<port>/file_share/<slot>/<name> (http_host: the websocket's own host
-- and loopback port, as *.localhost names do not resolve everywhere). Files are kept as
-- data/upload%2e${DOMAIN}/http_file_share/<slot, %-encoded>.bin (xmpp.fileShare.storedFile(slot)).
Component ${lua(fileShare.domain)} "http_file_share"
  http_host = ${lua(DOMAIN)}
  http_file_share_size_limit = ${fileShare.sizeLimit}
  http_file_share_daily_quota = ${fileShare.sizeLimit * 100}
`;
}

function configText({ dir, port, interfaces, wiretapFile, logFile, pidFile, fileShare }) {
  return `-- Generated by scripts/prosody.mjs for <e2ee-chat> tests and demos. Do not edit; it is rewritten on start.
run_as_root = true
pidfile = ${lua(pidFile)}
data_path = ${lua(join(dir, 'data'))}
certificates = ${lua(join(dir, 'certs'))}
plugin_paths = { ${lua(PLUGINS)} }
log = { { levels = { min = "info" }, to = "file", filename = ${lua(logFile)} } }

-- Loopback only; no c2s/s2s/https ports: clients come in over the websocket.
interfaces = { ${interfaces.map(lua).join(', ')} }
local_interfaces = { ${interfaces.map(lua).join(', ')} }
http_interfaces = { ${interfaces.map(lua).join(', ')} }
http_ports = { ${port} }
https_ports = { }
c2s_ports = { }
s2s_ports = { }
component_ports = { }

modules_enabled = {
  "roster"; "saslauth"; "disco"; "ping"; "carbons";
  "offline"; -- without it, messages sent right after the peer connects are dropped
  "mam";
  "http"; "websocket";
  "wiretap"; -- ours: scripts/prosody/mod_wiretap.lua
}
modules_disabled = { "s2s" }

authentication = "internal_plain"
storage = "internal"
consider_websocket_secure = true -- loopback: lets the SDK use SASL PLAIN over ws://
c2s_require_encryption = false
allow_registration = false
default_archive_policy = true
archive_expires_after = "1d"
wiretap_file = ${lua(wiretapFile)}
${fileShare ? `network_default_read_size = 262144 -- fileShare: uploads arrive 4 KiB per event loop turn otherwise (10 MB: 4.2 s, now 0.3 s)
` : ''}
VirtualHost ${lua(DOMAIN)}
${fileShareConfig(fileShare)}`;
}

function processAlive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Kill a Prosody left behind by an earlier run of this very config (its pid file). */
async function killStale(pidFile, configFile) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return;
  let cmdline = '';
  try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { /* not Linux: trust the pid file */ }
  if (cmdline && !cmdline.includes(configFile)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && processAlive(pid); i++) await sleep(100);
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
}

function httpStatus(url) {
  return new Promise((ok) => {
    const req = httpGet(url, (res) => { res.resume(); ok(res.statusCode ?? 0); });
    req.setTimeout(1000, () => req.destroy());
    req.once('error', () => ok(0));
  });
}

const running = new Set();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: signal the children and go.
  process.once('exit', () => { for (const child of running) child.kill('SIGTERM'); });
}

/** Register (or re-register, changing the password) a user: `prosodyctl register`. */
export function registerUser(configFile, user, password) {
  const result = spawnSync('prosodyctl', ['--config', configFile, 'register', user, DOMAIN, password], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) {
    throw new Error(`[prosody] prosodyctl register ${user} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

function registerAsync(configFile, user, password) {
  return new Promise((ok, fail) => {
    const child = spawn('prosodyctl', ['--config', configFile, 'register', user, DOMAIN, password], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('error', fail);
    child.once('exit', (code) => {
      if (code === 0) ok();
      else fail(new Error(`[prosody] prosodyctl register ${user} failed (${code}): ${output}`));
    });
  });
}

/**
 * Start a private Prosody. Options: `port` (default 5280; 0 picks a free one), `users`
 * (`[{ user, password }]`, user = JID local part, e.g. ccUser(1001, 1)), `name` (the
 * folder under .prosody/, default `port-<port>`), `fresh` (default true: wipe data and
 * wiretap first), `timeoutMs` (default 20000), `fileShare` (default off: true or
 * `{ sizeLimit }` adds XEP-0363 HTTP File Upload, the component upload.localhost).
 * Resolves with `{ url, domain, port, dir, configFile, wiretapFile, logFile, pid,
 * fileShare (null when off: { domain, sizeLimit, httpOrigin, dataDir }),
 * register(user, password), readWiretap(), clearWiretap(), stop() }`.
 */
export async function startProsody(options = {}) {
  const { users = [], fresh = true, timeoutMs = 20_000, log = () => {} } = options;
  ensureProsody({ log: console.error });
  const port = options.port === 0 ? await freePort() : (options.port ?? DEFAULT_PORT);
  const dir = join(ROOT, '.prosody', options.name ?? `port-${port}`);
  const configFile = join(dir, 'prosody.cfg.lua');
  const pidFile = join(dir, 'prosody.pid');
  const logFile = join(dir, 'prosody.log');
  const wiretapFile = join(dir, 'wiretap.jsonl');
  const fileShare = fileShareSettings(options.fileShare);

  await killStale(pidFile, configFile);
  if (await portInUse(port)) {
    throw new Error(`[prosody] port ${port} is already in use (another Prosody? choose another with --port / { port })`);
  }
  if (fresh) {
    rmSync(join(dir, 'data'), { recursive: true, force: true });
    rmSync(wiretapFile, { force: true });
    rmSync(logFile, { force: true });
  }
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(join(dir, 'certs'), { recursive: true }); // none needed on loopback; stops a startup error line
  const interfaces = (await ipv6LoopbackWorks()) ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
  writeFileSync(configFile, configText({ dir, port, interfaces, wiretapFile, logFile, pidFile, fileShare }));
  writeFileSync(wiretapFile, '', { flag: 'a' });

  await Promise.all(users.map(({ user, password }) => registerAsync(configFile, user, password)));

  const started = Date.now();
  const child = spawn('prosody', ['-F', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  running.add(child);
  installExitHook();
  // Watchdog: its stdin is a pipe from us. When we die (even by SIGKILL) the pipe closes,
  // `cat` returns and the watchdog kills Prosody.
  const watchdog = spawn('sh', ['-c', 'cat >/dev/null; kill -TERM "$0" 2>/dev/null', String(child.pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.unref();
  watchdog.stdin.on('error', () => {});
  watchdog.stdin.unref?.();

  const output = [];
  const keep = (chunk) => { output.push(String(chunk)); if (output.length > 50) output.shift(); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitPromise = new Promise((ok) => child.once('exit', (code, signal) => {
    exited = { code, signal };
    running.delete(child);
    watchdog.kill('SIGKILL');
    ok(exited);
  }));

  const url = `ws://${DOMAIN}:${port}/xmpp-websocket`;
  const probe = `http://127.0.0.1:${port}/xmpp-websocket`;
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    }
  };

  for (;;) {
    if (exited) {
      throw new Error(`[prosody] exited early (${JSON.stringify(exited)}). Output:\n${output.join('')}\nLog: ${logFile}`);
    }
    if ((await httpStatus(probe)) === 200) break;
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`[prosody] no answer on ${probe} after ${timeoutMs} ms. Log: ${logFile}`);
    }
    await sleep(50);
  }
  log(`[prosody] ready on ${url} in ${Date.now() - started} ms`);

  const readWiretap = () =>
    readFileSync(wiretapFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  return {
    url,
    domain: DOMAIN,
    port,
    dir,
    configFile,
    wiretapFile,
    logFile,
    pid: child.pid,
    startupMs: Date.now() - started,
    fileShare: fileShare && {
      ...fileShare,
      httpOrigin: `http://${DOMAIN}:${port}`,
      dataDir: join(dir, 'data', dmEncode(fileShare.domain), 'http_file_share'),
      /** The file Prosody keeps for a slot id (the path segment after /file_share/ in its URLs). */
      storedFile: (slot) => join(dir, 'data', dmEncode(fileShare.domain), 'http_file_share', `${dmEncode(slot)}.bin`),
    },
    register: (user, password) => registerUser(configFile, user, password),
    /** Every client-sent message so far: `[{ from, to, type, id, body }]` (body null when absent). */
    readWiretap,
    clearWiretap: () => writeFileSync(wiretapFile, ''),
    stop,
  };
}

function parseArgs(argv) {
  const args = { port: DEFAULT_PORT, appId: 1, users: [1001, 1002], name: 'dev' };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (key === '--port') args.port = Number(value());
    else if (key === '--app-id') args.appId = Number(value());
    else if (key === '--users') args.users = value().split(',').map(Number);
    else if (key === '--name') args.name = value();
    else if (key === '--keep') args.keep = true;
    else if (key === '--file-share') args.fileShare = true;
    else if (key === '--help' || key === '-h') args.help = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log('usage: node scripts/prosody.mjs [--port 5280] [--app-id 1] [--users 1001,1002] [--name dev] [--keep] [--file-share]\n' +
      '  --keep        keep earlier data (accounts, offline messages, archive) instead of starting fresh\n' +
      '  --file-share  also serve XEP-0363 HTTP File Upload (component upload.localhost)');
    return;
  }
  const users = args.users.map((id) => ({ userId: id, user: ccUser(id, args.appId), password: `password${id}` }));
  const server = await startProsody({ port: args.port, name: args.name, users, fresh: !args.keep, fileShare: args.fileShare, log: console.log });
  console.log(`\nProsody is running (pid ${server.pid}). Press Ctrl+C to stop.`);
  console.log(`  websocket URL : ${server.url}`);
  console.log(`  chat domain   : ${server.domain}`);
  console.log(`  appId         : ${args.appId}   (authKey: any string; no REST calls are made)`);
  for (const u of users) console.log(`  user          : userId ${u.userId}  password ${u.password}  (JID ${u.user}@${server.domain})`);
  if (server.fileShare) console.log(`  file upload   : ${server.fileShare.domain} (XEP-0363), files in ${server.fileShare.dataDir}`);
  console.log(`  wiretap       : ${server.wiretapFile}`);
  console.log(`  log           : ${server.logFile}`);
  const shutdown = async () => { await server.stop(); process.exit(0); };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => { console.error(error instanceof Error ? error.message : error); process.exit(1); });
}
