// Encrypted files through the engine (in-process, Node): Alice seals a file, "uploads" the
// ciphertext to a store, and sends its reference in a TLV 8 message; Bob hears of it, "downloads" and
// opens it. The store and the wire hold neither the file nor its name; a changed, truncated or
// missing upload is refused; without privacy, nothing is sent.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/worker/api.js';
import { Engine } from '../../src/worker/engine.js';
import { MemoryStore } from '../../src/worker/store.js';
import { linkEngines, until, type Side } from '../helpers/engine-pair.js';

type FileEvent = Extract<EngineEvent, { type: 'file' }>;
const files = (side: Side) => side.events.filter((e): e is FileEvent => e.type === 'file');

describe('encrypted files through the engine', () => {
  let a: Side;
  let b: Side;
  let wire: string[];
  const store = new Map<string, Uint8Array>();
  beforeAll(async () => {
    ({ a, b, wire } = await linkEngines(new Engine({ store: new MemoryStore() }), new Engine({ store: new MemoryStore() })));
    await a.engine.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE');
  });

  async function sendFile(data: Uint8Array, name: string): Promise<FileEvent> {
    const before = files(b).length;
    const { token, ciphertext } = await a.engine.sealFile(data, name, 'application/octet-stream');
    const at = `blob-${store.size}`;
    store.set(at, ciphertext);
    await a.engine.sendFile('bob', token, at, `A file: ${name}`);
    await until(() => files(b).length === before + 1, 'the file reference');
    return files(b).at(-1)!;
  }

  it('a 10 MB file crosses as ciphertext and opens on the other side, byte for byte', async () => {
    const data = new Uint8Array(10 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
    const name = 'holiday-video-secret-name.mp4';
    const heard = await sendFile(data, name);
    expect(heard).toMatchObject({ peer: 'alice', name, size: data.length, at: 'blob-0', mediaType: 'application/octet-stream' });
    const opened = await b.engine.openFile(heard.fileId, store.get(heard.at)!);
    expect(Buffer.from(opened).equals(Buffer.from(data))).toBe(true);
    // The sentence beside it is for apps that cannot open files: Bob's engine, which can, reports the file alone.
    expect(b.received().map((m) => m.text)).not.toContain(`A file: ${name}`);
    // Neither the store nor the wire holds the file or its name.
    const stored = Buffer.from(store.get('blob-0')!);
    expect(stored.includes(Buffer.from(data.subarray(0, 64)))).toBe(false);
    expect(stored.includes(Buffer.from(name))).toBe(false);
    expect(wire.join('\n')).not.toContain(name);
    expect(wire.every((w) => w.startsWith('?OTR'))).toBe(true);
  });

  it('refuses a changed, truncated or swapped upload, and a file it never heard of', async () => {
    const data = new TextEncoder().encode('a small file');
    const heard = await sendFile(data, 'small.txt');
    const stored = store.get(heard.at)!;
    const flipped = stored.slice();
    flipped[3]! ^= 0x40;
    const failures = await Promise.all(
      [flipped, stored.slice(0, -2), store.get('blob-0')!].map((c) => b.engine.openFile(heard.fileId, c).then(() => 'opened', (e: { code: string; message: string }) => `${e.code}: ${e.message}`)),
    );
    expect(failures).toEqual([expect.stringMatching(/^file: .*hash/), expect.stringMatching(/^file: .*truncated/), expect.stringMatching(/^file: .*truncated/)]);
    await expect(b.engine.openFile('no-such-file', stored)).rejects.toMatchObject({ code: 'file' });
    expect(new TextDecoder().decode(await b.engine.openFile(heard.fileId, stored))).toBe('a small file');
  });

  it('sends nothing outside a private conversation, refuses a file over the limit, and a token used twice', async () => {
    const { token, ciphertext } = await a.engine.sealFile(new Uint8Array(10), 'x.bin', 'application/octet-stream');
    store.set('blob-x', ciphertext);
    await a.engine.sendFile('bob', token, 'blob-x', 'x');
    await expect(a.engine.sendFile('bob', token, 'blob-x', 'x')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(a.engine.sealFile(new Uint8Array(11), 'big.bin', 'application/octet-stream', 10)).rejects.toMatchObject({ code: 'file' });
    await a.engine.endPrivate('bob');
    await until(() => a.state() === 'plaintext', 'ended');
    const sealed = await a.engine.sealFile(new Uint8Array(10), 'y.bin', 'application/octet-stream');
    const sentBefore = wire.length;
    await expect(a.engine.sendFile('bob', sealed.token, 'blob-y', 'y')).rejects.toMatchObject({ code: 'not-private' });
    expect(wire.length).toBe(sentBefore);
  });
});
