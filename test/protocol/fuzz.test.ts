/**
 * Fuzz tier (issue 11): seeded, reproducible hostile inputs (random bytes and
 * unicode, mutated real messages, fragment games, replays, queries, oversize
 * texts) against an established pair. Asserts: no exception, no input over
 * 250 ms, nothing shown as encrypted, bounded memory, and the real
 * conversation working both ways after every batch.
 *
 * FUZZ_INPUTS (default 10,000; `npm run fuzz` runs 100,000) and FUZZ_SEED
 * (default 1) choose the run; the same seed gives the same inputs.
 */
import { beforeAll, expect, it } from 'vitest';

import { DEFAULT_MAX_INCOMING, IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { HostileInputs, KINDS, prng, type Kind } from '../helpers/hostile-inputs.js';
import { drainQueues, tick } from '../helpers/spec-wire.js';

const INPUTS = Math.max(1, Number(process.env.FUZZ_INPUTS) || 10_000);
const SEED = Number(process.env.FUZZ_SEED) || 1;
const BATCH = 500;
const SLOW_MS = 250;
const MAX_HEAP_MB = 768;

let alice: IdentityKey;
let bob: IdentityKey;
beforeAll(() => {
  alice = IdentityKey.generate();
  bob = IdentityKey.generate();
});

it(`${INPUTS} hostile inputs (seed ${SEED}): no crash, nothing slow, nothing shown as encrypted, conversation intact`, async () => {
  const a = new OtrSession({ key: alice });
  const b = new OtrSession({ key: bob });
  a.autoPrivate = true;
  b.autoPrivate = true;
  const toA: string[] = [];
  const toB: string[] = [];
  const corpus: string[] = [];
  const got = { a: [] as { text: string; encrypted: boolean }[], b: [] as { text: string; encrypted: boolean }[] };
  let fuzzing = false;
  let shownEncrypted = 0;
  const shown: string[] = [];
  a.on('wire', ({ text }) => (toB.push(text), corpus.push(text)));
  b.on('wire', ({ text }) => (toA.push(text), corpus.push(text)));
  for (const [side, s] of [['a', a], ['b', b]] as const) {
    s.on('message', (m) => {
      got[side].push({ text: m.text, encrypted: m.encrypted });
      if (fuzzing && m.encrypted) {
        shownEncrypted++;
        if (shown.length < 5) shown.push(m.text.slice(0, 60));
      }
    });
  }
  const flush = () => drainQueues(a, toA, b, toB);
  const check = async (tag: string) => {
    await flush();
    expect([a.state, b.state], tag).toEqual(['encrypted', 'encrypted']);
    a.send(`${tag} from a`);
    await flush();
    b.send(`${tag} from b`);
    await flush();
    expect(got.b.at(-1), tag).toEqual({ text: `${tag} from a`, encrypted: true });
    expect(got.a.at(-1), tag).toEqual({ text: `${tag} from b`, encrypted: true });
  };

  // The corpus: a whole AKE, messages both ways, fragmented ones, an SMP start.
  a.startPrivate();
  await check('setup');
  a.setFragmentSize(140);
  b.setFragmentSize(200);
  await check('setup fragmented '.repeat(10));
  a.setFragmentSize(0);
  b.setFragmentSize(0);
  a.smpStart('secret');
  await tick();
  toB.length = 0; // keep the SMP message as corpus only
  b.startPrivate(); // a refresh, for more AKE messages
  await check('refreshed');

  const inputs = new HostileInputs(SEED, [...corpus], DEFAULT_MAX_INCOMING);
  const pickTarget = prng(SEED ^ 0x5eed);
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  const slow: string[] = [];
  let crashes = 0;
  let maxMs = 0;
  let slowest = '';
  let peakHeap = process.memoryUsage().heapUsed;
  const started = Date.now();
  for (let done = 0; done < INPUTS; ) {
    fuzzing = true;
    const end = Math.min(INPUTS, done + BATCH);
    for (; done < end; done++) {
      const { kind, text } = inputs.next();
      counts[kind]++;
      const target = pickTarget() < 0.75 ? b : a;
      const t0 = performance.now();
      try {
        target.receive(text);
      } catch (e) {
        crashes++;
        if (crashes <= 5) console.error(`crash on ${kind} input #${done}:`, e);
      }
      const ms = performance.now() - t0;
      if (ms > maxMs) {
        maxMs = ms;
        slowest = `${kind}, ${text.length} chars`;
      }
      if (ms > SLOW_MS) slow.push(`#${done} ${kind} ${ms.toFixed(0)} ms (${text.length} chars)`);
      if (done % 50 === 0) await tick(); // let output timers run (replies queue up)
    }
    await tick();
    await tick();
    fuzzing = false;
    await check(`after ${done}`);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  const seconds = (Date.now() - started) / 1000;
  const peakMb = peakHeap / 2 ** 20;
  console.log(
    [
      `fuzz: seed ${SEED}, ${INPUTS} inputs (${KINDS.map((k) => `${k} ${counts[k]}`).join(', ')}) in ${seconds.toFixed(1)} s`,
      `crashes ${crashes}, slow inputs (>${SLOW_MS} ms) ${slow.length} (slowest ${maxMs.toFixed(1)} ms: ${slowest}), shown as encrypted ${shownEncrypted}, peak heap ${peakMb.toFixed(0)} MB`,
    ].join('\n'),
  );
  expect({ crashes, slow, shownEncrypted, shown }).toEqual({ crashes: 0, slow: [], shownEncrypted: 0, shown: [] });
  expect(peakMb).toBeLessThan(MAX_HEAP_MB);
}, 3_600_000);
