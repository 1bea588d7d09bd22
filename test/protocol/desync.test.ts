/**
 * No desync from unauthenticated input (issue 11): queries, errors and junk
 * delivered to one side of an established conversation leave a working
 * conversation both ways; at worst a new AKE that completes.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';

import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { Wire, tick } from '../helpers/spec-wire.js';

const REPRO: string[] = JSON.parse(readFileSync(new URL('../fixtures/desync-queries.json', import.meta.url), 'utf8')).inputs;

let alice: IdentityKey;
let bob: IdentityKey;
beforeAll(() => {
  alice = IdentityKey.generate();
  bob = IdentityKey.generate();
});

async function established(autoPrivate: boolean): Promise<Wire> {
  const a = new OtrSession({ key: alice });
  const b = new OtrSession({ key: bob });
  a.autoPrivate = autoPrivate;
  b.autoPrivate = autoPrivate;
  const wire = new Wire(a, b);
  await wire.ake();
  await wire.chat(1, 'before');
  return wire;
}

/**
 * Let everything settle (AKEs the junk caused included), then check both directions.
 * A first probe each way may be lost when it reveals that the keys diverged: it
 * starts the new AKE that brings them together ("at worst a new AKE that completes").
 */
async function stillWorks(wire: Wire): Promise<void> {
  await wire.flush();
  wire.a.send('probe from a');
  await wire.flush();
  wire.b.send('probe from b');
  await wire.flush();
  expect([wire.a.state, wire.b.state]).toEqual(['encrypted', 'encrypted']);
  wire.errors.length = 0;
  await wire.chat(2, 'after');
}

describe('the repro sequence (../shared/repro/desync-queries.json) delivered to Bob', () => {
  expect(REPRO.length).toBe(202);
  for (const autoPrivate of [false, true]) {
    it(`all at once (auto-private ${autoPrivate})`, async () => {
      const wire = await established(autoPrivate);
      for (const text of REPRO) wire.b.receive(text);
      await stillWorks(wire);
    });

    it(`one at a time, each answer delivered before the next input (auto-private ${autoPrivate})`, async () => {
      const wire = await established(autoPrivate);
      for (const text of REPRO) {
        wire.b.receive(text);
        await wire.flush();
      }
      await stillWorks(wire);
    });

    it(`interleaved with the replies in flight (auto-private ${autoPrivate})`, async () => {
      const wire = await established(autoPrivate);
      for (const [i, text] of REPRO.entries()) {
        wire.b.receive(text);
        await tick();
        // Deliver only part of the traffic each step, so AKE messages cross the junk.
        if (i % 3 === 0) {
          const toA = wire.toA.splice(0);
          for (const w of toA) wire.a.receive(w);
        }
        if (i % 5 === 0) {
          const toB = wire.toB.splice(0);
          for (const w of toB) wire.b.receive(w);
        }
      }
      await stillWorks(wire);
    });
  }
});

/** Plaintext with OTR's whitespace tag for v3 (spec, "Tagged plaintext messages"). */
const WHITESPACE_TAGGED = 'tagged\x20\x09\x20\x20\x09\x09\x09\x09\x20\x09\x20\x09\x20\x09\x20\x20\x20\x20\x09\x09\x20\x20\x09\x09';

describe('a seeded fuzz of query/error sequences', () => {
  const CHOICES = ['?OTRv3?', '?OTRv23?', '?OTRv2?', '?OTR?', '?OTR Error:x', 'hello', '?OTR:AAMD.', '?OTRv?', '?OTR:', WHITESPACE_TAGGED];
  const SEEDS = Number(process.env.DESYNC_SEEDS) || 10;
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`seed ${seed}: 100 inputs to either side, traffic delivered in random bursts, still works both ways`, async () => {
      let state = seed;
      const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const wire = await established(seed % 2 === 0);
      for (let i = 0; i < 100; i++) {
        const text = CHOICES[Math.floor(random() * CHOICES.length)]!;
        (random() < 0.5 ? wire.a : wire.b).receive(text);
        await tick();
        if (random() < 0.4) for (const w of wire.toA.splice(0)) wire.a.receive(w);
        if (random() < 0.4) for (const w of wire.toB.splice(0)) wire.b.receive(w);
      }
      await stillWorks(wire);
    });
  }
});
