/**
 * The build's otr.js (scripts/slim-otr.mjs) leaves out code that can never run in this product.
 * Here every edit applies to the installed otr 0.2.16, and sessions run on the slimmed files:
 * Node's CommonJS loader is given the slimmed text of otr's files (this test file runs in a process
 * of its own), so AKE, messages (fragmented too), SMP, end and a re-AKE go through exactly what the
 * worker bundle holds. (The built worker itself is test/worker/built-bundle.browser.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EDITS, slimOtrSource } from '../../scripts/slim-otr.mjs';
import { slimCryptoJsSource } from '../../scripts/slim-cryptojs.mjs';

const otrRoot = dirname(createRequire(import.meta.url).resolve('otr/package.json'));
const fileKey = (filename: string): string | undefined => {
  const rel = filename.slice(otrRoot.length + 1).replace(/\\/g, '/');
  return filename.startsWith(otrRoot) && EDITS[rel] ? rel : undefined;
};

// Before anything loads otr: its files compile from their slimmed text (CryptoJS also without AES, as built).
const slimmed = new Set<string>();
const proto = Module.prototype as unknown as { _compile(content: string, filename: string): unknown };
const compile = proto._compile;
proto._compile = function (content: string, filename: string) {
  const key = fileKey(filename);
  if (!key) return compile.call(this, content, filename);
  slimmed.add(key);
  const text = key === 'vendor/crypto.js' ? slimCryptoJsSource(content) : content;
  return compile.call(this, slimOtrSource(key, text), filename);
};

type Session = import('../../src/protocol/session.js').OtrSession;

async function until(done: () => boolean, what: string, ms = 20_000): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('slim otr.js (build only)', () => {
  it('applies every edit to otr 0.2.16, each removing what it names', () => {
    for (const [file, edits] of Object.entries(EDITS)) {
      const full = readFileSync(join(otrRoot, file), 'utf8');
      const slim = slimOtrSource(file, full);
      expect(slim.length, file).toBeLessThan(full.length);
      for (const edit of edits) expect(slim.includes(edit.cut ? edit.cut[0] : edit.from!), `${file}: ${edit.why}`).toBe(false);
    }
    expect(() => slimOtrSource('lib/otr.js', 'var OTR = {}')).toThrow(/slim-otr: lib\/otr\.js/);
  });

  it('sessions on the slimmed files: AKE, messages, fragments, SMP, end, a new AKE', async () => {
    const { IdentityKey, OtrSession } = await import('../../src/protocol/index.js');
    const otr = createRequire(import.meta.url)('otr') as { OTR: { prototype: Record<string, unknown> }; DSA: Record<string, unknown> };
    expect([...slimmed].sort()).toEqual(Object.keys(EDITS).sort());
    expect(otr.OTR.prototype.sendFile).toBeUndefined();
    expect(otr.OTR.prototype._SMW).toBeUndefined();
    expect(otr.DSA.createInWebWorker).toBeUndefined();

    const [a, b] = [new OtrSession({ key: IdentityKey.generate() }), new OtrSession({ key: IdentityKey.generate() })];
    const link = (from: Session, to: Session) => from.on('wire', ({ text }) => to.receive(text));
    link(a, b);
    link(b, a);
    const got = { a: [] as string[], b: [] as string[] };
    a.on('message', ({ text, encrypted }) => encrypted && got.a.push(text));
    b.on('message', ({ text, encrypted }) => encrypted && got.b.push(text));
    const smp: { type: string; success?: boolean }[] = [];
    a.on('smp', (e) => smp.push(e));
    b.on('smp', (e) => {
      smp.push(e);
      if (e.type === 'question') b.smpAnswer('secret');
    });

    a.startPrivate();
    await until(() => a.state === 'encrypted' && b.state === 'encrypted', 'AKE');
    a.send('hi');
    b.setFragmentSize(300);
    const big = 'ü€👋'.repeat(2000);
    b.send(big);
    await until(() => got.b.length === 1 && got.a.length === 1, 'messages');
    expect(got).toEqual({ a: [big], b: ['hi'] });

    a.smpStart('secret', 'q?');
    const results = () => smp.flatMap((e) => (e.type === 'result' ? [e.success] : []));
    await until(() => results().length === 2, 'SMP');
    expect(results()).toEqual([true, true]);

    await a.endPrivate();
    await until(() => b.state !== 'encrypted', 'end');
    b.startPrivate();
    await until(() => a.state === 'encrypted' && b.state === 'encrypted', 'second AKE');
    b.send('again');
    await until(() => got.a.length === 2, 'after the second AKE');
    expect(got.a[1]).toBe('again');
  });
});
