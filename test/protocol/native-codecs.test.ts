/**
 * The native CryptoJS encoders (src/protocol/otr/native-codecs.ts) and the
 * microtask output queue (src/protocol/otr/io.ts) must behave exactly as
 * otr.js's originals: same values, same errors, same side effects, same
 * order of output.
 */
import { describe, expect, it } from 'vitest';
import cryptoJs from 'otr/vendor/crypto.js';
import otr from 'otr';
import { bytesToLatin1, codecOriginals, installNativeCodecs, nativeCodecsActive, uninstallNativeCodecs } from '../../src/protocol/otr/native-codecs.js';
import { installMicrotaskIo, microtaskIoActive, uninstallMicrotaskIo } from '../../src/protocol/otr/io.js';
import { hasherOriginals, nativeHashersActive } from '../../src/protocol/otr/native-hashers.js';
import { activeSpeedups, SPEEDUPS } from '../../src/protocol/otr/speedups.js';
import { arithmeticReport } from '../../src/protocol/otr/loader.js';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import { linkEngines, until } from '../helpers/engine-pair.js';
import { installOtrPatches } from '../../src/protocol/otr/install.js';

// The seam's one explicit install call (fixes and speed-ups, after the otr version check).
installOtrPatches();

interface WordArray {
  words: number[];
  sigBytes: number;
  toString(encoder?: unknown): string;
}
interface Encoder {
  parse(s: string): WordArray;
  stringify(w: WordArray): string;
}
const enc = (cryptoJs as unknown as { enc: Record<'Latin1' | 'Utf8' | 'Base64' | 'Hex', Encoder> }).enc;
const WordArrayInit = (cryptoJs as unknown as { lib: { WordArray: { init: new (w: number[], n: number) => WordArray } } }).lib.WordArray.init;

// The loader installed the native encoders; these are CryptoJS's own.
const originals = codecOriginals(cryptoJs)!;
const orig = {
  Latin1: { parse: (s: string) => originals.Latin1.parse.call(enc.Latin1, s), stringify: (w: WordArray) => originals.Latin1.stringify.call(enc.Latin1, w as never) },
  // The original Utf8 calls Latin1 through the module object: run it with all originals in place.
  Utf8: { parse: (s: string) => withOriginals(() => originals.Utf8.parse.call(enc.Utf8, s)), stringify: (w: WordArray) => withOriginals(() => originals.Utf8.stringify.call(enc.Utf8, w as never)) },
  Base64: { parse: (s: string) => originals.Base64.parse.call(enc.Base64, s), stringify: (w: WordArray) => originals.Base64.stringify.call(enc.Base64, w as never) },
};
// The originals call each other through the module object: run chains of them with the originals installed.
function withOriginals<T>(f: () => T): T {
  uninstallNativeCodecs(cryptoJs);
  try {
    return f();
  } finally {
    installNativeCodecs(cryptoJs);
  }
}

let seed = 0x9e3779b9;
function next(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
const pick = (n: number): number => next() % n;
const randStr = (len: number, max = 256): string => String.fromCharCode(...Array.from({ length: len }, () => pick(max)));
const lens = [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 63, 64, 65, 1000, 4096, 4097, 10_000];

/** Run `f`, returning its result or the class and message of what it threw. */
function outcome(f: () => unknown): unknown {
  try {
    const v = f();
    if (v && typeof v === 'object' && 'sigBytes' in v) {
      const w = v as WordArray;
      return { words: [...w.words], sigBytes: w.sigBytes };
    }
    return v;
  } catch (e) {
    return { threw: (e as Error).constructor.name, message: (e as Error).message };
  }
}
const wordArray = (words: number[], sigBytes: number): WordArray => new WordArrayInit(words.slice(), sigBytes);
/** A WordArray as otr makes them, and odd ones: missing words, extra words, dirty bits beyond sigBytes. */
function randomWordArray(bytes: number): WordArray {
  const words = Array.from({ length: Math.ceil(bytes / 4) + pick(3) - 1 }, () => next() | 0).filter((_, i, a) => i < a.length);
  return wordArray(words, bytes);
}

describe('native CryptoJS.SHA1 / CryptoJS.SHA256 (native-hashers.ts)', () => {
  const js = cryptoJs as unknown as Record<'SHA1' | 'SHA256', (m: unknown, cfg?: unknown) => WordArray>;
  const hashers = hasherOriginals(cryptoJs)!;
  it('are installed, and give the originals\' digests for WordArrays, lazy ones, UTF-8 strings and lone surrogates', () => {
    expect(nativeHashersActive(cryptoJs)).toBe(true);
    const inputs: unknown[] = [];
    const clamped = (len: number): WordArray => {
      const w = randomWordArray(len) as WordArray & { clamp(): void };
      while (w.words.length < Math.ceil(len / 4)) w.words.push(next() | 0);
      w.clamp();
      return w;
    };
    for (const len of lens) inputs.push(randomWordArray(len), clamped(len), enc.Latin1.parse(randStr(len)), randStr(len, 0x800), randStr(len, 0x10000));
    inputs.push('\ud800', 'abc', '', '\u{1f600}');
    for (const name of ['SHA1', 'SHA256'] as const) {
      for (const input of inputs) {
        const copy = input && typeof input === 'object' ? WordArrayInit.prototype.clone.call(input) : input;
        expect(outcome(() => js[name](input))).toEqual(withOriginals(() => outcome(() => hashers[name].call(cryptoJs, copy))));
      }
      // Known answer, and its hex as dsa.js reads a fingerprint.
      expect(js[name]('abc').toString(enc.Hex)).toBe(name === 'SHA1' ? 'a9993e364706816aba3e25717850c26c9cd0d89d' : 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    }
  });
});

describe('native CryptoJS.algo.SHA256.create / CryptoJS.algo.HMAC.create (native-hashers.ts)', () => {
  type Incremental = { update(d: unknown): Incremental; finalize(d?: unknown): WordArray };
  const algo = (cryptoJs as unknown as { algo: Record<'SHA1' | 'SHA256' | 'HMAC', { create(...a: unknown[]): Incremental }> }).algo;
  const hashers = hasherOriginals(cryptoJs)!;
  const clone = (v: unknown): unknown => (v && typeof v === 'object' ? WordArrayInit.prototype.clone.call(v) : v);
  /** Parts as otr.js passes them (lazy, clamped), strings, and now and then an unclamped array. */
  const parts = (n: number, unclamped: boolean): unknown[] =>
    Array.from({ length: n }, (_, i) => (unclamped && i === n - 2 ? randomWordArray(pick(70)) : i % 3 === 2 ? randStr(pick(90), 0x800) : enc.Latin1.parse(randStr(pick(300)))));
  const run = (make: () => Incremental, input: unknown[], last?: unknown): unknown =>
    outcome(() => {
      const h = make();
      for (const p of input) h.update(p);
      return h.finalize(last);
    });

  it('give CryptoJS\'s digests and MACs for every mix of parts, keys and final parts, falling back mid-way when a part is unclamped', () => {
    for (let round = 0; round < 40; round++) {
      const input = parts(1 + pick(5), round % 4 === 3);
      const last = [undefined, '', enc.Latin1.parse(randStr(20))][pick(3)];
      const copy = (): unknown[] => input.map(clone);
      expect(run(() => algo.SHA256.create(), input, clone(last))).toEqual(withOriginals(() => run(() => hashers.createSha256.call(algo.SHA256) as Incremental, copy(), clone(last))));
      for (const hasher of [algo.SHA256, algo.SHA1]) {
        const key = [enc.Latin1.parse(randStr(pick(3) === 0 ? 100 : 32)), randStr(16)][pick(2)];
        expect(run(() => algo.HMAC.create(hasher, clone(key)), input, clone(last))).toEqual(
          withOriginals(() => run(() => hashers.createHmac.call(algo.HMAC, hasher, clone(key)) as Incremental, copy(), clone(last))),
        );
      }
    }
  });

  it('are the ones installed, and hand other hashers to CryptoJS', () => {
    expect(algo.SHA256.create).not.toBe(hashers.createSha256);
    const md = { create: () => undefined }; // not SHA-1 or SHA-256
    expect(() => algo.HMAC.create(md, enc.Latin1.parse('k'))).toThrow(); // CryptoJS's own, which cannot use it
  });
});

describe('bytesToLatin1', () => {
  it('gives one character per byte, every byte value, at the short and the long path and their edge', () => {
    for (const n of [0, 1, 255, 256, 257, 4096, 65_536 + 3]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 131 + (i >> 8)) & 255);
      const text = bytesToLatin1(bytes);
      expect(text.length).toBe(n);
      let same = true;
      for (let i = 0; i < n; i++) if (text.charCodeAt(i) !== bytes[i]) same = false;
      expect(same).toBe(true);
    }
  });
});

describe('native CryptoJS encoders', () => {
  it('are installed at load and replace all six functions; uninstall puts the originals back', () => {
    expect(nativeCodecsActive(cryptoJs)).toBe(true);
    expect(enc.Latin1.parse).not.toBe(originals.Latin1.parse);
    uninstallNativeCodecs(cryptoJs);
    expect(enc.Latin1.parse).toBe(originals.Latin1.parse);
    expect(enc.Base64.stringify).toBe(originals.Base64.stringify);
    expect(nativeCodecsActive(cryptoJs)).toBe(false);
    expect(installNativeCodecs(cryptoJs)).toBe(true);
    expect(nativeCodecsActive(cryptoJs)).toBe(true);
    expect(installNativeCodecs({})).toBe(false);
  });

  it('Latin1 parse and stringify: same words, lengths and text, on any characters', () => {
    for (const len of lens) {
      for (const max of [128, 256, 0x10000]) {
        const s = randStr(len, max);
        expect(outcome(() => enc.Latin1.parse(s)), `parse ${len}/${max}`).toEqual(outcome(() => orig.Latin1.parse(s)));
      }
      const w = randomWordArray(len);
      expect(outcome(() => enc.Latin1.stringify(w))).toEqual(outcome(() => orig.Latin1.stringify(w)));
      expect(outcome(() => w.toString(enc.Latin1))).toEqual(outcome(() => orig.Latin1.stringify(w)));
    }
  });

  it('Utf8 parse: same bytes for every plane, and the same URIError for lone surrogates', () => {
    const samples = ['', 'plain ascii', 'über café', '€ ₿ 中文', '👋🏽 👨‍👩‍👧‍👦', '\ufeffBOM first', '\0nul\0', randStr(3000, 0xd800), randStr(500, 0x10000).replace(/[\ud800-\udfff]/g, '')];
    for (const s of samples) expect(outcome(() => enc.Utf8.parse(s)), s.slice(0, 20)).toEqual(outcome(() => orig.Utf8.parse(s)));
    for (const bad of ['\ud800', 'a\udc00b', 'x\ud83d', '\ud83d\ud83d\ude00', '\ude00\ud83d']) {
      const got = outcome(() => enc.Utf8.parse(bad));
      expect(got, JSON.stringify(bad)).toEqual(outcome(() => orig.Utf8.parse(bad)));
      expect(got).toHaveProperty('threw', 'URIError');
    }
  });

  it('Utf8 stringify: valid UTF-8 decodes the same (a BOM is kept); invalid bytes throw the same error', () => {
    const valid = ['', 'hello', '\ufeffkept BOM', 'ü€👋🏽', randStr(2000, 0xd800)];
    for (const s of valid) {
      const w = orig.Utf8.parse(s);
      expect(outcome(() => enc.Utf8.stringify(w))).toEqual(outcome(() => orig.Utf8.stringify(w)));
      expect(enc.Utf8.stringify(w)).toBe(s);
    }
    // overlong, surrogate code points, above U+10FFFF, truncated, stray continuation, random bytes
    const invalid = ['\xc0\xaf', '\xe0\x80\xaf', '\xed\xa0\x80', '\xf4\x90\x80\x80', '\xf8\x88\x80\x80\x80', '\xe2\x82', 'a\x80b', '\xff'];
    for (let i = 0; i < 300; i++) invalid.push(randStr(1 + pick(12)));
    for (const bytes of invalid) {
      const w = orig.Latin1.parse(bytes);
      expect(outcome(() => enc.Utf8.stringify(w)), JSON.stringify(bytes)).toEqual(outcome(() => orig.Utf8.stringify(w)));
    }
  });

  it('Base64 stringify: same text, and clamps its argument as the original does', () => {
    for (const len of lens) {
      const a = randomWordArray(len);
      const b = wordArray(a.words, a.sigBytes);
      expect(enc.Base64.stringify(a)).toBe(orig.Base64.stringify(b));
      expect(a.words).toEqual(b.words);
    }
  });

  it('Base64 parse: same words for valid text of every length, padding and text after it, and garbage', () => {
    for (const len of lens) {
      const text = orig.Base64.stringify(randomWordArray(len));
      for (const s of [text, text.replace(/=+$/, ''), text.slice(0, -1), `${text}=junk`, text.slice(0, Math.max(0, text.length - 2))]) {
        expect(outcome(() => enc.Base64.parse(s)), s.slice(-8)).toEqual(outcome(() => orig.Base64.parse(s)));
      }
    }
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    for (let i = 0; i < 500; i++) {
      const s = Array.from({ length: pick(30) }, () => (pick(8) === 0 ? String.fromCharCode(pick(300)) : alphabet[pick(64)])).join('');
      expect(outcome(() => enc.Base64.parse(s)), JSON.stringify(s)).toEqual(outcome(() => orig.Base64.parse(s)));
    }
  });
});

describe('lazy WordArrays', () => {
  type Full = WordArray & { clone(): WordArray; concat(w: WordArray): WordArray; clamp(): void };
  it('chains of encoders give what the originals give, built or not', () => {
    for (const s of ['', 'a', 'ü€👋🏽 text', randStr(5000, 0xd800), randStr(777)]) {
      const viaNative = enc.Utf8.parse(s);
      expect(enc.Latin1.stringify(viaNative)).toBe(orig.Latin1.stringify(orig.Utf8.parse(s)));
      expect(enc.Base64.stringify(enc.Latin1.parse(enc.Latin1.stringify(viaNative)))).toBe(orig.Base64.stringify(orig.Utf8.parse(s)));
      expect(enc.Utf8.stringify(enc.Base64.parse(orig.Base64.stringify(orig.Utf8.parse(s))))).toBe(s);
      expect(viaNative.toString(enc.Hex)).toBe((orig.Utf8.parse(s) as WordArray).toString(enc.Hex));
    }
  });

  it('a change to words or sigBytes is seen by every encoder; clone and concat work', () => {
    const a = enc.Latin1.parse('abcdefgh') as Full;
    a.words[0] = 0x41424344; // read (builds the words), then written
    expect(enc.Latin1.stringify(a)).toBe('ABCDefgh');
    const b = enc.Latin1.parse('abcdefgh') as Full;
    b.sigBytes = 5; // never read: the encoders must honour the new length
    expect(enc.Latin1.stringify(b)).toBe('abcde');
    expect(enc.Base64.stringify(b)).toBe(orig.Base64.stringify(orig.Latin1.parse('abcde')));
    const c = enc.Utf8.parse('xyz') as Full;
    c.words = orig.Latin1.parse('QRST').words;
    expect(enc.Latin1.stringify(c)).toBe('QRS');
    const d = enc.Latin1.parse('12345') as Full;
    const copy = d.clone();
    d.concat(enc.Latin1.parse('678'));
    expect(enc.Latin1.stringify(d)).toBe('12345678');
    expect(enc.Latin1.stringify(copy)).toBe('12345');
    expect(outcome(() => enc.Latin1.parse('wide ☃ chars'))).toEqual(outcome(() => orig.Latin1.parse('wide ☃ chars')));
  });
});

describe('microtask output queue', () => {
  type Raw = InstanceType<typeof otr.OTR> & { outgoing: unknown[]; send_interval: number };
  const make = (): Raw => new otr.OTR({ priv: new otr.DSA() }) as Raw;

  it('is installed at load; emits nothing synchronously, then every packet in order, the endOtr callback after its packet', async () => {
    expect(microtaskIoActive(otr)).toBe(true);
    const o = make();
    const seen: string[] = [];
    o.on('io', (m: string, meta: unknown) => seen.push(`${m}:${String(meta)}`));
    o.io('one');
    o.io(['two', 'three'], 'meta');
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toEqual(['one:undefined', 'two:meta', 'three:meta']);
    expect(o.outgoing).toEqual([]);
  });

  it('endOtr: the callback runs after the last packet went out', async () => {
    const a = make();
    const b = make();
    a.on('io', (m: string) => b.receiveMsg(m));
    b.on('io', (m: string) => a.receiveMsg(m));
    a.sendQueryMsg();
    await until(() => a.msgstate === 1 && b.msgstate === 1, 'AKE');
    const order: string[] = [];
    a.on('io', () => order.push('io'));
    await new Promise<void>((resolve) => a.endOtr(() => (order.push('cb'), resolve())));
    expect(order).toEqual(['io', 'cb']);
  });

  it('keeps otr\'s timer-paced queue for a send_interval, and uninstalls', async () => {
    const o = make();
    o.send_interval = 5;
    const seen: string[] = [];
    o.on('io', (m: string) => seen.push(m));
    o.io(['x', 'y']);
    await Promise.resolve();
    expect(seen).toEqual([]);
    await until(() => seen.length === 2, 'timer-paced output');
    uninstallMicrotaskIo(otr);
    expect(microtaskIoActive(otr)).toBe(false);
    expect(installMicrotaskIo(otr)).toBe(true);
  });
});

describe('speed-ups through the Engine', () => {
  it('diagnostics() names every installed back-end, and an engine conversation runs on them', async () => {
    expect(activeSpeedups()).toEqual([...SPEEDUPS]);
    expect(arithmeticReport().speedups).toEqual([...SPEEDUPS]);
    const { a, b } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: new MemoryStore() }));
    const report = await a.engine.diagnostics();
    expect(report.bigintBackend).toBe('native');
    expect(report.speedups).toEqual([...SPEEDUPS]);
    await a.engine.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
    const big = 'ü'.repeat(40_000);
    await a.engine.send('bob', 'hi ✓');
    await b.engine.send('alice', 'back');
    await a.engine.send('bob', big);
    await until(() => b.received().length === 2 && a.received().length === 1, 'messages');
    expect(a.received()).toEqual([{ text: 'back', encrypted: true }]);
    const got = b.received().map((m) => (m.encrypted ? m.text : '(plaintext)'));
    expect(got).toEqual(['hi ✓', big]);
  });
});
