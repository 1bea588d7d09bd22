/** The outbox's rules (src/protocol/outbox.ts), with time passed in. */
import { describe, expect, it } from 'vitest';

import { Outbox } from '../../src/protocol/outbox.js';

const at = (session: number, seq: number) => ({ session, seq });

describe('Outbox', () => {
  it('acknowledges every message of the session up to the proven sequence number, never another session', () => {
    const box = new Outbox();
    box.record('a', 'A', at(2, 1), 0);
    box.record('b', 'B', at(2, 2), 0);
    box.record('c', 'C', at(2, 3), 0);
    expect(box.acknowledge(3, 3)).toEqual([]);
    expect(box.acknowledge(2, 2)).toEqual([
      { messageId: 'a', outcome: 'acknowledged' },
      { messageId: 'b', outcome: 'acknowledged' },
    ]);
    expect(box.size).toBe(1);
  });

  it('re-sends the unacknowledged of older sessions once, after a loss, and fails a second loss', () => {
    const box = new Outbox({ lossRoundMs: 1000 });
    box.record('a', 'A', at(2, 1), 0);
    expect(box.takeForResend(3, 0)).toEqual({ resend: [], updates: [] }); // no loss: nothing
    expect(box.reportLoss(10).pending).toBe(true);
    const { resend } = box.takeForResend(3, 20);
    expect(resend).toEqual([{ messageId: 'a', text: 'A' }]);
    expect(box.record('a', '[resent] A', at(3, 1), 20)).toEqual([{ messageId: 'a', outcome: 'resent' }]);
    expect(box.reportLoss(500)).toEqual({ pending: false, updates: [] }); // an echo of the first loss
    expect(box.reportLoss(2000).updates).toEqual([{ messageId: 'a', outcome: 'failed' }]);
    expect(box.size).toBe(0);
  });

  it('fails everything when no new session comes in time, and re-sent copies left unacknowledged', () => {
    const box = new Outbox({ resecureMs: 100, resentAckMs: 50, lossRoundMs: 10 });
    box.record('a', 'A', at(2, 1), 0);
    box.reportLoss(0);
    expect(box.nextDeadline()).toBe(100);
    expect(box.expire(99)).toEqual([]);
    expect(box.expire(100)).toEqual([{ messageId: 'a', outcome: 'failed' }]);
    box.record('b', 'B', at(2, 2), 200);
    box.reportLoss(200);
    box.takeForResend(3, 210);
    box.record('b', '[resent] B', at(3, 1), 210);
    expect(box.nextDeadline()).toBe(260);
    expect(box.expire(260)).toEqual([{ messageId: 'b', outcome: 'failed' }]);
  });

  it('tracks at most maxTracked messages', () => {
    const box = new Outbox({ maxTracked: 3 });
    for (let i = 0; i < 10; i++) box.record(`m${i}`, 'x', at(2, i + 1), 0);
    expect(box.size).toBe(3);
    expect(box.acknowledge(2, 100).map((u) => u.messageId)).toEqual(['m7', 'm8', 'm9']);
  });

  it('opens no loss round when nothing awaits acknowledgement', () => {
    const box = new Outbox();
    expect(box.reportLoss(0).pending).toBe(false);
  });
});
