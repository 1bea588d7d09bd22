/**
 * AKEs derailed by stale or forged messages (issue 19, found by the fuzz tier over 100 seeds):
 * - v2 and v3 messages of different AKEs mixed into one (a query of each version answered), so
 *   that the AKE completed on one side only, or in a version the other side was not in;
 * - an AKE step that failed its check (a forged or stale message) kept the AKE "running" for 10 s,
 *   holding off every query and every recovery meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { DH_KEY, P, Wire, modPow, mpi, toBig } from '../helpers/spec-wire.js';

const alice = IdentityKey.generate();
const bob = IdentityKey.generate();
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A v2 D-H Key message (no instance tags) with a fresh, valid g^y. */
function v2DhKey(): string {
  const gy = modPow(2n, toBig(randomBytes(40)), P);
  return `?OTR:${Buffer.concat([Buffer.from([0, 2, DH_KEY]), mpi(gy)]).toString('base64')}.`;
}

async function privatePair() {
  const a = new OtrSession({ key: alice });
  const b = new OtrSession({ key: bob });
  const wire = new Wire(a, b);
  await wire.ake();
  return { a, b, wire };
}

describe('one AKE runs in one protocol version', () => {
  it('a v2 D-H Key in a running v3 AKE is ignored: no v2 Reveal Signature, and the real AKE completes', async () => {
    const { a, b, wire } = await privatePair();
    let secured = 0;
    a.on('secured', () => secured++);
    a.receive('?OTRv3?'); // Alice starts a v3 AKE (a D-H Commit to Bob)
    await tick();
    expect(wire.toB.some((w) => w.startsWith('?OTR:AAMC'))).toBe(true);
    a.receive(v2DhKey()); // a stale or injected v2 D-H Key reaches Alice first
    await tick();
    expect(wire.toB.filter((w) => w.startsWith('?OTR:AAI'))).toEqual([]); // nothing of v2 went out
    await wire.flush();
    expect([secured, a.protocolVersion, b.protocolVersion]).toEqual([1, 3, 3]);
    a.send('after');
    await wire.flush();
    expect(wire.got.b.at(-1)).toBe('after');
  });
});

describe('an AKE step that fails its check', () => {
  /** Alice sends a D-H Commit, Bob answers; returns Alice's real Reveal Signature, held back. */
  async function upToRevealSignature() {
    const pair = await privatePair();
    const { a, b, wire } = pair;
    a.receive('?OTRv3?');
    await tick();
    for (const w of wire.toB.splice(0)) b.receive(w); // Bob: D-H Key, now awaiting the Reveal Signature
    await tick();
    for (const w of wire.toA.splice(0)) a.receive(w);
    await tick();
    const reveal = wire.toB.splice(0).find((w) => w.startsWith('?OTR:AAMR'))!;
    const body = Buffer.from(reveal.slice(5, -1), 'base64');
    body[body.length - 1]! ^= 1; // its MAC
    return { ...pair, reveal, forged: `?OTR:${body.toString('base64')}.` };
  }

  it('a forged Reveal Signature does not kill the AKE: the real one still completes it', async () => {
    const { a, b, wire, reveal, forged } = await upToRevealSignature();
    let secured = 0;
    b.on('secured', () => secured++);
    b.receive(forged);
    b.receive(reveal);
    await wire.flush();
    expect(secured).toBe(1);
    b.send('after');
    await wire.flush();
    expect(wire.got.a.at(-1)).toBe('after');
    void a;
  });

  it('after it, a query starts a new AKE at once instead of waiting out the running one (10 s)', async () => {
    const { b, wire, forged } = await upToRevealSignature();
    b.receive(forged);
    await tick();
    wire.toA.length = 0; // Bob's error reply
    b.receive('?OTRv3?');
    await tick();
    expect(wire.toA.filter((w) => w.startsWith('?OTR:AAMC'))).toHaveLength(1); // Bob's own D-H Commit
    await wire.flush();
    expect([wire.a.state, b.state]).toEqual(['encrypted', 'encrypted']);
    b.send('after');
    await wire.flush();
    expect(wire.got.a.at(-1)).toBe('after');
  });
});
