/** `receive(…, receipt)`: a `received` event follows every event the text caused, also when it fails. */
import { expect, it } from 'vitest';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
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
