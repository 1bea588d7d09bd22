/**
 * ChatController in Node, no DOM: a plain reactive-controller host, real in-process engines and an
 * in-memory wire. It holds sends until attached, keeps the policy at Send, and fills the timeline.
 */
import { describe, expect, it } from 'vitest';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import { ChatController, type ControllerSignal } from '../../src/ui/chat-controller.js';
import type { Transport, TransportHandler } from '../../src/ui/transport.js';
import { until } from '../helpers/until.js';

class PlainHost implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  updates = 0;
  addController(c: ReactiveController): void { this.controllers.push(c); }
  removeController(): void {}
  requestUpdate(): void { this.updates++; }
  get updateComplete(): Promise<boolean> { return Promise.resolve(true); }
}

/** Two transports joined in memory; every body is recorded. */
function wire(): [Transport, Transport, string[]] {
  const bodies: string[] = [];
  const handlers: Record<string, Set<TransportHandler>> = { alice: new Set(), bob: new Set() };
  const end = (self: 'alice' | 'bob'): Transport => ({
    self, state: 'connected', maxMessageSize: 0,
    async send(peer, body) { bodies.push(body); queueMicrotask(() => handlers[peer]?.forEach((h) => h({ from: self, body, at: new Date() }))); },
    onMessage(h) { handlers[self]!.add(h); return () => handlers[self]!.delete(h); },
    onStateChange() { return () => undefined; },
  });
  return [end('alice'), end('bob'), bodies];
}

function chat() {
  const host = new PlainHost();
  const signals: ControllerSignal[] = [];
  const controller = new ChatController(host, (s) => signals.push(s));
  return { host, controller, signals };
}

describe('ChatController (Node)', () => {
  it('registers with its host, asks it to update, and detaches when the host leaves', async () => {
    const { host, controller } = chat();
    expect(host.controllers).toContain(controller);
    const [ta] = wire();
    await controller.attach(new Engine({ store: new MemoryStore() }), ta, 'bob', { requireEncryption: false, autoPrivate: false });
    expect(host.updates).toBeGreaterThan(0);
    controller.hostDisconnected();
    let settled = false;
    void controller.ready.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false); // detached: calls wait for the next attach
  });

  it('a send made before attach waits, and goes out under the policy at Send: never plaintext', async () => {
    const [ta, tb, bodies] = wire();
    const alice = chat();
    const bob = chat();
    const sending = alice.controller.send('typed under require-encryption', { requireEncryption: true });
    await bob.controller.attach(new Engine({ store: new MemoryStore() }), tb, 'alice', { requireEncryption: false, autoPrivate: false });
    await alice.controller.attach(new Engine({ store: new MemoryStore() }), ta, 'bob', { requireEncryption: false, autoPrivate: false });
    await sending;
    await until(() => bob.controller.records.some((r) => r.text === 'typed under require-encryption'), 'delivered');
    expect(bob.controller.records.find((r) => r.direction === 'in')).toMatchObject({ encrypted: true });
    expect(bodies.filter((b) => b.includes('typed under'))).toEqual([]);
    expect(alice.controller.records[0]).toMatchObject({ requireEncryption: true, status: 'sent', encrypted: true });
  });

  it('fills the timeline: private started by us / by the peer, and ended', async () => {
    const [ta, tb] = wire();
    const alice = chat();
    const bob = chat();
    await alice.controller.attach(new Engine({ store: new MemoryStore() }), ta, 'bob', { requireEncryption: false, autoPrivate: false });
    await bob.controller.attach(new Engine({ store: new MemoryStore() }), tb, 'alice', { requireEncryption: false, autoPrivate: false });
    await alice.controller.startPrivate();
    await until(() => alice.controller.timeline.notices.length > 0 && bob.controller.timeline.notices.length > 0, 'notices');
    expect(alice.controller.timeline.notices[0]).toMatchObject({ kind: 'private-started', startedBy: 'us' });
    expect(bob.controller.timeline.notices[0]).toMatchObject({ kind: 'private-started', startedBy: 'peer' });
    expect(alice.signals.some((s) => s.kind === 'status' && s.state === 'encrypted')).toBe(true);
    await alice.controller.endPrivate();
    await until(() => bob.controller.timeline.notices.some((n) => n.kind === 'ended-by-peer'), 'ended by peer');
    expect(alice.controller.timeline.notices.at(-1)!.kind).toBe('ended-by-us');
  });

  it('a peer that comes back as a new instance and asks again: one notice, and a fresh private conversation that works', async () => {
    const [ta, tb] = wire();
    const alice = chat();
    const bob = chat();
    const bobKey = await (async () => {
      const engine = new Engine({ store: new MemoryStore() });
      await engine.identity();
      return engine.exportPrivateKey('base64');
    })();
    const bobEngine = async () => {
      const engine = new Engine({ store: new MemoryStore() }); // a new install: same key, new instance tag
      await engine.importPrivateKey(bobKey, 'base64');
      return engine;
    };
    await alice.controller.attach(new Engine({ store: new MemoryStore() }), ta, 'bob', { requireEncryption: false, autoPrivate: false });
    const firstBob = await bobEngine();
    await bob.controller.attach(firstBob, tb, 'alice', { requireEncryption: false, autoPrivate: false });
    await alice.controller.startPrivate();
    await until(() => alice.controller.state === 'encrypted' && bob.controller.state === 'encrypted', 'private');
    const oldTag = (await firstBob.identity()).instanceTag;
    bob.controller.hostDisconnected(); // Bob's app restarts
    const bob2 = chat();
    const secondBob = await bobEngine();
    expect((await secondBob.identity()).instanceTag).not.toBe(oldTag);
    await bob2.controller.attach(secondBob, tb, 'alice', { requireEncryption: false, autoPrivate: false });
    const before = alice.controller.timeline.notices.length;
    await bob2.controller.startPrivate();
    await until(() => bob2.controller.state === 'encrypted', 'Bob private again');
    await until(() => alice.controller.timeline.notices.length > before, "Alice's notice");
    await new Promise((r) => setTimeout(r, 50));
    const added = alice.controller.timeline.notices.slice(before);
    expect(added.map((n) => n.kind)).toEqual(['private-renewed']); // one notice, in words
    expect(alice.controller.state).toBe('encrypted');
    await alice.controller.send('after your restart');
    await until(() => bob2.controller.records.some((r) => r.text === 'after your restart' && r.encrypted === true), 'read by the new instance');
    await bob2.controller.send('got it');
    await until(() => alice.controller.records.some((r) => r.text === 'got it' && r.encrypted === true), 'read by Alice');
  });
});
