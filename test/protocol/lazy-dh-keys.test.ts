/**
 * DH key pairs made on first read (src/protocol/otr/lazy-dh-keys.ts) and the linear hex parse
 * (loader.ts `hexToRawBigInt`) must give exactly what otr.js's originals give.
 */
import { describe, expect, it } from 'vitest';
import otr from 'otr';
import bigint from 'otr/vendor/bigint.js';
import constants from 'otr/lib/const.js';
import { installOtrPatches } from '../../src/protocol/otr/install.js';
import { lazyDhKeysActive, uninstallLazyDhKeys, installLazyDhKeys } from '../../src/protocol/otr/lazy-dh-keys.js';
import { createRawOtr, generateRawDsa, hexToRawBigInt } from '../../src/protocol/otr/loader.js';

installOtrPatches();

type Limbs = number[];
interface Big {
  powMod(x: Limbs, y: Limbs, n: Limbs): Limbs;
  str2bigInt(s: string, base: number): Limbs;
  randBigInt(bits: number): Limbs;
  equals(x: Limbs, y: Limbs): number;
}
const big = bigint as unknown as Big;
const proto = (otr as unknown as { OTR: { prototype: { dh(): { privateKey: Limbs; publicKey: Limbs } } } }).OTR.prototype;

/** Count bigint.js powMod calls while `run` runs. */
function countPowMods<T>(run: () => T): { result: T; calls: number } {
  const original = big.powMod;
  let calls = 0;
  big.powMod = (...args) => (calls++, original(...args));
  try {
    return { result: run(), calls };
  } finally {
    big.powMod = original;
  }
}

describe('lazy DH key pairs', () => {
  const g = big.str2bigInt((constants as { G: string }).G, 10);
  const n = big.str2bigInt((constants as { N: string }).N, 16);

  it('is installed, and a new conversation makes no exponentiation until a key is read', () => {
    expect(lazyDhKeysActive(otr)).toBe(true);
    const priv = generateRawDsa();
    const { result: raw, calls } = countPowMods(() => createRawOtr({ priv, instanceTag: 0x1234 }) as unknown as { our_dh: { privateKey: Limbs; publicKey: Limbs } });
    expect(calls).toBe(0);
    const { result: pub, calls: reading } = countPowMods(() => raw.our_dh.publicKey);
    expect(reading).toBe(1);
    expect(big.equals(pub, big.powMod(g, raw.our_dh.privateKey, n))).toBe(1);
    expect(countPowMods(() => raw.our_dh.publicKey).calls).toBe(0); // computed once
    expect(raw.our_dh.publicKey).toBe(pub);
  });

  it('draws the private key as otr.js does: 320 bits from randBigInt, at the call', () => {
    const original = big.randBigInt;
    const asked: number[] = [];
    big.randBigInt = (bits) => (asked.push(bits), original(bits));
    try {
      const pair = proto.dh();
      expect(asked).toEqual([320]);
      uninstallLazyDhKeys(otr);
      const stock = proto.dh();
      expect(asked).toEqual([320, 320]);
      expect(Object.keys(stock).sort()).toEqual(Object.keys(pair).sort());
      expect(big.equals(stock.publicKey, big.powMod(g, stock.privateKey, n))).toBe(1);
    } finally {
      big.randBigInt = original;
      installLazyDhKeys(otr, bigint, constants);
    }
    expect(lazyDhKeysActive(otr)).toBe(true);
  });

  it('keeps a public key written to it', () => {
    const pair = proto.dh();
    const replacement = big.str2bigInt('1234', 16);
    pair.publicKey = replacement;
    expect(pair.publicKey).toBe(replacement);
  });
});

describe('hexToRawBigInt', () => {
  it('gives str2bigInt’s limbs for every length, leading zeros and edge values', () => {
    const cases = ['0', '00', '1', 'f', '3ffffff', '4000000', '00ff', 'ffffffffffffffff', (constants as { N: string }).N.toLowerCase()];
    for (let bits = 1; bits <= 1600; bits += 37) cases.push(bigint.bigInt2str(big.randBigInt(bits), 16).toLowerCase());
    for (const hex of cases) expect(hexToRawBigInt(hex)).toEqual(big.str2bigInt(hex, 16));
  });

  it('leaves text that is not lowercase hex to str2bigInt', () => {
    for (const text of ['FF', '', 'xyz']) expect(hexToRawBigInt(text)).toEqual(big.str2bigInt(text, 16));
  });
});
