/**
 * XmppUploadStore (XEP-0363 HTTP File Upload) over the real `connectycube` SDK and a real Prosody
 * with mod_http_file_share (scripts/prosody.mjs, `fileShare`), on a free port. Two users: A puts,
 * B gets. The bytes Prosody keeps on disk are compared with what was put, and every stanza A's SDK
 * sent is captured to show the slot request carries a random name only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ConnectyCube, { type XMPPChat } from 'connectycube';
import { startProsody, ccUser, type RunningFileShare, type RunningProsody } from '../../../scripts/prosody.mjs';
import {
  cubeIqSender,
  DEFAULT_UPLOAD_MAX_BYTES,
  UPLOAD_NS,
  XmlStanza,
  XmppUploadStore,
  type IqSender,
  type XmlElement,
} from '../../../src/ui/file-stores/xmpp-upload-store.js';
import { E2eeError } from '../../../src/protocol/errors.js';

const APP_ID = 9;
const A = 201;
const B = 202;
const password = (id: number) => `pw-${id}`;
const MB10 = 10 * 1024 * 1024;
/** The name of the file "the person attached": it must never reach the server. */
const REAL_NAME = 'holiday-photo-2026.jpg';

type Cube = InstanceType<typeof ConnectyCube.ConnectyCube<XMPPChat>>;

let xmpp: RunningProsody;
let share: RunningFileShare;
let cubeA: Cube;
let cubeB: Cube;
let storeA: XmppUploadStore;
let storeB: XmppUploadStore;
/** Every stanza A's SDK wrote to the websocket, serialised. */
const wireA: string[] = [];
/** The IQs storeA handed to its IqSender, and the replies. */
const sentA: string[] = [];
const repliesA: XmlElement[] = [];
const lastActivityA: unknown[][] = [];
let data: Uint8Array;
let at: string;

async function sdkUser(id: number): Promise<Cube> {
  const cube = new ConnectyCube.ConnectyCube<XMPPChat>();
  cube.init({ appId: APP_ID, authKey: 'unused' }, {
    endpoints: { chat: xmpp.domain, chat_url: xmpp.url },
    chat: { reconnect: { enable: false } },
    debug: { mode: 0 },
  } as Parameters<Cube['init']>[1]);
  await cube.chat.connect({ userId: id, password: password(id) });
  return cube;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

async function fileError(promise: Promise<unknown>): Promise<E2eeError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(E2eeError);
  expect((error as E2eeError).code).toBe('file');
  return error as E2eeError;
}

const slotOf = (url: string) => new URL(url).pathname.split('/')[2]!;
const storedFile = (url: string) => share.storedFile(slotOf(url));
/** The slot requests among serialised stanzas. */
const slotRequests = (stanzas: string[]) => stanzas.filter((s) => s.includes(UPLOAD_NS) && s.includes('<request'));
const attr = (stanza: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(stanza.slice(stanza.indexOf('<request')))?.[1];

/** A fetch that records the URLs it was asked for. */
function recordingFetch(urls: string[]): typeof fetch {
  return (input, init) => {
    urls.push(String(input instanceof Request ? input.url : input));
    return fetch(input, init);
  };
}

beforeAll(async () => {
  const t0 = Date.now();
  xmpp = await startProsody({
    port: 0,
    name: `vitest-upload-${process.pid}`,
    users: [A, B].map((id) => ({ user: ccUser(id, APP_ID), password: password(id) })),
    fileShare: true,
  });
  share = xmpp.fileShare!;
  console.log(`[timing] prosody with file share ready in ${xmpp.startupMs} ms (${Date.now() - t0} ms with users) on ${share.httpOrigin}`);
  cubeA = await sdkUser(A);
  cubeB = await sdkUser(B);
  // What really crossed the websocket from A (xmpp.js emits 'send' with each element it wrote).
  (cubeA.chat.xmppClient as unknown as { on(event: 'send', f: (el: object) => void): void }).on('send', (el) => wireA.push(String(el)));
  cubeA.chat.onLastUserActivityListener = (...args: unknown[]) => void lastActivityA.push(args);

  const real = cubeIqSender(cubeA.chat);
  const capturing: IqSender = async (iq, options) => {
    sentA.push(iq.toString());
    const reply = await real(iq, options);
    repliesA.push(reply);
    return reply;
  };
  storeA = new XmppUploadStore(capturing, { domain: xmpp.domain });
  storeB = XmppUploadStore.forCube(cubeB.chat); // the SDK path end to end: domain from its JID, origin learned
}, 300_000);

afterAll(async () => {
  await cubeA?.chat.disconnect().catch(() => false);
  await cubeB?.chat.disconnect().catch(() => false);
  await xmpp?.stop();
  if (xmpp) rmSync(xmpp.dir, { recursive: true, force: true });
});

describe('XmppUploadStore over ConnectyCube and Prosody (XEP-0363)', () => {
  it("A puts 10 MB, B gets the same bytes, and Prosody's disk holds exactly what was put", async () => {
    data = new Uint8Array(randomBytes(MB10)); // stands for the ciphertext the engine gives the page
    const upProgress: [number, number][] = [];
    let t = Date.now();
    at = await storeA.put(data, { progress: (done, total) => upProgress.push([done, total]) });
    const putMs = Date.now() - t;
    expect(at.startsWith(`${share.httpOrigin}/file_share/`)).toBe(true);
    expect(upProgress[0]).toEqual([0, MB10]);
    expect(upProgress.at(-1)).toEqual([MB10, MB10]);

    const onDisk = readFileSync(storedFile(at));
    expect(onDisk.length).toBe(MB10);
    expect(Buffer.compare(onDisk, data)).toBe(0);

    const downProgress: [number, number][] = [];
    t = Date.now();
    const got = await storeB.get(at, { progress: (done, total) => downProgress.push([done, total]) });
    const getMs = Date.now() - t;
    expect(got).toBeInstanceOf(Uint8Array);
    expect(got.length).toBe(MB10);
    expect(Buffer.compare(got, data)).toBe(0);
    expect(downProgress[0]).toEqual([0, MB10]);
    expect(downProgress.at(-1)).toEqual([MB10, MB10]);
    for (let i = 1; i < downProgress.length; i++) expect(downProgress[i]![0]).toBeGreaterThanOrEqual(downProgress[i - 1]![0]);
    console.log(`[timing] put 10 MB ${putMs} ms (discovery + slot + PUT), get ${getMs} ms (origin probe + GET)`);
  });

  it('asks for the slot with a random name and the ciphertext size, never a real name', async () => {
    const second = await storeA.put(new Uint8Array(randomBytes(1000)));
    const requests = slotRequests(wireA);
    expect(requests.length).toBe(2); // what A's SDK wrote to the socket: exactly the two puts' requests
    // The same stanzas as the store built them (before the SDK added the stream's namespace; the id
    // is the sender's, set after the capture).
    const bare = (stanza: string) => stanza.replace(/ (xmlns="jabber:client"|id="[^"]*")/g, '');
    expect(slotRequests(sentA)).toEqual(requests.map(bare));
    const names = requests.map((r) => attr(r, 'filename'));
    for (const name of names) expect(name).toMatch(/^[0-9a-f]{32}\.bin$/);
    expect(new Set(names).size).toBe(2);
    expect(requests.map((r) => attr(r, 'size'))).toEqual([String(MB10), '1000']);
    for (const r of requests) expect(attr(r, 'content-type')).toBe('application/octet-stream');
    expect(requests[0]).toMatch(/<iq [^>]*to="upload\.localhost"/); // found by disco#items + disco#info

    // Nothing A sent, nor what Prosody keeps about uploads, names the file or its type.
    const everything = wireA.join('\n') + readFileSync(join(share.dataDir, '..', 'uploads.list'), 'utf8');
    expect(everything).not.toContain(REAL_NAME);
    expect(everything).not.toMatch(/image\/|\.jpg/);
    expect(slotOf(second)).not.toBe(slotOf(at));
    // Discovery went through the SDK's own IQ callbacks, so the SDK did not take the disco replies
    // for last-activity answers (it would have called this listener with (null, NaN)).
    expect(lastActivityA).toEqual([]);
  });

  it('gets only from the upload service it learned: another origin or scheme is refused unfetched', async () => {
    const urls: string[] = [];
    const store = XmppUploadStore.forCube(cubeB.chat, { fetch: recordingFetch(urls) });
    expect(await store.get(at).then((bytes) => bytes.length)).toBe(MB10); // learns the origin first
    const fetched = urls.length;
    const sameServerOtherOrigin = at.replace('http://localhost:', 'http://127.0.0.1:');
    for (const url of [
      sameServerOtherOrigin,
      at.replace(String(xmpp.port), String(xmpp.port + 1)),
      'https://files.example.com/file_share/x/y.bin',
      'http://example.com/file_share/x/y.bin', // http off loopback
      'ftp://localhost/x.bin',
      'memory-file:1234',
      'not a url',
      `http://user:pw@localhost:${xmpp.port}/file_share/x/y.bin`,
    ]) {
      const error = await fileError(store.get(url));
      expect(error.message.length).toBeGreaterThan(10);
    }
    expect(urls.length).toBe(fetched); // none of those was requested

    const noLearning = new XmppUploadStore(cubeIqSender(cubeB.chat), { domain: xmpp.domain, learnOrigin: false });
    await fileError(noLearning.get(at));
    const configured = new XmppUploadStore(cubeIqSender(cubeB.chat), { domain: xmpp.domain, learnOrigin: false, allowedOrigins: [`${share.httpOrigin}/`] });
    expect(Buffer.compare(await configured.get(at), data)).toBe(0);
    await fileError(configured.get(sameServerOtherOrigin));
  });

  it('refuses a missing object: unknown slot, slot never uploaded, deleted file', async () => {
    const unknown = at.replace(slotOf(at), 'NoSuchSlot0000000000000');
    expect((await fileError(storeB.get(unknown))).message).toMatch(/404/);

    const slot = await storeA.requestSlot(64);
    expect(slot.get.startsWith(`${share.httpOrigin}/file_share/`)).toBe(true);
    expect(Object.keys(slot.headers)).toEqual(['Authorization']);
    expect((await fileError(storeB.get(slot.get))).message).toMatch(/410/);

    const small = new Uint8Array(randomBytes(5000));
    const url = await storeA.put(small);
    expect(Buffer.compare(await storeB.get(url), small)).toBe(0);
    rmSync(storedFile(url));
    expect((await fileError(storeB.get(url))).message).toMatch(/not on the server/);
  });

  it('refuses a body over its maximum (default 26 MiB)', async () => {
    expect(storeB.maxBytes).toBe(DEFAULT_UPLOAD_MAX_BYTES);
    expect(DEFAULT_UPLOAD_MAX_BYTES).toBe(26 * 1024 * 1024);
    const small = XmppUploadStore.forCube(cubeB.chat, { maxBytes: 1024 * 1024 });
    expect((await fileError(small.get(at))).message).toMatch(/at most 1048576/);
    // A server that sends no Content-Length is cut off while reading.
    const chunked: typeof fetch = async () =>
      new Response(new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(64 * 1024)); } }), { status: 200 });
    const streaming = new XmppUploadStore(cubeIqSender(cubeB.chat), { domain: xmpp.domain, maxBytes: 200_000, fetch: chunked, allowedOrigins: [share.httpOrigin] });
    expect((await fileError(streaming.get(at))).message).toMatch(/more than 200000/);
  });

  it('refuses to put more than the service takes', async () => {
    const service = await storeA.service();
    expect(service).toEqual({ jid: share.domain, maxFileSize: share.sizeLimit });
    expect(share.sizeLimit).toBeGreaterThanOrEqual(30 * 1024 * 1024);
    const error = await fileError(storeA.put(new Uint8Array(share.sizeLimit + 1)));
    expect(error.message).toMatch(/at most 31457280/);
    // Asked directly, Prosody refuses the slot; the error IQ becomes code file with its reason.
    expect((await fileError(storeA.requestSlot(share.sizeLimit + 1))).message).toMatch(/not-acceptable \(File too large; at most 31457280 bytes\)/);
  });

  it('rejects an aborted put with AbortError: before, during the slot request, during the upload', async () => {
    const before = new AbortController();
    before.abort();
    expect((await rejection(storeA.put(data, { signal: before.signal }))).name).toBe('AbortError');

    const duringIq = new AbortController();
    const real = cubeIqSender(cubeA.chat);
    const asked: string[] = [];
    const aborting = new XmppUploadStore((iq, options) => {
      const reply = real(iq, options); // the slot request is on the wire, its answer not yet in
      asked.push(iq.toString());
      duringIq.abort();
      return reply;
    }, { service: share.domain });
    expect((await rejection(aborting.put(data, { signal: duringIq.signal }))).name).toBe('AbortError');
    expect(slotRequests(asked).length).toBe(1);

    const duringPut = new AbortController();
    const replies = repliesA.length;
    const error = await rejection(storeA.put(data, {
      signal: duringPut.signal,
      progress: (done) => { if (done === 0) setTimeout(() => duringPut.abort(), 5); },
    }));
    expect(error.name).toBe('AbortError');
    // The slot was granted, its upload cut off: Prosody keeps no file for it.
    const slot = repliesA.slice(replies).map((r) => r.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'slot')).find(Boolean);
    const getUrl = slot?.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'get')?.attrs.url;
    expect(getUrl).toBeTruthy();
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(storedFile(getUrl!))).toBe(false);
    await fileError(storeB.get(getUrl!));

    const getAbort = new AbortController();
    const download = storeB.get(at, { signal: getAbort.signal, progress: (done) => { if (done > 0) getAbort.abort(); } });
    expect((await rejection(download)).name).toBe('AbortError');
  });

  it('with a configured service skips discovery: one IQ per put', async () => {
    const sent: string[] = [];
    const real = cubeIqSender(cubeA.chat);
    const store = new XmppUploadStore((iq, o) => (sent.push(iq.toString()), real(iq, o)), { service: share.domain });
    const small = new Uint8Array(randomBytes(3000));
    const url = await store.put(small);
    expect(sent.length).toBe(1);
    expect(sent[0]).toContain('<request xmlns="urn:xmpp:http:upload:0"');
    expect(Buffer.compare(readFileSync(storedFile(url)), small)).toBe(0);
  });
});

describe('XmppUploadStore with a fake IqSender', () => {
  const reply = (to: string, ...children: XmlElement[]): XmlElement => ({ name: 'iq', attrs: { type: 'result', from: to }, children });
  const el = (name: string, attrs: Record<string, string> = {}, ...children: (XmlElement | string)[]): XmlElement => ({ name, attrs, children });

  it('says plainly when the server has no upload service', async () => {
    const send: IqSender = async (iq) => {
      const to = iq.attrs.to!;
      const ns = iq.children[0]!.attrs.xmlns!;
      if (ns.endsWith('#items')) return reply(to, el('query', { xmlns: ns }, el('item', { jid: 'conference.example.org' })));
      return reply(to, el('query', { xmlns: ns }, el('feature', { var: 'http://jabber.org/protocol/muc' })));
    };
    const store = new XmppUploadStore(send, { domain: 'example.org' });
    expect((await fileError(store.put(new Uint8Array(3)))).message).toMatch(/offers no HTTP File Upload/);
  });

  it('refuses slots whose URLs are not https, and replies from someone else', async () => {
    const slot = (put: string, get: string) => el('slot', { xmlns: UPLOAD_NS }, el('put', { url: put }), el('get', { url: get }));
    let answer: XmlElement = reply('up.example.org', slot('http://files.example.org/a', 'https://files.example.org/a'));
    const store = new XmppUploadStore(async () => answer, { service: 'up.example.org' });
    expect((await fileError(store.requestSlot(3))).message).toMatch(/only https/);
    answer = { ...reply('evil.example.net', slot('https://x/a', 'https://x/a')) };
    expect((await fileError(store.requestSlot(3))).message).toMatch(/came from evil\.example\.net/);
  });

  it('builds the slot request as XEP-0363 says', async () => {
    let sent: XmlStanza | undefined;
    const store = new XmppUploadStore(async (iq) => {
      sent = iq;
      return reply('up.example.org', el('slot', { xmlns: UPLOAD_NS }, el('put', { url: 'https://f.example.org/p' }, el('header', { name: 'Authorization' }, 'Bearer t\r\nX: y'), el('header', { name: 'X-Evil' }, 'z')), el('get', { url: 'https://f.example.org/g' })));
    }, { service: 'up.example.org' });
    const slot = await store.requestSlot(42);
    expect(sent!.toString()).toMatch(/^<iq type="get" to="up\.example\.org"><request xmlns="urn:xmpp:http:upload:0" filename="[0-9a-f]{32}\.bin" size="42" content-type="application\/octet-stream"\/><\/iq>$/);
    expect(slot).toEqual({ put: 'https://f.example.org/p', headers: { Authorization: 'Bearer tX: y' }, get: 'https://f.example.org/g' });
  });
});
