/** The engine client's outbox in Node: what is re-sent after a crash, and never in plaintext when it was private. */
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/ui/engine-outbox.js';

describe('Outbox', () => {
  it('keeps a message until its wire text is seen, oldest first', () => {
    const o = new Outbox();
    o.track('bob', 'one', 'm1', undefined);
    o.track('bob', 'two', 'm2', undefined);
    o.observe({ type: 'wire', peer: 'bob', text: '?OTR:…', messageId: 'm1', encrypted: true });
    expect(o.entries().map((e) => e.messageId)).toEqual(['m2']);
  });

  it('at a crash, a message to a peer that was private, or one that was held, must not be re-sent in plaintext', () => {
    const o = new Outbox();
    o.observe({ type: 'status', peer: 'bob', state: 'encrypted' });
    const toBob = o.track('bob', 'private', 'b1', undefined).entry;
    const toCarol = o.track('carol', 'plain', 'c1', undefined).entry;
    const held = o.track('dave', 'held', 'd1', undefined).entry;
    o.observe({ type: 'held', peer: 'dave', messageId: 'd1' });
    expect(o.options(toBob)).toEqual({}); // before the crash the engine decides, as always
    o.crashed();
    expect(o.options(toBob)).toEqual({ requireEncryption: true });
    expect(o.options(held)).toEqual({ requireEncryption: true });
    expect(o.options(toCarol)).toEqual({}); // plaintext before, plaintext after: the person saw "Not encrypted"
    // Typed while restarting: still private as far as the person could see.
    expect(o.options(o.track('bob', 'typed meanwhile', 'b2', undefined).entry)).toEqual({ requireEncryption: true });
    // The new worker says what is true now (and the page shows it): later messages follow it.
    o.conversation({ peer: 'bob', state: 'plaintext' });
    expect(o.options(o.track('bob', 'after', 'b3', undefined).entry)).toEqual({});
    expect(o.options(toBob)).toEqual({ requireEncryption: true }); // sticky for what was pending at the crash
  });

  it('a peer configured with require-encryption counts as private at a crash; settings merge like the engine', () => {
    const o = new Outbox();
    o.configured('bob', { requireEncryption: true });
    o.configured('bob', { fragmentSize: 100 });
    expect(o.configurations()).toEqual([['bob', { requireEncryption: true, fragmentSize: 100 }]]);
    const entry = o.track('bob', 'x', 'm', undefined).entry;
    o.crashed();
    expect(o.options(entry)).toEqual({ requireEncryption: true });
  });

  it('clear() rejects the calls not yet settled', async () => {
    const o = new Outbox();
    const { result } = o.track('bob', 'x', 'm', undefined);
    o.clear(new Error('stopped'));
    await expect(result).rejects.toThrow('stopped');
    expect(o.size).toBe(0);
  });
});
