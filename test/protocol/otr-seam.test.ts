/** The otr seam: one explicit install call that checks the otr version, and one door into the folder. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installOtrPatches, SUPPORTED_OTR_VERSION } from '../../src/protocol/otr/index.js';
import { IdentityKey, OtrSession } from '../../src/protocol/index.js';

const src = resolve(import.meta.dirname, '../../src');
const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));

describe('the otr seam (src/protocol/otr)', () => {
  it('installs its patches only on the otr.js version they are written for', () => {
    expect(SUPPORTED_OTR_VERSION).toBe('0.2.16');
    expect(() => installOtrPatches('0.2.17')).toThrow(/patches otr 0\.2\.16, but otr 0\.2\.17 is installed/);
    expect(() => installOtrPatches()).not.toThrow(); // the installed otr.js is 0.2.16
    expect(() => installOtrPatches()).not.toThrow(); // and the call is idempotent
  });

  it('is the only place in src/ that imports otr, and the rest enters it only through its index', () => {
    const outside = files(src).filter((f) => !relative(src, f).startsWith('protocol/otr/'));
    const offenders = outside.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const bad = [...text.matchAll(/from '(otr(?:\/[^']*)?|[^']*\/otr\/(?!index\.js)[^']*)'/g)].map((m) => m[1]);
      return bad.map((b) => `${relative(src, f)}: ${b}`);
    });
    expect(offenders).toEqual([]);
  });

  it('a session works through the adapter alone', async () => {
    const a = new OtrSession({ key: IdentityKey.generate() });
    const b = new OtrSession({ key: IdentityKey.generate() });
    a.on('wire', ({ text }) => b.receive(text));
    b.on('wire', ({ text }) => a.receive(text));
    const got: string[] = [];
    b.on('message', ({ text, encrypted }) => encrypted && got.push(text));
    a.startPrivate();
    await new Promise<void>((done) => { const t = setInterval(() => a.state === 'encrypted' && b.state === 'encrypted' && (clearInterval(t), done()), 5); });
    a.send('through the seam');
    await new Promise<void>((done) => { const t = setInterval(() => got.length && (clearInterval(t), done()), 5); });
    expect(got).toEqual(['through the seam']);
    expect(a.theirFingerprint).toBe(b.ourFingerprint);
    expect(a.protocolVersion).toBe(3);
  });
});

describe('rawBigIntToHex', () => {
  it('is bigInt2str(x, 16) in lower case, for edge values and random numbers up to 1536 bits', async () => {
    const { bigIntModule, hexToRawBigInt, rawBigIntToHex } = await import('../../src/protocol/otr/loader.js');
    const bigint = bigIntModule as unknown as { bigInt2str(x: number[], base: number): string; randBigInt(bits: number): number[] };
    const values = ['0', '1', 'f', '10', 'ff', '100', 'fff', '1000', '3ffffff', '4000000', 'ffffffffffffffffffff'].map((h) => hexToRawBigInt(h));
    for (let bits = 1; bits <= 1536; bits += 37) values.push(bigint.randBigInt(bits));
    for (const x of values) expect(rawBigIntToHex(x)).toBe(bigint.bigInt2str(x, 16).toLowerCase());
  });
});
