/**
 * Test helper: one seeded fuzz run against an established pair of sessions (the fuzz tier,
 * test/protocol/fuzz.test.ts, and its nightly script, scripts/fuzz-nightly.mjs).
 *
 * What it checks, for every seed:
 * - no exception and no input slower than {@link SLOW_MS};
 * - after every batch, the real conversation works both ways (a fresh message each way arrives,
 *   encrypted), within {@link RECOVERY_ROUNDS} rounds of the two sessions' own recovery;
 * - **authenticity, by a ledger**: every message shown as encrypted is a real message the peer put
 *   on the wire (its text is one the peer sent), and is shown no more often than the peer sent it
 *   (a re-send, marked, is one more real send). Forged, tampered and replayed inputs can so never
 *   show, whatever part of the message they change.
 *
 * Batches alternate between one kind of input each and all kinds mixed; replies the sessions make
 * during a batch (errors, AKE messages, re-sends) reach the other side at random moments, as on a
 * live server. The corpus grows with every real message, so replays and mutations also come from
 * late messages, AKEs started by recovery and SMP.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { DEFAULT_MAX_INCOMING, IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { HostileInputs, KINDS, prng, type Kind } from './hostile-inputs.js';
import { tick } from './spec-wire.js';

export const BATCH = 500;
export const SLOW_MS = 250;
/** Check rounds (message each way, delivered) before a broken conversation fails the run. */
export const RECOVERY_ROUNDS = 3;
const CORPUS_MAX = 4000;
/**
 * How long the run lets pass on the sessions' clock between a batch (and the replies it set off)
 * and its check: the attack has stopped, and the conversation must heal by itself once the rate
 * limits of its recovery (one AKE per 10 s) and the patience with a running AKE (10 s) allow.
 */
export const QUIET_MS = 11_000;

export interface FuzzReport {
  seed: number;
  inputs: number;
  counts: Record<Kind, number>;
  crashes: string[];
  slow: string[];
  /** Messages shown as encrypted that the peer never sent, or shown more often than sent. */
  forgedShown: string[];
  /** Batches after which the conversation did not carry a message each way at first try. */
  recoveredBatches: number;
  /** The first batch after which the conversation stayed broken, with what was seen. */
  broken?: string;
  maxMs: number;
  seconds: number;
  /** Most the heap grew over the run's start, after a garbage collection at each batch's end, in MB. */
  heapGrowthMb: number;
}

type Side = 'a' | 'b';

/** Real sends and shows, per side, keyed by the text as typed (re-send mark off). */
class Ledger {
  private readonly sent = { a: new Map<string, number>(), b: new Map<string, number>() };
  private readonly shown = { a: new Map<string, number>(), b: new Map<string, number>() };
  readonly problems: string[] = [];

  /** `side` put a data message carrying `text` on the wire. */
  recordSend(side: Side, text: string): void {
    const m = this.sent[side];
    m.set(text, (m.get(text) ?? 0) + 1);
  }
  /** `side` showed `text` as encrypted: the peer must have sent it at least that often. */
  recordShow(side: Side, text: string, input: string): void {
    const peer: Side = side === 'a' ? 'b' : 'a';
    const m = this.shown[side];
    const times = (m.get(text) ?? 0) + 1;
    m.set(text, times);
    const sent = this.sent[peer].get(text) ?? 0;
    // Every text the run sends is unique, so a text shown twice is one message shown twice.
    if ((times > sent || times > 1) && this.problems.length < 20) {
      this.problems.push(`${side} showed ${JSON.stringify(text.slice(0, 40))} ${times}× (sent ${sent}×) on input ${input.slice(0, 80)}`);
    }
  }
}

export interface FuzzOptions {
  seed: number;
  inputs: number;
  alice: IdentityKey;
  bob: IdentityKey;
  log?: (line: string) => void;
}

/** One seeded run; never throws for a finding, returns it in the report. */
export async function runFuzz({ seed, inputs: total, alice, bob, log }: FuzzOptions): Promise<FuzzReport> {
  // The sessions' clock: real time plus what the run lets pass after each batch (QUIET_MS).
  let skipped = 0;
  const now = () => Date.now() + skipped;
  const a = new OtrSession({ key: alice, delivery: { now } });
  const b = new OtrSession({ key: bob, delivery: { now } });
  const sessions = { a, b };
  a.autoPrivate = true;
  b.autoPrivate = true;
  const queues = { a: [] as string[], b: [] as string[] }; // what is on its way *to* a side
  const corpus: string[] = [];
  const ledger = new Ledger();
  const lastShown = { a: '', b: '' };
  let current = '';
  const recent: string[] = [];
  /** The last wire texts each way, decoded into the report when the conversation broke. */
  const wireLog: [string, string][] = [];
  const remember = (where: string, text: string) => {
    if (TRACE) console.log(describe(where, text));
    wireLog.push([where, copyOf(text.slice(0, 300))]); // enough for the header
    if (wireLog.length > 400) wireLog.splice(0, 100);
  };
  const corpusRandom = prng(seed ^ 0xc0de);
  let sendCount = 0;

  for (const side of ['a', 'b'] as const) {
    const s = sessions[side];
    const peer: Side = side === 'a' ? 'b' : 'a';
    s.on('wire', ({ text }) => {
      remember(`${side} sends`, text);
      queues[peer].push(text);
      if (corpus.length < CORPUS_MAX) corpus.push(text);
      else corpus[Math.floor(corpusRandom() * CORPUS_MAX)] = text;
    });
    // The last events, for the report of a broken conversation.
    const note = (event: string) => {
      recent.push(copyOf(`${side}: ${event} <- ${current.slice(0, 60)}`));
      if (recent.length > 12) recent.shift();
    };
    s.on('error', ({ error }) => note(`${error.code} ${error.message.slice(0, 80)}`));
    s.on('secured', () => note(`secured (v${s.protocolVersion})`));
    s.on('message', (m) => {
      if (!m.encrypted) return;
      ledger.recordShow(side, m.text, current);
      lastShown[side] = m.text;
    });
  }
  const random = prng(seed ^ 0x5eed);
  const send = (side: Side, text: string) => {
    sessions[side].send(text, `m${++sendCount}`);
  };
  watchSends(a, (text) => ledger.recordSend('a', text));
  watchSends(b, (text) => ledger.recordSend('b', text));

  const deliver = (side: Side, n = Infinity) => {
    for (let i = 0; i < n && queues[side].length; i++) {
      const text = queues[side].shift()!;
      current = `(real) ${text}`;
      remember(`-> ${side}`, current);
      sessions[side].receive(text);
    }
  };
  const flush = async () => {
    for (let quiet = 0; quiet < 3; ) {
      await tick();
      const moved = queues.a.length + queues.b.length > 0;
      deliver('a');
      deliver('b');
      quiet = moved ? 0 : quiet + 1;
    }
  };
  /** A message each way; true when both arrived, encrypted, as the last thing shown. */
  const roundTrip = async (tag: string): Promise<boolean> => {
    await flush();
    const fromA = `${tag} from a`;
    const fromB = `${tag} from b`;
    send('a', fromA);
    await flush();
    send('b', fromB);
    await flush();
    return lastShown.b === fromA && lastShown.a === fromB && a.state === 'encrypted' && b.state === 'encrypted';
  };
  let recoveredBatches = 0;
  let broken: string | undefined;
  const check = async (tag: string): Promise<boolean> => {
    for (let round = 0; round < RECOVERY_ROUNDS; round++) {
      if (await roundTrip(`${tag} #${round}`)) {
        if (round > 0) recoveredBatches++;
        return true;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    if (broken === undefined && process.env.FUZZ_DUMP) console.log(wireLog.map(([w, t]) => describe(w, t)).join('\n'));
    broken ??= `${tag}: states ${a.state}/${b.state}, last shown a ${JSON.stringify(lastShown.a)}, b ${JSON.stringify(lastShown.b)}; errors: ${recent.join(' | ')}`;
    return false;
  };

  // The corpus: a whole AKE, messages both ways, fragmented ones, an SMP exchange, a refresh.
  a.startPrivate();
  if (!(await check('setup'))) throw new Error(`fuzz setup failed: ${broken}`);
  a.setFragmentSize(140);
  b.setFragmentSize(200);
  await check('setup fragmented '.repeat(10));
  a.setFragmentSize(0);
  b.setFragmentSize(0);
  a.smpStart('secret');
  await tick();
  queues.b.length = 0; // keep that SMP message as corpus only
  b.startPrivate(); // a refresh, for more AKE messages
  await check('refreshed');
  a.smpStart('secret');
  await flush();
  b.smpAnswer('secret');
  await flush();
  await check('after smp');

  const inputs = new HostileInputs(seed, corpus, DEFAULT_MAX_INCOMING);
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  const crashes: string[] = [];
  const slow: string[] = [];
  let maxMs = 0;
  const started = Date.now();
  const heapAtStart = liveHeap();
  let peakHeap = heapAtStart;
  let batch = 0;
  for (let done = 0; done < total && broken === undefined; batch++) {
    // Batches of one kind each, then one of all kinds mixed.
    const only: Kind | undefined = KINDS[batch % (KINDS.length + 1)];
    const end = Math.min(total, done + BATCH);
    for (; done < end; done++) {
      const { kind, text } = only ? inputs.nextOf(only) : inputs.next();
      counts[kind]++;
      const side: Side = random() < 0.75 ? 'b' : 'a';
      const t0 = performance.now();
      current = `#${done} ${kind}: ${text}`;
      remember(`-> ${side}`, current);
      try {
        sessions[side].receive(text);
      } catch (e) {
        if (crashes.length < 5) crashes.push(`${current.slice(0, 100)}: ${String(e)}`);
      }
      const ms = performance.now() - t0;
      maxMs = Math.max(maxMs, ms);
      if (ms > SLOW_MS) slow.push(`#${done} ${kind} ${ms.toFixed(0)} ms (${text.length} chars)`);
      // Replies made meanwhile reach the other side now and then, as on a live server.
      if (random() < 0.05) {
        deliver('a', 1 + Math.floor(random() * 3));
        deliver('b', 1 + Math.floor(random() * 3));
      }
      if (done % 50 === 0) await tick(); // let output timers run (replies queue up)
    }
    // The attack stops: what it set off settles (replies in flight arrive), then time passes on the
    // sessions' clock, so that their rate limits and their patience with a hanging AKE run out.
    await flush();
    skipped += QUIET_MS;
    peakHeap = Math.max(peakHeap, liveHeap());
    await check(`after ${done} (batch ${batch}, ${only ?? 'mixed'})`);
  }
  const report: FuzzReport = {
    seed,
    inputs: total,
    counts,
    crashes,
    slow,
    forgedShown: ledger.problems,
    recoveredBatches,
    ...(broken === undefined ? {} : { broken }),
    maxMs,
    seconds: (Date.now() - started) / 1000,
    heapGrowthMb: (peakHeap - heapAtStart) / 2 ** 20,
  };
  log?.(
    `fuzz seed ${seed}: ${total} inputs (${KINDS.map((k) => `${k} ${counts[k]}`).join(', ')}) in ${report.seconds.toFixed(1)} s; ` +
      `crashes ${crashes.length}, slow ${slow.length} (max ${maxMs.toFixed(1)} ms), forged shown ${ledger.problems.length}, ` +
      `recovered batches ${recoveredBatches}, heap +${report.heapGrowthMb.toFixed(0)} MB, ${broken ? `BROKEN ${broken}` : 'conversation intact'}`,
  );
  return report;
}

/**
 * A string of its own: V8 keeps the whole string a slice was cut from, and the inputs can be
 * 512 K characters each.
 */
function copyOf(s: string): string {
  return s.split('').join('');
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The heap in use once garbage is collected (an oversize batch alone makes ~256 MB of garbage). */
function liveHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** FUZZ_TRACE=1: log every AKE and data message each side sends and receives, decoded. */
const TRACE = !!process.env.FUZZ_TRACE;
const TYPES: Record<number, string> = { 2: 'D-H Commit', 10: 'D-H Key', 17: 'Reveal Signature', 18: 'Signature', 3: 'Data' };

function describe(where: string, wire: string): string {
  const m = /\?OTR:([A-Za-z0-9+/=]+)/.exec(wire); // the closing '.' may be cut off (see remember)
  const b = m ? Buffer.from(m[1]!, 'base64') : undefined;
  if (!b || b.length < 11) return `  ${where}: ${wire.slice(0, 50)}`;
  const v = b.readUInt16BE(0);
  const tags = v === 3 ? ` ${b.readUInt32BE(3).toString(16)}->${b.readUInt32BE(7).toString(16)}` : '';
  const keys = b[2] === 3 && b.length >= (v === 3 ? 20 : 12) ? ` keys ${b.readUInt32BE(v === 3 ? 12 : 4)}/${b.readUInt32BE(v === 3 ? 16 : 8)}` : '';
  return `  ${where}: v${v} ${TYPES[b[2]!] ?? `type ${b[2]}`}${tags}${keys}  [${wire.slice(0, 40)}]`;
}

const FIRST_FRAGMENT = /^\?OTR(\|[0-9a-f]+\|[0-9a-f]+)?,0*1,/;

/**
 * Call `onText` with the plaintext of every data message `session` puts on the wire for
 * {@link OtrSession.send} (first copies and re-sends alike), read from its `wire` events' ids and
 * its own sends. Reaches only the session's public events.
 */
function watchSends(session: OtrSession, onText: (text: string) => void): void {
  const texts = new Map<string, string>();
  const send = session.send.bind(session);
  session.send = (text, messageId, policy) => {
    if (messageId !== undefined) texts.set(messageId, text);
    send(text, messageId, policy);
  };
  session.on('wire', ({ text, messageId }) => {
    if (messageId === undefined) return;
    const fragment = /^\?OTR[|,]/.test(text);
    if (fragment ? !FIRST_FRAGMENT.test(text) : !text.startsWith('?OTR:')) return; // a later piece, or plaintext
    const plain = texts.get(messageId);
    if (plain !== undefined) onText(plain);
  });
}
