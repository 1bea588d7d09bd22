/**
 * Test helper: two `OtrSession`s whose wire text waits in a mailbox per side until {@link
 * SessionPair.pump} delivers it, Bob's mail first in each round (a zero-latency wire that tests can
 * also hold back, by delivering from the mailboxes themselves).
 */
import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { tick } from './spec-wire.js';

export interface SessionPair {
  a: OtrSession;
  b: OtrSession;
  /** Wire text waiting for Alice, and for Bob. */
  toA: string[];
  toB: string[];
  /** Deliver everything, `rounds` times after a tick; `between` runs after Bob's mail each round. */
  pump(rounds?: number, between?: () => void): Promise<void>;
}

export function sessionPair(): SessionPair {
  const a = new OtrSession({ key: IdentityKey.generate() });
  const b = new OtrSession({ key: IdentityKey.generate() });
  const toA: string[] = [];
  const toB: string[] = [];
  a.on('wire', ({ text }) => toB.push(text));
  b.on('wire', ({ text }) => toA.push(text));
  return {
    a,
    b,
    toA,
    toB,
    async pump(rounds = 20, between) {
      for (let i = 0; i < rounds; i++) {
        await tick();
        for (const w of toB.splice(0)) b.receive(w);
        between?.();
        for (const w of toA.splice(0)) a.receive(w);
      }
    },
  };
}

/** A {@link sessionPair} after Alice's AKE, both sides private, with the texts each side has shown. */
export async function privatePair(): Promise<SessionPair & { shown: string[] }> {
  const pair = sessionPair();
  const shown: string[] = [];
  pair.a.on('message', ({ text }) => shown.push(text));
  pair.b.on('message', ({ text }) => shown.push(text));
  pair.a.startPrivate();
  await pair.pump();
  if (pair.a.state !== 'encrypted' || pair.b.state !== 'encrypted') throw new Error(`AKE did not finish: ${pair.a.state}, ${pair.b.state}`);
  return { ...pair, shown };
}
