/**
 * The key session the next message of a turn-taking conversation needs is derived while the
 * conversation waits (native-sessions.ts, `warmNextSession`), so neither the reply's encryption nor
 * its decryption pays for a Diffie-Hellman exponentiation on its way.
 */
import { describe, expect, it } from 'vitest';
import { privatePair } from '../helpers/session-pair.js';
import { sharedSecretsDuring } from '../helpers/shared-secrets.js';
import { tick } from '../helpers/spec-wire.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('key sessions derived ahead of use', () => {
  it('turn after turn, sending and reading a message compute no shared secret on the way; the texts arrive intact', async () => {
    const { a, b, toA, toB, shown } = await privatePair();
    const onTheWay: number[] = [];
    for (let turn = 0; turn < 12; turn++) {
      const [from, to, inbox] = turn % 2 ? [b, a, toA] : [a, b, toB];
      await wait(5); // the conversation waits for the person: time to warm up
      onTheWay.push(sharedSecretsDuring(() => from.send(`turn ${turn}`)));
      await tick();
      await wait(5);
      onTheWay.push(sharedSecretsDuring(() => to.receive(inbox.splice(0)[0]!)));
    }
    expect(shown).toEqual(Array.from({ length: 12 }, (_, i) => `turn ${i}`));
    // After the first two turns (the sessions of the AKE's keys), nothing on the way.
    expect(onTheWay.slice(4)).toEqual(new Array(onTheWay.length - 4).fill(0));
  });
});
