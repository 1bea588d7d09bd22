// `npm run bench -- --files`, the page: encrypted files (issue 21) through the BUILT package
// (/dist/index.js), in Chromium, timed with performance.now() on the page's clock.
//
// 1. Throughput: two engines (startEngine, each its own worker) linked wire to wire as
//    test/helpers/engine-pair.ts links them, private. For 1, 10 and 25 MiB of random bytes, rounds
//    of: sealFile on A (the data to the worker, encrypt + SHA-256, the ciphertext back), sendFile →
//    B's `file` event, openFile on B (the ciphertext to the worker, SHA-256 + decrypt, the plaintext
//    back). Each round also times plain WebCrypto AES-256-GCM on the page's main thread with the
//    same bytes (the same-run baseline).
// 2. The page's main thread during a 25 MiB seal → send → file event → open: long tasks
//    (PerformanceObserver 'longtask', buffered: false) and the lateness of a 10 ms setInterval;
//    the probe's cloned and transferred seal + open alongside. Measured first (after a warm-up),
//    while the page's heap holds little of section 1's garbage.
// 3. Where the engine's time goes: a bare probe worker (bench/files/probe-worker.js) doing the same
//    crypto steps, with the buffers cloned (as Comlink did before the engine transferred them) and transferred (as the engine does), and the same bytes
//    sent to a worker and back with nothing done to them.
//
// Sizes are MiB (the engine's default limit, 25 MiB, is the largest); rates are MB/s (10^6 bytes/s).
// Query: `quick` (fewer rounds).
import { startEngine } from '/dist/index.js';

const quick = new URLSearchParams(location.search).has('quick');
const MiB = 1024 * 1024;
const SIZES = [
  { label: '1 MiB', bytes: 1 * MiB, rounds: quick ? 2 : 10 },
  { label: '10 MiB', bytes: 10 * MiB, rounds: quick ? 2 : 8 },
  { label: '25 MiB', bytes: 25 * MiB, rounds: quick ? 1 : 5 },
];
/** The issue's target for encrypt + decrypt, MB/s. */
const TARGET = 200;

const now = () => performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line) => console.log(line);
const run = Date.now().toString(36);
const raw = {};

function within(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}

// ---- statistics and table --------------------------------------------------------------------

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = sorted(xs);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2;
};
const min = (xs) => (xs.length ? Math.min(...xs) : NaN);
const max = (xs) => (xs.length ? Math.max(...xs) : NaN);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const f = (x, digits = 1) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits));
/** MB/s (10^6 bytes per second) for `bytes` in `ms`. */
const rate = (bytes, ms) => bytes / (ms * 1000);
/** Median, min and max of `xs` as three cells. */
const trio = (xs, digits = 0) => [f(median(xs), digits), f(min(xs), digits), f(max(xs), digits)];

/** A plain table: the first column left-aligned, the others right-aligned. */
function table(head, rows) {
  const all = [head, ...rows].map((r) => r.map(String));
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

// ---- data -----------------------------------------------------------------------------------

/** `bytes` random bytes (getRandomValues gives at most 64 KiB a call). */
function randomBytes(bytes) {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(i + 65536, bytes)));
  return data;
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  const words = a.length >>> 2;
  const x = new Uint32Array(a.buffer, a.byteOffset, words);
  const y = new Uint32Array(b.buffer, b.byteOffset, words);
  for (let i = 0; i < words; i++) if (x[i] !== y[i]) return false;
  for (let i = words * 4; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---- the engines ----------------------------------------------------------------------------

/** Two engines, each its own worker, linked wire to wire (test/helpers/engine-pair.ts), private. */
async function enginePair() {
  const names = [`files-a-${run}`, `files-b-${run}`];
  const sides = names.map((name) => ({ name, engine: startEngine({ name, timeoutMs: 30_000 }), state: undefined, onStatus: () => undefined, onFile: undefined }));
  if (typeof sides[0].engine.sealFile !== 'function') throw new Error('dist/ was built before the engine had files (the engine client has no sealFile): run npm run build.');
  const errors = [];
  for (const [i, side] of sides.entries()) {
    const other = sides[1 - i];
    await side.engine.subscribe((event) => {
      if (event.type === 'wire' && event.peer === other.name) void other.engine.receive(side.name, event.text).catch((e) => errors.push(`receive: ${e?.message ?? e}`));
      else if (event.type === 'status' && event.peer === other.name) {
        side.state = event.state;
        side.onStatus();
      } else if (event.type === 'file') side.onFile?.(event);
      else if (event.type === 'error' && !event.warning) errors.push(`${side.name} ${event.code}: ${event.message}`);
      else if (event.type === 'engine') errors.push(`${side.name} engine ${event.phase}: ${event.reason}`);
    });
  }
  await within(Promise.all(sides.map((s) => s.engine.ready)), 60_000, 'engines ready');
  const t0 = now();
  const both = Promise.all(sides.map((s) => new Promise((resolve) => (s.onStatus = () => s.state === 'encrypted' && resolve()))));
  await sides[0].engine.startPrivate(sides[1].name);
  await within(both, 120_000, `private (states ${sides.map((s) => s.state)}; ${errors.join('; ')})`);
  log(`engines private in ${f(now() - t0, 0)} ms (keys generated meanwhile)`);
  return { a: sides[0], b: sides[1], errors, end: () => sides.forEach((s) => s.engine.terminate()) };
}

/** The page's "file store": ciphertexts by place. */
const store = new Map();

/** One file A → B through the engines: ms of seal, send → file event, open; the opened bytes. */
async function engineRound(pair, data, tag, given = data.slice()) {
  const { a, b } = pair;
  // The engine client transfers a file's buffer to the worker (the caller's view is detached after),
  // as the element's `new Uint8Array(await file.arrayBuffer())` allows: `given` is a copy of `data` for
  // it, made before the timing (and by the caller before a watched window).
  const t0 = now();
  const { token, ciphertext } = await a.engine.sealFile(given, `bench-${tag}.bin`, 'application/octet-stream');
  const t1 = now();
  if (ciphertext.length !== data.length + 16 * Math.ceil(data.length / (256 * 1024))) throw new Error(`ciphertext of ${ciphertext.length} bytes for ${data.length}`);
  if (given.byteLength !== 0) throw new Error('sealFile copied the file instead of transferring it');
  const at = `mem:${tag}`;
  store.set(at, ciphertext);
  const heard = new Promise((resolve) => (b.onFile = resolve));
  const t2 = now();
  await a.engine.sendFile(b.name, token, at, `A file: bench-${tag}.bin`);
  const event = await within(heard, 20_000, `file event ${tag}`);
  const t3 = now();
  const opened = await b.engine.openFile(event.fileId, store.get(event.at));
  const t4 = now();
  store.delete(at);
  return { sealMs: t1 - t0, sendMs: t3 - t2, openMs: t4 - t3, opened, event };
}

// ---- plain WebCrypto on the main thread -------------------------------------------------------

/** AES-256-GCM encrypt then decrypt of `data` on the page's main thread, and SHA-256 of the ciphertext. */
async function webCryptoRound(data) {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const t0 = now();
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, data);
  const t1 = now();
  const plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, ciphertext);
  const t2 = now();
  await crypto.subtle.digest('SHA-256', ciphertext);
  const t3 = now();
  if (plaintext.byteLength !== data.length) throw new Error('WebCrypto round trip lost bytes');
  return { encryptMs: t1 - t0, decryptMs: t2 - t1, hashMs: t3 - t2 };
}

// ---- the probe worker -----------------------------------------------------------------------

const probe = new Worker(new URL('./probe-worker.js', import.meta.url), { type: 'module' });
let probeSeq = 0;
const probeWaiters = new Map();
probe.onmessage = ({ data }) => {
  const waiter = probeWaiters.get(data.id);
  probeWaiters.delete(data.id);
  if (data.error) waiter?.reject(new Error(`probe worker: ${data.error}`));
  else waiter?.resolve(data);
};
/** How the probe's buffers cross: `clone` both ways (Comlink's default), `out` cloned in and transferred back, `both` transferred both ways. */
const MODES = [
  { key: 'clone', into: false, back: false },
  { key: 'out', into: false, back: true },
  { key: 'both', into: true, back: true },
];

/**
 * Ask the probe worker. `into`: transfer `data`'s buffer (the caller gives up its copy); `back`: the
 * answer's buffer is transferred. Answers the reply and the ms postMessage held the page's thread.
 */
async function ask(op, data, { into, back }, extra = {}) {
  const id = ++probeSeq;
  const answer = new Promise((resolve, reject) => probeWaiters.set(id, { resolve, reject }));
  const t0 = now();
  probe.postMessage({ id, op, data, back, ...extra }, into ? [data.buffer] : []);
  const postMs = now() - t0;
  return { ...(await within(answer, 30_000, `probe ${op}`)), postMs };
}

/** The probe's steps for `data`, in every mode: echo, seal and open, wall ms on the page and in-worker ms. */
async function probeRound(data) {
  const out = {};
  for (const mode of MODES) {
    const own = () => (mode.into ? data.slice() : data); // a transfer detaches the buffer: give it a copy (outside the timing)
    let copy = own();
    let t0 = now();
    const echoed = await ask('echo', copy, mode);
    out[`${mode.key}EchoMs`] = now() - t0;
    if (mode.key === 'clone') out.postMs = echoed.postMs;
    if (echoed.data.length !== data.length) throw new Error('probe echo lost bytes');
    copy = own();
    t0 = now();
    const sealed = await ask('seal', copy, mode);
    out[`${mode.key}SealMs`] = now() - t0;
    const keyed = { key: sealed.key, iv: sealed.iv };
    const ciphertext = sealed.data; // the page's own: transferred in mode `both`, else still here for the parallel open below
    t0 = now();
    const opened = await ask('open', ciphertext, mode, keyed);
    out[`${mode.key}OpenMs`] = now() - t0;
    if (opened.data.length !== data.length) throw new Error('probe open lost bytes');
    if (mode.key === 'clone') {
      Object.assign(out, { workerEncryptMs: sealed.encryptMs, workerSealHashMs: sealed.hashMs, workerOpenHashMs: opened.hashMs, workerDecryptMs: opened.decryptMs });
      const parallel = await ask('open', ciphertext, mode, { ...keyed, parallel: true });
      out.workerParallelOpenMs = parallel.bothMs;
    }
  }
  // A plain copy on the page, for scale (what one side of a structured clone does, about).
  const t0 = now();
  data.slice();
  out.copyMs = now() - t0;
  return out;
}

// ---- 1 and 3: throughput, and where the time goes -----------------------------------------------

/** Not counted: the first file through the engines, WebCrypto and the probe. */
async function warmUp(pair) {
  const warm = randomBytes(MiB);
  const first = await engineRound(pair, warm, 'warm-up');
  if (!sameBytes(first.opened, warm)) throw new Error('the warm-up file did not open to the same bytes');
  await webCryptoRound(warm);
  await probeRound(warm);
}

async function throughput(pair) {
  const results = [];
  for (const size of SIZES) {
    const rounds = [];
    for (let r = 0; r < size.rounds; r++) {
      const data = randomBytes(size.bytes);
      const engine = await engineRound(pair, data, `${size.label}-${r}`);
      if (r === 0 && !sameBytes(engine.opened, data)) throw new Error(`${size.label}: the file did not open to the same bytes`);
      engine.opened = undefined;
      const webcrypto = await webCryptoRound(data);
      const probed = await probeRound(data);
      rounds.push({ sealMs: engine.sealMs, sendMs: engine.sendMs, openMs: engine.openMs, ...webcrypto, ...probed });
      await sleep(20);
    }
    log(`${size.label}: ${rounds.length} rounds, engine seal ${f(median(rounds.map((x) => x.sealMs)))} ms, open ${f(median(rounds.map((x) => x.openMs)))} ms (medians)`);
    results.push({ size, rounds });
  }
  raw.throughput = results.map(({ size, rounds }) => ({ size: size.label, bytes: size.bytes, rounds }));

  // Table 1: the engine, MB/s.
  const rows1 = results.map(({ size, rounds }) => {
    const B = size.bytes;
    const seal = rounds.map((x) => rate(B, x.sealMs));
    const open = rounds.map((x) => rate(B, x.openMs));
    const both = rounds.map((x) => rate(B, x.sealMs + x.openMs));
    const rawBoth = rounds.map((x) => rate(B, x.encryptMs + x.decryptMs));
    const rawSame = rounds.map((x) => rate(B, x.encryptMs + x.decryptMs + 2 * x.hashMs));
    const mBoth = median(both);
    return [size.label, rounds.length, ...trio(seal), ...trio(open), ...trio(both), mBoth >= TARGET ? `yes (${f(mBoth / TARGET, 2)}×)` : `NO (${f(mBoth / TARGET, 2)}×)`,
      f(median(rawBoth), 0), f(mBoth / median(rawBoth), 2), f(median(rawSame), 0), f(mBoth / median(rawSame), 2), f(median(rounds.map((x) => x.sendMs)), 1)];
  });
  const head1 = ['size', 'n', 'seal MB/s med', 'min', 'max', 'open MB/s med', 'min', 'max', 'seal+open MB/s med', 'min', 'max', `≥ ${TARGET} MB/s?`,
    'raw enc+dec MB/s', 'engine ÷ raw', 'raw enc+dec+2×SHA', 'engine ÷ that', 'send→file ms'];
  const text1 = `1. Engine throughput, in the worker through startEngine (transfer to and from the worker included), MB/s = 10^6 bytes/s\n${table(head1, rows1)}\n` +
    `seal: sealFile (data to the worker, AES-256-GCM encrypt, SHA-256, ciphertext back); open: openFile after the file event (ciphertext to the worker, SHA-256, decrypt, plaintext back);\n` +
    `seal+open: bytes / (seal ms + open ms) per round; target (issue 21): encrypt + decrypt ≥ ${TARGET} MB/s.\n` +
    `raw: plain WebCrypto AES-256-GCM on the page's main thread, same bytes, same round (encrypt + decrypt; then also with two SHA-256 of the ciphertext, the engine's work); send→file: sendFile until B's file event (median ms)`;

  // Table 1b: plain WebCrypto on the main thread, MB/s.
  const rows1b = results.map(({ size, rounds }) => {
    const B = size.bytes;
    return [size.label, rounds.length, ...trio(rounds.map((x) => rate(B, x.encryptMs))), ...trio(rounds.map((x) => rate(B, x.decryptMs))),
      ...trio(rounds.map((x) => rate(B, x.encryptMs + x.decryptMs))), ...trio(rounds.map((x) => rate(B, x.hashMs))), f(median(rounds.map((x) => rate(B, x.copyMs))), 0)];
  });
  const head1b = ['size', 'n', 'encrypt MB/s med', 'min', 'max', 'decrypt MB/s med', 'min', 'max', 'enc+dec MB/s med', 'min', 'max', 'SHA-256 MB/s med', 'min', 'max', 'copy (slice) MB/s med'];
  const text1b = `1b. Baseline: plain WebCrypto AES-256-GCM (and SHA-256) on the page's main thread, MB/s; copy: data.slice() on the page, for scale\n${table(head1b, rows1b)}`;

  // Table 3: where the time goes, median ms.
  const rows3 = [];
  for (const { size, rounds } of results) {
    const m = (k) => median(rounds.map((x) => x[k]));
    const step = (label, engine, probeKey, aes, sha, parallel) =>
      rows3.push([`${size.label} ${label}`, f(m(engine)), f(m(`clone${probeKey}`)), f(m(`out${probeKey}`)), f(m(`both${probeKey}`)), f(m(aes)), f(m(sha)), f(m(aes) + m(sha)),
        f(m(engine) - m(aes) - m(sha)), parallel ? f(m(parallel)) : '', f(m('cloneEchoMs')), f(m('outEchoMs')), f(m('bothEchoMs')), f(m('postMs'))]);
    step('seal', 'sealMs', 'SealMs', 'workerEncryptMs', 'workerSealHashMs');
    step('open', 'openMs', 'OpenMs', 'workerDecryptMs', 'workerOpenHashMs', 'workerParallelOpenMs');
  }
  const head3 = ['step', 'engine', 'probe: cloned', 'clone in, transfer out', 'transfer both', 'in-worker AES', 'SHA-256', 'crypto', 'engine − crypto', 'SHA ∥ AES',
    'echo: cloned', 'clone in, transfer out', 'transfer both', 'postMessage on page'];
  const last = results.at(-1);
  const lm = (k) => median(last.rounds.map((x) => x[k]));
  const engineMs = lm('sealMs') + lm('openMs');
  const hashMs = lm('workerSealHashMs') + lm('workerOpenHashMs');
  const aesMs = lm('workerEncryptMs') + lm('workerDecryptMs');
  const cryptoMs = hashMs + aesMs;
  const probeMs = (mode) => lm(`${mode}SealMs`) + lm(`${mode}OpenMs`);
  const B = last.size.bytes;
  const text3 = `3. Where the engine's time goes (median ms per step, the same rounds as 1)\n${table(head3, rows3)}\n` +
    `probe: a bare worker (bench/files/probe-worker.js) doing sealFile's / openFile's WebCrypto steps, page → worker → page, its buffers cloned (Comlink's default), ` +
    `cloned in and transferred back, or transferred both ways (as the engine now does); in-worker: the probe's clock around each WebCrypto call;\n` +
    `SHA ∥ AES: open's hash and decryption started together (Promise.all), in-worker; echo: the same bytes to a worker and back, nothing done; ` +
    `postMessage on page: how long the page's postMessage of the cloned bytes held its thread (serialization)\n` +
    `${last.size.label}, seal + open: engine ${f(engineMs)} ms (${f(rate(B, engineMs), 0)} MB/s) = crypto ${f(cryptoMs)} ms (AES-GCM ${f(aesMs)}, SHA-256 ${f(hashMs)}) + ${f(engineMs - cryptoMs)} ms else; ` +
    `the copies alone (two cloned echoes) ${f(2 * lm('cloneEchoMs'))} ms.\n` +
    `the same steps in the probe: cloned ${f(probeMs('clone'))} ms (${f(rate(B, probeMs('clone')), 0)} MB/s), clone in + transfer out ${f(probeMs('out'))} ms (${f(rate(B, probeMs('out')), 0)} MB/s), ` +
    `transferred ${f(probeMs('both'))} ms (${f(rate(B, probeMs('both')), 0)} MB/s); crypto alone ${f(rate(B, cryptoMs), 0)} MB/s, ` +
    `with open's SHA ∥ AES ${f(rate(B, lm('workerEncryptMs') + lm('workerSealHashMs') + lm('workerParallelOpenMs')), 0)} MB/s`;
  return { text1, text1b, text3 };
}

// ---- 2: the page's main thread during a 25 MiB transfer -----------------------------------------

/** Watch the main thread while `work` runs: long tasks and a 10 ms setInterval's lateness. */
async function watchMainThread(work) {
  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask', buffered: false });
  const late = [];
  let last = now();
  const ticker = setInterval(() => {
    const t = now();
    late.push(t - last - 10);
    last = t;
  }, 10);
  const t0 = now();
  let result;
  try {
    result = await work();
  } finally {
    const ms = now() - t0;
    await sleep(100); // let the observer hear of a long task that ended with the work
    clearInterval(ticker);
    observer.disconnect();
    result = { ...result, ms, late, longTasks: longTasks.map((e) => ({ at: e.startTime - t0, duration: e.duration, name: e.name })) };
  }
  return result;
}

/** Watched 25 MiB files through the engines (the first is the one the question is about; the others show the spread). */
const WATCHED = quick ? 1 : 5;
/** Watched probe windows per mode. */
const PROBED = quick ? 1 : 2;

async function mainThread(pair) {
  const supported = PerformanceObserver.supportedEntryTypes?.includes('longtask');
  // Every window's bytes are made before it (400 getRandomValues calls are the page's own work), and compared after it.
  const fresh = async () => {
    const data = randomBytes(25 * MiB);
    const given = data.slice(); // the engine's own copy (its buffer is transferred to the worker)
    await sleep(200);
    return { data, given };
  };
  // Control: does the observer hear a long task here? An 80 ms busy loop should be one.
  const control = await watchMainThread(async () => {
    const until = now() + 80;
    while (now() < until);
  });
  const engine = [];
  for (let i = 0; i < WATCHED; i++) {
    const { data, given } = await fresh();
    const w = await watchMainThread(() => engineRound(pair, data, `main-thread-${i}`, given));
    if (!sameBytes(w.opened, data)) throw new Error('the 25 MiB file did not open to the same bytes');
    w.opened = undefined;
    w.event = undefined;
    engine.push(w);
  }
  // The probe's seal + open of the same size, cloned (Comlink's default) and transferred both ways (as the engine's calls are now).
  const probed = { clone: [], both: [] };
  for (let i = 0; i < PROBED; i++) for (const mode of [MODES[0], MODES[2]]) {
    const fresh_ = await fresh();
    const data = fresh_.data;
    const given = mode.into ? fresh_.given : data;
    const w = await watchMainThread(async () => {
      const sealed = await ask('seal', given, mode);
      const opened = await ask('open', sealed.data, mode, { key: sealed.key, iv: sealed.iv });
      return { opened: opened.data };
    });
    if (!sameBytes(w.opened, data)) throw new Error('the probe did not open to the same bytes');
    w.opened = undefined;
    probed[mode.key].push(w);
  }
  await sleep(200);
  const idle = await watchMainThread(() => sleep(median(engine.map((w) => w.ms))));
  raw.mainThread = { control, engine, probed, idle };
  const row = (label, w) => [label, f(w.ms, 0), w.longTasks.length, f(max(w.longTasks.map((t) => t.duration)), 0), f(sum(w.longTasks.map((t) => t.duration)), 0),
    w.late.length, f(median(w.late), 1), f(max(w.late), 1)];
  const head = ['window', 'ms', 'long tasks', 'longest ms', 'total ms', 'ticks', 'lateness med ms', 'max ms'];
  const rows = [
    ...engine.map((w, i) => row(`engine: 25 MiB seal → send → file event → open${WATCHED > 1 ? `, #${i + 1}` : ''}`, w)),
    ...probed.clone.map((w, i) => row(`probe: 25 MiB seal → open, buffers cloned${PROBED > 1 ? `, #${i + 1}` : ''}`, w)),
    ...probed.both.map((w, i) => row(`probe: 25 MiB seal → open, transferred${PROBED > 1 ? `, #${i + 1}` : ''}`, w)),
    row('idle, same length (reference)', idle),
    row('control: 80 ms busy loop', control),
  ];
  const phases = engine.map((w, i) => {
    const where = w.longTasks.map((t) => `${f(t.duration, 0)} ms at +${f(t.at, 0)} ms`).join(', ');
    return `#${i + 1}: seal ${f(w.sealMs, 0)} ms, send → file event ${f(w.sendMs, 0)} ms, open ${f(w.openMs, 0)} ms; ${where ? `long tasks: ${where}` : 'no long task'}`;
  });
  const where = (label, ws) => ws.forEach((w, i) => w.longTasks.length && phases.push(`${label} #${i + 1}: long tasks ${w.longTasks.map((t) => `${f(t.duration, 0)} ms at +${f(t.at, 0)} ms`).join(', ')}`));
  where('probe cloned', probed.clone);
  where('probe transferred', probed.both);
  const all = (ws) => ws.flatMap((w) => w.longTasks.map((t) => t.duration));
  const summary = (label, ws) => `${label}: ${all(ws).length} long task(s) in ${ws.length} window(s), longest ${all(ws).length ? `${f(max(all(ws)), 0)} ms` : '-'}, max lateness ${f(max(ws.map((w) => max(w.late))), 1)} ms`;
  phases.push([summary('engine', engine), summary('probe cloned', probed.clone), summary('probe transferred', probed.both)].join('; '));
  return `2. The page's main thread during a 25 MiB file (PerformanceObserver 'longtask', buffered: false; setInterval(…, 10) lateness = gap − 10 ms; measured before section 1's rounds)\n${table(head, rows)}\n` +
    `longtask entries supported: ${supported}; each window ends 100 ms after the open; the bytes are made before it and compared after it\n${phases.join('\n')}`;
}

// ---- main -----------------------------------------------------------------------------------

async function main() {
  const started = now();
  const head = [
    `Encrypted files bench (issue 21): built package (/dist/index.js), page ${location.origin}`,
    `${navigator.userAgent.match(/(Headless)?Chrom(e|ium)\/[\d.]+/)?.[0] ?? navigator.userAgent}, ${navigator.hardwareConcurrency} cores; crossOriginIsolated: ${crossOriginIsolated}${quick ? '; QUICK counts' : ''}`,
    `rounds: ${SIZES.map((s) => `${s.label} × ${s.rounds}`).join(', ')} (after a 1 MiB warm-up); random bytes (getRandomValues, 64 KiB a call), new for every round`,
  ].join('\n');
  const pair = await enginePair();
  try {
    await warmUp(pair);
    const text2 = await mainThread(pair);
    const { text1, text1b, text3 } = await throughput(pair);
    if (pair.errors.length) log(`engine errors: ${pair.errors.join('; ')}`);
    const text = `${head}\n\n${text1}\n\n${text1b}\n\n${text2}\n\n${text3}\n\npage time ${f((now() - started) / 1000, 1)} s`;
    document.getElementById('out').textContent = text;
    window.benchResult = { table: text, raw };
  } finally {
    pair.end();
    probe.terminate();
  }
}

main().catch((error) => {
  console.log(`bench failed: ${error?.stack ?? error}`);
  window.benchResult = { error: String(error?.stack ?? error) };
});
