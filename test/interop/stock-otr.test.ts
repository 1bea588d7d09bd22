/**
 * Interop with a real, UNPATCHED stock otr.js 0.2.16 peer (the ConnectyCube
 * guide's recipe) running in its own Node process, where none of our otr.js
 * fixes are installed. AKEs in both roles, repeated STOCK_OTR_AKES times per
 * role (default 10; `npm run test:stock-otr` runs 200), plus forced short-r
 * cases: stock otr.js drops r's leading zeros, and misreads an r of ours
 * whose first hex digit is 0.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { OtrSession } from '../../src/protocol/index.js';
import { bigIntModule, hexToRawBigInt } from '../../src/protocol/otr/loader.js';
import { ourTestKey } from './libotr-peer.js';
import { StockOtrPeer, linkStock } from './stock-otr-peer.js';
import { installOtrPatches } from '../../src/protocol/otr/install.js';

// The seam's one explicit install call (fixes and speed-ups, after the otr version check).
installOtrPatches();

const AKES = Math.max(1, Number(process.env.STOCK_OTR_AKES) || 10);

type Role = 'we query (stock picks r)' | 'stock queries (we pick r)';
const ROLES: Role[] = ['we query (stock picks r)', 'stock queries (we pick r)'];

let peer: StockOtrPeer;
beforeAll(() => {
  peer = StockOtrPeer.start();
});
afterAll(() => peer?.close());

const realRandBigInt = bigIntModule.randBigInt;
afterEach(() => {
  bigIntModule.randBigInt = realRandBigInt;
});

/** Our next 128-bit draws (r) in this process are `hexes`. */
function forceOurR(...hexes: string[]): void {
  const queue = [...hexes];
  bigIntModule.randBigInt = ((bits: number, s?: number) =>
    bits === 128 && queue.length ? hexToRawBigInt(queue.shift()!) : realRandBigInt(bits, s)) as typeof bigIntModule.randBigInt;
}

/** One AKE on a fresh pair, then one message each way; returns our errors and stock's. */
async function ake(role: Role, stockR: string[] = []): Promise<void> {
  const session = new OtrSession({ key: ourTestKey() });
  peer.fresh(ourTestKey(), stockR);
  const link = linkStock(session, peer);
  try {
    if (role === 'we query (stock picks r)') session.startPrivate();
    else peer.query();
    await peer.wait(() => (session.state === 'encrypted' && peer.akeDone()) || link.ours.errors.length > 0 || peer.errors().length > 0, 'AKE');
    expect({ ours: link.ours.errors, stock: peer.errors() }).toEqual({ ours: [], stock: [] });
    session.send('from us');
    await peer.wait(() => peer.received().length > 0, 'stock to receive');
    peer.send('from stock');
    await peer.wait(() => link.ours.messages.length > 0, 'us to receive');
    expect(peer.received()).toEqual([{ text: 'from us', encrypted: true }]);
    expect(link.ours.messages).toEqual([{ text: 'from stock', encrypted: true }]);
    expect({ ours: link.ours.errors, stock: peer.errors() }).toEqual({ ours: [], stock: [] });
  } finally {
    link.unlink();
  }
}

const CHUNK = 10;
for (const role of ROLES) {
  describe(`stock otr.js 0.2.16, ${role}: ${AKES} AKEs, each followed by a message each way`, () => {
    for (let from = 1; from <= AKES; from += CHUNK) {
      const to = Math.min(AKES, from + CHUNK - 1);
      it(`AKEs ${from}–${to}: 0 failures`, async () => {
        const failures: string[] = [];
        for (let i = from; i <= to; i++) {
          try {
            await ake(role);
          } catch (e) {
            failures.push(`run ${i}: ${(e as Error).message.split('\n')[0]}`);
          }
        }
        expect(failures).toEqual([]);
      });
    }
  });
}

describe('forced short r', () => {
  // Stock otr.js as the AKE initiator: it encrypts g^x under a key rebuilt
  // from r's hex digits and reveals r as an MPI, both without leading zeros.
  it.each([
    ['31 hex digits (16-byte key, shifted)', '0abcdef0123456789abcdef012345678'],
    ['30 hex digits (a 15-byte key)', '00abcdef0123456789abcdef01234567'],
    ['29 hex digits', '000bcdef0123456789abcdef01234567'],
    ['4 hex digits', '0000000000000000000000000000abcd'],
    ['1 hex digit', '00000000000000000000000000000001'],
  ])('we accept stock otr.js r with %s', async (_name, hex) => {
    await ake('we query (stock picks r)', [hex]);
  });

  // Us as the AKE initiator: an r of ours beginning with a 0 digit would be
  // misread by stock otr.js; we never send one (the next draw is used).
  it.each([
    ['a zero first digit', '0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
    ['a zero first byte', '00a1b2c3d4e5f60718293a4b5c6d7e8f'],
  ])('stock otr.js reads our r when the first draw has %s', async (_name, hex) => {
    forceOurR(hex, hex, hex);
    await ake('stock queries (we pick r)');
  });
});
