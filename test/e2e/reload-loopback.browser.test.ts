/**
 * Nothing lost across a reload, over the loopback transport (which keeps letters for an endpoint
 * across its reload): Bob sends 30 messages while Alice's page reloads once in the middle, ten
 * times. Alice's reloaded page goes on with the stored conversation: no "unreadable", nothing lost.
 */
import { LoopbackTransport } from '../../src/ui/index.js';
import { assertEqual } from '../helpers/assert.js';
import { until } from '../helpers/engine-pair.js';
import { closePage, openPage, reloadTrial, type Page } from './reload-scenario.js';

const TRIALS = 10;

describe('a reload in the middle of a conversation, over the loopback', () => {
  const channel = `reload-${crypto.randomUUID()}`;
  const aliceName = `reload-alice-${crypto.randomUUID()}`;
  const bobName = `reload-bob-${crypto.randomUUID()}`;
  const transport = (self: string) => new LoopbackTransport(self, { channel, persist: true });
  let alice: Page;
  let bob: Page;

  before(async () => {
    alice = openPage(aliceName, 'bob', transport('alice'));
    bob = openPage(bobName, 'alice', transport('bob'));
    await alice.el.startPrivate();
    await until(() => alice.el.state === 'encrypted' && bob.el.state === 'encrypted', 'the private conversation', 60_000);
  });
  after(async () => {
    await closePage(alice);
    await closePage(bob);
  });

  for (let trial = 0; trial < TRIALS; trial++) {
    it(`delivers all 30 of Bob's messages (trial ${trial + 1} of ${TRIALS})`, async () => {
      const before = alice;
      const reopened = await reloadTrial(trial, alice, bob, () => openPage(aliceName, 'bob', transport('alice')));
      alice = reopened.alice;
      if (reopened.result.lost.length || reopened.result.delivered.length !== 30) console.log(JSON.stringify({ before: before.log, after: alice.log }));
      assertEqual(reopened.result.lost, [], 'no message lost');
      assertEqual(reopened.result.delivered.length, 30, 'each shown once');
      assertEqual(reopened.result.sentButUnread, [], 'Bob shows nothing as sent that Alice never read');
      assertEqual(reopened.result.errors, [], 'no error on either side');
      await until(() => alice.el.state === 'encrypted', "Alice's reloaded page private again");
    });
  }
});
