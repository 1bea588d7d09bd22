import { describe, expect, it } from 'vitest';
import { LoopbackTransport } from '../../src/ui/loopback-transport.js';
import type { TransportMessage } from '../../src/ui/transport.js';

const next = (t: LoopbackTransport) => new Promise<TransportMessage>((resolve) => { const off = t.onMessage((m) => { off(); resolve(m); }); });

describe('LoopbackTransport', () => {
  it('delivers between a pair, only to the addressee', async () => {
    const [a, b] = LoopbackTransport.pair('alice', 'bob');
    const c = new LoopbackTransport('carol');
    const seenByCarol: string[] = [];
    c.onMessage((m) => seenByCarol.push(m.body));
    const got = next(b);
    await a.send('bob', 'hi');
    const m = await got;
    expect([m.from, m.body]).toEqual(['alice', 'hi']);
    expect(m.at).toBeInstanceOf(Date);
    expect(seenByCarol).toEqual([]);
    [a, b, c].forEach((t) => t.close());
  });

  it('rejects sends while disconnected with a transport error, and keeps incoming mail until reconnect', async () => {
    const [a, b] = LoopbackTransport.pair('alice', 'bob');
    const states: string[] = [];
    a.onStateChange((s) => states.push(s));
    a.disconnect();
    await expect(a.send('bob', 'x')).rejects.toMatchObject({ code: 'transport' });
    const got: string[] = [];
    a.onMessage((m) => got.push(m.body));
    await b.send('alice', 'while you were away');
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([]);
    a.connect();
    expect(got).toEqual(['while you were away']);
    expect(states).toEqual(['disconnected', 'connected']);
    [a, b].forEach((t) => t.close());
  });

  it('enforces its maximum message size', async () => {
    const [a, b] = LoopbackTransport.pair('alice', 'bob', { maxMessageSize: 10 });
    await expect(a.send('bob', 'x'.repeat(11))).rejects.toMatchObject({ code: 'transport' });
    [a, b].forEach((t) => t.close());
  });
});

describe('LoopbackTransport: nothing lost before a listener subscribes', () => {
  it('keeps messages that arrive before the first onMessage, and delivers them in order', async () => {
    const [a, b] = LoopbackTransport.pair('alice', 'bob');
    await a.send('bob', 'one');
    await a.send('bob', 'two');
    await new Promise((r) => setTimeout(r, 50));
    const got: string[] = [];
    b.onMessage((m) => got.push(m.body));
    expect(got).toEqual(['one', 'two']);
    [a, b].forEach((t) => t.close());
  });
});
