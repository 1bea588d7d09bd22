/**
 * Test helper: two engines (in-process or behind Comlink) linked wire to
 * wire, with every event recorded. Works in Node and in the browser.
 */
import type { EngineApi, EngineEvent } from '../../src/worker/api.js';

export { until } from './until.js';

export interface Side {
  name: string;
  engine: EngineApi;
  events: EngineEvent[];
  /** Messages received from the other side. */
  received(): { text: string; encrypted: boolean }[];
  /** The latest status state (of the conversation with `peer`, when given; one engine may hold several). */
  state(peer?: string): string | undefined;
  errors(): Extract<EngineEvent, { type: 'error' }>[];
}

/**
 * Link `a` (as peer name `aName`) and `b` (as `bName`): each one's wire
 * events are fed to the other's `receive`. `wrap` turns the listener into
 * what `subscribe` needs (e.g. `Comlink.proxy`).
 */
export async function linkEngines(
  a: EngineApi,
  b: EngineApi,
  wrap: <T>(f: T) => T = (f) => f,
  names: [string, string] = ['alice', 'bob'],
): Promise<{ a: Side; b: Side; wire: string[] }> {
  const wire: string[] = [];
  const sideA = side(names[0], a);
  const sideB = side(names[1], b);
  const connect = async (from: Side, to: Side) => {
    await from.engine.subscribe(
      wrap((event: EngineEvent) => {
        from.events.push(event);
        if (event.type === 'wire' && event.peer === to.name) {
          wire.push(event.text);
          void to.engine.receive(from.name, event.text).catch(() => undefined);
        }
      }),
    );
  };
  await connect(sideA, sideB);
  await connect(sideB, sideA);
  return { a: sideA, b: sideB, wire };
}

/** A recording {@link Side} for `engine`, named `name`. */
export function side(name: string, engine: EngineApi): Side {
  const events: EngineEvent[] = [];
  return {
    name,
    engine,
    events,
    received: () => events.flatMap((e) => (e.type === 'message' ? [{ text: e.text, encrypted: e.encrypted }] : [])),
    state: (peer?: string) => events.flatMap((e) => (e.type === 'status' && (peer === undefined || e.peer === peer) ? [e.state] : [])).at(-1),
    errors: () => events.filter((e): e is Extract<EngineEvent, { type: 'error' }> => e.type === 'error'),
  };
}

/** 50 messages for the conversation scenarios: emoji, RTL, CJK, and one of 10,000 characters. */
export function scenarioMessages(): string[] {
  const special = ['hello 👋🏽 family: 👨‍👩‍👧‍👦', 'שלום עולם — مرحبا بالعالم', '你好，世界。こんにちは 안녕하세요', 'x'.repeat(10_000)];
  return Array.from({ length: 50 }, (_, i) => special[i % 13] ?? `message ${i}: ${'·'.repeat(i)}`);
}

/**
 * Make `alice` and `bob` private with Bob's wire texts handed to Alice by the test itself: they wait
 * in `fromBob` (Alice's go to Bob at once). `events`: Alice's events, in order.
 */
export async function handOverPair(alice: EngineApi, bob: EngineApi): Promise<{ fromBob: string[]; events: EngineEvent[] }> {
  const fromBob: string[] = [];
  const events: EngineEvent[] = [];
  let bobState = '';
  await alice.subscribe((e) => {
    events.push(e);
    if (e.type === 'wire') void bob.receive('alice', e.text).catch(() => undefined);
  });
  await bob.subscribe((e) => {
    if (e.type === 'wire') fromBob.push(e.text);
    if (e.type === 'status') bobState = e.state;
  });
  await alice.startPrivate('bob');
  for (let i = 0; i < 300 && !(bobState === 'encrypted' && fromBob.length === 0); i++) {
    for (const text of fromBob.splice(0)) await alice.receive('bob', text);
    await new Promise((r) => setTimeout(r, 20));
  }
  if (bobState !== 'encrypted') throw new Error(`Not private: Bob's state is ${bobState || 'unknown'}.`);
  return { fromBob, events };
}
