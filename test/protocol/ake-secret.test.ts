/**
 * The AKE's Diffie–Hellman secret is handed to the data session of the same two keys
 * (src/protocol/otr/ake-secret.ts): exactly otr.js's keys, one exponentiation fewer per side.
 */
import { describe, expect, it } from 'vitest';
import otr from 'otr';
import akeModule from 'otr/lib/ake.js';
import constModule from 'otr/lib/const.js';
import helpers from 'otr/lib/helpers.js';
import bigint from 'otr/vendor/bigint.js';
import { installOtrPatches } from '../../src/protocol/otr/install.js';
import { akeSecretReuseActive, installAkeSecretReuse, uninstallAkeSecretReuse } from '../../src/protocol/otr/ake-secret.js';
import { privatePair } from '../helpers/session-pair.js';
import { sharedSecretsDuring } from '../helpers/shared-secrets.js';
import { tick } from '../helpers/spec-wire.js';

installOtrPatches();

type Fields = Record<string, unknown>;
const akeProto = (akeModule as unknown as { prototype: { createKeys(this: Fields, g: number[]): void } }).prototype;
const otrProto = (otr.OTR as unknown as { prototype: Record<string, unknown> }).prototype;
const AKE_FIELDS = ['ssid', 'c', 'c_prime', 'm1', 'm2', 'm1_prime', 'm2_prime'];
const SESSION_FIELDS = ['id', 'sendenc', 'sendmac', 'rcvenc', 'rcvmac', 'extra_symkey'];

describe('the AKE secret reused by the first data session', () => {
  it('gives exactly otr.js\'s AKE keys and session keys; the secret is taken once, and only for its own pair', () => {
    expect(akeSecretReuseActive(akeModule)).toBe(true);
    const inst = new otr.OTR({ priv: new otr.DSA() }) as unknown as { dh(): { privateKey: number[]; publicKey: number[] } };
    const Session = otrProto.DHSession as new (dh: object, y: number[]) => Fields;
    for (let i = 0; i < 4; i++) {
      const ours = inst.dh();
      const theirs = inst.dh();
      const remembering: Fields = { our_dh: ours };
      akeProto.createKeys.call(remembering, theirs.publicKey);
      uninstallAkeSecretReuse(akeModule);
      const stock: Fields = { our_dh: ours };
      try {
        akeProto.createKeys.call(stock, theirs.publicKey);
      } finally {
        installAkeSecretReuse(akeModule, helpers, bigint, constModule);
      }
      for (const k of AKE_FIELDS) expect(remembering[k], k).toEqual(stock[k]);

      // Another peer value with the same private key: no secret to take, it is computed.
      const other = inst.dh();
      const elsewhere = new Session(ours, other.publicKey);
      expect(sharedSecretsDuring(() => elsewhere.id)).toBe(1);
      // The AKE's own pair: the remembered secret, once; the next session of that pair computes it.
      const first = new Session(ours, theirs.publicKey);
      const second = new Session(ours, theirs.publicKey);
      expect(sharedSecretsDuring(() => first.id)).toBe(0);
      expect(sharedSecretsDuring(() => second.id)).toBe(1);
      for (const k of SESSION_FIELDS) expect(first[k], k).toEqual(second[k]);
    }
  });

  it('after an AKE, the first message each way and its reading compute no shared secret; the texts arrive', async () => {
    const counts = async (): Promise<number[]> => {
      const { a, b, toA, toB, shown } = await privatePair();
      const got = [sharedSecretsDuring(() => a.send('from a')), sharedSecretsDuring(() => b.send('from b'))];
      await tick();
      got.push(sharedSecretsDuring(() => b.receive(toB.splice(0)[0]!)), sharedSecretsDuring(() => a.receive(toA.splice(0)[0]!)));
      expect(shown.sort()).toEqual(['from a', 'from b']);
      return got;
    };
    expect(await counts()).toEqual([0, 0, 0, 0]);
    // Without the reuse, each side's first send computes the AKE's secret again.
    uninstallAkeSecretReuse(akeModule);
    try {
      expect(await counts()).toEqual([1, 1, 0, 0]);
    } finally {
      installAkeSecretReuse(akeModule, helpers, bigint, constModule);
    }
  });
});
