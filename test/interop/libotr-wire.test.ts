/**
 * Interop with libotr 4.1 on the wire format (issue 11): libotr forced to
 * protocol v2 with fragments at 140 (AKE, messages, SMP) in both roles;
 * libotr fragmenting its own query at 140 while we send unfragmented; and
 * 100,000-character messages of ASCII, mixed and CJK text both ways.
 */
import { describe, expect, it } from 'vitest';

import { POLICY, Reassembler } from './libotr-peer.js';
import { MESSAGES } from './scenario.js';
import { SIDES, other, useLibotrPairs } from './fixture.js';

const withPair = useLibotrPairs();

describe('libotr forced to v2, fragments at 140 on both sides', () => {
  const SIZE = 140;
  for (const by of SIDES) {
    it(`AKE started by ${by}, messages both ways and SMP, over ?OTR,k,n,piece, fragments`, () =>
      withPair(
        async (pair) => {
          await pair.ake(by);
          expect(pair.session.protocolVersion).toBe(2);
          expect((await pair.peer.tags()).version).toBe(2);
          for (const text of [MESSAGES[0]!, MESSAGES[2]!, MESSAGES[18]!]) {
            await pair.sendFromUs(text);
            await pair.sendFromLibotr(text);
          }
          expect(await pair.smp(other(by), { asker: 'v2 secret', answerer: 'v2 secret' })).toBe(true);
          const ours = pair.link.ourWire.filter((w) => w.startsWith('?OTR') && !w.startsWith('?OTRv'));
          const theirs = pair.peer.wireOut.filter((w) => w.startsWith('?OTR') && !w.startsWith('?OTRv'));
          for (const wire of [ours, theirs]) {
            expect(wire.filter((w) => w.startsWith('?OTR|'))).toEqual([]); // no v3 header in a v2 conversation
            expect(wire.filter((w) => w.startsWith('?OTR,')).length).toBeGreaterThan(10);
          }
          expect(ours.filter((w) => w.length > SIZE)).toEqual([]);
          pair.expectClean();
        },
        { fragmentSize: SIZE, maxMessageSize: SIZE, policy: POLICY.V2_ONLY },
      ));
  }
});

describe("libotr's own query, fragmented at 140, while we send unfragmented", () => {
  it('is reassembled (pieces hold commas and spaces) and the AKE libotr asked for completes', () =>
    withPair(
      async (pair) => {
        // With encryption required, libotr turns an unencrypted message into its query (with explanation).
        const asked = pair.peer.send('held until private');
        await pair.wait(() => pair.session.state === 'encrypted', 'the AKE libotr asked for');
        await asked;
        const whole = new Reassembler();
        const query = pair.peer.wireOut.map((w) => whole.add(w)).find((w) => w.startsWith('?OTRv'));
        expect(query).toMatch(/^\?OTRv2?3\?/);
        const pieces = pair.peer.wireOut.filter((w) => /^\?OTR[,|]/.test(w) && !/^\?OTR[,|].*\?OTR:/.test(w));
        expect(pieces.length).toBeGreaterThan(1);
        expect(pieces.some((p) => p.split(',').length > 5)).toBe(true); // commas inside a piece
        expect(pair.link.ourWire.filter((w) => /^\?OTR[,|]/.test(w))).toEqual([]);
        await pair.wait(() => pair.link.ourMessages.length > 0, 'the held message');
        expect(pair.link.ourMessages[0]).toEqual({ text: 'held until private', encrypted: true });
        await pair.roundTrip('after the fragmented query', 'libotr after the fragmented query');
        expect(pair.link.ourErrors).toEqual([]);
        // libotr's notice that it held the message and started OTR: expected here.
        expect(pair.peer.problems.filter((p) => !/^event encryption-required/.test(p))).toEqual([]);
      },
      { fragmentSize: 0, maxMessageSize: 140, policy: POLICY.MANUAL_REQUIRED },
    ));
});

describe('100,000-character messages both ways', () => {
  const ascii = 'The quick brown fox. '.repeat(5000).slice(0, 100_000);
  const mixed = ('Lorem ipsum 漢字 עברית 🙂 ').repeat(5000).slice(0, 100_000);
  const cjk = '漢字かな한국어中文'.repeat(12_500).slice(0, 100_000);
  for (const by of SIDES) {
    it(`ASCII, mixed and CJK after an AKE started by ${by}`, () =>
      withPair(async (pair) => {
        await pair.ake(by);
        for (const text of [ascii, mixed, cjk]) {
          expect(text).toHaveLength(100_000);
          await pair.sendFromUs(text);
          await pair.sendFromLibotr(text);
        }
        pair.expectClean();
      }));
  }
});
