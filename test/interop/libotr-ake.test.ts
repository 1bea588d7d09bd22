/**
 * Interop with libotr 4.1 (the reference implementation): AKE in both
 * directions, repeated (OTR_INTEROP_REPEAT, default 20) to catch the
 * rare-key failures, plus fingerprints, instance tags and 20 messages.
 *
 * "Started by X" means X sends the OTR query; the other side then sends the
 * D-H Commit, so each direction exercises both AKE roles.
 */
import { describe, expect, it } from 'vitest';

import { REPEAT } from './libotr-peer.js';
import { MESSAGES, type Side } from './scenario.js';
import { useLibotrPairs } from './fixture.js';

const withPair = useLibotrPairs();

for (const by of ['us', 'libotr'] as Side[]) {
  describe(`AKE started by ${by} (x${REPEAT})`, () => {
    for (let i = 1; i <= REPEAT; i++) {
      it(`run ${i}`, () =>
        withPair(async (pair) => {
          await pair.ake(by);
          await pair.checkInstanceTags();
          await pair.checkFingerprints();
          pair.expectClean();
        }));
    }
  });
}

describe('messages', () => {
  for (const by of ['us', 'libotr'] as Side[]) {
    it(`20 messages alternating directions after an AKE started by ${by}`, () =>
      withPair(async (pair) => {
        await pair.ake(by);
        expect(MESSAGES).toHaveLength(20);
        expect(MESSAGES.some((m) => m.length === 5000)).toBe(true);
        for (const [n, text] of MESSAGES.entries()) {
          // Alternate, starting with the side that did not start the AKE.
          const fromUs = (n % 2 === 0) === (by === 'libotr');
          if (fromUs) await pair.sendFromUs(text);
          else await pair.sendFromLibotr(text);
          // And the 5,000-character one both ways.
          if (text.length === 5000) {
            if (fromUs) await pair.sendFromLibotr(text);
            else await pair.sendFromUs(text);
          }
        }
        await pair.checkInstanceTags();
        pair.expectClean();
      }));
  }
});
