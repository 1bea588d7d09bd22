/**
 * Interop with libotr 4.1: SMP started by either side, and fragmentation
 * both ways.
 */
import { describe, expect, it } from 'vitest';

import { MESSAGES } from './scenario.js';
import { SIDES, other, useLibotrPairs } from './fixture.js';

const withPair = useLibotrPairs();

describe('SMP', () => {
  for (const by of SIDES) {
    it(`started by ${by}: right secret succeeds, wrong secret fails, on both sides`, () =>
      withPair(async (pair) => {
        await pair.ake(other(by));
        expect(await pair.smp(by, { asker: 'correct horse', answerer: 'correct horse' })).toBe(true);
        expect(await pair.smp(by, { asker: 'correct horse', answerer: 'battery staple' })).toBe(false);
        await pair.roundTrip('still private after SMP', 'yes');
        pair.expectClean();
      }));

    it(`started by ${by} with a unicode question and secret`, () =>
      withPair(async (pair) => {
        await pair.ake(by);
        const question = 'Wie heißt unser 🐱? 猫の名前は？ ما اسم القطة؟';
        expect(await pair.smp(by, { asker: 'Mieze 🐾 ミーちゃん', answerer: 'Mieze 🐾 ミーちゃん' }, question)).toBe(true);
        pair.expectClean();
      }));
  }
});

describe('fragmentation (our fragment size 140, libotr max message size 140)', () => {
  const SIZE = 140;
  for (const by of SIDES) {
    it(`AKE started by ${by}, messages and SMP: no fragment on the wire exceeds ${SIZE}`, () =>
      withPair(
        async (pair) => {
          await pair.ake(by);
          for (const text of [MESSAGES[0]!, MESSAGES[1]!, MESSAGES[18]!, MESSAGES[15]!]) {
            await pair.sendFromUs(text);
            await pair.sendFromLibotr(text);
          }
          expect(await pair.smp(by, { asker: 'frag', answerer: 'frag' })).toBe(true);
          const ours = pair.link.ourWire;
          const theirs = pair.peer.wireOut;
          // Both sides really fragmented, with v3 (instance-tagged) fragments.
          expect(ours.filter((w) => w.startsWith('?OTR|')).length).toBeGreaterThan(10);
          expect(theirs.filter((w) => w.startsWith('?OTR|')).length).toBeGreaterThan(10);
          // Only encoded OTR messages are fragmented (spec, "Fragmentation");
          // libotr's query (plain text with an explanation) is sent whole.
          const encoded = (w: string) => w.startsWith('?OTR:') || w.startsWith('?OTR|');
          const tooLong = (w: string) => encoded(w) && w.length > SIZE;
          expect(ours.filter((w) => !encoded(w) && !w.startsWith('?OTRv'))).toEqual([]);
          expect(theirs.filter((w) => !encoded(w) && !w.startsWith('?OTRv'))).toEqual([]);
          expect(ours.filter(tooLong)).toEqual([]);
          expect(theirs.filter(tooLong).map((w) => `${w.length}: ${w.slice(0, 40)}`)).toEqual([]);
          pair.expectClean();
        },
        { fragmentSize: SIZE, maxMessageSize: SIZE },
      ));
  }
});
