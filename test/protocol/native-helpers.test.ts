/**
 * The native helpers (src/protocol/otr/native-helpers.ts) and the newer native
 * bigint.js functions (byte conversions, trial division, fixed-base and
 * two-base exponentiation) must return exactly what otr.js's originals
 * return, on random inputs and edges.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import bigint from 'otr/vendor/bigint.js';
import helpers from 'otr/lib/helpers.js';
import otr from 'otr';
import { FixedBase, bigIntOriginals, clearFixedBaseTables, installNativeBigInt, modPow, multiPowMod } from '../../src/protocol/otr/native-bigint.js';
import { REPLACED_HELPERS, helperOriginals, installNativeHelpers, uninstallNativeHelpers } from '../../src/protocol/otr/native-helpers.js';
import { sha1, sha256 } from '../../src/protocol/otr/native-helpers/sha.js';
import { installLazyDhSessions, uninstallLazyDhSessions } from '../../src/protocol/otr/native-sessions.js';
import constModule from 'otr/lib/const.js';
import { until } from '../helpers/until.js';
import { rawOtrPair } from '../helpers/raw-otr-pair.js';

type Fn = (...args: never[]) => unknown;
const BI = bigint as unknown as Record<string, Fn>;
const HLP = helpers as unknown as Record<string, Fn>;
const pristineBI: Record<string, Fn> = { ...BI, ...(bigIntOriginals(bigint) as Record<string, Fn> | undefined) };
const pristineHLP: Record<string, Fn> = { ...HLP, ...(helperOriginals(helpers) as Record<string, Fn> | undefined) };

let seed = 0x2545f491;
function nextU32(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
const pick = (n: number): number => nextU32() % n;
function randBits(bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i += 32) v = (v << 32n) | BigInt(nextU32());
  return v & ((1n << BigInt(bits)) - 1n);
}
const randStr = (len: number, max = 256): string => String.fromCharCode(...Array.from({ length: len }, () => pick(max)));
const lens = [0, 1, 15, 16, 17, 31, 32, 55, 56, 63, 64, 65, 119, 120, 128, 129, 200, 1000];
const limbs = (v: bigint, extra = 0): number[] => (pristineBI.str2bigInt as (s: string, b: number, m?: number) => number[])(v.toString(16), 16).concat(new Array(extra).fill(0));
const N1536 = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF',
);

/** Same outputs (and untouched inputs) from the original and the installed function. */
function same(mod: Record<string, Fn>, pristine: Record<string, Fn>, name: string, ...args: unknown[]): void {
  const copy = (): never[] => args.map((a) => (Array.isArray(a) ? a.slice() : a)) as never[];
  const run = (f: Fn): unknown => {
    try {
      return norm(f(...copy()));
    } catch (e) {
      return { threw: (e as Error).constructor.name };
    }
  };
  expect(run(mod[name] as Fn), name).toEqual(run(pristine[name] as Fn));
}
/** WordArrays compare by their significant bytes, length and hex/latin1 text. */
function norm(v: unknown): unknown {
  if (v && typeof v === 'object' && 'sigBytes' in v) {
    const w = v as { sigBytes: number; toString(enc?: unknown): string };
    return { sigBytes: w.sigBytes, hex: w.toString() };
  }
  return v;
}

beforeAll(() => {
  installNativeBigInt(bigint);
  expect(installNativeHelpers(helpers, bigint)).toBe(true);
});
afterAll(() => {
  uninstallNativeHelpers(helpers);
});

describe('installNativeHelpers', () => {
  it('replaces the helpers, idempotently, and puts the originals back', () => {
    const first = REPLACED_HELPERS.map((k) => HLP[k]);
    for (const k of REPLACED_HELPERS) expect(HLP[k]).not.toBe(pristineHLP[k]);
    expect(installNativeHelpers(helpers, bigint)).toBe(true);
    expect(REPLACED_HELPERS.map((k) => HLP[k])).toEqual(first);
    uninstallNativeHelpers(helpers);
    for (const k of REPLACED_HELPERS) expect(HLP[k]).toBe(pristineHLP[k]);
    installNativeHelpers(helpers, bigint);
    expect(REPLACED_HELPERS.map((k) => HLP[k])).toEqual(first);
    expect(installNativeHelpers({}, bigint)).toBe(false);
  });
});

describe('hashes, MACs and AES-CTR: same as CryptoJS', () => {
  it('SHA-1 / SHA-256 known answers', () => {
    const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    const abc = new TextEncoder().encode('abc');
    expect(hex(sha1(abc))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha256(abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('h1, h2, makeMac, make1Mac on random binary strings of every block-edge length', () => {
    for (const a of lens) {
      for (const b of [0, 1, 20, 64, 65, 200]) {
        const x = randStr(a);
        const y = randStr(b);
        for (const name of ['h1', 'h2', 'makeMac', 'make1Mac']) same(HLP, pristineHLP, name, x, y);
      }
    }
    // characters above 0xff: both keep the low byte
    for (const name of ['h1', 'h2', 'makeMac', 'make1Mac']) same(HLP, pristineHLP, name, randStr(40, 0x10000), randStr(70, 0x10000));
  });

  it('make1Mac remembers only the very last (data, key): a changed key or data is computed afresh', () => {
    const data = randStr(70_000);
    const [k1, k2] = [randStr(20), randStr(20)];
    for (const [x, k] of [[data, k1], [data, k1], [data, k2], [data.slice(0, -1) + 'z', k2], [data, k1]] as const) same(HLP, pristineHLP, 'make1Mac', x, k);
  });

  it('encryptAes / decryptAes: random keys, counters (incl. a wrapping last word) and lengths', () => {
    for (const len of [...lens, 4096]) {
      const key = randStr(16);
      const iv = pick(3) === 0 ? randStr(12) + '\xff\xff\xff\xfe' : randStr(8) + '\0'.repeat(8);
      const msg = randStr(len);
      same(HLP, pristineHLP, 'decryptAes', msg, key, iv);
      // encryptAes takes a CryptoJS WordArray; the original decryptAes makes one of len bytes.
      const wa = (pristineHLP.decryptAes as (m: string, c: string, iv: string) => unknown)(msg, key, iv);
      same(HLP, pristineHLP, 'encryptAes', wa, key, iv);
    }
    // outside the fast path: string plaintext (CryptoJS parses it as UTF-8), other key sizes
    same(HLP, pristineHLP, 'encryptAes', 'héllo', randStr(16), randStr(16));
    same(HLP, pristineHLP, 'decryptAes', randStr(33), randStr(32), randStr(16));
  });

  it('smpHash and multPowMod on SMP-shaped numbers', () => {
    const N = limbs(N1536);
    for (let i = 0; i < 6; i++) {
      const f = limbs(randBits(1536) % N1536, pick(3));
      same(HLP, pristineHLP, 'smpHash', 1 + pick(8), f, pick(2) ? limbs(randBits(1536) % N1536) : undefined);
    }
    same(HLP, pristineHLP, 'smpHash', 3, limbs(0n), limbs(1n));
    const g = limbs(2n);
    for (const [bb, db] of [[1536, 256], [320, 320], [1536, 1536], [0, 100], [100, 0], [0, 0], [1, 1]] as const) {
      const b = limbs(randBits(bb));
      const d = limbs(randBits(db), 140);
      same(HLP, pristineHLP, 'multPowMod', g, b, limbs(randBits(1535)), d, N);
      same(HLP, pristineHLP, 'multPowMod', limbs(randBits(1535)), b, limbs(randBits(1535)), d, N);
    }
    const odd = limbs(randBits(700) | 1n);
    same(HLP, pristineHLP, 'multPowMod', limbs(randBits(900)), limbs(randBits(64)), limbs(randBits(600)), limbs(randBits(300)), odd);
    same(HLP, pristineHLP, 'multPowMod', g, limbs(5n), g, limbs(7n), limbs(1n)); // modulus 1: original
  });
});

describe('native bigint.js additions: same as bigint.js', () => {
  it('bigInt2bits and ba2bigInt (exact shapes)', () => {
    for (let i = 0; i < 200; i++) {
      const v = randBits(pick(5) === 0 ? pick(40) : pick(1700));
      const x = limbs(v, pick(4));
      same(BI, pristineBI, 'bigInt2bits', x, pick(3) ? undefined : pick(300));
      const bytes = Array.from({ length: pick(4) === 0 ? pick(4) : pick(260) }, () => pick(256));
      same(BI, pristineBI, 'ba2bigInt', bytes);
    }
    same(BI, pristineBI, 'ba2bigInt', []);
    same(BI, pristineBI, 'ba2bigInt', [255]);
    same(BI, pristineBI, 'bigInt2bits', [0]);
    same(BI, pristineBI, 'bigInt2bits', [], 4);
  });

  it('FixedBase and multiPowMod agree with modPow', () => {
    clearFixedBaseTables();
    const t = new FixedBase(2n, N1536);
    for (const bits of [1, 2, 4, 5, 160, 320, 1536, 1600]) {
      const e = randBits(bits) | 1n;
      expect(t.pow(e)).toBe(modPow(2n, e, N1536));
    }
    expect(t.pow(0n)).toBe(1n);
    const p = randBits(1024) | 1n | (1n << 1023n);
    const h = new FixedBase(randBits(1100), p);
    for (let i = 0; i < 5; i++) {
      const e = randBits(1 + pick(1100));
      expect(h.pow(e)).toBe(e === 0n ? 1n : modPow(h.base, e, p));
    }
    for (let i = 0; i < 8; i++) {
      const [a, b, c, d] = [pick(2) ? 2n : randBits(1600), randBits(pick(1600)), randBits(1536), randBits(pick(400))];
      const want = ((b === 0n ? 1n : modPow(a, b, N1536)) * (d === 0n ? 1n : modPow(c, d, N1536))) % N1536;
      expect(multiPowMod(a, b, c, d, N1536)).toBe(want);
    }
  });
});

describe('lazy DH key sessions', () => {
  it('derive exactly the keys of otr.js\'s DHSession, on first read', () => {
    const proto = (otr.OTR as unknown as { prototype: Record<string, unknown> }).prototype;
    const eager = proto.DHSession as new (dh: object, y: number[]) => Record<string, unknown>;
    expect(installLazyDhSessions(otr, helpers, bigint, constModule)).toBe(true);
    try {
      const lazy = proto.DHSession as typeof eager;
      expect(lazy).not.toBe(eager);
      const inst = new otr.OTR({ priv: new otr.DSA() }) as unknown as { dh(): { privateKey: number[]; publicKey: number[] } };
      for (let i = 0; i < 4; i++) {
        const ours = inst.dh();
        const theirs = inst.dh();
        const want = new eager(ours, theirs.publicKey);
        const got = new lazy(ours, theirs.publicKey);
        expect(Object.keys(got).sort()).toEqual(['rcv_counter', 'rcvmacused', 'send_counter']);
        const fields = ['id', 'sendenc', 'sendmac', 'rcvenc', 'rcvmac', 'extra_symkey', 'send_counter', 'rcv_counter', 'rcvmacused'];
        for (const k of fields) expect(got[k], k).toEqual(want[k]);
        expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
        got.rcvmacused = true;
        expect(got.rcvmacused).toBe(true);
      }
    } finally {
      uninstallLazyDhSessions(otr);
    }
    expect(proto.DHSession).toBe(eager);
  });
});

describe('otr.js with native helpers and native bigint.js', () => {
  beforeAll(() => installLazyDhSessions(otr, helpers, bigint, constModule));
  afterAll(() => uninstallLazyDhSessions(otr));
  it('AKE, messages both ways and SMP work, and nothing calls Math.random', async () => {
    const mathRandom = vi.spyOn(Math, 'random');
    try {
      const key = new otr.DSA();
      const { a, b, inbox, ake, smp } = rawOtrPair(key, new otr.DSA(), 'swordfish');
      await ake();
      for (const [from, text] of [[a, 'one'], [b, 'two'], [b, 'três ✓'], [a, 'x'.repeat(5000)]] as const) from.sendMsg(text);
      await until(() => inbox.length === 4, 'messages');
      expect(inbox.sort()).toEqual(['a→b one', `a→b ${'x'.repeat(5000)}`, 'b→a três ✓', 'b→a two']);
      expect(await smp('swordfish', 'fish?')).toEqual([true, true]);
      expect(mathRandom).not.toHaveBeenCalled();
    } finally {
      mathRandom.mockRestore();
    }
  });
});

