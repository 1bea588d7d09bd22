/**
 * Interop with libotr 4.1: ending and restarting the private conversation,
 * and refreshing it (a new AKE while encrypted), each with messages and SMP
 * working afterwards.
 */
import { describe, expect, it } from 'vitest';

import { SIDES, other, useLibotrPairs } from './fixture.js';

const withPair = useLibotrPairs();


describe('end, then a new AKE', () => {
  for (const ender of SIDES) {
    for (const restarter of SIDES) {
      it(`ended by ${ender}, restarted by ${restarter}: messages and SMP work after`, () =>
        withPair(async (pair) => {
          await pair.ake(restarter);
          const firstSession = pair.session.theirFingerprint;
          // Rotate keys a few times in both directions before ending.
          for (let i = 0; i < 3; i++) await pair.roundTrip(`before end ${i}`, `vorher ${i}`);
          // SMP state from the first session must not leak into the next one.
          if (ender === 'libotr') expect(await pair.smp(restarter, { asker: 's1', answerer: 's1' })).toBe(true);
          await pair.end(ender);
          await pair.ake(restarter);
          expect(pair.session.theirFingerprint).toBe(firstSession);
          for (let i = 0; i < 3; i++) await pair.roundTrip(`after end ${i} 🔁`, `nachher ${i} 🔁`);
          expect(await pair.smp(restarter, { asker: 's2', answerer: 's2' })).toBe(true);
          // And once more.
          await pair.end(restarter);
          await pair.ake(ender);
          await pair.roundTrip('third session', 'dritte Sitzung');
          await pair.checkInstanceTags();
          await pair.checkFingerprints();
          pair.expectClean();
        }));
    }
  }
});

describe('refresh: a new AKE while encrypted, after keys rotated', () => {
  for (const by of SIDES) {
    it(`refreshed by ${by}: messages and SMP work after`, () =>
      withPair(async (pair) => {
        await pair.ake(other(by));
        for (let i = 0; i < 3; i++) await pair.roundTrip(`before refresh ${i}`, `avant ${i}`);
        expect(await pair.smp(by, { asker: 'r1', answerer: 'r1' })).toBe(true);
        await pair.ake(by);
        for (let i = 0; i < 3; i++) await pair.roundTrip(`after refresh ${i}`, `après ${i}`);
        expect(await pair.smp(other(by), { asker: 'r2', answerer: 'r2' })).toBe(true);
        await pair.ake(other(by));
        await pair.roundTrip('refreshed twice', 'deux fois');
        pair.expectClean();
      }));
  }
});
