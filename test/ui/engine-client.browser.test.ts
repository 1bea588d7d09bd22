import { startEngine, type EngineClient } from '../../src/ui/engine-client.js';
import { linkEngines, scenarioMessages, until, type Side } from '../helpers/engine-pair.js';
import { assert, assertEqual, rejection } from '../helpers/assert.js';

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
