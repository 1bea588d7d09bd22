/**
 * Lanes: each peer's work in order, cheap work at once, expensive steps one per task and after the
 * other peers' cheap work. And the engine on them: a conversation's message is read while other
 * conversations' key exchange steps wait.
 */
import { describe, expect, it } from 'vitest';
import { Lanes, REST_MAX_MS, REST_SHARE, TURN_MS, urgencyOf, type Urgency } from '../../src/worker/lanes.js';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import { linkEngines, until } from '../helpers/engine-pair.js';

describe('Lanes', () => {
  it('runs cheap work on an idle lane at once, in the caller’s task', async () => {
    const lanes = new Lanes();
    let ran = false;
    const result = lanes.run('a', 'now', () => ((ran = true), 42));
    expect(ran).toBe(true);
    await expect(result).resolves.toBe(42);
  });

  it('keeps each lane in order: cheap work waits behind an expensive step of its own peer', async () => {
    const lanes = new Lanes();
    const order: string[] = [];
    const done = [lanes.run('a', 'later', () => order.push('a1 later')), lanes.run('a', 'now', () => order.push('a2 now'))];
    expect(order).toEqual([]);
    await Promise.all(done);
    expect(order).toEqual(['a1 later', 'a2 now']);
  });

  it('lets other peers’ cheap work pass expensive steps, and runs one expensive step per task', async () => {
    const lanes = new Lanes();
    const order: string[] = [];
    const seenAfter: Record<string, number> = {};
    const expensive = (name: string) => () => {
      const until = performance.now() + TURN_MS + 1;
      while (performance.now() < until); // a step longer than a turn
      order.push(name);
      queueMicrotask(() => (seenAfter[name] = order.length)); // runs when this task ends
    };
    const done: Promise<unknown>[] = ['p1', 'p2', 'p3'].map((peer) => lanes.run(peer, 'later', expensive(peer)));
    done.push(lanes.run('q', 'now', () => order.push('q')));
    expect(order).toEqual(['q']);
    expect(lanes.waiting).toBe(3);
    await Promise.all(done);
    expect(order).toEqual(['q', 'p1', 'p2', 'p3']); // oldest first
    expect(seenAfter).toEqual({ p1: 2, p2: 3, p3: 4 }); // nothing else ran in an expensive step's task
  });

  it('takes short expensive steps together in one turn', async () => {
    const lanes = new Lanes();
    const order: string[] = [];
    const seenAfter: number[] = [];
    const done = Array.from({ length: 5 }, (_, i) =>
      lanes.run(`p${i}`, 'later', () => {
        order.push(`p${i}`);
        queueMicrotask(() => seenAfter.push(order.length));
      }),
    );
    await Promise.all(done);
    expect(seenAfter[0]).toBe(5); // all five ran before the first one's task ended
  });

  it('gives a waiting lane’s cheap step its turn before the next expensive step of another lane', async () => {
    const lanes = new Lanes();
    const order: string[] = [];
    const done = [
      lanes.run('a', 'later', () => order.push('a1')),
      lanes.run('b', 'later', () => order.push('b1')),
      lanes.run('a', 'now', () => order.push('a2')),
    ];
    await Promise.all(done);
    expect(order).toEqual(['a1', 'a2', 'b1']);
  });

  it('rejects with what the work threw, and goes on with the lane', async () => {
    const lanes = new Lanes();
    const failed = lanes.run('a', 'later', () => {
      throw new Error('bad step');
    });
    const next = lanes.run('a', 'now', () => 'next');
    await expect(failed).rejects.toThrow('bad step');
    await expect(next).resolves.toBe('next');
    let thrown: unknown;
    let sync: Promise<unknown> | undefined;
    try {
      sync = lanes.run('b', 'now', () => {
        throw new Error('at once');
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeUndefined(); // a promise, never a throw
    await expect(sync).rejects.toThrow('at once');
  });

  /** A step that keeps the thread busy for `ms`, and records when it started and ended. */
  const busyStep = (log: { start: number; end: number }[], ms: number) => () => {
    const start = performance.now();
    while (performance.now() - start < ms);
    log.push({ start, end: performance.now() });
  };

  it('rests after a turn of key exchange steps while other lanes wait, and runs cheap work on an idle lane meanwhile', async () => {
    const lanes = new Lanes();
    const steps: { start: number; end: number }[] = [];
    const done = ['p1', 'p2', 'p3', 'p4'].map((peer) => lanes.run(peer, 'background', busyStep(steps, TURN_MS + 1)));
    await new Promise<void>((resolve) => {
      const poll = () => (steps.length === 1 ? resolve() : setTimeout(poll, 0));
      poll();
    });
    // The first turn is over and the engine rests: a data message of another conversation runs at once.
    let ranAt: number | undefined;
    await lanes.run('q', 'now', () => (ranAt = performance.now()));
    expect(ranAt).toBeDefined();
    await Promise.all(done);
    expect(ranAt!).toBeLessThan(steps[1]!.start);
    expect(lanes.rests).toBe(2); // after p1 (three lanes waited) and p2 (two); not after p3: p4 was one key exchange alone
    for (const [i, before] of steps.slice(0, 2).entries()) {
      const turn = before.end - before.start;
      // Timers never fire early by more than a millisecond's rounding.
      expect(steps[i + 1]!.start - before.end).toBeGreaterThanOrEqual(Math.min(REST_MAX_MS, turn * REST_SHARE) - 1);
    }
  });

  it('never rests for one lane alone, nor for expensive work that is not a key exchange', async () => {
    for (const [peers, urgency] of [[['a', 'a', 'a'], 'background'], [['a', 'b', 'c'], 'later']] as const) {
      const lanes = new Lanes();
      const steps: { start: number; end: number }[] = [];
      await Promise.all(peers.map((peer) => lanes.run(peer, urgency as Urgency, busyStep(steps, TURN_MS + 1))));
      expect(lanes.rests).toBe(0);
      expect(steps).toHaveLength(3);
    }
  });

  it('runs the cheap step that reached a lane’s head before resting', async () => {
    const lanes = new Lanes();
    const steps: { start: number; end: number }[] = [];
    let cheapAt: number | undefined;
    const done = [
      lanes.run('a', 'background', busyStep(steps, TURN_MS + 1)),
      lanes.run('a', 'now', () => (cheapAt = performance.now())), // a's message, behind a's own step
      lanes.run('b', 'background', busyStep(steps, TURN_MS + 1)),
      lanes.run('c', 'background', busyStep(steps, TURN_MS + 1)),
    ];
    await Promise.all(done);
    expect(lanes.rests).toBe(1); // after a's step (b and c waited)
    expect(cheapAt!).toBeLessThan(steps[1]!.start - REST_SHARE * TURN_MS + 1); // not held through the rest
  });

  it('knows which wire texts are cheap', () => {
    expect(urgencyOf('hello')).toBe('now');
    expect(urgencyOf('?OTR:AAMDAAAB')).toBe('now'); // v3 data
    expect(urgencyOf('?OTR:AAIDAAAB')).toBe('now'); // v2 data
    expect(urgencyOf('?OTR|1234|5678,00001,00002,piece,')).toBe('now');
    expect(urgencyOf('?OTR,1,2,piece,')).toBe('now');
    for (const costly of ['?OTR:AAMCAAAB', '?OTR:AAMKAAAB', '?OTR:AAMRAAAB', '?OTR:AAMSAAAB', '?OTRv3?', '?OTR Error:boom', 'hi ?OTR:AAMD'])
      expect(urgencyOf(costly)).toBe('background'); // a key exchange step, or what starts one
  });
});

describe('Engine on lanes (in-process, Node)', () => {
  it('reads a private conversation’s message before the key exchange steps that other peers asked for first', async () => {
    const ours = new Engine({ store: new MemoryStore() });
    const { a, b } = await linkEngines(ours, new Engine({ store: new MemoryStore() }));
    await a.engine.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
    const data: string[] = [];
    await b.engine.subscribe((event) => void (event.type === 'wire' && event.peer === 'alice' && event.encrypted && data.push(event.text)));
    await b.engine.send('alice', 'through');
    await until(() => data.length === 1, 'the data message');
    // Six peers ask for private conversations (each answer: a DH commit), then bob's message arrives.
    for (let i = 0; i < 6; i++) await ours.conversation(`peer${i}`); // opened, so every call below takes the same path
    const commits: string[] = [];
    await ours.subscribe((event) => void (event.type === 'wire' && event.peer.startsWith('peer') && commits.push(event.text)));
    const settled: string[] = [];
    const queries = Array.from({ length: 6 }, (_, i) => ours.receive(`peer${i}`, '?OTRv3?').then(() => settled.push(`peer${i}`)));
    const message = ours.receive('bob', data[0] as string).then(() => settled.push('bob'));
    await Promise.all([...queries, message]);
    expect(settled).toEqual(['bob', 'peer0', 'peer1', 'peer2', 'peer3', 'peer4', 'peer5']);
    await until(() => commits.length === 6, 'six DH commits');
    expect(commits.every((text) => text.startsWith('?OTR:AAMC'))).toBe(true);
    expect(a.received().at(-1)).toEqual({ text: 'through', encrypted: true });
  });
});
