/**
 * The worker bundle as `vite build` ships it (not the dev server's modules):
 * web-test-runner.config.mjs builds bench/shipped/ once and serves the output
 * under /__built__/. The engine in that worker must report every speed-up,
 * and two of them must talk (their CryptoJS has no AES: scripts/slim-cryptojs.mjs).
 */
import { startEngine, type EngineClient } from '../../src/ui/engine-client.js';
import { linkEngines, until } from '../helpers/engine-pair.js';
import { assertEqual } from '../helpers/assert.js';

async function builtEngine(label: string): Promise<EngineClient> {
  const manifest = (await (await fetch('/__built__/manifest.json')).json()) as { worker: string };
  const url = `/__built__${manifest.worker}`;
  return startEngine({ name: `built-${label}-${Date.now()}`, createWorker: (name) => new Worker(url, { type: 'module', name }) });
}

describe('the built worker bundle', () => {
  it('runs on native BigInt with every speed-up installed, through the engine client', async () => {
    const engine = await builtEngine('diag');
    try {
      const report = await engine.diagnostics();
      assertEqual(report.bigintBackend, 'native', 'backend');
      assertEqual(report.speedups, ['native-bigint', 'native-dsa', 'dsa-one-read-search', 'dsa-lucas-test', 'native-dsa-verify', 'native-helpers', 'native-codecs', 'native-hashers', 'lazy-dh-sessions', 'ake-secret-reuse', 'lazy-dh-keys', 'microtask-io'], 'speed-ups');
    } finally {
      engine.terminate();
    }
  });

  it('two built workers: a burst of key exchanges rests between turns, one alone never does', async () => {
    const [alice, bob] = [await builtEngine('burst-a'), await builtEngine('burst-b')];
    try {
      const solo = await linkEngines(alice, bob, undefined, ['solo-a', 'solo-b']);
      await alice.startPrivate('solo-b');
      await until(() => solo.a.state('solo-b') === 'encrypted' && solo.b.state('solo-a') === 'encrypted', 'one AKE');
      assertEqual([(await alice.diagnostics()).keyExchangeRests, (await bob.diagnostics()).keyExchangeRests], [0, 0], 'rests after one AKE');
      const pairs = await Promise.all(Array.from({ length: 12 }, (_, i) => linkEngines(alice, bob, undefined, [`a${i}`, `b${i}`])));
      await Promise.all(pairs.map((_, i) => alice.startPrivate(`b${i}`)));
      const allPrivate = () => pairs.every(({ a, b }, i) => a.state(`b${i}`) === 'encrypted' && b.state(`a${i}`) === 'encrypted');
      await until(allPrivate, '12 AKEs at once', 60_000);
      const rests = [(await alice.diagnostics()).keyExchangeRests, (await bob.diagnostics()).keyExchangeRests];
      // Whichever side rests first paces the steps it sends, so the other's may then come one at a time.
      if (!(rests[0]! + rests[1]! > 0)) throw new Error(`an engine should have rested during 12 AKEs at once, rests (alice, bob): ${rests.join(', ')}`);
      // And the burst's conversations work: a message on the last one.
      await alice.send('b11', 'after the burst');
      await until(() => pairs[11]!.b.received().some((m) => m.text === 'after the burst' && m.encrypted), 'a message after the burst');
    } finally {
      alice.terminate();
      bob.terminate();
    }
  });

  it('two built workers: AKE, messages both ways (one of 64 KiB), SMP', async () => {
    const [alice, bob] = [await builtEngine('alice'), await builtEngine('bob')];
    try {
      const { a, b } = await linkEngines(alice, bob);
      await alice.startPrivate('bob');
      await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
      const big = 'ü€👋'.repeat(8 * 1024);
      await alice.send('bob', 'hi');
      await until(() => b.received().length === 1, 'first message');
      await bob.send('alice', big);
      await until(() => a.received().length === 1, 'second message');
      assertEqual(b.received(), [{ text: 'hi', encrypted: true }], 'bob got');
      assertEqual(a.received(), [{ text: big, encrypted: true }], 'alice got');
      await alice.smpStart('bob', 'secret', 'q?');
      await until(() => b.events.some((e) => e.type === 'smp' && e.event.type === 'question'), 'SMP question');
      await bob.smpAnswer('alice', 'secret');
      const results = () => [...a.events, ...b.events].flatMap((e) => (e.type === 'smp' && e.event.type === 'result' ? [e.event.success] : []));
      await until(() => results().length === 2, 'SMP results', 60_000);
      assertEqual(results(), [true, true], 'SMP');
    } finally {
      alice.terminate();
      bob.terminate();
    }
  });
});
