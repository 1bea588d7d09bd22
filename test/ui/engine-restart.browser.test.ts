// A crashed engine comes back (issue 12): the engine client notices a real worker that was killed
// (or threw), starts a new one with the same identity, keeps its subscribers, and delivers what was
// pending both ways. A message sent while private never goes out in plaintext from the fresh worker.
// A worker that keeps dying is given up. Real Chromium, real workers, default heartbeat settings.
import { startEngine, type EngineClient } from '../../src/ui/engine-client.js';
import type { EngineEvent } from '../../src/worker/api.js';
import { linkEngines, until, type Side } from '../helpers/engine-pair.js';
import { killableWorkers } from '../helpers/killable-workers.js';
import { assert, assertEqual, rejection } from '../helpers/assert.js';

const unique = () => `r${Date.now()}-${Math.random().toString(36).slice(2)}`;
const phases = (side: Side) => side.events.flatMap((e) => (e.type === 'engine' ? [e.phase] : []));
const wireAfter = (side: Side, from: number) =>
  side.events.slice(from).flatMap((e) => (e.type === 'wire' ? [e] : [])) as Extract<EngineEvent, { type: 'wire' }>[];
const restarted = (side: Side, count = 1) => until(() => phases(side).filter((p) => p === 'restarted').length >= count, 'restarted', 30_000);

describe('engine client: a crashed worker comes back', () => {
  const engines: EngineClient[] = [];
  const pair = async (kinds: Parameters<typeof killableWorkers>[0] = ['real']) => {
    const workers = killableWorkers(kinds);
    const alice = startEngine({ name: unique(), createWorker: workers.createWorker });
    const bob = startEngine({ name: unique() });
    engines.push(alice, bob);
    const { a, b } = await linkEngines(alice, bob);
    await Promise.all([alice.identity(), bob.identity()]);
    return { workers, alice, bob, a, b };
  };
  afterEach(() => {
    for (const engine of engines.splice(0)) engine.terminate();
  });

  it('restarts a killed worker: same identity, subscribers kept, a send in flight and a message arriving meanwhile both delivered', async () => {
    const { workers, alice, bob, a, b } = await pair();
    const identity = await alice.identity();
    await alice.send('bob', 'before');
    await until(() => b.received().some((m) => m.text === 'before'), 'message before the crash');

    const mark = a.events.length;
    const killedAt = workers.kill();
    const sending = alice.send('bob', 'in flight at the crash', 'm-flight');
    await bob.send('alice', 'sent while Alice is down'); // its wire goes to alice.receive, which must wait, not drop it
    await restarted(a);
    const recoveredMs = performance.now() - killedAt;
    await until(() => b.received().some((m) => m.text === 'in flight at the crash'), "Alice's message after the restart");
    await until(() => a.received().some((m) => m.text === 'sent while Alice is down'), "Bob's message after the restart");
    const deliveredMs = performance.now() - killedAt;

    assertEqual(await sending, 'm-flight', 'the send resolves with its id');
    assertEqual(wireAfter(a, 0).filter((e) => e.messageId === 'm-flight').length, 1, 'sent once, with the same id');
    assertEqual(phases(a), ['restarting', 'restarted'], 'the subscriber saw the restart');
    assertEqual(workers.workers.length, 2, 'one new worker');
    assertEqual((await alice.identity()).fingerprint, identity.fingerprint, 'same identity after the restart');
    assert(!a.events.slice(mark).some((e) => e.type === 'keygen'), 'no new key');
    console.log(`kill → restarted: ${Math.round(recoveredMs)} ms; kill → both messages delivered: ${Math.round(deliveredMs)} ms`);
  });

  it('goes on with the stored private conversation after a crash: a message pending each way is read, no new key exchange', async () => {
    const { workers, alice, bob, a, b } = await pair();
    await alice.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
    await new Promise((r) => setTimeout(r, 300)); // the conversation is stored after the key exchange
    const mark = a.events.length;
    const bobMark = b.events.length;
    workers.kill();
    const sending = alice.send('bob', 'typed while the engine was down', 'm-stored');
    await bob.send('alice', 'from Bob while her engine was down'); // reaches Alice's client while no worker runs
    await restarted(a);
    await until(() => b.received().some((m) => m.text === 'typed while the engine was down'), 'the message after the restart');
    await until(
      () => a.received().some((m) => m.text === 'from Bob while her engine was down' && m.encrypted),
      "Bob's message, read by the new worker",
    );
    await sending;
    for (const e of wireAfter(a, mark))
      assert(e.text.startsWith('?OTR:') && !e.text.includes('typed while'), `only data messages: ${e.text.slice(0, 40)}`);
    assert(b.received().find((m) => m.text === 'typed while the engine was down')?.encrypted === true, 'Bob got it encrypted');
    assert(!b.events.slice(bobMark).some((e) => e.type === 'trust'), 'no new key exchange at Bob');
    assert(!a.events.slice(mark).some((e) => e.type === 'held'), 'not held: the restored conversation was private');
  });

  it('never re-sends in plaintext a message sent while the conversation was private (ephemeral: the fresh worker starts in plaintext)', async () => {
    const { workers, alice, a, b } = await pair();
    await alice.configure('bob', { ephemeral: true }); // nothing stored: the new worker knows no conversation
    await alice.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
    const mark = a.events.length;
    workers.kill();
    // Sent with no policy of its own: the conversation was private, so it must wait for a new one.
    const sending = alice.send('bob', 'secret typed while private', 'm-secret');
    await restarted(a);
    await until(() => b.received().some((m) => m.text === 'secret typed while private'), 'the secret after the restart');
    await sending;
    const after = wireAfter(a, mark);
    for (const e of after)
      assert(e.text.startsWith('?OTR') && !e.text.includes('secret typed'), `only OTR text crossed the wire: ${e.text.slice(0, 80)}`);
    assert(
      after.filter((e) => e.messageId === 'm-secret').every((e) => e.encrypted),
      'it went out encrypted',
    );
    assert(b.received().find((m) => m.text === 'secret typed while private')?.encrypted === true, 'Bob got it encrypted');
    assert(
      a.events.slice(mark).some((e) => e.type === 'held' && e.messageId === 'm-secret'),
      'it was held until private',
    );
  });

  it('a message held for a private conversation at the crash is held again, never sent in plaintext', async () => {
    const { workers, alice, a, b } = await pair();
    const mark = a.events.length;
    await alice.send('bob', 'held under require-encryption', 'm-held', { requireEncryption: true });
    await until(() => a.events.some((e) => e.type === 'held' && e.messageId === 'm-held'), 'held');
    workers.kill();
    await restarted(a);
    // The new worker holds it again and asks for the private conversation itself.
    await until(() => b.received().some((m) => m.text === 'held under require-encryption'), 'the held message');
    for (const e of wireAfter(a, mark))
      assert(e.text.startsWith('?OTR') && !e.text.includes('require-encryption'), `only OTR text: ${e.text.slice(0, 80)}`);
    assert(b.received().find((m) => m.text === 'held under require-encryption')?.encrypted === true, 'Bob got it encrypted');
  });

  it('restarts a worker that threw an uncaught error (its `error` event, at any time)', async () => {
    const { workers, alice, a } = await pair(['crashable']);
    const crashedAt = workers.crash();
    await restarted(a);
    console.log(`uncaught error → restarted: ${Math.round(performance.now() - crashedAt)} ms`);
    assertEqual(await alice.ping(), 'pong', 'the new worker answers');
    assertEqual(workers.workers.length, 2, 'one new worker');
  });

  it('restarts a wedged worker (alive, but no longer answering its heartbeat ping)', async () => {
    const { workers, alice, a } = await pair(['crashable']);
    const wedgedAt = workers.wedge();
    const pending = alice.conversation('bob'); // a call the wedged worker never answers: it runs again on the new one
    await restarted(a);
    console.log(`wedged → restarted: ${Math.round(performance.now() - wedgedAt)} ms`);
    assertEqual((await pending).state, 'plaintext', 'the call cut short by the restart was answered by the new worker');
    assertEqual(workers.workers.length, 2, 'one new worker');
  });

  it('gives up on a worker that keeps dying: code worker, every call rejects, no restart loop', async () => {
    const { workers, alice, a } = await pair(['real', 'broken']);
    const killedAt = workers.kill();
    const sending = alice.send('bob', 'never delivered');
    sending.catch(() => undefined); // awaited below
    await until(() => phases(a).includes('gave-up'), 'gave up', 30_000);
    console.log(`kill → gave up: ${Math.round(performance.now() - killedAt)} ms`);
    const error = await rejection(sending, 'the pending send');
    assertEqual(error.code, 'worker', 'pending send code');
    for (const call of [alice.ping(), alice.conversation('bob'), alice.send('bob', 'later'), alice.subscribe(() => undefined)]) {
      const e = await rejection(call, 'a call after giving up');
      assertEqual(e.code, 'worker', 'code');
      assert(/stopped 3 times/.test(e.message), e.message);
    }
    const made = workers.workers.length;
    assertEqual(made, 3, 'the first worker and two restarts');
    await new Promise((r) => setTimeout(r, 2500));
    assertEqual(workers.workers.length, made, 'no more restarts');
    assertEqual(phases(a), ['restarting', 'gave-up'], 'phases');
  });

  it('terminate() stops on purpose: no restart', async () => {
    const { workers, alice } = await pair();
    alice.terminate();
    await new Promise((r) => setTimeout(r, 2500));
    assertEqual(workers.workers.length, 1, 'not restarted');
    assert(/stopped/.test((await rejection(alice.ping(), 'ping after terminate')).message), 'rejects as stopped');
  });
});
