/**
 * The one field of an OTR v3 data message its MAC does not cover (issue 19): the old MAC keys it
 * reveals (spec, "Data Message": "Authenticator (MAC): This is the SHA1-HMAC, using an appropriate
 * MAC key (see below) of everything from the Protocol version to the end of the encrypted
 * message"; "Old MAC keys to be revealed" follows it). A bit flipped there leaves a message that
 * verifies: it is the sender's message, and is shown at most once whichever copy comes first.
 */
import { expect, it } from 'vitest';

import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { OtrMessage, Wire } from '../helpers/spec-wire.js';

/** The byte range of the old MAC keys in a v3 data message's body. */
function oldMacKeysRange(wire: string): { body: Buffer; from: number; to: number } {
  const m = OtrMessage.parse(wire)!;
  expect([m.version, m.type]).toEqual([3, 0x03]);
  m.byte(); // flags
  m.int(); // sender keyid
  m.int(); // recipient keyid
  m.data(); // next DH public key (an MPI: length and bytes)
  for (let i = 0; i < 8; i++) m.byte(); // top half of the counter
  m.data(); // encrypted message
  for (let i = 0; i < 20; i++) m.byte(); // MAC
  const length = m.int();
  const to = m.body.length;
  return { body: m.body, from: to - length, to };
}

it('a flip in the revealed old MAC keys, which the MAC does not cover, shows the real message once, whichever copy comes first', async () => {
  const a = new OtrSession({ key: IdentityKey.generate() });
  const b = new OtrSession({ key: IdentityKey.generate() });
  const wire = new Wire(a, b);
  await wire.ake();
  await wire.chat(3, 'turn'); // keys rotate: later messages reveal old MAC keys
  const shown: string[] = [];
  const repeated: string[] = [];
  b.on('message', (m) => m.encrypted && shown.push(m.text));
  b.on('error', ({ error }) => error.code === 'repeated' && repeated.push(error.message));

  for (const tamperedFirst of [true, false]) {
    const text = `reveals keys (${tamperedFirst ? 'tampered copy first' : 'original first'})`;
    // Turns until a message of Alice's reveals an old MAC key (after her keys rotate).
    let original = '';
    for (let turn = 0; turn < 6 && !original; turn++) {
      a.send(text);
      await new Promise((r) => setTimeout(r, 0));
      const sent = wire.toB.splice(0).find((w) => w.startsWith('?OTR:AAMD'))!;
      const range = oldMacKeysRange(sent);
      if (range.to - range.from >= 20) original = sent;
      else {
        b.receive(sent);
        shown.length = 0;
        b.send(`reply ${turn}`);
        await wire.flush();
      }
    }
    const { body, from, to } = oldMacKeysRange(original);
    expect(to - from).toBeGreaterThanOrEqual(20); // at least one old MAC key is revealed
    const flipped = Buffer.from(body);
    flipped[from + 3]! ^= 0x10;
    const tampered = `?OTR:${flipped.toString('base64')}.`;
    const copies = tamperedFirst ? [tampered, original, tampered] : [original, tampered, original];
    for (const copy of copies) b.receive(copy);
    expect(shown.filter((t) => t === text)).toHaveLength(1);
  }
  expect(repeated).toHaveLength(4); // every later copy was recognised as already read
  await wire.flush();
  b.send('still private');
  await wire.flush();
  expect(wire.got.a.at(-1)).toBe('still private');
});
