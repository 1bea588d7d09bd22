import { beforeAll, describe, expect, it } from 'vitest';
import { IdentityKey } from '../../src/protocol/index.js';
import { readLibotrPrivateKeys, writeLibotrFingerprints } from '../../src/protocol/libotr-format.js';

describe('IdentityKey', () => {
  let key: IdentityKey;
  beforeAll(() => {
    key = IdentityKey.generate();
  });

  it('has a libotr-style fingerprint', () => {
    expect(key.fingerprint).toMatch(/^([0-9A-F]{8} ){4}[0-9A-F]{8}$/);
  });

  it('round-trips through base64 with the same fingerprint', () => {
    expect(IdentityKey.fromBase64(key.toBase64()).fingerprint).toBe(key.fingerprint);
  });

  it('round-trips through the libotr s-expression format, and picks an account by name', () => {
    const file = key.toLibotr({ name: 'alice@example.com', protocol: 'prpl-jabber' });
    expect(file).toMatch(/^\(privkeys\n \(account\n\(name "alice@example\.com"\)\n\(protocol prpl-jabber\)\n\(private-key \n \(dsa \n  \(p #00[0-9A-F]+#\)/);
    expect(IdentityKey.fromLibotr(file).fingerprint).toBe(key.fingerprint);
    const other = IdentityKey.generate();
    const two = `(privkeys ${other.toLibotr({ name: 'bob', protocol: 'prpl-irc' }).slice('(privkeys'.length, -2)} ${file.slice('(privkeys'.length, -2)})`;
    expect(readLibotrPrivateKeys(two).map((k) => k.name)).toEqual(['bob', 'alice@example.com']);
    expect(IdentityKey.fromLibotr(two, 'alice@example.com').fingerprint).toBe(key.fingerprint);
    expect(IdentityKey.fromLibotr(two).fingerprint).toBe(other.fingerprint);
  });

  it.each([
    ['garbage', 'not an s-expression'],
    ['an unclosed list', '(privkeys (account (name a)'],
    ['a key with a wrong y', 'WRONG_Y'],
    ['a non-string', 42],
  ])('refuses %s with a bad-key error', (_, input) => {
    let text = input as string;
    if (input === 'WRONG_Y') text = key.toLibotr({ name: 'a', protocol: 'b' }).replace(/\(y #([0-9A-F]+)#\)/, (_m, y: string) => `(y #${y.slice(0, -1)}${y.endsWith('0') ? '1' : '0'}#)`);
    expect(() => IdentityKey.fromLibotr(text)).toThrow(expect.objectContaining({ code: 'bad-key' }));
  });

  it('refuses a damaged base64 key', () => {
    expect(() => IdentityKey.fromBase64(key.toBase64().slice(0, 100))).toThrow(expect.objectContaining({ code: 'bad-key' }));
  });
});

describe('otr.fingerprints', () => {
  it('writes one tab-separated line per key, fingerprint as lowercase hex', () => {
    const text = writeLibotrFingerprints([
      { username: 'bob', accountname: 'alice', protocol: 'e2ee-chat', fingerprint: 'ABCDEF01 23456789 ABCDEF01 23456789 ABCDEF01', trust: 'smp' },
      { username: 'carol', accountname: 'alice', protocol: 'e2ee-chat', fingerprint: '0000000000000000000000000000000000000001', trust: '' },
    ]);
    expect(text).toBe('bob\talice\te2ee-chat\tabcdef0123456789abcdef0123456789abcdef01\tsmp\ncarol\talice\te2ee-chat\t0000000000000000000000000000000000000001\t\n');
  });

  it('refuses names with tabs or newlines', () => {
    expect(() => writeLibotrFingerprints([{ username: 'a\tb', accountname: 'x', protocol: 'p', fingerprint: '0'.repeat(40), trust: '' }])).toThrow();
  });
});
