/**
 * The build's CryptoJS (scripts/slim-cryptojs.mjs) is otr's vendored file
 * minus its AES sections: everything left computes what the whole file
 * computes, and AES is gone. (The built worker running AKE, messages and SMP
 * on it is test/worker/built-bundle.browser.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { slimCryptoJsSource } from '../../scripts/slim-cryptojs.mjs';

type Hash = (data: unknown, key?: unknown) => { toString(enc?: unknown): string };
interface CryptoJs {
  enc: Record<'Hex' | 'Latin1' | 'Utf8' | 'Base64', { parse(s: string): unknown; stringify(w: unknown): string }>;
  SHA1: Hash;
  SHA256: Hash;
  HmacSHA1: Hash;
  HmacSHA256: Hash;
  AES?: unknown;
  mode?: unknown;
  algo: Record<string, unknown>;
}

const path = createRequire(import.meta.url).resolve('otr/vendor/crypto.js');
function load(source: string): CryptoJs {
  const module = { exports: {} as CryptoJs };
  new Function('module', 'exports', 'define', source)(module, module.exports, undefined);
  return module.exports;
}
const full = load(readFileSync(path, 'utf8'));
const slim = load(slimCryptoJsSource(readFileSync(path, 'utf8')));

describe('slim CryptoJS (build only)', () => {
  it('has no AES, and the same encoders, hashes and HMACs as the whole file', () => {
    expect(slim.AES).toBeUndefined();
    expect(slim.mode).toBeUndefined();
    expect(full.AES).toBeDefined();
    expect(Object.keys(slim.algo).sort()).toEqual(['HMAC', 'SHA1', 'SHA256']);
    for (const len of [0, 1, 55, 56, 64, 1000]) {
      const text = String.fromCharCode(...Array.from({ length: len }, (_, i) => (i * 131 + len) % 256));
      const key = text.slice(0, 20);
      for (const name of ['SHA1', 'SHA256'] as const) {
        expect(slim[name](slim.enc.Latin1.parse(text)).toString(slim.enc.Hex)).toBe(full[name](full.enc.Latin1.parse(text)).toString(full.enc.Hex));
      }
      for (const name of ['HmacSHA1', 'HmacSHA256'] as const) {
        expect(slim[name](slim.enc.Latin1.parse(text), slim.enc.Latin1.parse(key)).toString(slim.enc.Hex)).toBe(
          full[name](full.enc.Latin1.parse(text), full.enc.Latin1.parse(key)).toString(full.enc.Hex),
        );
      }
      expect(slim.enc.Base64.stringify(slim.enc.Utf8.parse(text))).toBe(full.enc.Base64.stringify(full.enc.Utf8.parse(text)));
    }
  });

  it('refuses a crypto.js it does not know', () => {
    expect(() => slimCryptoJsSource('var CryptoJS = {}')).toThrow(/unexpected crypto.js/);
  });
});
