/**
 * Regression tests for the otr.js fixes in src/protocol/otr/fixes.ts.
 * Deterministic: the AES key `r` is forced where it matters, and wire
 * delivery is driven step by step. Each test fails with its fix removed.
 *
 * Where otr.js would agree with itself (both ends sharing a defect), the
 * checks use an independent reading of the OTR v3 spec built on Node's
 * crypto, so the tests do not depend on otr.js's own helpers.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { raw } from '../../src/protocol/keys.js';
import { bigIntModule, hexToRawBigInt, rawBigIntToHex } from '../../src/protocol/otr/loader.js';
import {
  DATA_MSG, DH_COMMIT, DH_KEY, OtrMessage, P, REVEAL_SIGNATURE, Wire, aesCtr, data, encode, int32, modPow, mpi, sha256, tick, toBig,
} from '../helpers/spec-wire.js';
import { installOtrPatches } from '../../src/protocol/otr/install.js';
import { rawOtrOf, type OtrConnection } from '../../src/protocol/otr/connection.js';

// The seam's one explicit install call (fixes and speed-ups, after the otr version check).
installOtrPatches();

/** g^x of the D-H Commit in `sent`, recovered with the r its Reveal Signature revealed (spec reading). */
function committedKeys(sent: string[]): { r: Buffer; gx: bigint }[] {
  const out: { r: Buffer; gx: bigint }[] = [];
  let commit: { encrypted: Buffer; hashed: Buffer } | undefined;
  for (const wire of sent) {
    const m = OtrMessage.parse(wire);
    if (m?.type === DH_COMMIT) commit = { encrypted: m.data(), hashed: m.data() };
    if (m?.type === REVEAL_SIGNATURE && commit) {
      const r = m.data();
      expect(r.length).toBe(16); // DATA, 128 bits
      const gxmpi = aesCtr(r, commit.encrypted);
      expect(sha256(gxmpi).equals(commit.hashed)).toBe(true);
      out.push({ r, gx: new OtrMessage(Buffer.concat([Buffer.alloc(11), gxmpi])).mpi() });
    }
  }
  return out;
}

/** Every DH public key `sent` announced in data messages ("next" keys). */
function announcedKeys(sent: string[]): bigint[] {
  return sent
    .map((w) => OtrMessage.parse(w))
    .filter((m): m is OtrMessage => m?.type === DATA_MSG)
    .map((m) => {
      m.byte(); // flags
      m.int(); // sender keyid
      m.int(); // recipient keyid
      return m.mpi();
    });
}

// ---------------------------------------------------------------------------

let alice: IdentityKey;
let bob: IdentityKey;
const realRandBigInt = bigIntModule.randBigInt;

beforeAll(() => {
  alice = IdentityKey.generate();
  bob = IdentityKey.generate();
});

afterEach(() => {
  bigIntModule.randBigInt = realRandBigInt;
});

/** Make the next AES keys r drawn by otr (128-bit draws) the given hex values. */
function forceR(...hexes: string[]): void {
  const queue = [...hexes];
  bigIntModule.randBigInt = ((bits: number, s?: number) => {
    if (bits === 128 && queue.length) return hexToRawBigInt(queue.shift()!);
    return realRandBigInt(bits, s);
  }) as typeof bigIntModule.randBigInt;
}

const R_ZERO_NIBBLE = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const R_ZERO_BYTE = '00a1b2c3d4e5f60718293a4b5c6d7e8f';

describe('AKE key r (defect: leading zeros of r dropped)', () => {
  for (const [name, hex] of [
    ['a leading zero nibble', R_ZERO_NIBBLE],
    ['a leading zero byte', R_ZERO_BYTE],
  ] as const) {
    it(`never sends an r with ${name} (stock otr.js misreads it), and sends r as 16 bytes of DATA that encrypt g^x`, async () => {
      const wire = new Wire(new OtrSession({ key: alice }), new OtrSession({ key: bob }));
      const next = 'f00102030405060708090a0b0c0d0e0f';
      forceR(hex, next);
      // a's query makes b send the D-H Commit and later reveal r.
      await wire.ake();
      const [commit] = committedKeys(wire.sentByB);
      expect(commit?.r.toString('hex')).toBe(next);
      await wire.chat(1, 'after');
    });

    it(`accepts a spec-conformant Reveal Signature whose r has ${name}`, async () => {
      // A reference initiator written from the spec with Node's crypto,
      // signing with alice's key, talks to one of our sessions (b).
      const b = new OtrSession({ key: bob });
      const fromB: string[] = [];
      const errors: string[] = [];
      b.on('wire', ({ text }) => fromB.push(text));
      b.on('error', ({ error }) => errors.push(error.message));
      const ourTag = 0x1234abcd;
      const r = Buffer.from(hex, 'hex');
      const x = toBig(randomBytes(40));
      const gx = modPow(2n, x, P);
      const gxmpi = mpi(gx);
      b.receive(encode(DH_COMMIT, ourTag, 0, data(aesCtr(r, gxmpi)), data(sha256(gxmpi))));
      await tick();
      await tick();
      const dhKey = fromB.map((w) => OtrMessage.parse(w)).find((m) => m?.type === DH_KEY);
      expect(dhKey, `no D-H Key; errors: ${errors.join('; ')}`).toBeDefined();
      expect(dhKey!.receiver).toBe(ourTag);
      const gy = dhKey!.mpi();

      const secbytes = mpi(modPow(gy, x, P));
      const h2 = (byte: number) => sha256(Buffer.from([byte]), secbytes);
      const c = h2(0x01).subarray(0, 16);
      const m1 = h2(0x02);
      const m2 = h2(0x03);
      const key = raw(alice) as unknown as { packPublic(): string; sign(m: string): number[][] };
      const pub = Buffer.from(key.packPublic(), 'latin1');
      const keyid = int32(1);
      const mB = createHmac('sha256', m1).update(Buffer.concat([gxmpi, mpi(gy), pub, keyid])).digest();
      const [sigR, sigS] = key.sign(mB.toString('latin1'));
      const sig = Buffer.concat([sigR!, sigS!].map((v) => Buffer.from(rawBigIntToHex(v).padStart(40, '0'), 'hex')));
      const encSig = data(aesCtr(c, Buffer.concat([pub, keyid, sig])));
      const mac = createHmac('sha256', m2).update(encSig).digest().subarray(0, 20);
      b.receive(encode(REVEAL_SIGNATURE, ourTag, b.instanceTag, data(r), encSig, mac));
      await tick();

      expect(errors).toEqual([]);
      expect(b.state).toBe('encrypted');
      expect(b.theirFingerprint).toBe(alice.fingerprint);
    });
  }
});

describe('a new AKE in a running session (defects: stale DH key, key ids, protocol version, SMP ssid)', () => {
  it('a refresh after keys rotated uses a fresh DH key, and messages and SMP work after it', async () => {
    const wire = new Wire(new OtrSession({ key: alice }), new OtrSession({ key: bob }));
    await wire.ake();
    await wire.chat(3, 'one');
    // Start SMP (so SMP state bound to the first session exists), then abort it.
    wire.a.smpStart('first');
    await wire.flush();
    expect(wire.questions.b).toBe(1);
    wire.a.smpAbort();
    await wire.flush();

    const seen = [...committedKeys(wire.sentByB).map((k) => k.gx), ...announcedKeys(wire.sentByB)];
    // b refreshes: its query makes a send a D-H Commit this time.
    wire.b.startPrivate();
    await wire.flush();
    expect(wire.errors).toEqual([]);
    const commits = committedKeys(wire.sentByA);
    expect(commits).toHaveLength(1);
    const seenByA = announcedKeys(wire.sentByA);
    expect(seenByA).not.toContain(commits[0]!.gx);
    expect(seen).not.toContain(commits[0]!.gx);

    // Now b refreshes as responder too: a's query, b's D-H Commit.
    wire.a.startPrivate();
    await wire.flush();
    const bCommits = committedKeys(wire.sentByB);
    expect(bCommits).toHaveLength(2);
    expect(seen).not.toContain(bCommits[1]!.gx);
    expect(announcedKeys(wire.sentByB)).not.toContain(bCommits[1]!.gx);

    await wire.chat(3, 'two');
    // SMP messages of the new session reach the peer (a stale ssid dropped them silently).
    wire.a.smpStart('second');
    await wire.flush();
    expect(wire.questions.b).toBe(2);
    wire.a.smpAbort();
    await wire.flush();
    wire.b.smpStart('third');
    await wire.flush();
    expect(wire.questions.a).toBe(1);
    expect(wire.errors).toEqual([]);
  });

  it('data messages stay v3 while a refresh is under way', async () => {
    const wire = new Wire(new OtrSession({ key: alice }), new OtrSession({ key: bob }));
    await wire.ake();
    await wire.chat(2, 'before');
    // b asks for a new AKE; a receives the query (and answers with a D-H
    // Commit, which stays queued), then sends before the AKE completes.
    wire.b.startPrivate();
    await wire.flush('toA');
    const sent = wire.sentByA.length;
    wire.a.send('during the refresh');
    await tick();
    await tick();
    const data = wire.sentByA.slice(sent).map((w) => OtrMessage.parse(w));
    expect(data.map((m) => m && [m.version, m.type])).toEqual([[3, DATA_MSG]]);
    // b, which has not seen the D-H Commit yet, can read it; then the AKE completes.
    const commit = wire.toB.splice(0);
    for (const w of wire.toB.splice(0)) wire.b.receive(w);
    wire.b.receive(wire.sentByA.at(-1)!);
    expect(wire.got.b.at(-1)).toBe('during the refresh');
    for (const w of commit.filter((w) => w !== wire.sentByA.at(-1))) wire.b.receive(w);
    await wire.flush();
    await wire.chat(1, 'after');
    expect(wire.errors).toEqual([]);
  });
});

describe('end, then a new AKE (defect: key state kept after the end)', () => {
  for (const ender of ['a', 'b'] as const) {
    it(`ended by ${ender}: the ended session's keys are gone, and the next AKE works with fresh keys`, async () => {
      const wire = new Wire(new OtrSession({ key: alice }), new OtrSession({ key: bob }));
      await wire.ake();
      await wire.chat(3, 'one');
      const rawOf = (s: OtrSession) =>
        rawOtrOf((s as unknown as { otr: OtrConnection }).otr) as unknown as Record<string, unknown> & { sessKeys: unknown[][] };
      const before = { a: { ...rawOf(wire.a) }, b: { ...rawOf(wire.b) } };
      await wire[ender].endPrivate();
      await wire.flush();
      expect(wire[ender].state).toBe('plaintext');
      expect(wire[ender === 'a' ? 'b' : 'a'].state).toBe('finished');
      for (const side of ['a', 'b'] as const) {
        const now = rawOf(wire[side]);
        for (const field of ['our_dh', 'our_old_dh', 'ake', 'sessKeys']) expect(now[field]).not.toBe(before[side][field]);
        expect(now.their_y).toBeNull();
        expect(now.their_keyid).toBe(0);
        expect(now.our_keyid).toBe(2);
        expect(now.sm).toBeNull();
        expect(now.sessKeys.flat().filter(Boolean)).toEqual([]);
      }
      const seen = [...committedKeys(wire.sentByB).map((k) => k.gx), ...announcedKeys(wire.sentByB)];
      await wire.ake();
      const commits = committedKeys(wire.sentByB);
      expect(commits).toHaveLength(2);
      expect(seen).not.toContain(commits[1]!.gx);
      await wire.chat(3, 'two');
    });
  }
});
