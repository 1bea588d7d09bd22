// `npm run bench -- --isolated`, the page: the BUILT package (/dist/index.js, dist/frame.html on
// another origin) in Chromium, timed with performance.now() on the page's clock.
//
// 1. Frame start: append a fresh `<e2ee-chat isolated>` and time its `e2ee-frame` event (its own
//    `detail.ms` and the wall time from the append) and its `ready` promise; an ordinary element
//    with an engine of its own (`startEngine`) is timed alongside, alternated, as the baseline.
//    The first element of each kind is cold (first frame, first worker, its key generated); the
//    rest reuse the identity, so they load the stored key (same site: the frame keeps storage).
//    Then one frame from each of the `cold` origins, which the browser has not seen: a first
//    visit's frame, fetched with a cold HTTP cache, in a browser that is already running.
// 2. Per message: from `el.send(text)` to the peer's `e2ee-message` (direction `in`), one message
//    in flight at a time, every path once per round (rotated order), so noise hits all alike.
//
// Query: `frame` (same-site frame URL), `cross` (cross-site frame URL, optional), `cold` (frame
// URLs on fresh same-site origins, space-separated, optional), `quick`.
import { LoopbackTransport, configureEngine, startEngine } from '/dist/index.js';

const params = new URLSearchParams(location.search);
const frameUrl = params.get('frame');
const crossUrl = params.get('cross');
const coldUrls = (params.get('cold') ?? '').split(' ').filter(Boolean);
const quick = params.has('quick');
/** Repetitions: `start` fresh elements of each kind, `cross` cross-site ones, `messages` per path. */
const COUNTS = quick ? { start: 4, cross: 2, messages: 20, warmup: 3 } : { start: 15, cross: 5, messages: 200, warmup: 10 };

configureEngine({ frameUrl, frameTimeoutMs: 30_000 });

const now = () => performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line) => console.log(line);
const run = Date.now().toString(36);
const slots = document.getElementById('slots');
let seq = 0;
/** Every sample, for `--raw FILE`. */
const raw = {};

/** Reject after `ms` with `what`, else settle as `promise` does. */
function within(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}

// ---- statistics and table --------------------------------------------------------------------

const sorted = (xs) => [...xs].sort((a, b) => a - b);
function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const s = sorted(xs);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
}
const median = (xs) => quantile(xs, 0.5);
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const min = (xs) => (xs.length ? Math.min(...xs) : NaN);
const max = (xs) => (xs.length ? Math.max(...xs) : NaN);
const f = (x, digits = 2) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits));
const signed = (x, digits = 2) => (Number.isNaN(x) ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`);

/** A plain table: the first column left-aligned, the others right-aligned. */
function table(head, rows) {
  const all = [head, ...rows].map((r) => r.map(String));
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/** The smallest step performance.now() takes on this page (coarsened unless cross-origin isolated). */
function timerStep() {
  let step = Infinity;
  for (let i = 0; i < 20; i++) {
    const a = now();
    let b = now();
    while (b === a) b = now();
    step = Math.min(step, b - a);
  }
  return step;
}

// ---- elements -------------------------------------------------------------------------------

/**
 * A chat in `slots`: `isolated` (its chat in the frame at `url`, or the configured one) or
 * ordinary (an engine of its own named `identity`). Returns the element and what to end it with.
 */
function chat({ isolated, identity, url, transport, peer, exposeText = false }) {
  const el = document.createElement('e2ee-chat');
  el.id = `chat-${++seq}`;
  el.isolated = isolated;
  let engine;
  if (isolated) {
    el.identity = identity;
    if (url) el.frameUrl = url;
    el.exposeText = exposeText;
  } else {
    engine = startEngine({ name: identity, timeoutMs: 30_000 });
    el.engine = engine;
    el.requireEncryption = true; // as the frame's own chat runs
  }
  el.peer = peer;
  el.transport = transport;
  return { el, end: () => (el.remove(), engine?.terminate()) };
}

/** One element's start: append it, time its e2ee-frame (isolated) and its ready. */
async function startOnce({ isolated, identity, url }) {
  const [transport, other] = LoopbackTransport.pair(`self-${run}-${seq}`, `nobody-${run}-${seq}`);
  const { el, end } = chat({ isolated, identity, url, transport, peer: other.self });
  let keygenMs;
  let keygenStarted = false;
  el.addEventListener('e2ee-keygen', (e) => (e.detail.phase === 'done' ? (keygenMs = e.detail.ms ?? NaN) : (keygenStarted = true)));
  const errors = [];
  el.addEventListener('e2ee-error', (e) => e.detail.code !== 'store' && errors.push(`${e.detail.code}: ${e.detail.message}`));
  const frame = isolated ? new Promise((resolve) => el.addEventListener('e2ee-frame', (e) => resolve({ at: now(), detail: e.detail }), { once: true })) : undefined;
  const t0 = now();
  slots.append(el);
  const readyAt = el.ready.then(() => now());
  try {
    const [up, ready] = await within(Promise.all([frame, readyAt]), 60_000, `${isolated ? 'isolated' : 'ordinary'} element ready`);
    if (errors.length) throw new Error(errors.join('; '));
    return { frameMs: up?.detail.ms, frameWall: up ? up.at - t0 : undefined, readyWall: ready - t0, keygenMs, keygenStarted, overlayGuard: up?.detail.overlayGuard };
  } finally {
    end();
    transport.close();
    other.close();
    await sleep(150); // let the old frame and worker go before the next one starts
  }
}

async function frameStart() {
  const kinds = [
    { key: 'iso', isolated: true, identity: `start-iso-${run}` },
    { key: 'ord', isolated: false, identity: `start-ord-${run}` },
  ];
  const samples = { iso: [], ord: [], cross: [], coldCache: [] };
  for (let i = 0; i < COUNTS.start; i++) {
    // Alternate which kind goes first; the very first isolated element is the page's first frame.
    const order = i % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) samples[kind.key].push(await startOnce(kind));
    if (i === 0 || i === COUNTS.start - 1) log(`frame start: ${i + 1}/${COUNTS.start}`);
  }
  if (crossUrl) {
    for (let i = 0; i < COUNTS.cross; i++) samples.cross.push(await startOnce({ isolated: true, identity: `start-cross-${run}`, url: crossUrl }));
    log(`frame start, cross site: ${COUNTS.cross}`);
  }
  for (const [i, url] of coldUrls.entries()) samples.coldCache.push(await startOnce({ isolated: true, identity: `start-cold-${run}-${i}`, url }));
  if (coldUrls.length) log(`frame start, new origins: ${coldUrls.length}`);
  const rows = [];
  const row = (label, list) => {
    if (list.length === 0) return;
    const col = (k) => list.map((s) => s[k]).filter((x) => x !== undefined);
    const trio = (xs) => (xs.length === 0 ? ['-', '-', '-'] : xs.length === 1 ? [f(xs[0], 1), '', ''] : [f(median(xs), 1), f(min(xs), 1), f(max(xs), 1)]);
    const keygens = col('keygenMs');
    const unfinished = list.filter((s) => s.keygenStarted && s.keygenMs === undefined).length;
    const keygen = [keygens.length ? `${keygens.length}× ${f(median(keygens), 0)}` : '', unfinished ? `${unfinished}× still running at ready` : ''].filter(Boolean).join(', ');
    rows.push([label, list.length, ...trio(col('frameMs')), ...trio(col('frameWall')), ...trio(col('readyWall')), keygen || '-']);
  };
  const labels = { iso: 'isolated, same site', ord: 'ordinary, own engine', cross: 'isolated, cross site' };
  for (const key of ['iso', 'ord', 'cross']) {
    row(`${labels[key]}: cold`, samples[key].slice(0, 1));
    row(`${labels[key]}: warm`, samples[key].slice(1));
  }
  row('isolated, same site: new origin', samples.coldCache);
  const warmReady = (key) => median(samples[key].slice(1).map((s) => s.readyWall));
  const head = ['element', 'n', 'e2ee-frame ms med', 'min', 'max', 'append→e2ee-frame med', 'min', 'max', 'append→ready med', 'min', 'max', 'key generated (n× med ms)'];
  const firstVisit = median(samples.coldCache.map((s) => s.frameWall));
  const notes = [
    samples.coldCache.length
      ? `frame up on a first visit (new origin, cold HTTP cache; append → e2ee-frame): median ${f(firstVisit, 1)} ms of ${samples.coldCache.length} (target: within 150 ms: ${firstVisit <= 150 ? 'met' : 'MISSED'})`
      : '',
    `warm ready, isolated − ordinary: ${signed(warmReady('iso') - warmReady('ord'), 1)} ms (ratio ${f(warmReady('iso') / warmReady('ord'))})`,
    samples.cross.length > 1 ? `warm ready, cross site − same site: ${signed(warmReady('cross') - warmReady('iso'), 1)} ms (ratio ${f(warmReady('cross') / warmReady('iso'))})` : '',
    `overlay guard (IntersectionObserver v2) in the frame: ${samples.iso[0]?.overlayGuard}`,
  ].filter(Boolean);
  raw.frameStart = samples;
  return `1. Frame start: fresh elements, ${COUNTS.start} of each kind (alternated), ms on the page's clock\n${table(head, rows)}\n${notes.join('\n')}`;
}

// ---- per message ----------------------------------------------------------------------------

/** Messages an element received, by text, each to the waiter registered for it. */
function inbox(el) {
  const waiters = new Map();
  el.addEventListener('e2ee-message', (e) => {
    if (e.detail.direction !== 'in') return;
    const at = now();
    const waiter = waiters.get(e.detail.text);
    if (!waiter) return;
    waiters.delete(e.detail.text);
    waiter({ at, encrypted: e.detail.encrypted });
  });
  return (text) => new Promise((resolve) => waiters.set(text, resolve));
}

/** Two chats on one LoopbackTransport.pair, private; `a` and `b` say which is isolated (and where). */
async function privatePair(name, a, b) {
  const [ta, tb] = LoopbackTransport.pair(`${name}-a-${run}`, `${name}-b-${run}`);
  const A = chat({ ...a, identity: `${name}-a-${run}`, transport: ta, peer: tb.self, exposeText: true });
  const B = chat({ ...b, identity: `${name}-b-${run}`, transport: tb, peer: ta.self, exposeText: true });
  const states = new Map();
  const privateNow = (el) =>
    new Promise((resolve) =>
      el.addEventListener('e2ee-status', function on(e) {
        states.set(el, e.detail.state);
        if (e.detail.state === 'encrypted') resolve(el.removeEventListener('e2ee-status', on));
      }),
    );
  const both = Promise.all([privateNow(A.el), privateNow(B.el)]);
  slots.append(A.el, B.el);
  await within(Promise.all([A.el.ready, B.el.ready]), 120_000, `${name} ready`);
  await A.el.startPrivate();
  await within(both, 120_000, `${name} private (states ${[...states.values()]})`);
  return { A: { ...A, received: inbox(A.el) }, B: { ...B, received: inbox(B.el) } };
}

/** One message `from` → `to`: ms from send() to the peer's event. */
async function oneMessage(from, to, text) {
  const arrived = to.received(text);
  const t0 = now();
  const sent = from.el.send(text);
  const [got] = await within(Promise.all([arrived, sent]), 20_000, `message ${text}`);
  if (!got.encrypted) throw new Error(`message ${text} arrived unencrypted`);
  return got.at - t0;
}

/** A send the frame may still hold (its anti-overlay guard lets input through 500 ms after the chat is fully visible). */
async function warmSend(from, to, text) {
  for (let tries = 0; ; tries++) {
    try {
      return await oneMessage(from, to, text);
    } catch (error) {
      if (error?.code !== 'frame' || tries > 50) throw error;
      await sleep(100);
    }
  }
}

async function perMessage() {
  // One pair per path, each sending one way only: every conversation holds as many messages as the others at each round.
  const ord = { isolated: false };
  const iso = { isolated: true };
  const xiso = { isolated: true, url: crossUrl };
  const specs = [
    ['ordinary → ordinary', ord, ord],
    ['isolated → ordinary', iso, ord],
    ['ordinary → isolated', ord, iso],
    ...(crossUrl
      ? [
          ['isolated (cross site) → ordinary', xiso, ord],
          ['ordinary → isolated (cross site)', ord, xiso],
        ]
      : []),
  ];
  const pairs = await Promise.all(specs.map(([, a, b], i) => privatePair(`p${i}`, a, b)));
  const paths = specs.map(([label], i) => ({ label, from: pairs[i].A, to: pairs[i].B }));
  log(`per message: ${pairs.length} pairs private`);
  for (const [i, p] of paths.entries()) for (let w = 0; w < COUNTS.warmup; w++) await warmSend(p.from, p.to, `warm-up ${w} on path ${i}`);
  const ms = paths.map(() => []);
  for (let r = 0; r < COUNTS.messages; r++) {
    for (let k = 0; k < paths.length; k++) {
      const i = (r + k) % paths.length; // rotate the order every round
      ms[i][r] = await oneMessage(paths[i].from, paths[i].to, `message ${r} on path ${i}: the quick brown fox`);
      await sleep(0);
    }
    if ((r + 1) % 50 === 0) log(`per message: ${r + 1}/${COUNTS.messages} rounds`);
  }
  const baseline = ms[0];
  /** Medians of the first and last messages: how the cost grows with the conversation's length. */
  const edge = Math.max(5, Math.floor(COUNTS.messages / 8));
  const rows = paths.map((p, i) => {
    const xs = ms[i];
    const paired = xs.map((x, r) => x - baseline[r]);
    return [p.label, xs.length, f(median(xs)), f(mean(xs)), f(quantile(xs, 0.1)), f(quantile(xs, 0.9)), f(min(xs)), f(max(xs)),
      f(median(xs.slice(0, edge))), f(median(xs.slice(-edge))),
      i === 0 ? '' : signed(median(xs) - median(baseline)), i === 0 ? '' : signed(median(paired)), i === 0 ? '' : f(median(xs) / median(baseline))];
  });
  const head = ['path', 'n', 'median', 'mean', 'p10', 'p90', 'min', 'max', `first ${edge}`, `last ${edge}`, 'Δ median vs ord→ord', 'paired Δ (median)', 'ratio'];
  const worst = Math.max(median(ms[1]) - median(baseline), median(ms[2]) - median(baseline));
  raw.perMessage = Object.fromEntries(paths.map((p, i) => [p.label, ms[i]]));
  const text = `2. Per message: send() → peer's e2ee-message (in), ${COUNTS.messages} rounds, every path once per round (rotated), ms\n${table(head, rows)}\n` +
    `extra hop, same site (worst direction, Δ median): ${signed(worst)} ms per message (target: at most +1 ms); ` +
    `paired Δ: the median of per-round differences (the same round: conversations of the same length)\n` +
    `(an ordinary receiver dispatches e2ee-message before it re-renders its list; an isolated one's event reaches the page after the frame's re-render, ` +
    `on the page's own thread when the frame is on the same site: that render, which grows with the conversation, is in ordinary → isolated; see section 3 for the bridge alone)`;
  return { text, pairs };
}

/**
 * The bridge alone, no message list to render: `exportFingerprints()` on an ordinary element (one
 * call to its engine) and on an isolated one (page → frame, the frame's engine, frame → page).
 */
async function bridgeRoundTrip(pairs) {
  const elements = [
    ['ordinary (engine call)', pairs[0].A.el],
    ['isolated, same site', pairs[1].A.el],
    ...(pairs[3] ? [['isolated, cross site', pairs[3].A.el]] : []),
  ];
  for (const [, el] of elements) for (let w = 0; w < COUNTS.warmup; w++) await el.exportFingerprints();
  const ms = elements.map(() => []);
  for (let r = 0; r < COUNTS.messages; r++) {
    for (let k = 0; k < elements.length; k++) {
      const i = (r + k) % elements.length;
      const t0 = now();
      await elements[i][1].exportFingerprints();
      ms[i][r] = now() - t0;
      await sleep(0);
    }
  }
  raw.bridge = Object.fromEntries(elements.map(([label], i) => [label, ms[i]]));
  const rows = elements.map(([label], i) => {
    const xs = ms[i];
    const paired = xs.map((x, r) => x - ms[0][r]);
    return [label, xs.length, f(median(xs)), f(mean(xs)), f(quantile(xs, 0.1)), f(quantile(xs, 0.9)), f(min(xs)), f(max(xs)),
      i === 0 ? '' : signed(median(xs) - median(ms[0])), i === 0 ? '' : signed(median(paired)), i === 0 ? '' : f(median(xs) / median(ms[0]))];
  });
  const head = ['element', 'n', 'median', 'mean', 'p10', 'p90', 'min', 'max', 'Δ median vs ordinary', 'paired Δ (median)', 'ratio'];
  return `3. Bridge round trip: el.exportFingerprints() (page → frame → page: two crossings, as a message's path has), ${COUNTS.messages} rounds, ms\n${table(head, rows)}\n` +
    `(the cross-site frame has no storage: its engine reads fingerprints from memory, the others from IndexedDB)`;
}

// ---- main -----------------------------------------------------------------------------------

async function main() {
  const started = now();
  const step = timerStep();
  const head = [
    `Isolated mode bench: built package (/dist/index.js), page ${location.origin}, frame ${new URL(frameUrl).origin} (same site)${crossUrl ? `, cross-site frame ${new URL(crossUrl).origin}` : ''}`,
    `frame files served with cache-control max-age (warm: from the HTTP cache); page files no-store`,
    `${navigator.userAgent.match(/(Headless)?Chrom(e|ium)\/[\d.]+/)?.[0] ?? navigator.userAgent}, ${navigator.hardwareConcurrency} cores; performance.now() step ${f(step, 3)} ms (crossOriginIsolated: ${crossOriginIsolated})${quick ? '; QUICK counts' : ''}`,
  ].join('\n');
  const start = await frameStart();
  const messages = await perMessage();
  const bridge = await bridgeRoundTrip(messages.pairs);
  for (const pair of messages.pairs) for (const side of [pair.A, pair.B]) side.end();
  const text = `${head}\n\n${start}\n\n${messages.text}\n\n${bridge}\n\npage time ${f((now() - started) / 1000, 1)} s`;
  document.getElementById('out').textContent = text;
  window.benchResult = { table: text, raw };
}

main().catch((error) => {
  console.log(`bench failed: ${error?.stack ?? error}`);
  window.benchResult = { error: String(error?.stack ?? error) };
});
