/**
 * Interop with libotr 4.1 on the extra symmetric key (OTR v3 spec, "Extra symmetric key"; TLV 8):
 * our `sendExtraKey` against libotr's `received_symkey`, libotr's `otrl_message_symkey` against our
 * `extra-key` event. Both sides derive SHA-256(0xFF ‖ MPI(g^xy)) from the D-H keys of the message
 * carrying the TLV, so the keys must be equal byte for byte; after the keys rotate, again equal, and
 * new.
 */
import { describe, expect, it } from 'vitest';

import type { ExtraKey } from '../../src/protocol/index.js';
import type { LibotrSymkey } from './libotr-peer.js';
import type { Pair } from './scenario.js';
import { SIDES, useLibotrPairs } from './fixture.js';

const withPair = useLibotrPairs();

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** A key request as comparable plain values: use, data and key as hex. */
const plain = (k: ExtraKey | LibotrSymkey) => ({ use: k.use, usedata: hex(k.usedata), key: hex(k.key) });

/** 40 bytes, i*37 & 0xff: most of them ≥ 0x80 (which a UTF-8 step would mangle), one 0x00. */
const USEDATA = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) & 0xff);
const USE = 0x7e2e0001;

/** We send the extra key with text; libotr takes the same key, use and data, and shows the text. Returns the key. */
async function oursToLibotr(pair: Pair, use: number, usedata: Uint8Array, text: string): Promise<Uint8Array> {
  const symkeys = pair.peer.receivedSymkeys().length;
  const received = pair.peer.received.length;
  const key = pair.session.sendExtraKey(use, usedata, text);
  expect(key).toBeInstanceOf(Uint8Array);
  expect(key).toHaveLength(32);
  await pair.wait(
    () => pair.peer.receivedSymkeys().length > symkeys && pair.peer.received.length > received,
    `libotr to take the extra key for use ${use.toString(16)}`,
  );
  expect(pair.peer.receivedSymkeys().slice(symkeys).map(plain)).toEqual([{ use, usedata: hex(usedata), key: hex(key) }]);
  expect(pair.peer.received.slice(received)).toEqual([{ text, encrypted: true }]);
  return key;
}

/** libotr sends the extra key (an otherwise empty data message); our event carries the same key, use and data. Returns the key. */
async function libotrToOurs(pair: Pair, events: ExtraKey[], use: number, usedata: Uint8Array): Promise<Uint8Array> {
  const before = events.length;
  const messages = pair.link.ourMessages.length;
  const key = await pair.peer.symkey(use, usedata);
  expect(key).toHaveLength(32);
  await pair.wait(() => events.length > before, `our extra-key event for use ${use.toString(16)}`);
  expect(events.slice(before).map(plain)).toEqual([{ use, usedata: hex(usedata), key: hex(key) }]);
  // libotr's message has no text: nothing is shown to our user.
  expect(pair.link.ourMessages.slice(messages)).toEqual([]);
  return key;
}

describe('extra symmetric key (TLV 8) with libotr', () => {
  for (const by of SIDES) {
    it(`after an AKE started by ${by}: both directions take the same key, again after the keys rotate`, () =>
      withPair(async (pair) => {
        const events: ExtraKey[] = [];
        const off = pair.session.on('extra-key', (e) => events.push(e));
        await pair.ake(by);
        expect(pair.session.protocolVersion).toBe(3);
        expect(USEDATA.filter((b) => b >= 0x80).length).toBeGreaterThan(15);

        // (a) ours → libotr, with text beside the TLV and binary use data.
        const ours1 = await oursToLibotr(pair, USE, USEDATA, 'a file for you');
        // (b) libotr → ours.
        const theirs1 = await libotrToOurs(pair, events, 5, Uint8Array.of(1, 2, 3));

        // (c) a few messages each way (each side's D-H keys rotate), then both directions again.
        for (let i = 0; i < 3; i++) await pair.roundTrip(`ours ${i}`, `libotr ${i}`);
        const ours2 = await oursToLibotr(pair, USE, USEDATA, 'a file for you');
        const theirs2 = await libotrToOurs(pair, events, 5, Uint8Array.of(1, 2, 3));
        expect(hex(ours2)).not.toBe(hex(ours1));
        expect(hex(theirs2)).not.toBe(hex(theirs1));

        // No use data (a TLV of just the use) and the largest use, both ways: still agreed.
        await oursToLibotr(pair, 0xffffffff, new Uint8Array(0), 'no data');
        await libotrToOurs(pair, events, 0xffffffff, new Uint8Array(0));

        // Each request was taken exactly once on each side.
        expect(pair.peer.receivedSymkeys()).toHaveLength(3);
        expect(events).toHaveLength(3);
        // And the conversation goes on.
        await pair.roundTrip('still private', 'yes');
        expect(events).toHaveLength(3);
        off();

        // (d) no problem on either side.
        pair.expectClean();
      }));
  }
});
