// The libotr 4.1 reference of `npm run bench` (issue 22): builds bench/libotr/ref.c
// (scripts/build-libotr-ref.mjs), runs it once, and returns per-operation stats in ms.
// Used by scripts/bench.mjs after the shipped section (and alone with `--libotr`).
import { execFileSync } from 'node:child_process';
import { ensureLibotrRef } from '../../scripts/build-libotr-ref.mjs';

/** Sample counts: keygen, AKE, SMP, data messages (each of turn and same). */
export const COUNTS = { quick: { keygen: 5, ake: 10, smp: 5, message: 20 }, full: { keygen: 20, ake: 50, smp: 20, message: 200 } };

/** What each operation of ref.c's JSON is, in the words of bench/shipped's rows. */
export const OPERATIONS = {
  keygen: 'DSA-1024 keygen, fresh p, q, g',
  ake: 'AKE, both sides encrypted',
  smp: 'SMP, both sides (answered at once)',
  turn: 'message after a direction change',
  same: 'message, same direction',
};

/** n, min, median, max of `v`. */
export function stats(v) {
  const s = [...v].sort((x, y) => x - y);
  const m = s.length >> 1;
  return { n: s.length, min: s[0], median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, max: s.at(-1) };
}

/** Milliseconds for a table: 3 significant-ish figures. */
export const fmt = (v) => (!Number.isFinite(v) ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(4));

/**
 * Build and run the reference. Returns { version, gcrypt, counts, ops: { keygen|ake|smp|turn|same:
 * { n, min, median, max, samples } } }.
 */
export function runLibotr({ quick = false, log = (line) => process.stderr.write(`  ${line}\n`) } = {}) {
  const binary = ensureLibotrRef({ log });
  const counts = quick ? COUNTS.quick : COUNTS.full;
  log(`libotr reference: ${binary} ${counts.keygen} keygen, ${counts.ake} AKE, ${counts.smp} SMP, ${counts.message} messages each way`);
  const out = execFileSync(binary, [counts.keygen, counts.ake, counts.smp, counts.message].map(String), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 10 * 60_000,
  });
  const json = JSON.parse(out.trim().split('\n').at(-1));
  const ops = {};
  for (const key of Object.keys(OPERATIONS)) ops[key] = { ...stats(json[key]), samples: json[key] };
  return { version: json.libotr, gcrypt: json.gcrypt, counts, ops };
}

/** libotr's own table: operation | n | min | median | max. */
export function libotrTable(ref) {
  const lines = [
    `libotr ${ref.version} (libgcrypt ${ref.gcrypt}), C, one process, in-memory transport (ms per operation)`,
    '| operation | n | min | median | max |',
    '|---|---|---|---|---|',
  ];
  for (const [key, op] of Object.entries(OPERATIONS)) {
    const s = ref.ops[key];
    lines.push(`| ${op} | ${s.n} | ${fmt(s.min)} | ${fmt(s.median)} | ${fmt(s.max)} |`);
  }
  return lines.join('\n');
}

/** Issue 22's targets: [operation, our row's op prefix (bench/shipped), libotr key, ratio ≤ (× libotr) or ms ≤]. */
export const TARGETS = [
  ['first keygen (ours: startEngine → identity)', 'keygen', 'keygen', { ms: 120 }],
  ['AKE, both sides encrypted', 'AKE', 'ake', { ratio: 1.3 }],
  ['SMP, both sides', 'SMP', 'smp', { ratio: 1.0 }],
  ['message after a direction change', 'message after a direction change', 'turn', {}],
  ['message, same direction', 'message, same direction', 'same', {}],
];

/**
 * Ours against libotr, same run: `rows` are bench/shipped's window.benchResult.rows ({op, variant,
 * wall[], busy[]}); ours is the median wall time of the `shipped` row whose op starts with the prefix.
 */
export function targetsTable(ref, rows = []) {
  const ours = (prefix) => {
    const row = rows.find((r) => r.variant === 'shipped' && r.op.startsWith(prefix) && r.wall?.length);
    return row ? stats(row.wall).median : NaN;
  };
  const lines = [
    "Issue 22's targets, same run (ours: the shipped rows' wall medians; libotr: the medians above)",
    '| operation | ours | libotr median | ours ÷ libotr | target | met? |',
    '|---|---|---|---|---|---|',
  ];
  for (const [op, prefix, key, target] of TARGETS) {
    const mine = ours(prefix);
    const ratio = mine / ref.ops[key].median;
    const goal = target.ratio ? `≤ ${target.ratio.toFixed(1)}×` : target.ms ? `≤ ${target.ms} ms` : '–';
    const met = !Number.isFinite(mine) ? 'no data' : target.ratio ? (ratio <= target.ratio ? 'yes' : 'no') : target.ms ? (mine <= target.ms ? 'yes' : 'no') : '';
    const times = Number.isFinite(ratio) ? `${ratio.toFixed(ratio >= 10 ? 1 : 2)}×` : '–';
    lines.push(`| ${op} | ${fmt(mine)} | ${fmt(ref.ops[key].median)} | ${times} | ${goal} | ${met} |`);
  }
  return lines.join('\n');
}
