/**
 * A conversation continues in a new session from a snapshot: what a reloaded tab or a restarted
 * engine relies on to keep reading the peer's messages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { E2eeError, IdentityKey, OtrSession, type SmpEvent } from '../../src/protocol/index.js';
import { SEND_COUNTER_GAP } from '../../src/protocol/otr/index.js';
import { OtrMessage } from '../helpers/spec-wire.js';
import { until } from '../helpers/until.js';

const wait = (check: () => boolean) => until(check, 'the exchange', 10_000);

/** Two sessions over a switchable wire: `bob` can be replaced by a restored session. */
function line(a: OtrSession, b: OtrSession) {
  const state = { a, b, toA: [] as string[], toB: [] as string[], seenA: [] as string[], seenB: [] as string[], smpA: [] as SmpEvent[], smpB: [] as SmpEvent[] };
  const attachB = (session: OtrSession) => {
    state.b = session;
    session.on('wire', ({ text }) => {
      state.toA.push(text);
      state.a.receive(text);
    });
    session.on('message', ({ text, encrypted }) => encrypted && state.seenB.push(text));
    session.on('smp', (e) => state.smpB.push(e));
  };
  a.on('wire', ({ text }) => {
    state.toB.push(text);
    state.b.receive(text);
  });
  a.on('message', ({ text, encrypted }) => encrypted && state.seenA.push(text));
  a.on('smp', (e) => state.smpA.push(e));
  attachB(b);
  return { state, attachB };
}

describe('session snapshots', () => {
  let alice: IdentityKey;
  let bob: IdentityKey;
  beforeAll(() => {
    alice = IdentityKey.generate();
    bob = IdentityKey.generate();
  });

  async function privatePair() {
    const a = new OtrSession({ key: alice });
    const b = new OtrSession({ key: bob });
    const wire = line(a, b);
    a.startPrivate();
    await wait(() => a.state === 'encrypted' && b.state === 'encrypted');
    // Several direction changes, so both sides have rotated their DH keys.
    for (let i = 0; i < 3; i++) {
      a.send(`a${i}`);
      await wait(() => wire.state.seenB.length === i + 1);
      wire.state.b.send(`b${i}`);
      await wait(() => wire.state.seenA.length === i + 1);
    }
    return { a, b, ...wire };
  }

  it('is undefined in plaintext, and a restored session reads and writes the running conversation', async () => {
    expect(new OtrSession({ key: bob }).snapshot()).toBeUndefined();
    const { a, b, state, attachB } = await privatePair();
    const snapshot = b.snapshot()!;
    expect(snapshot.ourFingerprint).toBe(bob.fingerprint);
    const cloned = structuredClone(snapshot); // as IndexedDB stores it
    const restored = new OtrSession({ key: bob, instanceTag: b.instanceTag });
    const states: string[] = [];
    restored.on('state', ({ state: s }) => states.push(s));
    attachB(restored); // the old session is gone (a reload)
    restored.restore(cloned);
    expect(states).toEqual(['encrypted']);
    expect(restored.theirFingerprint).toBe(alice.fingerprint);
    expect(restored.protocolVersion).toBe(3);

    a.send('after the reload');
    await wait(() => state.seenB.includes('after the reload'));
    restored.send('the restored side answers');
    await wait(() => state.seenA.includes('the restored side answers'));
    // And on, through more key rotations.
    a.send('one more');
    await wait(() => state.seenB.includes('one more'));
    expect(a.state).toBe('encrypted');
  });

  it('jumps the sending counter past anything the snapshot may trail', async () => {
    const { b, state, attachB } = await privatePair();
    const snapshot = b.snapshot()!;
    b.send('sent after the snapshot was taken'); // lost by the store (a crash before the write)
    await wait(() => state.seenA.includes('sent after the snapshot was taken'));
    const before = counterOf(state.toA.at(-1)!);
    const restored = new OtrSession({ key: bob, instanceTag: b.instanceTag });
    attachB(restored);
    restored.restore(snapshot);
    restored.send('after the restart');
    await wait(() => state.seenA.includes('after the restart'));
    const after = counterOf(state.toA.at(-1)!);
    expect(after).toBeGreaterThan(before); // never a counter reused under one key
    expect(after - before).toBeGreaterThanOrEqual(SEND_COUNTER_GAP - 1);
  });

  it('aborts a running SMP exchange visibly on both sides', async () => {
    const { a, b, state, attachB } = await privatePair();
    a.smpStart('secret', 'Where did we meet?');
    await wait(() => state.smpB.some((e) => e.type === 'question'));
    const snapshot = b.snapshot()!;
    expect(snapshot.otr.smpRunning).toBe(true);
    const restored = new OtrSession({ key: bob, instanceTag: b.instanceTag });
    attachB(restored);
    state.smpB.length = 0;
    restored.restore(snapshot);
    await wait(() => state.smpA.some((e) => e.type === 'aborted'));
    expect(state.smpB).toEqual([{ type: 'aborted' }]);
    // A new exchange works afterwards.
    restored.smpStart('secret');
    await wait(() => state.smpA.some((e) => e.type === 'question'));
    a.smpAnswer('secret');
    await wait(() => state.smpB.some((e) => e.type === 'result'));
    expect(state.smpB.at(-1)).toMatchObject({ type: 'result', success: true });
  });

  it('refuses a snapshot of another key, another instance, or junk', async () => {
    const { b } = await privatePair();
    const snapshot = b.snapshot()!;
    const expectRefused = (session: OtrSession, value: unknown, message: RegExp) => {
      try {
        session.restore(value as never);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(E2eeError);
        expect((error as E2eeError).code).toBe('invalid-input');
        expect((error as E2eeError).message).toMatch(message);
      }
      expect(session.state).toBe('plaintext');
    };
    expectRefused(new OtrSession({ key: alice, instanceTag: b.instanceTag }), snapshot, /another key/);
    expectRefused(new OtrSession({ key: bob }), snapshot, /another instance/);
    expectRefused(new OtrSession({ key: bob, instanceTag: b.instanceTag }), { ...snapshot, otr: { ...snapshot.otr, counters: 'x' } }, /Not a session snapshot/);
    expectRefused(new OtrSession({ key: bob, instanceTag: b.instanceTag }), { ...snapshot, otr: { ...snapshot.otr, theirY: 'zz' } }, /Not a session snapshot/);
    expectRefused(new OtrSession({ key: bob, instanceTag: b.instanceTag }), { ...snapshot, otr: { ...snapshot.otr, theirLongTermKey: '0000' } }, /could not be restored/);
  });
});

/** The top half of a data message's counter (spec: "Data Message", ctr). */
function counterOf(wire: string): number {
  const body = Buffer.from(wire.slice(5, -1), 'base64');
  const message = new OtrMessage(body);
  expect(message.type).toBe(0x03);
  // flags (1), sender keyid (4), recipient keyid (4), next DH (MPI), ctr (8)
  let at = 11 + 1 + 4 + 4;
  at += 4 + body.readUInt32BE(at);
  return Number(body.readBigUInt64BE(at));
}
