/**
 * Interop with libotr 4.1, issue 12 "Nothing lost": the libotr peer loses its session (its process
 * restarts: same key, no session); what we sent meanwhile reaches it re-sent, marked `[resent] `
 * the way libotr marks its own, decrypted; nothing new on the wire that libotr shows as plaintext.
 */
import { describe, expect, it } from 'vitest';

import { OtrSession } from '../../src/protocol/index.js';
import type { DeliveryUpdate } from '../../src/protocol/outbox.js';
import { useLibotrSetup } from './fixture.js';
import { LibotrPeer, link, waitFor } from './libotr-peer.js';

const setup = useLibotrSetup();

describe('resend to a libotr peer that lost its session', () => {
  it('libotr receives each lost message once, decrypted, as "[resent] …"; each ends resent, then acknowledged', async () => {
    const keys = setup.keys();
    const session = new OtrSession({ key: setup.key() });
    const delivery: DeliveryUpdate[] = [];
    session.on('delivery', (d) => delivery.push(d));
    const outcomes = (id: string) => delivery.filter((d) => d.messageId === id).map((d) => d.outcome);
    const instags = keys.nextInstagFile();
    const first = await LibotrPeer.start(keys, instags);
    let wiring = link(session, first);
    let second: LibotrPeer | undefined;
    try {
      session.startPrivate();
      await waitFor(() => session.state === 'encrypted' && first.count('secure') > 0, 'AKE', 20_000, first);
      session.send('before the restart', 'm0');
      await waitFor(() => first.received.length === 1, 'first message', 20_000, first);
      await first.send('got it');
      await waitFor(() => outcomes('m0').includes('acknowledged'), 'm0 acknowledged', 20_000, first);

      // libotr restarts: same key and instance tag, no session.
      wiring.unlink();
      await first.close();
      second = await LibotrPeer.start(keys, instags);
      expect(second.instanceTag).toBe(first.instanceTag);
      wiring = link(session, second);
      const ids = ['l0', 'l1', 'l2'];
      for (const [i, id] of ids.entries()) session.send(`lost ${i} ✓`, id);
      // libotr tells its user our messages are unreadable and sends nothing back (libotr 4.1,
      // message.c: "We don't actually want to send anything in this case"); its user asks anew.
      await waitFor(() => second!.count('event', 'rcvd-not-in-private') >= 1, 'libotr to report unreadable', 20_000, second);
      await second.query();
      await waitFor(
        () => second!.received.length >= 3,
        'libotr to receive the re-sent messages',
        30_000,
        second,
        () => wiring.diag(),
      );
      await new Promise((r) => setTimeout(r, 200)); // and nothing more
      expect(second.received).toEqual(ids.map((_, i) => ({ text: `[resent] lost ${i} ✓`, encrypted: true })));
      for (const id of ids) expect(outcomes(id)).toEqual(['resent']);
      expect(outcomes('m0')).toEqual(['acknowledged']);

      // libotr's reply proves the first; our heartbeat (which libotr logs as one, never shows)
      // announces a new key, and libotr's next message proves the rest.
      await second.send('thanks');
      await waitFor(
        () => outcomes('l0').length === 2,
        'l0 acknowledged',
        20_000,
        second,
        () => wiring.diag(),
      );
      await waitFor(() => second!.count('event', 'heartbeat-rcvd') === 1, 'libotr to receive our heartbeat', 20_000, second);
      await second.send('👍');
      await waitFor(
        () => ids.every((id) => outcomes(id).length === 2),
        'all acknowledged',
        20_000,
        second,
        () => wiring.diag(),
      );
      for (const id of ids) expect(outcomes(id)).toEqual(['resent', 'acknowledged']);
      // libotr showed its user only OTR's own notices about the unreadable messages, no text of ours in plaintext.
      expect(second.received.filter((m) => !m.encrypted)).toEqual([]);
      expect(second.received.map((m) => m.text)).toEqual(ids.map((_, i) => `[resent] lost ${i} ✓`)); // the heartbeat was not shown
      expect(second.problems.every((p) => /^event (rcvd-not-in-private|rcvd-unreadable)\b/.test(p))).toBe(true);
    } finally {
      wiring.unlink();
      await second?.close();
      await first.close();
    }
  });
});
