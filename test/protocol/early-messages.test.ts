/**
 * Early messages during the AKE (issue 11): with auto-private on both sides
 * and messages sent while the AKE runs, no spurious decrypt errors, each
 * message delivered exactly once, and under require-encryption only encrypted.
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { drainQueues, tick } from '../helpers/spec-wire.js';

let alice: IdentityKey;
let bob: IdentityKey;
beforeAll(() => {
  alice = IdentityKey.generate();
  bob = IdentityKey.generate();
});

interface Seen {
  text: string;
  encrypted: boolean;
}

/**
 * Two sessions; `schedule(step)` says how many queued messages to deliver in
 * each direction at each step, so the AKE and the early messages interleave
 * in many orders. Messages are sent at `sendAt` steps.
 */
async function run(options: { requireEncryption: boolean; seed: number; startBoth: boolean }) {
  const a = new OtrSession({ key: alice, requireEncryption: options.requireEncryption });
  const b = new OtrSession({ key: bob, requireEncryption: options.requireEncryption });
  a.autoPrivate = true;
  b.autoPrivate = true;
  const toA: string[] = [];
  const toB: string[] = [];
  const got = { a: [] as Seen[], b: [] as Seen[] };
  const errors: string[] = [];
  a.on('wire', ({ text }) => toB.push(text));
  b.on('wire', ({ text }) => toA.push(text));
  a.on('message', (m) => got.a.push({ text: m.text, encrypted: m.encrypted }));
  b.on('message', (m) => got.b.push({ text: m.text, encrypted: m.encrypted }));
  a.on('error', ({ error, warning }) => !warning && errors.push(`a ${error.code}: ${error.message}`));
  b.on('error', ({ error, warning }) => !warning && errors.push(`b ${error.code}: ${error.message}`));
  let state = options.seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const sent = { a: [] as string[], b: [] as string[] };
  a.startPrivate();
  if (options.startBoth) b.startPrivate();
  for (let step = 0; step < 40; step++) {
    await tick();
    if (step < 12 && random() < 0.4) {
      const text = `a early ${step}`;
      sent.a.push(text);
      a.send(text);
    }
    if (step < 12 && random() < 0.4) {
      const text = `b early ${step}`;
      sent.b.push(text);
      b.send(text);
    }
    const nA = Math.floor(random() * 3);
    const nB = Math.floor(random() * 3);
    for (const w of toA.splice(0, nA)) a.receive(w);
    for (const w of toB.splice(0, nB)) b.receive(w);
  }
  await drainQueues(a, toA, b, toB);
  return { a, b, got, errors, sent };
}

describe('early messages during the AKE', () => {
  for (const requireEncryption of [false, true]) {
    for (const startBoth of [false, true]) {
      it(`auto-private both sides, ${startBoth ? 'both start' : 'one starts'}, require-encryption ${requireEncryption}: 20 interleavings`, async () => {
        for (let seed = 1; seed <= 20; seed++) {
          const { a, b, got, errors, sent } = await run({ requireEncryption, seed, startBoth });
          const where = `seed ${seed}`;
          expect([a.state, b.state], where).toEqual(['encrypted', 'encrypted']);
          expect(errors.filter((e) => !/unencrypted-received/.test(e)), where).toEqual([]);
          // Each message exactly once, in order.
          expect(got.b.map((m) => m.text), where).toEqual(sent.a);
          expect(got.a.map((m) => m.text), where).toEqual(sent.b);
          if (requireEncryption) expect([...got.a, ...got.b].every((m) => m.encrypted), where).toBe(true);
        }
      });
    }
  }
});
