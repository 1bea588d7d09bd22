/**
 * Data messages per the spec: the MAC is checked before any state changes,
 * error replies are rate-limited and never queue ahead of real traffic, and
 * messages without text for the user (end, SMP) carry IGNORE_UNREADABLE.
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { ErrorReplyLimiter } from '../../src/protocol/error-limiter.js';
import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { DATA_MSG, OtrMessage, Wire, tick } from '../helpers/spec-wire.js';

let alice: IdentityKey;
let bob: IdentityKey;
beforeAll(() => {
  alice = IdentityKey.generate();
  bob = IdentityKey.generate();
});

/** Offsets of a v3 data message's flag byte and MAC (spec, "Data Message"). */
function layout(body: Buffer): { flag: number; mac: number } {
  let at = 11; // version, type, sender and receiver instance tags
  const flag = at++;
  at += 8; // sender keyid, recipient keyid
  at += 4 + body.readUInt32BE(at); // next DH key (MPI)
  at += 8; // top half of the counter
  at += 4 + body.readUInt32BE(at); // encrypted message (DATA)
  return { flag, mac: at };
}

/** `wire` with its body changed by `edit`. */
function forge(wire: string, edit: (body: Buffer, at: { flag: number; mac: number }) => void): string {
  const body = Buffer.from(wire.slice(5, -1), 'base64');
  edit(body, layout(body));
  return `?OTR:${body.toString('base64')}.`;
}

async function established(): Promise<Wire> {
  const wire = new Wire(new OtrSession({ key: alice }), new OtrSession({ key: bob }));
  await wire.ake();
  await wire.chat(1, 'warm-up');
  return wire;
}

/** The next data message a sends, taken off the wire (not delivered). */
async function nextFromA(wire: Wire, text: string): Promise<string> {
  wire.a.send(text);
  await tick();
  const [message] = wire.toB.splice(0);
  expect(OtrMessage.parse(message!)?.type).toBe(DATA_MSG);
  return message!;
}

describe('MAC first, then state (defect: the counter was stored before the MAC check)', () => {
  for (const [name, flagged] of [
    ['a forged message', false],
    ['a forged message flagged IGNORE_UNREADABLE', true],
  ] as const) {
    it(`${name} changes nothing: the real one with the same counter still arrives`, async () => {
      const wire = await established();
      const real = await nextFromA(wire, 'the real one');
      const forged = forge(real, (body, at) => {
        body[at.mac - 1]! ^= 0x01; // one bit of the ciphertext
        if (flagged) body[at.flag] = 0x01;
      });
      const errors: string[] = [];
      wire.b.on('error', ({ error }) => errors.push(error.code));
      wire.b.receive(forged);
      expect(wire.got.b.at(-1)).not.toBe('the real one');
      expect(errors).toEqual(flagged ? [] : ['unreadable']);
      wire.b.receive(real);
      expect(wire.got.b.at(-1)).toBe('the real one');
      await tick();
      // b's answers to the forgery: an error reply and, as keys might have diverged, a new AKE; no data.
      expect(wire.toA.map((w) => OtrMessage.parse(w)?.type).filter((t) => t === DATA_MSG)).toEqual([]);
      await wire.flush();
      wire.errors.length = 0;
      await wire.chat(2, 'after the forgery');
    });
  }
});

describe('error replies', () => {
  it('ErrorReplyLimiter: a burst, then one per interval', () => {
    let now = 0;
    const limiter = new ErrorReplyLimiter(3, 1000, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take())).toEqual([true, true, true, false]);
    now = 999;
    expect(limiter.take()).toBe(false);
    now = 1000;
    expect([limiter.take(), limiter.take()]).toEqual([true, false]);
    now = 100_000;
    expect([1, 2, 3, 4].map(() => limiter.take())).toEqual([true, true, true, false]);
  });

  it('1,000 unreadable messages get at most 3 error replies, and a real reply is not queued behind them', async () => {
    const wire = await established();
    const real = await nextFromA(wire, 'x');
    wire.b.receive(real);
    const forgeries = Array.from({ length: 1000 }, (_, i) =>
      forge(real, (body, at) => {
        body.writeUInt16BE(i, at.mac); // a different wrong MAC each
      }),
    );
    for (const f of forgeries) wire.b.receive(f);
    wire.b.send('real reply');
    await tick();
    const out = wire.toA.splice(0);
    expect(out.filter((w) => w.startsWith('?OTR Error:')).length).toBeLessThanOrEqual(3);
    // The real reply went out in the same tick as everything before it.
    for (const w of out) wire.a.receive(w);
    expect(wire.got.a.at(-1)).toBe('real reply');
  });
});

describe('IGNORE_UNREADABLE (defect: our end-of-conversation message lacked the flag)', () => {
  it('is set on the end message and on SMP messages, not on ordinary messages', async () => {
    const wire = await established();
    const flagOf = (w: string) => {
      const body = Buffer.from(w.slice(5, -1), 'base64');
      return body[layout(body).flag];
    };
    const ordinary = await nextFromA(wire, 'hello');
    expect(flagOf(ordinary)).toBe(0);
    wire.b.receive(ordinary);
    wire.a.smpStart('secret');
    await tick();
    const smp = wire.toB.splice(0);
    expect(smp.map(flagOf)).toEqual([1]);
    await wire.a.endPrivate();
    const end = wire.toB.splice(0);
    expect(end.map(flagOf)).toEqual([1]);
    // The peer still reads it: b sees the end.
    for (const w of [...smp, ...end]) wire.b.receive(w);
    expect(wire.b.state).toBe('finished');
  });
});
