/**
 * Exponentiations of a base that is raised again on a table kept for its limb array
 * (native-bigint.ts, `powModKeepingTable`): exactly bigint.js's `powMod`, one table per base while
 * it is among the last raised (a bounded number), and the lazy data sessions (native-sessions.ts)
 * build one per peer key, not per session.
 */
import { describe, expect, it } from 'vitest';
import bigint from 'otr/vendor/bigint.js';
import otr from 'otr';
import { KEPT_TABLES, bigIntOriginals, keptTables, powModKeepingTable } from '../../src/protocol/otr/native-bigint.js';
import { installOtrPatches } from '../../src/protocol/otr/install.js';
import { installLazyDhSessions, uninstallLazyDhSessions } from '../../src/protocol/otr/native-sessions.js';
import constModule from 'otr/lib/const.js';
import helpers from 'otr/lib/helpers.js';

installOtrPatches();

type Limbs = number[];
const BI = bigint as unknown as { str2bigInt(s: string, base: number, minSize?: number): Limbs; powMod(x: Limbs, y: Limbs, n: Limbs): Limbs; bigInt2str(x: Limbs, base: number): string };
const stockPowMod = bigIntOriginals(bigint)!.powMod;
const N1536 = BI.str2bigInt(
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF',
  16,
  1,
);
const N1024 = BI.str2bigInt('f'.repeat(255) + 'd', 16, 1); // odd; any odd modulus will do
let seed = 0x9e3779b9;
const hex = (digits: number): string => {
  let s = '';
  for (let i = 0; i < digits; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    s += (seed >>> 16).toString(16).slice(-1);
  }
  return s.replace(/^0+/, '') || '1';
};
const rand = (digits: number): Limbs => BI.str2bigInt(hex(digits), 16, 1);

describe('powModKeepingTable', () => {
  it('returns exactly bigint.js\'s powMod for a base raised again and again, with one table for it', () => {
    for (let b = 0; b < 4; b++) {
      const base = BI.str2bigInt(BI.bigInt2str(BI.powMod(rand(380), [1, 0], N1536), 16), 16, 1); // < N, with a leading zero limb
      const before = keptTables().made;
      for (const digits of [80, 80, 1, 40, 80, 100, 384]) {
        const exp = rand(digits);
        expect(powModKeepingTable(bigint, base, exp, N1536)).toEqual(stockPowMod(base, exp, N1536));
      }
      expect(keptTables().made - before).toBe(1);
    }
  });

  it('makes a new table when the array changed in place or the modulus is another; refuses what powMod must do itself', () => {
    const base = rand(300);
    const exp = rand(80);
    powModKeepingTable(bigint, base, exp, N1536);
    const before = keptTables().made;
    base[0] = (base[0]! + 1) % 2 ** 26; // changed in place
    expect(powModKeepingTable(bigint, base, exp, N1536)).toEqual(stockPowMod(base, exp, N1536));
    expect(powModKeepingTable(bigint, base, exp, N1024)).toEqual(stockPowMod(base, exp, N1024));
    expect(keptTables().made - before).toBe(2);
    expect(powModKeepingTable(bigint, base, [0, 0], N1536)).toBeUndefined(); // x^0: bigint.js's own answer
    expect(powModKeepingTable(bigint, base, exp, [4, 0])).toBeUndefined(); // even modulus
    expect(powModKeepingTable(bigint, [5], exp, N1536)).toBeUndefined(); // no leading zero limb
  });

  it(`holds at most ${KEPT_TABLES} tables, dropping the least recently raised base`, () => {
    const bases = Array.from({ length: KEPT_TABLES + 10 }, () => rand(300));
    const exp = rand(8);
    for (const base of bases) expect(powModKeepingTable(bigint, base, exp, N1536)).toEqual(stockPowMod(base, exp, N1536));
    expect(keptTables().held).toBe(KEPT_TABLES);
    const before = keptTables().made;
    powModKeepingTable(bigint, bases[KEPT_TABLES + 9]!, exp, N1536); // the last: still held
    powModKeepingTable(bigint, bases[10]!, exp, N1536); // the oldest still held; now the newest
    expect(keptTables().made - before).toBe(0);
    powModKeepingTable(bigint, bases[0]!, exp, N1536); // dropped long ago: a new table, and bases[11]'s goes
    powModKeepingTable(bigint, bases[10]!, exp, N1536);
    expect(keptTables().made - before).toBe(1);
    powModKeepingTable(bigint, bases[11]!, exp, N1536);
    expect(keptTables().made - before).toBe(2);
    expect(keptTables().held).toBe(KEPT_TABLES);
  });

  it('is not used while bigint.js\'s own powMod is in place', () => {
    const own = bigint as unknown as { powMod: unknown };
    const native = own.powMod;
    own.powMod = stockPowMod;
    try {
      expect(powModKeepingTable(bigint, rand(300), rand(80), N1536)).toBeUndefined();
    } finally {
      own.powMod = native;
    }
  });

  it('gives the lazy sessions of one peer key one table, and exactly otr.js\'s session keys', () => {
    const proto = (otr.OTR as unknown as { prototype: { DHSession: new (dh: object, y: Limbs) => Record<string, unknown> } }).prototype;
    const inst = new otr.OTR({ priv: new otr.DSA() }) as unknown as { dh(): { privateKey: Limbs; publicKey: Limbs } };
    const theirs = inst.dh().publicKey;
    const pairs = Array.from({ length: 3 }, () => inst.dh());
    uninstallLazyDhSessions(otr);
    const eager = pairs.map((ours) => ({ ...new proto.DHSession(ours, theirs) }));
    installLazyDhSessions(otr, helpers, bigint, constModule);
    const before = keptTables().made;
    pairs.forEach((ours, i) => {
      const lazy = new proto.DHSession(ours, theirs);
      for (const k of ['id', 'sendenc', 'sendmac', 'rcvenc', 'rcvmac', 'extra_symkey']) expect(lazy[k], k).toEqual(eager[i]![k]);
    });
    expect(keptTables().made - before).toBe(1);
  });
});
