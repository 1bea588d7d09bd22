/**
 * Speed of our OTR layer on stock otr.js (bigint.js) versus the native-BigInt
 * backend, in one run. Environment-free: runs in Node and in a browser worker.
 *
 * Times are busy times: the milliseconds spent inside our session calls
 * (send / receive / startPrivate / smp*), summed over both peers. otr.js
 * hands every outgoing packet to a setTimeout, and wall time would mostly
 * measure those timers (browsers clamp nested ones to 4 ms).
 */
import { IdentityKey, OtrSession } from '../src/protocol/index.js';
import { bigIntModule } from '../src/protocol/otr-loader.js';
import { installNativeBigInt, uninstallNativeBigInt, activeBigIntBackend } from '../src/protocol/native-bigint.js';
import { installNativeHelpers, uninstallNativeHelpers } from '../src/protocol/native-helpers.js';
import { installLazyDhSessions, uninstallLazyDhSessions } from '../src/protocol/native-sessions.js';
import helpersModule from 'otr/lib/helpers.js';
import constModule from 'otr/lib/const.js';
import otrModule from 'otr';

/** Samples per row and backend. */
export interface BenchCounts {
  keygen: number;
  ake: number;
  message: number;
  smp: number;
  big: number;
}

/** One row of results: milliseconds per operation. */
export interface BenchRow {
  op: string;
  backend: 'bigint.js' | 'native';
  samples: number[];
}

export const DEFAULT_COUNTS: Record<'bigint.js' | 'native', BenchCounts> = {
  'bigint.js': { keygen: 3, ake: 8, message: 40, smp: 3, big: 5 },
  native: { keygen: 10, ake: 30, message: 200, smp: 10, big: 10 },
};

const now = (): number => performance.now();

/** Two sessions wired together; `busy` accumulates time spent inside their calls. */
function pair(keyA: IdentityKey, keyB: IdentityKey) {
  const clock = { busy: 0 };
  const timed = (f: () => void): void => {
    const t = now();
    try {
      f();
    } finally {
      clock.busy += now() - t;
    }
  };
  const a = new OtrSession({ key: keyA });
  const b = new OtrSession({ key: keyB });
  const got = { a: [] as string[], b: [] as string[] };
  const smp: string[] = [];
  a.on('wire', ({ text }) => timed(() => b.receive(text)));
  b.on('wire', ({ text }) => timed(() => a.receive(text)));
  a.on('message', ({ text }) => got.a.push(text));
  b.on('message', ({ text }) => got.b.push(text));
  b.on('smp', (e) => {
    if (e.type === 'question') timed(() => b.smpAnswer('correct horse'));
    else smp.push(e.type === 'result' ? String(e.success) : e.type);
  });
  a.on('smp', (e) => smp.push(e.type === 'result' ? String(e.success) : e.type));
  return { a, b, got, smp, clock, timed };
}

function until(check: () => boolean, ms = 120_000): Promise<void> {
  const start = now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      sampleMemory();
      if (check()) return resolve();
      if (now() - start > ms) return reject(new Error('bench step timed out'));
      setTimeout(tick, 0);
    };
    tick();
  });
}

async function encryptedPair(keyA: IdentityKey, keyB: IdentityKey) {
  const p = pair(keyA, keyB);
  p.timed(() => p.a.startPrivate());
  await until(() => p.a.state === 'encrypted' && p.b.state === 'encrypted');
  return p;
}

/** Peak of a memory reading, sampled while the bench runs. */
export const memoryPeak = { bytes: 0, read: (() => undefined) as () => number | undefined };
function sampleMemory(): void {
  const v = memoryPeak.read();
  if (v !== undefined && v > memoryPeak.bytes) memoryPeak.bytes = v;
}

/** Run every row on one backend. `log` gets progress lines. */
export async function benchBackend(backend: 'bigint.js' | 'native', counts: BenchCounts, log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  // 'native' = native bigint.js functions + native otr helpers + lazy DH sessions; 'bigint.js' = stock otr.js.
  if (backend === 'native') {
    installNativeBigInt(bigIntModule);
    if (!installNativeHelpers(helpersModule, bigIntModule)) throw new Error('could not install native helpers');
    if (!installLazyDhSessions(otrModule, helpersModule, bigIntModule, constModule)) throw new Error('could not install lazy DH sessions');
  } else {
    uninstallLazyDhSessions(otrModule);
    uninstallNativeHelpers(helpersModule);
    uninstallNativeBigInt(bigIntModule);
  }
  if (activeBigIntBackend() !== backend && !(backend === 'bigint.js' && activeBigIntBackend() === 'bigint.js')) throw new Error(`could not select ${backend}`);
  const rows: BenchRow[] = [];
  const row = (op: string): number[] => {
    const samples: number[] = [];
    rows.push({ op, backend, samples });
    return samples;
  };

  const keygen = row('DSA-1024 keygen, fresh p, q, g (nocache)');
  const keys: IdentityKey[] = [];
  for (let i = 0; i < counts.keygen; i++) {
    const t = now();
    keys.push(IdentityKey.generate());
    keygen.push(now() - t);
    log(`${backend} keygen ${i + 1}/${counts.keygen}: ${keygen[i]!.toFixed(1)} ms`);
  }
  const [keyA, keyB] = keys.length >= 2 ? keys : [keys[0] ?? IdentityKey.generate(), IdentityKey.generate()];

  const ake = row('AKE (both sides)');
  for (let i = 0; i < counts.ake + 1; i++) {
    const p = await encryptedPair(keyA!, keyB!);
    if (i > 0) ake.push(p.clock.busy); // first one warms up
  }
  log(`${backend} AKE done`);

  const p = await encryptedPair(keyA!, keyB!);
  const send = async (from: 'a' | 'b', text: string): Promise<number> => {
    const to = from === 'a' ? p.got.b : p.got.a;
    const before = to.length;
    p.clock.busy = 0;
    p.timed(() => p[from].send(text));
    await until(() => to.length > before);
    if (to[to.length - 1] !== text) throw new Error('message mangled');
    return p.clock.busy;
  };
  for (let i = 0; i < 4; i++) await send(i % 2 ? 'b' : 'a', 'warm-up');
  const same = row('message, same direction');
  for (let i = 0; i < counts.message; i++) same.push(await send('a', `same ${i}`));
  const turn = row('message after direction change');
  for (let i = 0; i < counts.message; i++) turn.push(await send(i % 2 ? 'a' : 'b', `turn ${i}`));
  log(`${backend} messages done`);

  const big = row('64 KiB message');
  const text = 'x'.repeat(64 * 1024);
  for (let i = 0; i < counts.big; i++) big.push(await send('a', text));

  const smp = row('SMP (both sides)');
  for (let i = 0; i < counts.smp; i++) {
    const before = p.smp.length;
    p.clock.busy = 0;
    p.timed(() => p.a.smpStart('correct horse', 'which horse?'));
    await until(() => p.smp.length >= before + 2);
    if (p.smp.slice(before).some((r) => r !== 'true')) throw new Error(`SMP failed: ${p.smp.slice(before).join()}`);
    smp.push(p.clock.busy);
    log(`${backend} SMP ${i + 1}/${counts.smp}: ${p.clock.busy.toFixed(1)} ms`);
  }
  return rows;
}

/** n, min, median, max of a sample list. */
export function stats(samples: number[]): { n: number; min: number; median: number; max: number } {
  const s = [...samples].sort((x, y) => x - y);
  const mid = s.length >> 1;
  const median = s.length === 0 ? NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { n: s.length, min: s[0] ?? NaN, median, max: s[s.length - 1] ?? NaN };
}

/** A plain-text table: stock and native per row, with the ratio of medians. */
export function formatTable(rows: BenchRow[], title: string): string {
  const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
  const ops = [...new Set(rows.map((r) => r.op))];
  const lines = [`${title} (ms per operation; busy time, both peers)`, '| operation | backend | n | min | median | max | stock/native (median) |', '|---|---|---|---|---|---|---|'];
  for (const op of ops) {
    const stock = rows.find((r) => r.op === op && r.backend === 'bigint.js');
    const native = rows.find((r) => r.op === op && r.backend === 'native');
    for (const r of [stock, native]) {
      if (!r) continue;
      const s = stats(r.samples);
      const ratio = r === native && stock ? `${(stats(stock.samples).median / s.median).toFixed(1)}×` : '';
      lines.push(`| ${op} | ${r.backend} | ${s.n} | ${fmt(s.min)} | ${fmt(s.median)} | ${fmt(s.max)} | ${ratio} |`);
    }
  }
  return lines.join('\n');
}
