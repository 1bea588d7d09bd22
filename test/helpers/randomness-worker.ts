// Runs the whole crypto path inside a real worker with spies on the
// randomness sources, then reports how often each was called.
import { expose } from 'comlink';

const counts = { getRandomValues: 0, getRandomValuesBytes: 0, mathRandom: 0 };
const realGetRandomValues = crypto.getRandomValues.bind(crypto);
crypto.getRandomValues = (<T extends ArrayBufferView | null>(array: T): T => {
  counts.getRandomValues++;
  counts.getRandomValuesBytes += array?.byteLength ?? 0;
  return realGetRandomValues(array as unknown as Uint8Array<ArrayBuffer>) as unknown as T;
}) as typeof crypto.getRandomValues;
const realMathRandom = Math.random;
Math.random = () => {
  counts.mathRandom++;
  return realMathRandom();
};

async function run(): Promise<typeof counts & { fingerprints: string[]; smp: boolean[] }> {
  // Import only after the spies are in place, so module-load randomness counts too.
  const { Engine } = await import('../../src/worker/engine.js');
  const { MemoryStore } = await import('../../src/worker/store.js');
  const { linkEngines, until } = await import('./engine-pair.js');
  const { a, b } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: new MemoryStore() }));
  const fingerprints = [(await a.engine.identity()).fingerprint, (await b.engine.identity()).fingerprint];
  await a.engine.startPrivate('bob');
  await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
  for (let i = 0; i < 6; i++) {
    await (i % 2 ? b : a).engine.send(i % 2 ? 'alice' : 'bob', `message ${i}`);
    await until(() => a.received().length + b.received().length === i + 1, `message ${i}`);
  }
  await a.engine.smpStart('bob', 'shared secret', 'our secret?');
  await until(() => b.events.some((e) => e.type === 'smp' && e.event.type === 'question'), 'SMP question');
  await b.engine.smpAnswer('alice', 'shared secret');
  const results = () => [...a.events, ...b.events].flatMap((e) => (e.type === 'smp' && e.event.type === 'result' ? [e.event.success] : []));
  await until(() => results().length === 2, 'SMP results', 60_000);
  return { ...counts, fingerprints, smp: results() };
}

expose({ run });
