/**
 * LoopbackTransport keeps its promise across a reload (Chromium, real localStorage and
 * BroadcastChannel): what is sent while the addressee's tab is gone arrives once when it is back.
 */
import { LoopbackTransport } from '../../src/ui/loopback-transport.js';
import { assertEqual } from '../helpers/assert.js';
import { until } from '../helpers/until.js';

const channel = () => `reload-${Date.now()}-${Math.random().toString(36).slice(2)}`;

describe('LoopbackTransport across the addressee’s reload', () => {
  it('messages sent while the addressee was gone arrive once, in order, when it is back', async () => {
    const name = channel();
    const alice = new LoopbackTransport('alice', { channel: name });
    const bob = new LoopbackTransport('bob', { channel: name });
    const before: string[] = [];
    bob.onMessage((m) => before.push(m.body));
    await alice.send('bob', 'live');
    await until(() => before.length === 1, 'live delivery');
    bob.close(); // the tab goes away
    for (const body of ['one', 'two', 'three']) await alice.send('bob', body);
    const again = new LoopbackTransport('bob', { channel: name }); // the tab is back
    const after: string[] = [];
    again.onMessage((m) => after.push(m.body));
    await until(() => after.length === 3, 'the three kept messages');
    await new Promise((r) => setTimeout(r, 100));
    assertEqual(after, ['one', 'two', 'three'], 'delivered once each, in order, and not the one taken before');
    again.close();
    const third = new LoopbackTransport('bob', { channel: name });
    const late: string[] = [];
    third.onMessage((m) => late.push(m.body));
    await new Promise((r) => setTimeout(r, 100));
    assertEqual(late, [], 'taken letters are gone from the mailbox');
    [alice, third].forEach((t) => t.close());
  });

  it('a pair inside one page keeps nothing in storage', async () => {
    const [a, b] = LoopbackTransport.pair('alice', 'bob');
    const keys = () => Object.keys(localStorage).filter((k) => k.startsWith('e2ee-loopback'));
    const before = keys().length;
    b.close();
    await a.send('bob', 'not kept');
    assertEqual(keys().length, before, 'no letter written');
    a.close();
  });
});
