/** The timeline's logic in Node, no DOM: which notices each change produces, in order. */
import { describe, expect, it } from 'vitest';
import { ENGLISH } from '../../src/ui/copy.js';
import { Sequence, Timeline, noticeActions, noticeText, toneOf } from '../../src/ui/timeline.js';

const trust = (fingerprint: string, over: Partial<{ verified: boolean; isNew: boolean; replacesVerified: boolean }> = {}) =>
  ({ fingerprint, verified: false, isNew: true, replacesVerified: false, ...over });

function timeline() {
  let changes = 0;
  const t = new Timeline(new Sequence(), () => changes++);
  return { t, kinds: () => t.notices.map((n) => n.kind), changes: () => changes };
}

describe('Timeline', () => {
  it('private started by us or by the peer, verified or not', () => {
    const a = timeline();
    a.t.asked();
    a.t.status('encrypted', 3);
    a.t.trust(trust('A'));
    expect(a.t.notices[0]).toMatchObject({ kind: 'private-started', startedBy: 'us', verified: false });
    expect(noticeText(a.t.notices[0]!, ENGLISH, 'Bob')).toBe('You started a private conversation. Bob is not verified yet.');
    const b = timeline();
    b.t.status('encrypted', 3);
    b.t.trust(trust('A', { verified: true, isNew: false }));
    expect(b.t.notices[0]).toMatchObject({ kind: 'private-started', startedBy: 'peer', verified: true });
    expect(toneOf(b.t.notices[0]!)).toBe('good');
    expect(a.changes()).toBeGreaterThan(0);
  });

  it('our refresh with the same key says nothing; the peer\'s says so once; another key says the key changed, loudly when the old one was verified', () => {
    const { t, kinds } = timeline();
    t.status('verified', 3);
    t.trust(trust('A', { verified: true, isNew: false }));
    t.asked(); // Refresh
    t.trust(trust('A', { verified: true, isNew: false }));
    expect(kinds()).toEqual(['private-started']);
    t.trust(trust('A', { verified: true, isNew: false })); // the peer came back and asked again
    expect(kinds()).toEqual(['private-started', 'private-renewed']);
    t.status('encrypted', 3);
    t.trust(trust('M', { replacesVerified: true }));
    expect(kinds()).toEqual(['private-started', 'private-renewed', 'key-changed']); // the key change says it all
    expect(toneOf(t.notices[2]!)).toBe('danger');
    expect(noticeActions(t.notices[2]!, 'encrypted')).toEqual(['verify']);
    t.trust(trust('N'));
    expect(t.notices[3]).toMatchObject({ kind: 'key-changed', wasVerified: false });
  });

  it('the first AKE with a new key after a verified one also warns', () => {
    const { t, kinds } = timeline();
    t.status('encrypted', 3);
    t.trust(trust('NEW', { replacesVerified: true }));
    expect(kinds()).toEqual(['private-started', 'key-changed']);
  });

  it('ended by us, ended by the peer (with End and Start again), and the version in use or changed', () => {
    const { t, kinds } = timeline();
    t.status('encrypted', 2);
    t.trust(trust('A'));
    expect(kinds()).toEqual(['private-started', 'old-protocol']);
    t.status('encrypted', 3);
    expect(t.notices.at(-1)).toMatchObject({ kind: 'version-changed', version: 3 });
    t.status('finished', undefined);
    expect(t.notices.at(-1)!.kind).toBe('ended-by-peer');
    expect(noticeActions(t.notices.at(-1)!, 'finished')).toEqual(['end', 'start-again']);
    expect(noticeActions(t.notices.at(-1)!, 'plaintext')).toEqual([]);
    t.status('plaintext', undefined);
    t.status('encrypted', 3);
    t.trust(trust('A'));
    t.status('plaintext', undefined);
    expect(t.notices.at(-1)!.kind).toBe('ended-by-us');
  });

  it('SMP in each role, unreadable messages and errors: words, tones, and no raw text for sending while ended', () => {
    const { t, kinds } = timeline();
    t.smp('asked', 'Where?');
    t.smp('answered');
    t.smp('we-asked');
    t.smp('succeeded');
    t.smp('failed');
    t.smp('aborted');
    t.error('unreadable', 'MACs do not match', false);
    t.error('transport', 'socket closed', false);
    expect(kinds()).toEqual(['smp-asked-us', 'smp-answered', 'smp-we-asked', 'smp-verified', 'smp-failed', 'smp-aborted', 'unreadable', 'error']);
    expect(noticeText(t.notices[0]!, ENGLISH, 'Bob')).toBe('Bob asks you to verify: “Where?”');
    expect(noticeText(t.notices[6]!, ENGLISH, 'Bob')).not.toMatch(/MAC/);
    expect(noticeText(t.notices[7]!, ENGLISH, 'Bob')).toBe(ENGLISH.errors.transport);
    expect(t.notices[7]).toMatchObject({ detail: 'socket closed' });
    t.status('finished', undefined);
    const before = t.notices.length;
    t.error('not-private', 'Message cannot be sent at this time.', true);
    expect(t.notices.length).toBe(before);
    t.dismiss(t.notices[0]!.id);
    expect(kinds()[0]).toBe('smp-answered');
  });

  it('orders notices among messages by one shared sequence', () => {
    const sequence = new Sequence();
    const t = new Timeline(sequence, () => undefined);
    const message = sequence.take();
    t.error('transport', 'x', false);
    expect(t.notices[0]!.seq).toBeGreaterThan(message);
  });

  it('the engine restarting: reconnecting, then running again (saying when the private conversation was lost), or given up', () => {
    const a = timeline();
    a.t.status('encrypted', 3);
    a.t.engineRestarting();
    a.t.engineRestarted('plaintext', undefined);
    a.t.status('plaintext', undefined); // the status that follows adds no "you ended it": nobody did
    expect(a.kinds()).toEqual(['engine-restarting', 'engine-restarted']);
    expect(noticeText(a.t.notices[0]!, ENGLISH, 'Bob')).toBe('Reconnecting the encryption engine…');
    expect(a.t.notices[1]).toMatchObject({ privateLost: true });
    expect(noticeText(a.t.notices[1]!, ENGLISH, 'Bob')).toMatch(/private conversation with Bob ended/);
    expect(noticeActions(a.t.notices[1]!, 'plaintext')).toEqual(['start-again']);
    const b = timeline();
    b.t.status('encrypted', 3);
    b.t.engineGaveUp('stopped 3 times');
    b.t.status('plaintext', undefined);
    expect(b.kinds()).toEqual(['engine-gave-up']);
    expect(toneOf(b.t.notices[0]!)).toBe('danger');
    expect(noticeText(b.t.notices[0]!, ENGLISH, 'Bob')).toMatch(/keeps stopping/);
  });
});
