/**
 * Recovery from diverged keys when its rate limit was already used up (src/protocol/recovery.ts,
 * issue 19): the fuzz tier found conversations that stayed broken because junk had spent the one
 * recovery AKE allowed per interval just before the keys really diverged. A refused recovery is now
 * retried as soon as the limit allows, and the message the peer could not read arrives.
 */
import { expect, it, vi } from 'vitest';

import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { Recovery } from '../../src/protocol/recovery.js';
import { Wire } from '../helpers/spec-wire.js';

const INTERVAL = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('Recovery: starts at once when allowed, otherwise retries when the limit allows, and stops once secured', () => {
  vi.useFakeTimers();
  try {
    const starts: boolean[] = [];
    let later = 0;
    const recovery = new Recovery((allow) => (starts.push(allow()), starts.at(-1)!), Date.now, 1000, () => later++);
    expect(recovery.unreadable()).toBe(true);
    expect(recovery.unreadable()).toBe(false); // within the interval: refused, retry scheduled
    vi.advanceTimersByTime(999);
    expect(later).toBe(0);
    vi.advanceTimersByTime(1);
    expect([starts, later]).toEqual([[true, false, true], 1]);
    expect(recovery.loss()).toBe(true); // its own allowance
    expect(recovery.loss()).toBe(false);
    recovery.secured(); // an AKE completed: no retry
    vi.advanceTimersByTime(10_000);
    expect(later).toBe(1);
  } finally {
    vi.useRealTimers();
  }
});

it('keys that diverge right after junk used up the recovery allowance heal by themselves, and the unread message arrives', async () => {
  // No echo window (outbox.ts), so that the injected error below opens a loss round of its own.
  const options = { delivery: { recoveryIntervalMs: INTERVAL, lossRoundMs: 0 } };
  const a = new OtrSession({ key: IdentityKey.generate(), ...options });
  const b = new OtrSession({ key: IdentityKey.generate(), ...options });
  const wire = new Wire(a, b);
  await wire.ake();
  await wire.chat(1, 'before');

  let securedA = 0;
  a.on('secured', () => securedA++);
  // 1. Junk spends both sides' allowances. A forged data message Alice cannot read (its MAC is wrong) spends her recovery allowance
  // on an AKE, which completes.
  const real = wire.sentByB.filter((w) => w.startsWith('?OTR:AAMD')).at(-1)!;
  const body = Buffer.from(real.slice(5, -1), 'base64');
  body[body.length - 30]! ^= 1; // inside the MAC
  a.receive(`?OTR:${body.toString('base64')}.`);
  await wire.flush();
  // An injected error while a message of Bob's awaits proof spends his allowance (loss) the same way.
  b.send('awaiting proof');
  await wire.flush();
  b.receive('?OTR Error:injected');
  await wire.flush();
  expect([a.state, b.state]).toEqual(['encrypted', 'encrypted']);
  const securedBefore = securedA;

  // 2. The keys diverge: a refresh Bob completes, whose last message (Bob's Signature) Alice never gets.
  b.startPrivate();
  for (let i = 0; i < 20; i++) {
    await sleep(0);
    for (const w of wire.toB.splice(0)) b.receive(w);
    const toA = wire.toA.splice(0);
    const signature = toA.findIndex((w) => w.startsWith('?OTR:AAMS'));
    for (const w of signature >= 0 ? toA.slice(0, signature) : toA) a.receive(w);
    if (signature >= 0) break;
  }
  expect(securedA).toBe(securedBefore); // Alice never got Bob's Signature
  // 3. Bob writes under the old keys: Alice cannot read it, and may not start a recovery yet.
  b.send('lost in the divergence', 'lost');
  await sleep(0);
  for (const w of wire.toA.splice(0)) a.receive(w);
  expect(wire.got.a).not.toContain('lost in the divergence');

  // 4. Nobody writes again; the retry comes when the limit allows, and Bob re-sends.
  await sleep(INTERVAL * 1.5);
  await wire.flush();
  expect(wire.got.a).toContain('lost in the divergence');
  a.send('healed');
  await wire.flush();
  expect(wire.got.b.at(-1)).toBe('healed');
});
