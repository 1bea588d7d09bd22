import { describe, expect, it, beforeAll } from 'vitest';
import { IdentityKey, OtrSession, type SessionState } from '../../src/protocol/index.js';

/** Wire two sessions together and record what each side sees. */
export function pair(a: OtrSession, b: OtrSession) {
  const seen = { a: [] as { text: string; encrypted: boolean }[], b: [] as { text: string; encrypted: boolean }[] };
  const states = { a: [] as SessionState[], b: [] as SessionState[] };
  const wire: string[] = [];
  a.on('wire', ({ text }) => { wire.push(text); b.receive(text); });
  b.on('wire', ({ text }) => { wire.push(text); a.receive(text); });
  a.on('message', (m) => seen.a.push(m));
  b.on('message', (m) => seen.b.push(m));
  a.on('state', ({ state }) => states.a.push(state));
  b.on('state', ({ state }) => states.b.push(state));
  return { seen, states, wire };
}

export function until(check: () => boolean, ms = 20_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - start > ms) return reject(new Error('timed out waiting'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

describe('OtrSession', () => {
  let alice: IdentityKey;
  let bob: IdentityKey;
  beforeAll(() => {
    alice = IdentityKey.generate();
    bob = IdentityKey.generate();
  });

  it('completes the AKE and exchanges encrypted messages both ways', async () => {
    const a = new OtrSession({ key: alice });
    const b = new OtrSession({ key: bob });
    const { seen } = pair(a, b);
    a.startPrivate();
    await until(() => a.state === 'encrypted' && b.state === 'encrypted');
    expect(a.theirFingerprint).toBe(bob.fingerprint);
    expect(b.theirFingerprint).toBe(alice.fingerprint);
    a.send('hello 👋');
    b.send('مرحبا 你好');
    await until(() => seen.a.length === 1 && seen.b.length === 1);
    expect(seen.b[0]).toEqual({ text: 'hello 👋', encrypted: true });
    expect(seen.a[0]).toEqual({ text: 'مرحبا 你好', encrypted: true });
    expect(a.protocolVersion).toBe(3);
  });
});

describe('OtrSession protocol versions', () => {
  it('prefers v3, and falls back to v2 only for a peer that cannot speak v3', async () => {
    const [k1, k2] = [IdentityKey.generate(), IdentityKey.generate()];
    const modern = new OtrSession({ key: k1 });
    const old = new OtrSession({ key: k2, versions: [2] });
    const { seen } = pair(modern, old);
    modern.startPrivate();
    await until(() => modern.state === 'encrypted' && old.state === 'encrypted');
    expect([modern.protocolVersion, old.protocolVersion]).toEqual([2, 2]);
    modern.send('over v2');
    await until(() => seen.b.length === 1);
    expect(seen.b[0]).toEqual({ text: 'over v2', encrypted: true });

    const a = new OtrSession({ key: k1 });
    const b = new OtrSession({ key: k2 });
    pair(a, b);
    b.startPrivate();
    await until(() => a.state === 'encrypted' && b.state === 'encrypted');
    expect([a.protocolVersion, b.protocolVersion]).toEqual([3, 3]);
  });
});
