// <e2ee-chat> when its engine's worker crashes (issue 12, "Nothing lost"): the timeline says
// "Reconnecting the encryption engine…", then the status shows what the new worker says is true;
// messages pending at the crash, each way, are delivered (not "Sending…" forever), and a message
// typed while private never crosses in plaintext. A worker that keeps dying: a clear error, failed
// messages with Retry, and a status that no longer claims privacy. Also: the Resent/Delivered marks.
import type { EngineClient } from '../../src/ui/index.js';
import type { EngineApi, EngineEvent, EngineListener } from '../../src/worker/api.js';
import { keygenDone, pairOfChats, shadow, unmount, type Mounted } from '../helpers/chat-fixture.js';
import { killableWorkers, type KillableWorkers } from '../helpers/killable-workers.js';
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';

const notice = (m: Mounted, kind: string) => shadow(m.el).querySelector(`li.notice[data-kind=${kind}]`);
const messageLi = (m: Mounted, direction: 'in' | 'out', text: string) =>
  [...shadow(m.el).querySelectorAll<HTMLElement>(`li.message.${direction}`)].find((li) => li.querySelector('.text')?.textContent === text);
const pill = (m: Mounted) => shadow(m.el).querySelector<HTMLElement>('[part=status]')!.dataset['state'];
const phases = (m: Mounted) => m.events['e2ee-engine'].map((e) => e.phase);

describe('<e2ee-chat>: the engine crashes and comes back', () => {
  let a: Mounted;
  let b: Mounted;
  let workers: KillableWorkers;
  const setUp = async (kinds: Parameters<typeof killableWorkers>[0] = ['real']) => {
    workers = killableWorkers(kinds);
    [a, b] = pairOfChats({}, { createWorker: workers.createWorker });
    await Promise.all([keygenDone(a), keygenDone(b)]);
  };
  afterEach(() => unmount(a, b));

  it('says it is reconnecting, then delivers the message in flight and the one that arrived meanwhile, and shows the true state', async () => {
    await setUp();
    await a.el.send('before the crash');
    await until(() => !!messageLi(b, 'in', 'before the crash'), 'first message');

    const killedAt = workers.kill();
    const sending = a.el.send('in flight at the crash');
    await b.el.send('sent while Alice is down');
    await until(() => messageLi(b, 'out', 'sent while Alice is down')?.dataset['status'] === 'sent', "Bob's message on the wire");
    assert(!notice(a, 'engine-restarted'), "Bob's message reached Alice's element while her engine was down");
    await until(() => !!notice(a, 'engine-restarting'), '"Reconnecting…" notice', 15_000);
    assertEqual(notice(a, 'engine-restarting')!.textContent!.trim(), 'Reconnecting the encryption engine…', 'notice words');
    await until(() => !!notice(a, 'engine-restarted'), 'running again', 15_000);
    await until(() => !!messageLi(b, 'in', 'in flight at the crash'), "Alice's message reached Bob");
    await until(() => !!messageLi(a, 'in', 'sent while Alice is down'), "Bob's message reached Alice");
    await sending;
    await until(() => messageLi(a, 'out', 'in flight at the crash')?.dataset['status'] === 'sent', 'shown sent');
    console.log(`element: kill → both messages shown: ${Math.round(performance.now() - killedAt)} ms`);

    assertEqual(phases(a), ['restarting', 'restarted'], 'e2ee-engine events');
    assertEqual(pill(a), (await a.engine.conversation('bob')).state, 'the status pill shows the true state');
    assert(!shadow(a.el).textContent!.includes('Sending…'), 'nothing left "Sending…"');
    assertEqual(a.events['e2ee-error'], [], 'no error');
  });

  it('a message typed while private after the crash never crosses in plaintext; the status then says what is true', async () => {
    await setUp();
    await a.el.startPrivate();
    await until(() => a.el.state === 'encrypted' && b.el.state === 'encrypted', 'private');
    const mark = a.transport.sent.length;
    workers.kill();
    await a.el.send('secret after the crash');
    await until(() => !!notice(a, 'engine-restarted'), 'running again', 15_000);
    await until(() => !!messageLi(b, 'in', 'secret after the crash'), 'delivered to Bob');
    await until(() => messageLi(a, 'out', 'secret after the crash')?.dataset['status'] === 'sent', 'shown sent');
    for (const { body } of a.transport.sent.slice(mark)) {
      assert(body.startsWith('?OTR') && !body.includes('secret after'), `only OTR text crossed: ${body.slice(0, 80)}`);
    }
    assert(messageLi(b, 'in', 'secret after the crash')!.querySelector('.lock.enc'), 'Bob shows it encrypted');
    await until(() => a.el.state === 'encrypted', 'private again');
    assertEqual(pill(a), (await a.engine.conversation('bob')).state, 'the status pill shows the true state');
  });

  it('after a crash while private, the status shows what the new worker says, and Start again works', async () => {
    await setUp();
    await a.el.startPrivate();
    await until(() => a.el.state === 'encrypted' && b.el.state === 'encrypted', 'private');
    workers.kill();
    await until(() => !!notice(a, 'engine-restarted'), 'running again', 15_000);
    const truth = await a.engine.conversation('bob');
    await until(() => pill(a) === truth.state, `the status pill shows the true state (${truth.state})`);
    if (truth.state === 'plaintext') {
      // The fresh worker holds no session: say so, in words that do not blame the person, and offer to start again.
      assert(/ended with it/.test(notice(a, 'engine-restarted')!.textContent!), 'says the private conversation ended with the engine');
      assert(!notice(a, 'ended-by-us'), 'not "You ended the private conversation"');
      notice(a, 'engine-restarted')!.querySelector<HTMLButtonElement>('[data-action=start-again]')!.click();
    } else {
      await a.el.startPrivate();
    }
    await until(() => a.el.state === 'encrypted' && pill(a) === 'encrypted', 'private again after Start');
    await a.el.send('after Start again');
    await until(() => !!messageLi(b, 'in', 'after Start again')?.querySelector('.lock.enc'), 'delivered encrypted');
  });

  it('gives up on a worker that keeps dying: a clear error, Retry, and no claim of privacy', async () => {
    await setUp(['real', 'broken']);
    await a.el.startPrivate();
    await until(() => a.el.state === 'encrypted', 'private');
    workers.kill();
    await a.el.send('lost with the engine');
    await until(() => !!notice(a, 'engine-gave-up'), 'gave-up notice', 30_000);
    const gaveUp = notice(a, 'engine-gave-up')!;
    assert(gaveUp.matches('[part~=error][data-code=worker]'), 'shown as an error of code worker');
    assert(/keeps stopping/.test(gaveUp.textContent!), `clear words: ${gaveUp.textContent}`);
    await until(() => messageLi(a, 'out', 'lost with the engine')?.dataset['status'] === 'failed', 'message failed');
    assert(messageLi(a, 'out', 'lost with the engine')!.querySelector('[part=retry]'), 'Retry offered');
    assertEqual(pill(a), 'plaintext', 'status does not claim privacy');
    assert(
      a.events['e2ee-error'].some((e) => e.code === 'worker'),
      'e2ee-error code worker',
    );
    assertEqual(phases(a), ['restarting', 'gave-up'], 'e2ee-engine events');
  });
});

/** `engine`, with a way to hand its subscribers events of the test's own (what the resend work emits). */
function injectable(engine: EngineClient): { api: EngineApi; inject(event: EngineEvent): void; ids: Map<string, string> } {
  const listeners: EngineListener[] = [];
  const ids = new Map<string, string>(); // text → message id
  const api: EngineApi = {
    ...engine,
    subscribe: (listener) => (listeners.push(listener), engine.subscribe(listener)),
    send: (peer, text, messageId, options) => (messageId && ids.set(text, messageId), engine.send(peer, text, messageId, options)),
  };
  return { api, inject: (event) => listeners.forEach((l) => l(event)), ids };
}

describe('<e2ee-chat>: delivery marks', () => {
  let a: Mounted;
  let b: Mounted;
  afterEach(() => unmount(a, b));

  it('marks our resent message "Resent", an acknowledged one "Delivered", a failed one Not sent with Retry, and a resent incoming one "Resent"', async () => {
    [a, b] = pairOfChats();
    const alice = injectable(a.engine);
    a.el.engine = alice.api;
    await Promise.all([keygenDone(a), keygenDone(b)]);
    await a.el.ready;
    for (const text of ['one', 'two', 'three']) await a.el.send(text);
    await until(() => ['one', 'two', 'three'].every((t) => messageLi(a, 'out', t)?.dataset['status'] === 'sent'), 'sent');
    const idOf = (text: string) => alice.ids.get(text)!;
    alice.inject({ type: 'delivery', peer: 'bob', messageId: idOf('one'), outcome: 'resent' });
    alice.inject({ type: 'delivery', peer: 'bob', messageId: idOf('two'), outcome: 'acknowledged' });
    alice.inject({ type: 'delivery', peer: 'bob', messageId: idOf('three'), outcome: 'failed' });
    alice.inject({ type: 'message', peer: 'bob', text: 'again from Bob', encrypted: true, at: Date.now(), resent: true });
    await a.el.updateComplete;
    assertEqual(messageLi(a, 'out', 'one')!.querySelector('[data-mark]')?.textContent, 'Resent', 'ours, resent');
    assertEqual(messageLi(a, 'out', 'two')!.querySelector('[data-mark]')?.textContent, 'Delivered', 'ours, acknowledged');
    assertEqual(messageLi(a, 'out', 'three')!.dataset['status'], 'failed', 'ours, failed');
    assert(messageLi(a, 'out', 'three')!.querySelector('[part=retry]'), 'Retry on the failed one');
    assertEqual(messageLi(a, 'in', 'again from Bob')!.querySelector('[data-mark]')?.textContent, 'Resent', 'theirs, resent');
  });
});
