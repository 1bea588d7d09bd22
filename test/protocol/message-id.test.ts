/**
 * Message ids (src/protocol/message-id.ts, issue 19): a re-sent copy of a message the peer has
 * already shown is not shown again, also across a restore; the TLV format itself.
 */
import { describe, expect, it } from 'vitest';

import { IdentityKey, OtrSession, isSessionSnapshot } from '../../src/protocol/index.js';
import { MESSAGE_ID_TLV, ShownIds, newMessageId, readMessageId, withMessageId } from '../../src/protocol/message-id.js';
import { Wire } from '../helpers/spec-wire.js';

const alice = IdentityKey.generate();
const bob = IdentityKey.generate();

describe('the message id TLV', () => {
  it('round-trips after the first NUL, next to other TLVs, and rejects malformed ones', () => {
    const id = newMessageId();
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(newMessageId()).not.toBe(id);
    const sent = withMessageId('hi', id);
    expect([...sent].every((c) => c.charCodeAt(0) < 0x80)).toBe(true); // survives UTF-8 encoding unchanged
    const tlvs = sent.slice(sent.indexOf('\x00') + 1);
    expect(readMessageId(tlvs)).toBe(id);
    const padding = '\x00\x00\x00\x03abc'; // TLV type 0 (padding), 3 bytes
    expect(readMessageId(padding + tlvs)).toBe(id);
    expect(readMessageId(padding)).toBeUndefined();
    expect(readMessageId(tlvs.slice(0, -1))).toBeUndefined(); // truncated
    const type = String.fromCharCode(MESSAGE_ID_TLV >> 8, MESSAGE_ID_TLV & 0xff);
    expect(readMessageId(`${type}\x00\x10${'Z'.repeat(16)}`)).toBeUndefined(); // not hex
  });

  it('remembers the newest ids only', () => {
    const ids = new ShownIds(2, ['a', 'b']);
    ids.add('c');
    expect([ids.has('a'), ids.has('b'), ids.has('c')]).toEqual([false, true, true]);
    expect(ids.list()).toEqual(['b', 'c']);
  });
});

describe('a re-sent copy of a message already shown', () => {
  async function pairWithUnacknowledged() {
    const a = new OtrSession({ key: alice });
    const b = new OtrSession({ key: bob });
    const wire = new Wire(a, b);
    await wire.ake();
    await wire.chat(1, 'warm-up');
    const deliveries: string[] = [];
    b.on('delivery', (d) => deliveries.push(`${d.messageId} ${d.outcome}`));
    const repeated: string[] = [];
    a.on('error', ({ error }) => error.code === 'repeated' && repeated.push(error.message));
    b.send('only once', 'm1');
    await wire.flush();
    expect(wire.got.a.at(-1)).toBe('only once');
    return { a, b, wire, deliveries, repeated };
  }

  it('is not shown again when an injected error makes the sender re-send it (the peer had read it)', async () => {
    const { b, wire, deliveries, repeated } = await pairWithUnacknowledged();
    b.receive('?OTR Error:injected'); // unauthenticated: anyone can send this
    await wire.flush();
    expect(deliveries).toContain('m1 resent'); // b did re-send it, in a new session
    expect(wire.got.a.filter((t) => t === 'only once')).toHaveLength(1);
    expect(repeated).toHaveLength(1);
    wire.a.send('after, from a');
    await wire.flush();
    wire.b.send('after, from b');
    await wire.flush();
    expect([wire.got.b.at(-1), wire.got.a.at(-1)]).toEqual(['after, from a', 'after, from b']); // and the conversation goes on
  });

  it('is not shown again after the receiving session was restored from a snapshot', async () => {
    const { a, b, wire, deliveries } = await pairWithUnacknowledged();
    const snapshot = a.snapshot()!;
    expect(snapshot.shownIds).toHaveLength(2); // warm-up's message from b, and m1
    const restored = new OtrSession({ key: alice, instanceTag: a.instanceTag });
    restored.restore(structuredClone(snapshot));
    const shown: string[] = [];
    restored.on('message', (m) => shown.push(m.text));
    const onward = new Wire(restored, b);
    b.receive('?OTR Error:injected');
    await onward.flush();
    expect(deliveries).toContain('m1 resent');
    expect(shown).not.toContain('only once');
    void wire;
  });

  it('snapshots with a malformed id list are refused', () => {
    expect(isSessionSnapshot({ ourFingerprint: 'x', otr: {}, shownIds: [1] })).toBe(false);
  });
});
