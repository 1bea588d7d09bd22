/** `receive(…, receipt)`: a `received` event follows every event the text caused, also when it fails. */
import { expect, it } from 'vitest';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import { serveEvents } from '../../src/worker/event-port.js';
import { linkEngines, until } from '../helpers/engine-pair.js';

it('follows the events the text caused, and comes also for text that could not be read', async () => {
  const { a, b } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: new MemoryStore() }));
  await a.engine.startPrivate('bob');
  await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'private');
  const wire: string[] = [];
  await b.engine.subscribe((e) => void (e.type === 'wire' && wire.push(e.text)));
  await b.engine.send('alice', 'hello');
  await until(() => wire.length > 0, 'wire text');
  const mark = a.events.length;
  await a.engine.receive('bob', wire[0]!, undefined, 'r-1');
  const after = a.events.slice(mark).map((e) => e.type);
  expect(after.indexOf('received')).toBeGreaterThan(after.indexOf('message'));
  expect(a.events.at(-1)).toEqual({ type: 'received', peer: 'bob', receipt: 'r-1' });
  await expect(a.engine.receive('bob', 42 as never, undefined, 'r-2')).rejects.toMatchObject({ code: 'invalid-input' });
  expect(a.events.at(-1)).toEqual({ type: 'received', peer: 'bob', receipt: 'r-2' });
  await expect(a.engine.receive('bob', 'x', undefined, 7 as never)).rejects.toMatchObject({ code: 'invalid-input' });
});

it('comes in the same batch on the events port as the message it follows (a page that saw one sees both)', async () => {
  const alice = new Engine({ store: new MemoryStore() });
  const bob = new Engine({ store: new MemoryStore() });
  const fromBob: string[] = [];
  await alice.subscribe((e) => void (e.type === 'wire' && bob.receive('alice', e.text)));
  await bob.subscribe((e) => void (e.type === 'wire' && fromBob.push(e.text)));
  const { port1, port2 } = new MessageChannel();
  const batches: string[][] = [];
  port2.onmessage = (m: MessageEvent<{ type: string; state?: string }[]>) => batches.push(m.data.map((e) => e.state ?? e.type));
  await serveEvents((listener) => alice.subscribe(listener), port1);
  await alice.startPrivate('bob');
  for (let i = 0; i < 100 && !batches.flat().includes('encrypted'); i++) {
    for (const text of fromBob.splice(0)) await alice.receive('bob', text);
    await new Promise((r) => setTimeout(r, 10));
  }
  await bob.send('alice', 'one batch');
  await until(() => fromBob.length > 0, 'wire text');
  batches.length = 0;
  await alice.receive('bob', fromBob[0]!, undefined, 'r-batch');
  await until(() => batches.flat().includes('received'), 'the receipt on the port');
  // An await between the read and its receipt split them, and a reload in between showed it twice.
  expect(batches).toEqual([['message', 'received']]);
  port1.close();
  port2.close();
});
