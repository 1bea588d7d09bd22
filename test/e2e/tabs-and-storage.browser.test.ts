/**
 * One identity in several tabs, and what stays on the device. Real workers, real IndexedDB and
 * real Web Locks: each engine (one per tab) is its own OTR instance; a reloaded tab is the same
 * instance again; `ephemeral` leaves no session key material in IndexedDB.
 */
import { createStore, entries } from 'idb-keyval';
import { LoopbackTransport, startEngine } from '../../src/ui/index.js';
import { assert, assertEqual } from '../helpers/assert.js';
import { until } from '../helpers/engine-pair.js';
import { closePage, openPage, type Page } from './reload-scenario.js';

const dump = async (name: string) => entries(createStore(`e2ee-chat:${name}`, 'keyval'));
const sessionRecords = async (name: string) => (await dump(name)).filter(([k]) => String(k).startsWith('session:'));
const seen = (page: Page) => page.messages.filter((m) => m.direction === 'in' && m.encrypted).map((m) => m.text);

describe('one identity, many tabs', () => {
  it('gives each tab its own instance tag, and a reloaded tab its own again', async () => {
    const name = `tabs-${crypto.randomUUID()}`;
    const one = startEngine({ name });
    const two = startEngine({ name });
    const [a, b] = await Promise.all([one.identity(), two.identity()]);
    assertEqual(a.fingerprint, b.fingerprint, 'one key');
    assert(a.instanceTag !== b.instanceTag, `distinct instance tags (${a.instanceTag}, ${b.instanceTag})`);
    one.terminate(); // tab 1 reloads
    const again = startEngine({ name });
    assertEqual((await again.identity()).instanceTag, a.instanceTag, 'the reloaded tab is the same instance');
    two.terminate();
    again.terminate();
  });

  it("Bob's messages appear in the tab that ran the AKE; the other tab ignores them without noise", async () => {
    const channel = `tabs-${crypto.randomUUID()}`;
    const aliceName = `tabs-alice-${crypto.randomUUID()}`;
    const transport = (self: string) => new LoopbackTransport(self, { channel, persist: false });
    const tab1 = openPage(aliceName, 'bob', transport('alice'));
    const tab2 = openPage(aliceName, 'bob', transport('alice'));
    const bob = openPage(`tabs-bob-${crypto.randomUUID()}`, 'alice', transport('bob'));
    try {
      await Promise.all([tab1.engine.identity(), tab2.engine.identity()]);
      await tab1.el.startPrivate();
      // Bob's D-H Commit answers a query, which names no instance: both tabs may answer it, and Bob
      // completes the AKE with the first answer (OTR v3 "Instance Tags"). That tab ran the AKE.
      const isPrivate = (p: Page) => p.el.state === 'encrypted';
      await until(() => bob.el.state === 'encrypted' && (isPrivate(tab1) || isPrivate(tab2)), 'Bob and one tab private', 60_000);
      await new Promise((r) => setTimeout(r, 300)); // the AKE's last message reaching the tab
      const [ran, other] = isPrivate(tab1) ? [tab1, tab2] : [tab2, tab1];
      for (let i = 0; i < 5; i++) await bob.el.send(`to the tab that ran the AKE, ${i}`);
      await until(() => seen(ran).length === 5, 'the AKE tab to read all five');
      await new Promise((r) => setTimeout(r, 500)); // anything the other tab would do about them
      assertEqual(seen(other), [], 'the other tab shows none of them');
      assertEqual(ran.errors, [], 'no error in the AKE tab');
      assertEqual(other.errors, [], 'no error (no "unreadable") in the other tab');
      assertEqual(bob.errors, [], 'no error at Bob (the other tab sent no error replies)');
      assert(!isPrivate(other) && other.el.state !== 'verified', 'the other tab does not claim a private conversation');
    } finally {
      for (const page of [tab1, tab2, bob]) await closePage(page);
    }
  });
});

describe('what stays in IndexedDB', () => {
  async function privatePair(attrs: { ephemeral: boolean }) {
    const channel = `store-${crypto.randomUUID()}`;
    const aliceName = `store-alice-${crypto.randomUUID()}`;
    const alice = openPage(aliceName, 'bob', new LoopbackTransport('alice', { channel, persist: false }));
    alice.el.ephemeral = attrs.ephemeral;
    const bob = openPage(`store-bob-${crypto.randomUUID()}`, 'alice', new LoopbackTransport('bob', { channel, persist: false }));
    await alice.el.startPrivate();
    await until(() => alice.el.state === 'encrypted' && bob.el.state === 'encrypted', 'private', 60_000);
    await bob.el.send('one');
    await alice.el.send('two');
    await until(() => seen(alice).length === 1 && seen(bob).length === 1, 'both ways');
    await new Promise((r) => setTimeout(r, 800)); // past the delayed write of a read
    return { alice, bob, aliceName };
  }

  it('keeps the conversation (its current keys) by default, and deletes it when it ends', async () => {
    const { alice, bob, aliceName } = await privatePair({ ephemeral: false });
    const records = await sessionRecords(aliceName);
    assertEqual(records.length, 1, 'one stored conversation');
    assert(JSON.stringify(records[0]![1]).includes('privateKey'), 'with its DH keys');
    await alice.el.endPrivate();
    await until(() => alice.el.state === 'plaintext', 'ended');
    await new Promise((r) => setTimeout(r, 300));
    assertEqual(await sessionRecords(aliceName), [], 'deleted once ended');
    await closePage(alice);
    await closePage(bob);
  });

  it('with ephemeral, no session key material is in IndexedDB at all', async () => {
    const { alice, bob, aliceName } = await privatePair({ ephemeral: true });
    const everything = await dump(aliceName);
    assertEqual(await sessionRecords(aliceName), [], 'no stored conversation');
    const text = JSON.stringify(everything);
    assert(!/privateKey|theirY|ssid|counters/.test(text), `no DH keys, counters or session id: ${text.slice(0, 200)}`);
    assert(everything.some(([k]) => k === 'identity'), 'the identity key is still kept (that is what ephemeral does not cover)');
    await closePage(alice);
    await closePage(bob);
  });
});
