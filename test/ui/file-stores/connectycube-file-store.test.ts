// ConnectyCubeFileStore: its two SDK calls are checked against the SDK's own types (the real
// `ConnectyCube.storage` must fit `CubeStorage`), then driven by a stand-in for those calls, with a
// real loopback HTTP server behind the https blob URLs (the test's fetch routes them there).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import ConnectyCube from 'connectycube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectyCubeFileStore, type CubeStorage } from '../../../src/ui/file-stores/connectycube-file-store.js';

// Compile-time: the SDK's storage service has the calls this store makes, with these shapes.
const sdkStorage: CubeStorage = new ConnectyCube.ConnectyCube().storage;
void sdkStorage;

const blobs = new Map<string, Uint8Array>();
let origin = '';
const server = createServer((req, res) => {
  const uid = (req.url ?? '').split('/').pop()!.split('?')[0]!;
  const blob = blobs.get(uid);
  if (!blob) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-length': blob.length }).end(Buffer.from(blob));
});
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), resolve()))));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The SDK's two calls, as ConnectyCube's servers would answer them. */
function standIn(): CubeStorage & { uploads: { name: string; type: string; size: number; public?: boolean; bytes: Uint8Array }[] } {
  const uploads: { name: string; type: string; size: number; public?: boolean; bytes: Uint8Array }[] = [];
  return {
    uploads,
    async createAndUpload({ name, file, type, size, public: isPublic }) {
      const uid = crypto.randomUUID().replace(/-/g, '');
      const bytes = new Uint8Array(await file.arrayBuffer());
      blobs.set(uid, bytes);
      uploads.push({ name, type, size, public: isPublic, bytes });
      return { uid };
    },
    privateUrl: (uid) => `https://api.connectycube.com/blobs/${uid}?token=session-token`,
  };
}
/** Route ConnectyCube's https blob URLs to the loopback server. */
const routed: typeof fetch = (input, init) => fetch(String(input).replace('https://api.connectycube.com', origin), init);

describe('ConnectyCubeFileStore', () => {
  it('uploads the ciphertext as a private blob under a random name, and the peer fetches the same bytes by uid', async () => {
    const storage = standIn();
    const store = new ConnectyCubeFileStore(storage, { fetch: routed });
    const ciphertext = new Uint8Array(300_000);
    for (let i = 0; i < ciphertext.length; i += 65_536) crypto.getRandomValues(ciphertext.subarray(i, i + 65_536));
    const progress: number[][] = [];
    const at = await store.put(ciphertext, { progress: (d, t) => progress.push([d, t]) });
    expect(at).toMatch(/^connectycube-blob:[0-9a-f]{32}$/);
    expect(storage.uploads).toHaveLength(1);
    expect(storage.uploads[0]).toMatchObject({ type: 'application/octet-stream', size: 300_000, public: false });
    expect(storage.uploads[0]!.name).toMatch(/^[0-9a-f-]{36}\.bin$/);
    expect(Buffer.from(storage.uploads[0]!.bytes).equals(Buffer.from(ciphertext))).toBe(true);
    expect(progress).toEqual([[0, 300_000], [300_000, 300_000]]);
    const peer = new ConnectyCubeFileStore(standIn(), { fetch: routed });
    expect(Buffer.from(await peer.get(at)).equals(Buffer.from(ciphertext))).toBe(true);
  });

  it('refuses places that are not ConnectyCube files, a missing blob, one over the limit, and an upload without an id', async () => {
    const store = new ConnectyCubeFileStore(standIn(), { fetch: routed, maxBytes: 1000 });
    for (const at of ['https://evil.example/x', 'memory-file:1', 'connectycube-blob:../../etc', 'connectycube-blob:'])
      await expect(store.get(at), at).rejects.toMatchObject({ code: 'file' });
    await expect(store.get('connectycube-blob:0123456789abcdef')).rejects.toMatchObject({ code: 'file', message: expect.stringMatching(/not on the server/) });
    const big = await new ConnectyCubeFileStore(standIn(), { fetch: routed }).put(new Uint8Array(1001));
    await expect(store.get(big)).rejects.toMatchObject({ code: 'file', message: expect.stringMatching(/at most 1000/) });
    const broken = new ConnectyCubeFileStore({ createAndUpload: async () => ({}), privateUrl: () => '' });
    await expect(broken.put(new Uint8Array(1))).rejects.toMatchObject({ code: 'file' });
    const aborted = new AbortController();
    aborted.abort();
    await expect(store.put(new Uint8Array(1), { signal: aborted.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
