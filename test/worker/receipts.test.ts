/** `receive(…, receipt)`: a `received` event follows every event the text caused, also when it fails. */
import { expect, it } from 'vitest';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import { serveEvents } from '../../src/worker/event-port.js';
import { handOverPair, until } from '../helpers/engine-pair.js';

async function privatePair() {
  const alice = new Engine({ store: new MemoryStore() });
  const bob = new Engine({ store: new MemoryStore() });
  return { alice, bob, ...(await handOverPair(alice, bob)) };
}

it('follows the events the text caused, and comes also for text that could not be read', async () => {
  const { alice, bob, fromBob, events } = await privatePair();
  await bob.send('alice', 'hello');
  await until(() => fromBob.length > 0, 'wire text');
  const mark = events.length;
  await alice.receive('bob', fromBob[0]!, undefined, 'r-1');
  expect(events.slice(mark).map((e) => e.type)).toEqual(['message', 'received']);
  expect(events.at(-1)).toEqual({ type: 'received', peer: 'bob', receipt: 'r-1' });
  await expect(alice.receive('bob', 42 as never, undefined, 'r-2')).rejects.toMatchObject({ code: 'invalid-input' });
  expect(events.at(-1)).toEqual({ type: 'received', peer: 'bob', receipt: 'r-2' });
  await expect(alice.receive('bob', 'x', undefined, 7 as never)).rejects.toMatchObject({ code: 'invalid-input' });
});

it('comes in the same batch on the events port as the message it follows (a page that saw one sees both)', async () => {
  const { alice, bob, fromBob } = await privatePair();
  const { port1, port2 } = new MessageChannel();
  const batches: string[][] = [];
  port2.onmessage = (m: MessageEvent<{ type: string }[]>) => batches.push(m.data.map((e) => e.type));
  await serveEvents((listener) => alice.subscribe(listener), port1);
  await bob.send('alice', 'one batch');
  await until(() => fromBob.length > 0, 'wire text');
  await alice.receive('bob', fromBob[0]!, undefined, 'r-batch');
  await until(() => batches.flat().includes('received'), 'the receipt on the port');
  // An await between the read and its receipt split them, and a reload in between showed it twice.
  expect(batches).toEqual([['message', 'received']]);
  port1.close();
  port2.close();
});
