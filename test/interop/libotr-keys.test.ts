import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import { KeyDir, LibotrPeer, buildLibotrPeer } from './libotr-peer.js';

const compact = (fp: string) => fp.replace(/\s+/g, '').toLowerCase();
const ACCOUNT = { name: 'libotr@interop', protocol: 'interop' }; // what test/interop/libotr-peer.c uses

describe('key files shared with libotr 4.1.1', () => {
  const dirs: KeyDir[] = [];
  afterAll(() => dirs.forEach((d) => d.remove()));

  it('libotr reads a key we exported in its format and shows the same fingerprint', async () => {
    buildLibotrPeer();
    const engine = new Engine({ store: new MemoryStore() });
    const ours = (await engine.identity()).fingerprint;
    const dir = new KeyDir();
    dirs.push(dir);
    writeFileSync(dir.keyFile, await engine.exportPrivateKey('libotr', ACCOUNT));
    const peer = await LibotrPeer.start(dir);
    try {
      expect(compact(peer.fingerprint)).toBe(compact(ours));
    } finally {
      await peer.close();
    }
  }, 120_000);

  it('a key libotr generated imports into our engine with libotr\'s fingerprint', async () => {
    const dir = new KeyDir();
    dirs.push(dir);
    const peer = await LibotrPeer.start(dir); // generates otr.private_key with otrl_privkey_generate
    await peer.close();
    const engine = new Engine({ store: new MemoryStore() });
    const imported = await engine.importPrivateKey(readFileSync(dir.keyFile, 'utf8'), 'libotr');
    expect(compact(imported.fingerprint)).toBe(compact(peer.fingerprint));
  }, 120_000);
});
