/**
 * `npm run bench`, the page: times the BUILT worker bundle through the real
 * engine client (`startEngine`), two workers on one page as the demo runs
 * them, in wall time from the main thread's call until the engine's event
 * arrives on the main thread. Wire text goes from one engine's `wire` event
 * straight to the other's `receive` (a zero-latency transport).
 *
 * Variants, one run:
 * - `shipped`: the product's worker, untouched (startEngine's own worker URL);
 * - `shipped (busy)`: the same bundle with a busy-time counter (timed-worker.ts),
 *   for the in-worker time of both workers;
 * - `stock`: that bundle with every speed-up uninstalled (stock-worker.ts);
 * - A/B rows (keygen, AKE, SMP only), in rounds that take turns so drift and the
 *   machine's other load hit all alike: `A/B base` (the timed worker as shipped),
 *   `no dsa-verify` (no-verify-worker.ts: otr.js's own DSA.verify) and
 *   `no lucas test` (no-lucas-worker.ts: p accepted after 40 Miller–Rabin rounds,
 *   not 3 and FIPS 186-4's Lucas test) and `exact p search` (exact-search-worker.ts:
 *   otr.js's draws for each candidate p and its 40 rounds, so against `no lucas
 *   test` it is the one-read search alone), each with one change switched off;
 *   their ratio column is against `A/B base`.
 */
import { startEngine, type EngineClient } from '../../src/ui/engine-client.js';
import type { EngineEvent } from '../../src/worker/api.js';

type Variant = 'shipped' | 'stock' | 'A/B base' | 'no dsa-verify' | 'no lucas test' | 'exact p search';
type Kind = 'product' | 'timed' | 'stock' | 'no-verify' | 'no-lucas' | 'exact-search';
/** The A/B variants and their workers: the base, then each with one change switched off. */
const AB: [Variant, Kind][] = [
  ['A/B base', 'timed'],
  ['no dsa-verify', 'no-verify'],
  ['no lucas test', 'no-lucas'],
  ['exact p search', 'exact-search'],
];
/** A/B rounds (each variant once per round, in turn) and the counts of one round. */
const AB_ROUNDS = { full: 12, quick: 1 };
const AB_ROUND: Record<'full' | 'quick', Counts> = {
  full: { keygen: 4, ake: 5, message: 0, big: 0, smp: 2 },
  quick: { keygen: 2, ake: 3, message: 0, big: 0, smp: 2 },
};
/** One row: wall (and busy, for timed workers) milliseconds per sample. */
interface Row {
  op: string;
  variant: Variant;
  wall: number[];
  busy: number[];
}
interface Counts {
  keygen: number;
  ake: number;
  message: number;
  big: number;
  smp: number;
}

// Keygen's time is a random search's (min to max 5× apart), and its median of 10 moved 116–130 ms
// between runs; 40 keys and 60 AKEs keep the shipped medians, which the targets read, steadier.
const FULL: Record<'shipped' | 'stock', Counts> = {
  shipped: { keygen: 40, ake: 60, message: 200, big: 10, smp: 10 },
  stock: { keygen: 3, ake: 8, message: 40, big: 5, smp: 3 },
};
const QUICK: Record<'shipped' | 'stock', Counts> = {
  shipped: { keygen: 2, ake: 3, message: 10, big: 2, smp: 2 },
  stock: { keygen: 1, ake: 2, message: 5, big: 1, smp: 1 },
};

const now = (): number => performance.now();
const log = (line: string): void => console.log(line);
const unique = (): string => `bench-${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** An engine plus what the bench needs to watch it. */
interface Side {
  name: string;
  engine: EngineClient;
  worker?: Worker;
  /** Counts of events by kind (`message`, `trust`, `question`, `result`, `failed`), the last status and message. */
  tally: Record<string, number>;
  status?: string;
  lastMessage?: string;
  waiters: Set<() => void>;
}

/** Book-keeping per event, in O(1), so the harness adds no cost that grows with the run. */
function note(side: Side, event: EngineEvent): void {
  const bump = (k: string): void => void (side.tally[k] = (side.tally[k] ?? 0) + 1);
  if (event.type === 'status') side.status = event.state;
  else if (event.type === 'message' && event.encrypted) {
    side.lastMessage = event.text;
    bump('message');
  } else if (event.type === 'trust') bump('trust');
  else if (event.type === 'smp' && event.event.type === 'question') bump('question');
  else if (event.type === 'smp' && event.event.type === 'result') bump(event.event.success ? 'result' : 'failed');
}

function workerFactory(kind: Kind): ((name: string) => Worker) | undefined {
  switch (kind) {
    case 'product':
      return undefined;
    case 'timed':
      return (name) => new Worker(new URL('./timed-worker.ts', import.meta.url), { type: 'module', name });
    case 'stock':
      return (name) => new Worker(new URL('./stock-worker.ts', import.meta.url), { type: 'module', name });
    case 'no-verify':
      return (name) => new Worker(new URL('./no-verify-worker.ts', import.meta.url), { type: 'module', name });
    case 'no-lucas':
      return (name) => new Worker(new URL('./no-lucas-worker.ts', import.meta.url), { type: 'module', name });
    case 'exact-search':
      return (name) => new Worker(new URL('./exact-search-worker.ts', import.meta.url), { type: 'module', name });
  }
}

function start(kind: Kind, name: string): Side {
  const make = workerFactory(kind);
  const side: Side = { name, engine: undefined as unknown as EngineClient, tally: {}, waiters: new Set() };
  // Stock otr.js blocks its worker for seconds (an SMP takes about 3 s): the heartbeat must not take that for a wedged worker.
  side.engine = startEngine({ name: unique(), timeoutMs: 60_000, heartbeatTimeoutMs: 120_000, ...(make ? { createWorker: (n: string) => (side.worker = make(n)) } : {}) });
  return side;
}

/** What a timed worker reports about its start (worker clock, ms). */
interface Startup {
  /** The worker's performance.timeOrigin (ms since the epoch), to put its clock on the page's. */
  origin: number;
  t0: number;
  t1: number;
  idb: string[];
  /** First IndexedDB get and set: [start, end] on the worker clock. */
  get: number[];
  set: number[];
}
const startups = new WeakMap<Side, Startup>();

/** Busy ms so far inside a timed worker (0 for the product worker, which has no counter). */
function busyOf(side: Side): Promise<number> {
  const worker = side.worker;
  if (!worker) return Promise.resolve(0);
  return new Promise((resolve) => {
    const on = (e: MessageEvent): void => {
      const data = e.data as { benchBusy?: number; startup?: Startup } | null;
      const v = data?.benchBusy;
      if (typeof v !== 'number') return;
      worker.removeEventListener('message', on);
      if (data?.startup) startups.set(side, data.startup);
      resolve(v);
    };
    worker.addEventListener('message', on);
    worker.postMessage({ benchBusy: true });
  });
}

/** Resolve when `check` holds, re-checked on every event of `sides`. */
function when(sides: Side[], check: () => boolean, what: string, ms = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => done(new Error(`bench step timed out: ${what}`)), ms);
    const waiter = (): void => {
      if (check()) done();
    };
    const done = (error?: Error): void => {
      clearTimeout(timer);
      for (const s of sides) s.waiters.delete(waiter);
      if (error) reject(error);
      else resolve();
    };
    for (const s of sides) s.waiters.add(waiter);
  });
}

async function link(a: Side, b: Side): Promise<void> {
  for (const [from, to] of [[a, b], [b, a]] as const) {
    await from.engine.subscribe((event) => {
      note(from, event);
      if (event.type === 'wire') void to.engine.receive(from.name, event.text).catch(() => undefined);
      for (const w of [...from.waiters]) w();
    });
  }
}

const count = (side: Side, kind: string): number => side.tally[kind] ?? 0;
const status = (side: Side): string | undefined => side.status;

async function benchVariant(variant: Variant, kind: Kind, counts: Counts, rows: Row[]): Promise<void> {
  const row = (op: string): Row => {
    let r = rows.find((x) => x.op === op && x.variant === variant);
    if (!r) rows.push((r = { op, variant, wall: [], busy: [] }));
    return r;
  };
  const timedWorker = kind !== 'product';
  /** Time `run` until `done` holds: wall, and busy summed over both workers. */
  async function sample(r: Row, sides: Side[], run: () => unknown, done: () => boolean, what: string): Promise<void> {
    const before = timedWorker ? await Promise.all(sides.map(busyOf)) : [];
    const t = now();
    const waiting = when(sides, done, what);
    await run();
    await waiting;
    r.wall.push(now() - t);
    if (timedWorker) {
      const after = await Promise.all(sides.map(busyOf));
      r.busy.push(after.reduce((s, v, i) => s + v - before[i]!, 0));
    }
  }

  // First use: new worker, fresh IndexedDB database, DSA key with fresh p, q, g.
  const keygen = row('keygen, fresh p, q, g, first use (startEngine → identity)');
  const ready = row('  of which: worker start (startEngine → first ping answered)');
  const work = row('  of which: key generation in the worker (keygen event ms)');
  const kept: Side[] = [];
  for (let i = 0; i < Math.max(2, counts.keygen); i++) {
    const t = now();
    const side = start(kind, i % 2 ? 'bob' : 'alice');
    const events: EngineEvent[] = [];
    const sub = side.engine.subscribe((e) => void events.push(e));
    await side.engine.ready;
    const readyAt = now() - t;
    await sub;
    await side.engine.identity();
    const wall = now() - t;
    if (i < counts.keygen) {
      keygen.wall.push(wall);
      ready.wall.push(readyAt);
      const done = events.find((e) => e.type === 'keygen' && e.phase === 'done') as { ms?: number } | undefined;
      if (done?.ms !== undefined) work.wall.push(done.ms);
      if (timedWorker) {
        keygen.busy.push(await busyOf(side));
        const s = startups.get(side);
        if (s) {
          // Worker clock → this sample's clock (0 = startEngine() called).
          const at = (v: number): number => s.origin + v - (performance.timeOrigin + t);
          row('  of which: worker thread up (its clock starts)').wall.push(at(0));
          row('  of which: worker code starts (worker clock)').wall.push(s.t0);
          row('  of which: worker modules evaluated (worker clock)').wall.push(s.t1);
          row('  at: IndexedDB read of the identity done').wall.push(at(s.get[1]!));
          row('  at: key generated, IndexedDB write starts').wall.push(at(s.set[0]!));
          row('  at: IndexedDB write done').wall.push(at(s.set[1]!));
          log(`${variant} worker ${i + 1}: code at ${s.t0.toFixed(1)}, evaluated at ${s.t1.toFixed(1)}, IndexedDB ${s.idb.join(', ')}`);
        }
      }
    }
    log(`${variant} keygen ${i + 1}: ${wall.toFixed(1)} ms (worker up at ${readyAt.toFixed(1)} ms)`);
    if (kept.length < 2 && i >= Math.max(2, counts.keygen) - 2) kept.push(side);
    else side.engine.terminate();
  }
  // Two fresh engines (not the keygen ones) so their subscriptions see everything from the start.
  const [a, b] = [start(kind, 'alice'), start(kind, 'bob')];
  for (const s of kept) s.engine.terminate();
  await link(a, b);
  await Promise.all([a.engine.identity(), b.engine.identity()]);
  const sides = [a, b];

  const ake = row('AKE, both sides encrypted');
  log(`${variant} phase: ake`);
  for (let i = 0; i <= counts.ake; i++) {
    if (i > 0) {
      await a.engine.endPrivate('bob');
      await when(sides, () => status(a) === 'plaintext' && status(b) === 'finished', 'end');
    }
    const trusts = count(a, 'trust') + count(b, 'trust');
    const r = i === 0 ? row('warm-up') : ake; // the first AKE warms up
    await sample(r, sides, () => a.engine.startPrivate('bob'), () => status(a) === 'encrypted' && status(b) === 'encrypted', 'AKE');
    // Let the trust-store writes that follow an AKE finish outside the timing.
    await when(sides, () => count(a, 'trust') + count(b, 'trust') >= trusts + 2, 'trust');
  }
  rows.splice(rows.findIndex((r) => r.op === 'warm-up'), 1);
  log(`${variant} AKE done`);

  const received = (side: Side): number => count(side, 'message');
  async function send(r: Row, from: Side, text: string): Promise<void> {
    const to = from === a ? b : a;
    const before = received(to);
    await sample(r, sides, () => from.engine.send(to.name, text), () => received(to) > before, 'message');
    if (to.lastMessage !== text) throw new Error('message mangled');
  }
  // One Comlink round trip (main → worker → main, no work): a message costs about two of these.
  const ping = row('engine round trip, ping (main → worker → main)');
  for (let i = 0; i < counts.message; i++) {
    const t = now();
    await a.engine.ping();
    ping.wall.push(now() - t);
  }
  const scratch: Row = { op: 'warm-up', variant, wall: [], busy: [] };
  for (let i = 0; i < 6; i++) await send(scratch, i % 2 ? b : a, 'warm-up');
  const turn = row('message after a direction change');
  log(`${variant} phase: turns`);
  for (let i = 0; i < counts.message; i++) await send(turn, i % 2 ? a : b, `turn ${i}`);
  const same = row('message, same direction');
  log(`${variant} phase: same`);
  for (let i = 0; i < counts.message; i++) await send(same, a, `same ${i}`);
  const big = row('64 KiB message (same direction)');
  log(`${variant} phase: big`);
  const text = 'x'.repeat(64 * 1024);
  for (let i = 0; i < counts.big; i++) await send(big, a, text);
  log(`${variant} messages done`);

  const smp = row('SMP, both sides (answered at once)');
  log(`${variant} phase: smp`);
  const results = (): number => count(a, 'result') + count(b, 'result') + count(a, 'failed') + count(b, 'failed');
  const failures = (): number => count(a, 'failed') + count(b, 'failed');
  const questions = (): number => count(b, 'question');
  for (let i = 0; i < counts.smp; i++) {
    const before = results();
    const failed = failures();
    const asked = questions();
    const answer = when(sides, () => questions() > asked, 'SMP question').then(() => b.engine.smpAnswer('alice', 'correct horse'));
    await sample(smp, sides, () => a.engine.smpStart('bob', 'correct horse', 'which horse?'), () => results() >= before + 2, 'SMP');
    await answer;
    if (failures() > failed) throw new Error('SMP failed');
    // SMP success writes the trust store; let it finish outside the timing.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  log(`${variant} SMP done`);
  a.engine.terminate();
  b.engine.terminate();
}

/** n, min, median, max. */
function stats(v: number[]): { n: number; min: number; median: number; max: number } {
  const s = [...v].sort((x, y) => x - y);
  const m = s.length >> 1;
  return { n: s.length, min: s[0] ?? NaN, median: s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2, max: s.at(-1) ?? NaN };
}

function table(rows: Row[]): string {
  const fmt = (v: number): string => (!Number.isFinite(v) ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
  const lines = [
    '| operation | measure | variant | n | min | median | max | stock ÷ shipped; A/B: variant ÷ base (median) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const op of [...new Set(rows.map((r) => r.op))]) {
    for (const measure of ['wall', 'busy'] as const) {
      const stock = rows.find((r) => r.op === op && r.variant === 'stock');
      const abBase = rows.find((r) => r.op === op && r.variant === 'A/B base');
      const abMedian = abBase?.[measure].length ? stats(abBase[measure]).median : NaN;
      for (const variant of ['shipped', ...AB.map(([v]) => v), 'stock'] as const) {
        const r = rows.find((x) => x.op === op && x.variant === variant);
        const samples = r?.[measure] ?? [];
        if (!samples.length) continue;
        const s = stats(samples);
        const base = stock?.[measure].length ? stats(stock[measure]).median : NaN;
        const ab = variant !== 'shipped' && variant !== 'stock' && variant !== 'A/B base' && Number.isFinite(abMedian);
        const ratio = variant === 'shipped' && Number.isFinite(base) ? `${(base / s.median).toFixed(1)}×` : ab ? `${(s.median / abMedian).toFixed(2)}× A/B base` : '';
        lines.push(`| ${op} | ${measure} | ${variant} | ${s.n} | ${fmt(s.min)} | ${fmt(s.median)} | ${fmt(s.max)} | ${ratio} |`);
      }
    }
  }
  return lines.join('\n');
}

declare global {
  interface Window {
    benchResult?: { table?: string; error?: string; rows?: Row[] };
  }
}

/** `?startup`: only worker start-up, product and timed workers alternating (for profiling item 4). */
async function startupOnly(): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; i < 6; i++) {
    for (const kind of ['product', 'timed'] as const) {
      const t = now();
      const side = start(kind, 'alice');
      await side.engine.ready;
      const ready = now() - t;
      await side.engine.subscribe(() => undefined);
      const sub = now() - t;
      await side.engine.ping();
      const ping = now() - t;
      if (kind === 'timed') await busyOf(side);
      const s = startups.get(side);
      lines.push(`${kind}: ready ${ready.toFixed(1)}, subscribed ${sub.toFixed(1)}, second ping ${ping.toFixed(1)}${s ? `; worker clock: code ${s.t0.toFixed(1)}, evaluated ${s.t1.toFixed(1)}` : ''}`);
      side.engine.terminate();
    }
  }
  window.benchResult = { table: lines.join('\n') };
}

async function main(): Promise<void> {
  if (new URLSearchParams(location.search).has('startup')) return startupOnly();
  const quick = new URLSearchParams(location.search).has('quick');
  const counts = quick ? QUICK : FULL;
  const rows: Row[] = [];
  // Wall time from the untouched product worker; busy time from the same bundle with a counter.
  await benchVariant('shipped', 'product', counts.shipped, rows);
  const busyRows: Row[] = [];
  await benchVariant('shipped', 'timed', counts.shipped, busyRows);
  for (const r of busyRows) {
    const target = rows.find((x) => x.op === r.op && x.variant === 'shipped');
    if (target) target.busy = r.busy;
    else rows.push(r); // rows only the timed worker can measure (its start-up markers)
  }
  // A/B: the timed worker as shipped and with one change switched off, taking turns (same run, same page).
  const size = quick ? 'quick' : 'full';
  for (let round = 0; round < AB_ROUNDS[size]; round++) {
    // each round starts with the next variant, so none always runs first
    for (let i = 0; i < AB.length; i++) {
      const [variant, kind] = AB[(round + i) % AB.length]!;
      await benchVariant(variant, kind, AB_ROUND[size], rows);
    }
  }
  await benchVariant('stock', 'stock', counts.stock, rows);
  const ua = navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent;
  const head = `${ua}, built bundle, two engine workers (ms per operation; wall: main-thread call → event on the main thread; busy: in-worker time of both workers)`;
  const out = `${head}\n${table(rows)}`;
  document.getElementById('out')!.textContent = out;
  window.benchResult = { table: out, rows };
}

main().catch((e: unknown) => {
  window.benchResult = { error: String((e as Error).stack ?? e) };
});
