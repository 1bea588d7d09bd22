import { startEngine, type EngineClient } from '../../src/ui/engine-client.js';
import { handOverPair, linkEngines, scenarioMessages, until, type Side } from '../helpers/engine-pair.js';
import { assert, assertEqual, rejection } from '../helpers/assert.js';
import { defaultWorkerSource } from '../../src/ui/default-worker.js';

const unique = () => `t${Date.now()}-${Math.random().toString(36).slice(2)}`;

describe('engine in real workers, through the client and Comlink', () => {
  let alice: EngineClient;
  let bob: EngineClient;
  let a: Side;
  let b: Side;

  before(async () => {
    alice = startEngine({ name: unique() });
    bob = startEngine({ name: unique() });
    ({ a, b } = await linkEngines(alice, bob));
    await Promise.all([alice.identity(), bob.identity()]);
  });
  after(() => {
    alice.terminate();
    bob.terminate();
  });

  it('completes the AKE and exchanges 50 messages both ways, all encrypted', async () => {
    await alice.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
    for (const [i, text] of scenarioMessages().entries()) {
      const [sender, receiver] = i % 2 === 0 ? [a, b] : [b, a];
      const before = receiver.received().length;
      await sender.engine.send(receiver.name, text);
      await until(() => receiver.received().length === before + 1, `message ${i}`);
      assertEqual(receiver.received().at(-1), { text, encrypted: true }, `message ${i}`);
    }
  });

  it('ends, restarts and keeps talking', async () => {
    await alice.endPrivate('bob');
    await until(() => a.state() === 'plaintext' && b.state() === 'finished', 'end');
    await alice.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 're-AKE');
    await bob.send('alice', 'after restart ✓');
    await until(() => a.received().some((m) => m.text === 'after restart ✓' && m.encrypted), 'message after restart');
  });

  it('rejects non-string input across the Comlink boundary with a typed error, and keeps working', async () => {
    for (const bad of [42, { evil: true }, null, ['?OTR:']] as unknown[]) {
      const error = await rejection(bob.receive('alice', bad as string), `receive(${JSON.stringify(bad)})`);
      assertEqual(error.code, 'invalid-input', `code for ${JSON.stringify(bad)}`);
    }
    const error = await rejection(bob.receive('alice', '?OTR:AAMD!!garbled'), 'garbled');
    assertEqual(error.code, 'malformed', 'garbled code');
    await alice.send('bob', 'still fine');
    await until(() => b.received().some((m) => m.text === 'still fine' && m.encrypted), 'message after bad input');
  });

  it('keeps separate identities per engine', async () => {
    const [ia, ib] = await Promise.all([alice.identity(), bob.identity()]);
    assert(ia.fingerprint !== ib.fingerprint, 'fingerprints differ');
  });
});

describe('identity persistence in IndexedDB', () => {
  it('survives a worker restart: the same fingerprint is read back', async () => {
    const name = unique();
    const first = startEngine({ name });
    const events: string[] = [];
    await first.subscribe((e) => { if (e.type === 'keygen') events.push(e.phase); });
    const before = await first.identity();
    first.terminate();
    assertEqual(events, ['started', 'done'], 'keygen progress on first use');
    const second = startEngine({ name });
    const again: string[] = [];
    await second.subscribe((e) => { if (e.type === 'keygen') again.push(e.phase); });
    const after = await second.identity();
    second.terminate();
    assertEqual(after.fingerprint, before.fingerprint, 'fingerprint after restart');
    assertEqual(after.instanceTag, before.instanceTag, 'instance tag after restart');
    assertEqual(again, [], 'no key generation after restart');
  });

  it('concurrent callers share one generation', async () => {
    const engine = startEngine({ name: unique() });
    const phases: string[] = [];
    await engine.subscribe((e) => { if (e.type === 'keygen') phases.push(e.phase); });
    const results = await Promise.all([engine.identity(), engine.identity(), engine.send('x', 'hi').then(() => engine.identity())]);
    engine.terminate();
    assertEqual(new Set(results.map((r) => r.fingerprint)).size, 1, 'one identity');
    assertEqual(phases, ['started', 'done'], 'one generation');
  });
});

describe('a worker that fails to load', () => {
  it('makes every call reject within the timeout, with a clear message', async () => {
    const broken = new URL('../helpers/broken-worker.ts', import.meta.url);
    const started = performance.now();
    const engine = startEngine({ name: unique(), timeoutMs: 3000, createWorker: () => new Worker(broken, { type: 'module' }) });
    const error = await rejection(engine.identity(), 'identity() on a broken worker');
    assertEqual(error.code, 'worker', 'code');
    assert(/failed to start|did not answer/.test(error.message), `message names the cause: ${error.message}`);
    assert(performance.now() - started < 3500, 'rejected within the timeout');
    const later = await rejection(engine.ping(), 'a later call');
    assertEqual(later.code, 'worker', 'later call code');
    engine.terminate();
  });

  it('a worker that never answers rejects after the timeout', async () => {
    const silent = new URL('../helpers/silent-worker.ts', import.meta.url);
    const engine = startEngine({ name: unique(), timeoutMs: 1000, createWorker: () => new Worker(silent, { type: 'module' }) });
    const error = await rejection(engine.ping(), 'ping on a silent worker');
    assert(/did not answer within 1000 ms/.test(error.message), error.message);
    engine.terminate();
  });
});

describe('an engine that ends right after reading a message', () => {
  /** Real workers whose answers to the page can be held back (a reload that cuts the answer off). */
  function answerHoldingWorkers() {
    const hold = { answers: false };
    const made: Worker[] = [];
    async function createWorker(name: string): Promise<Worker> {
      const source = await defaultWorkerSource();
      const worker = new Worker('url' in source ? source.url : new URL('data:,'), { type: 'module', name });
      made.push(worker);
      hold.answers = false; // a new worker answers
      const add = worker.addEventListener.bind(worker) as (type: string, listener: EventListener, options?: unknown) => void;
      (worker as unknown as { addEventListener: typeof add }).addEventListener = (type, listener, options) =>
        add(type, type === 'message' ? (event) => { if (!hold.answers) listener(event); } : listener, options);
      return worker;
    }
    return { hold, made, createWorker };
  }

  for (const end of ['terminate', 'crash'] as const) {
  it(`counts the message read when its receipt came but the answer was cut off (${end}): no retry, no redelivery`, async () => {
    const workers = answerHoldingWorkers();
    const alice = startEngine({ name: unique(), createWorker: workers.createWorker });
    const bob = startEngine({ name: unique() });
    const { fromBob, events } = await handOverPair(alice, bob);
    const shown = () => events.flatMap((e) => (e.type === 'message' ? [e.text] : []));

    await bob.send('alice', 'read once');
    await until(() => fromBob.length === 1, "Bob's message on the wire");
    workers.hold.answers = true; // from here the page hears events, never the call's answer
    const reading = alice.receive('bob', fromBob[0]!);
    await until(() => shown().includes('read once'), 'the message shown');
    await new Promise((r) => setTimeout(r, 50)); // its receipt, on the same port, right behind it
    if (end === 'terminate') alice.terminate(); // the reload
    else workers.made.at(-1)!.terminate(); // a crash: the client restarts the engine, and would read it again
    await reading; // resolves: the transport may drop the letter (rejecting here showed it twice after the reload)
    if (end === 'crash') await alice.ping(); // restarted, with the conversation restored
    assertEqual(shown().filter((t) => t === 'read once').length, 1, 'shown once');
    alice.terminate();
    bob.terminate();
  });
  }

  it('still rejects a read whose receipt never came', async () => {
    const workers = answerHoldingWorkers();
    const alice = startEngine({ name: unique(), createWorker: workers.createWorker });
    await alice.identity();
    await alice.subscribe(() => undefined);
    workers.hold.answers = true;
    const reading = alice.receive('bob', 'plain words'); // read at once, but its receipt needs the events port...
    alice.terminate(); // ...which ends in the same task: nothing says it was read
    assertEqual((await rejection(reading, 'the read cut off')).code, 'worker', 'code');
  });
});
