/**
 * Encrypted files over the real wire (issue 21): `<e2ee-chat>` in Chromium on the real ConnectyCube
 * SDK and the WTR Prosody, each element's `files` an XmppUploadStore on its own SDK connection
 * (XEP-0363: slots from upload.localhost, PUT/GET to mod_http_file_share). Files and pictures both
 * ways; what the server saw (the wiretap, the upload files on its disk); and every bad upload (changed
 * on disk, deleted, on another origin) a clear failed card on the receiving side.
 */
import { until } from '../helpers/engine-pair.js';
import { sealedLength } from '../helpers/sealed-length.js';
import { assert, assertEqual } from '../helpers/assert.js';
import { prosodyConfig, readWiretap, sentBy, type ProsodyConfig, type TestUser } from './prosody.js';
import { ConnectyCubeTransport } from '../../src/ui/connectycube-transport.js';
import { XmppUploadStore } from '../../src/ui/file-stores/xmpp-upload-store.js';
import { connectedCube, keygenDone, mountChat, unmount, type Cube, type CubeChatSide } from './cube-chat.js';
import {
  attach, b64, card, deleteUpload, listUploads, markedFile, MARKER, phase, pngFile, PNG_SIGNATURE, RecordingStore,
  sameBytes, slotOf, tamperUpload, timeBoxed, uploadConfig, type UploadConfig,
} from './files-server.js';


const TIME_BOX = 120_000;
let config: ProsodyConfig;
let upload: UploadConfig;
let ua: TestUser;
let ub: TestUser;
let cubeA: Cube | undefined;
let cubeB: Cube | undefined;
let a: CubeChatSide | undefined;
let b: CubeChatSide | undefined;
let storeA: RecordingStore;
let storeB: RecordingStore;
/** Every file sent in the first test: its name and size (for what the server may not hold). */
const sent: { name: string; size: number }[] = [];

/** Mount the element for `user` → `peer` on its own SDK connection, its files on that connection's upload service. */
async function side(user: TestUser, peer: TestUser): Promise<[Cube, CubeChatSide, RecordingStore]> {
  const cube = await connectedCube(config, user);
  const store = new RecordingStore(XmppUploadStore.forCube(cube.chat));
  const mounted = mountChat(user, peer, ConnectyCubeTransport.fromInstance(cube, { selfId: user.userId }));
  mounted.el.files = store;
  return [cube, mounted, store];
}

before(async () => {
  config = await prosodyConfig();
  const found = await uploadConfig();
  assert(found, 'the WTR Prosody serves HTTP File Upload (scripts/wtr-prosody.mjs, fileShare)');
  upload = found;
  assert(config.users.length >= 14, `two test users of this file's own (${config.users.length} configured)`);
  [ua, ub] = [config.users[12]!, config.users[13]!];
  [cubeA, a, storeA] = await side(ua, ub);
  [cubeB, b, storeB] = await side(ub, ua);
  await Promise.all([keygenDone(a), keygenDone(b)]);
  await a.el.startPrivate();
  await until(() => a!.el.state === 'encrypted' && b!.el.state === 'encrypted', 'both sides private', 30_000);
  await Promise.all([a.el.updateComplete, b.el.updateComplete]);
});

after(async () => {
  await unmount(a, b); // fromInstance: the connections stay up until we disconnect them
  await cubeA?.chat.disconnect().catch(() => false);
  await cubeB?.chat.disconnect().catch(() => false);
});

/** `from` attaches a 10 MB file and a picture; `to` opens both: thumbnail from a blob:, Save byte-identical. */
async function filesAcross(from: CubeChatSide, to: CubeChatSide, tag: string, colour: string): Promise<void> {
  const big = markedFile(`${tag}-ledger-q7zx-confidential.bin`);
  const photo = await pngFile(`${tag}-holiday-q7zx-photo.png`, colour);
  sent.push(...[big, photo].map(({ file }) => ({ name: file.name, size: file.size })));
  const t0 = performance.now();
  attach(from, big.file, photo.file);
  const names = [big.file.name, photo.file.name];
  await until(() => names.every((n) => phase(to, n) === 'ready' || phase(to, n) === 'failed'), `${tag}'s files at the peer`, 90_000);
  for (const n of names) assertEqual(phase(to, n), 'ready', `${n} opened (${card(to, n)?.textContent?.trim()})`);
  console.log(`[timing] ${tag}: 10 MB + picture attached → both ready at the peer in ${Math.round(performance.now() - t0)} ms`);
  await until(() => names.every((n) => phase(from, n) === 'sent'), `${tag}'s cards sent`, 10_000);
  await to.el.updateComplete;

  const thumb = card(to, photo.file.name)!.querySelector<HTMLImageElement>('img[part=thumbnail]');
  assert(thumb, 'the picture has a thumbnail');
  await until(() => thumb.complete && thumb.naturalWidth === 64, 'the thumbnail decoded', 10_000);
  assertEqual([thumb.naturalWidth, thumb.naturalHeight], [64, 48], 'thumbnail size');
  assert(thumb.src.startsWith('blob:'), `the thumbnail comes from the decrypted file in the page: ${thumb.src}`);
  assert(card(to, big.file.name)!.querySelector('img') === null, 'no thumbnail for a non-picture');
  for (const { file, bytes } of [big, photo]) {
    const save = card(to, file.name)!.querySelector<HTMLAnchorElement>('a[part=save]');
    assert(save, `Save for ${file.name}`);
    assert(save.href.startsWith('blob:'), `Save is the decrypted file in the page: ${save.href}`);
    assertEqual(save.download, file.name, 'Save keeps the name');
    const saved = new Uint8Array(await (await fetch(save.href)).arrayBuffer());
    assertEqual(saved.length, file.size, `${file.name}: saved size`);
    assert(sameBytes(saved, bytes), `${file.name}: Save gives byte-identical content`);
  }
}

describe('<e2ee-chat> files over ConnectyCube, XEP-0363 upload on Prosody', () => {
  it('Alice sends a 10 MB file and a picture, Bob sends both back: each opens at the peer, thumbnail and Save intact', () =>
    timeBoxed(TIME_BOX, 'files both ways', async () => {
      await filesAcross(a!, b!, 'alice', '#c03');
      await filesAcross(b!, a!, 'bob', '#06c');
      for (const put of [...storeA.puts, ...storeB.puts]) {
        assert(put.at.startsWith(`${upload.origin}/file_share/`), `the reference points at Prosody's upload service: ${put.at}`);
      }
      assertEqual(a!.events['e2ee-error'], [], 'no errors at Alice');
      assertEqual(b!.events['e2ee-error'], [], 'no errors at Bob');
    }));

  it('the server saw only ?OTR bodies and, on its disk, exactly the ciphertexts: no name, no marker, no PNG signature', () =>
    timeBoxed(TIME_BOX, "what the server saw", async () => {
      assertEqual(sent.length, 4, 'the first test sent four files');
      const wiretap = await readWiretap();
      const bodies = sentBy(wiretap, [ua.userId, ub.userId], config.appId).map((e) => e.body).filter((x): x is string => x !== null);
      assert(bodies.length >= 8, `AKE and four file references crossed (${bodies.length} bodies)`);
      for (const body of bodies) assert(body.startsWith('?OTR'), `only OTR wire text: ${body.slice(0, 40)}`);
      const everything = JSON.stringify(wiretap);
      for (const { name } of sent) assert(!everything.includes(name) && !everything.includes(name.slice(0, 12)), `the name ${name} never crossed`);
      const markerText = new TextDecoder().decode(MARKER);
      assert(!everything.includes(markerText.slice(0, 24)) && !everything.includes(b64(MARKER).slice(0, 24)), 'the marker never crossed');

      // The disk: one file per upload, each exactly the ciphertext put (file + a 16-byte GCM tag per segment).
      const puts = [...storeA.puts, ...storeB.puts];
      assertEqual(puts.length, 4, 'four uploads');
      const stored = await listUploads();
      const ours = stored.filter((s) => puts.some((p) => slotOf(p.at) === s.slot));
      assertEqual(ours.length, 4, `one stored file per upload (${stored.length} on disk)`);
      for (const put of puts) {
        const kept = ours.find((s) => s.slot === slotOf(put.at))!;
        assertEqual([kept.size, kept.sha256], [put.size, put.sha256], `the stored file is the ciphertext put, byte for byte (${put.at})`);
      }
      assertEqual(puts.map((p) => p.size).sort(), sent.map((f) => sealedLength(f.size)).sort(), 'every ciphertext is its file + 16 bytes a segment');
      const needles: [string, Uint8Array][] = [
        ['the marker', MARKER], ['the PNG signature', PNG_SIGNATURE],
        ...sent.map(({ name }): [string, Uint8Array] => [name, new TextEncoder().encode(name)]),
      ];
      for (const [what, needle] of needles) {
        const found = (await listUploads(needle)).filter((s) => ours.some((o) => o.slot === s.slot));
        assertEqual(found.length, 4, `searched all four for ${what}`);
        assert(found.every((s) => s.contains === false), `no stored upload contains ${what}`);
      }
    }));

  it('a changed, a deleted and a foreign upload: Bob gets a failed card with the reason and Retry, no Save', () =>
    timeBoxed(TIME_BOX, 'bad uploads', async () => {
      const cases: { name: string; make: () => Promise<File>; sabotage: (at: string) => Promise<string>; why: RegExp }[] = [
        {
          name: 'changed-on-disk-q7zx.png',
          make: async () => (await pngFile('changed-on-disk-q7zx.png', '#393')).file,
          sabotage: async (at) => (await tamperUpload(slotOf(at)), at),
          why: /does not match its hash/,
        },
        {
          name: 'deleted-q7zx.txt',
          make: async () => new File(['gone before Bob looks'], 'deleted-q7zx.txt', { type: 'text/plain' }),
          sabotage: async (at) => (await deleteUpload(slotOf(at)), at),
          why: /not on the server \(HTTP (404|410)/,
        },
        {
          name: 'foreign-origin-q7zx.txt',
          make: async () => new File(['look elsewhere'], 'foreign-origin-q7zx.txt', { type: 'text/plain' }),
          sabotage: async (at) => {
            const url = new URL(at);
            assertEqual(url.hostname, 'localhost', 'slot URLs name localhost');
            url.hostname = '127.0.0.1'; // the same server, another origin
            return url.href;
          },
          why: /fetches files only from the upload service \(http:\/\/localhost:\d+\), not from http:\/\/127\.0\.0\.1:\d+/,
        },
      ];
      try {
        for (const { name, make, sabotage, why } of cases) {
          storeA.sabotage = sabotage;
          attach(a!, await make());
          await until(() => phase(b!, name) === 'failed' || phase(b!, name) === 'ready', `${name} at Bob`, 30_000);
          await b!.el.updateComplete;
          const failed = card(b!, name)!;
          assertEqual(failed.dataset.phase, 'failed', `${name}: refused`);
          const alert = failed.querySelector('[role=alert]')?.textContent ?? '';
          assert(why.test(alert), `${name}: the card says why: ${alert}`);
          assert(failed.querySelector('button[part=retry]'), `${name}: offers Retry`);
          assert(failed.querySelector('a[part=save]') === null, `${name}: nothing to save`);
          assert(failed.querySelector('img') === null, `${name}: no thumbnail`);
          assertEqual(phase(a!, name), 'sent', `${name}: Alice's upload itself went through`);
        }
        const errors = b!.events['e2ee-error'].filter((e) => e.code === 'file');
        assertEqual(errors.length, cases.length, `an e2ee-error of code file for each (${JSON.stringify(b!.events['e2ee-error'])})`);
      } finally {
        storeA.sabotage = undefined;
      }
    }));
});
