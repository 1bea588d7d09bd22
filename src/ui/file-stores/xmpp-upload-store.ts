/**
 * A file store on the chat server itself (issue 21): XEP-0363 HTTP File Upload over the XMPP
 * connection the chat already has. `put` asks the server's upload service for a slot (an IQ with a
 * random file name and the ciphertext's size, never the real name), PUTs the ciphertext to the slot's
 * URL, and resolves with the URL the peer GETs. `get` fetches only from where the upload service
 * serves files (https, or http on loopback for tests), and only up to a size limit.
 *
 * The XMPP part is an {@link IqSender}: one function that sends an IQ and resolves with the reply.
 * {@link cubeIqSender} is the one for the ConnectyCube SDK (6.x); any other XMPP library fits with a
 * few lines.
 */
import { E2eeError } from '../../protocol/errors.js';
import type { FileProgress, FileStore } from './file-store.js';
import { abortError, downloadBytes, reason } from './http-download.js';

/** XEP-0363's namespace. */
export const UPLOAD_NS = 'urn:xmpp:http:upload:0';
const DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const DATA_FORMS = 'jabber:x:data';
const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
/** The slot headers a client may pass on (XEP-0363 §5); any other is dropped. */
const SLOT_HEADERS = new Set(['authorization', 'cookie', 'expires']);

/** Default {@link XmppUploadStoreOptions.maxBytes}: 26 MiB (files are at most 25 MiB before sealing). */
export const DEFAULT_UPLOAD_MAX_BYTES = 26 * 1024 * 1024;
/** Default {@link CubeIqSenderOptions.timeoutMs}. */
export const DEFAULT_IQ_TIMEOUT_MS = 30_000;

/** An XML element as XMPP libraries hand them over (ltx, which xmpp.js uses, has this shape). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string | undefined>;
  children: readonly (XmlElement | string)[];
}

/** An element this store builds: it serialises itself, so any XMPP library can send it as it is. */
export class XmlStanza implements XmlElement {
  readonly children: XmlStanza[] = [];
  /** Set by xmpp.js when it sends the element; unused here. */
  parent: unknown = null;

  constructor(
    readonly name: string,
    readonly attrs: Record<string, string | undefined> = {},
    ...children: XmlStanza[]
  ) {
    this.children.push(...children);
  }

  toString(): string {
    const attrs = Object.entries(this.attrs)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
      .join('');
    return this.children.length === 0 ? `<${this.name}${attrs}/>` : `<${this.name}${attrs}>${this.children.join('')}</${this.name}>`;
  }
}

/**
 * Sends one IQ stanza and resolves with the reply `<iq/>` (of type `result` or `error`). It may set
 * the IQ's `id`. Rejects with an `AbortError` when `signal` aborts, and with an `E2eeError` of code
 * `file` when the IQ cannot be sent or no reply comes in time.
 */
export type IqSender = (iq: XmlStanza, options?: { signal?: AbortSignal }) => Promise<XmlElement>;

/** Where a slot lets us upload one file, and where the peer then fetches it. */
export interface UploadSlot {
  put: string;
  /** The slot's headers for the PUT (only Authorization, Cookie and Expires are kept). */
  headers: Record<string, string>;
  get: string;
}

/** The upload service found on the server (or configured). */
export interface UploadService {
  jid: string;
  /** The largest file it takes, in bytes, when it says. */
  maxFileSize?: number;
}

export interface XmppUploadStoreOptions {
  /**
   * The XMPP domain whose upload service to discover (disco#items on it, then disco#info on each
   * item and on the domain itself). A function is asked at discovery time. Not needed with `service`.
   */
  domain?: string | (() => string | undefined);
  /** The upload service's JID (e.g. `upload.example.com`): skips discovery. */
  service?: string;
  /**
   * Origins `get` fetches from besides the one the upload service's slots point at (learned from
   * the slots this store is given), e.g. `https://files.example.com`.
   */
  allowedOrigins?: Iterable<string>;
  /**
   * When `get` meets a URL and this store has not been given a slot yet, ask the service for a slot
   * (of 1 byte, never used) to learn where it serves files from. Default true; false means only
   * `allowedOrigins` and origins of earlier `put`s are fetched from.
   */
  learnOrigin?: boolean;
  /** The largest body `get` accepts, in bytes. Default {@link DEFAULT_UPLOAD_MAX_BYTES}. */
  maxBytes?: number;
  /** The `fetch` to use; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

type Options = { signal?: AbortSignal; progress?: FileProgress };

/**
 * {@link FileStore} on XEP-0363 HTTP File Upload. With the ConnectyCube SDK:
 * `XmppUploadStore.forCube(cube.chat)` (its domain is the one the chat is logged in to).
 */
export class XmppUploadStore implements FileStore {
  readonly maxBytes: number;
  private readonly fetch: typeof fetch;
  private readonly domain: () => string | undefined;
  private readonly configured: ReadonlySet<string>;
  /** GET origins of the slots the service gave us. */
  private readonly learned = new Set<string>();
  private discovery: Promise<UploadService> | undefined;
  private probe: Promise<void> | undefined;

  constructor(
    private readonly send: IqSender,
    private readonly options: XmppUploadStoreOptions = {},
  ) {
    const { domain, maxBytes = DEFAULT_UPLOAD_MAX_BYTES } = options;
    if (typeof send !== 'function') throw new E2eeError('invalid-input', 'XmppUploadStore needs an IqSender function.');
    if (!options.service && !domain) throw new E2eeError('invalid-input', 'XmppUploadStore needs a domain (to discover the upload service) or a service JID.');
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new E2eeError('invalid-input', `maxBytes must be a whole number of bytes, not ${maxBytes}.`);
    this.maxBytes = maxBytes;
    this.domain = typeof domain === 'function' ? domain : () => domain;
    const configured = new Set<string>();
    for (const origin of options.allowedOrigins ?? []) configured.add(originOf(origin));
    this.configured = configured;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /**
   * A store on a ConnectyCube SDK chat (`cube.chat`, XMPP flavour, 6.x), logged in or about to be;
   * the domain defaults to the one it is logged in to.
   */
  static forCube(chat: CubeIqChat, options: XmppUploadStoreOptions & CubeIqSenderOptions = {}): XmppUploadStore {
    return new XmppUploadStore(cubeIqSender(chat, options), { ...options, domain: options.domain ?? (() => cubeDomain(chat)) });
  }

  /**
   * The upload service: the configured one, or the first the server lists (found once and kept; a
   * failed discovery is tried again next time). `signal` stops the wait, not a discovery others share.
   */
  service(options: { signal?: AbortSignal } = {}): Promise<UploadService> {
    if (this.options.service) return Promise.resolve({ jid: this.options.service });
    if (!this.discovery) {
      const discovery = this.discover();
      this.discovery = discovery;
      discovery.catch(() => {
        if (this.discovery === discovery) this.discovery = undefined;
      });
    }
    return untilAborted(this.discovery, options.signal);
  }

  /** Ask the upload service for a slot for `size` bytes, under a random name. */
  async requestSlot(size: number, options: { signal?: AbortSignal } = {}): Promise<UploadSlot> {
    if (!Number.isSafeInteger(size) || size < 0) throw new E2eeError('invalid-input', `A slot's size must be a whole number of bytes, not ${size}.`);
    const service = await this.service(options);
    const request = new XmlStanza('request', {
      xmlns: UPLOAD_NS,
      filename: `${randomHex(16)}.bin`, // the real name stays in the encrypted reference
      size: String(size),
      'content-type': 'application/octet-stream',
    });
    const reply = await this.iq('get', service.jid, request, options.signal);
    const slot = child(reply, 'slot', UPLOAD_NS);
    const put = slot && child(slot, 'put');
    const get = slot && child(slot, 'get');
    const putUrl = put?.attrs.url;
    const getUrl = get?.attrs.url;
    if (!put || !putUrl || !getUrl) throw new E2eeError('file', `The upload service ${service.jid} answered without a slot's put and get URLs.`);
    checkUrl(putUrl, 'upload to');
    checkUrl(getUrl, 'fetch from');
    const headers: Record<string, string> = {};
    for (const header of children(put, 'header')) {
      const name = header.attrs.name ?? '';
      if (SLOT_HEADERS.has(name.toLowerCase())) headers[name] = text(header).replace(/[\r\n]/g, '');
    }
    this.learned.add(new URL(getUrl).origin);
    return { put: putUrl, headers, get: getUrl };
  }

  async put(ciphertext: Uint8Array, options: Options = {}): Promise<string> {
    const { signal, progress } = options;
    if (signal?.aborted) throw abortError(signal);
    if (!(ciphertext instanceof Uint8Array)) throw new E2eeError('invalid-input', 'The ciphertext must be a Uint8Array.');
    const size = ciphertext.length;
    const service = await this.service({ signal });
    if (service.maxFileSize !== undefined && size > service.maxFileSize) {
      throw new E2eeError('file', `The file is ${size} bytes; the chat server's upload service takes at most ${service.maxFileSize}.`);
    }
    const slot = await this.requestSlot(size, { signal });
    if (signal?.aborted) throw abortError(signal);
    // fetch takes only ArrayBuffer-backed bytes (a SharedArrayBuffer's are copied).
    const body = ciphertext.buffer instanceof ArrayBuffer ? (ciphertext as Uint8Array<ArrayBuffer>) : new Uint8Array(ciphertext);
    progress?.(0, size);
    let response: Response;
    try {
      response = await this.fetch(slot.put, {
        method: 'PUT',
        body,
        headers: { ...slot.headers, 'Content-Type': 'application/octet-stream' },
        signal,
        redirect: 'error',
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      throw new E2eeError('file', `The upload failed: ${reason(error)}.`);
    }
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) {
      throw new E2eeError('file', `The upload service refused the file (HTTP ${response.status}${response.status === 413 ? ': too large' : ''}).`);
    }
    progress?.(size, size);
    return slot.get;
  }

  async get(at: string, options: Options = {}): Promise<Uint8Array> {
    const { signal, progress } = options;
    if (signal?.aborted) throw abortError(signal);
    if (typeof at !== 'string') throw new E2eeError('file', 'A file place must be a URL string.');
    const url = checkUrl(at, 'fetch from');
    if (!this.allows(url.origin) && this.options.learnOrigin !== false && this.learned.size === 0) {
      await this.learnOrigin(signal);
    }
    if (!this.allows(url.origin)) {
      throw new E2eeError('file', `This store fetches files only from the upload service (${[...this.origins()].join(', ') || 'none known'}), not from ${url.origin}.`);
    }
    return downloadBytes(this.fetch, url.href, { maxBytes: this.maxBytes, ...(signal ? { signal } : {}), ...(progress ? { progress } : {}) });
  }

  private allows(origin: string): boolean {
    return this.configured.has(origin) || this.learned.has(origin);
  }

  private origins(): Set<string> {
    return new Set([...this.configured, ...this.learned]);
  }

  /** Learn the service's GET origin from a slot of our own (1 byte, never uploaded); once per store. */
  private async learnOrigin(signal: AbortSignal | undefined): Promise<void> {
    if (!this.probe) {
      const probe = this.requestSlot(1).then(() => undefined);
      this.probe = probe;
      probe.catch(() => {
        if (this.probe === probe) this.probe = undefined;
      });
    }
    await untilAborted(this.probe, signal);
  }

  /** Find the service: disco#items on the domain, disco#info on each item (and the domain itself). */
  private async discover(): Promise<UploadService> {
    const domain = this.domain();
    if (!domain) throw new E2eeError('file', 'The chat is not connected, so its upload service cannot be found.');
    const items = await this.iq('get', domain, new XmlStanza('query', { xmlns: DISCO_ITEMS }), undefined);
    const query = child(items, 'query', DISCO_ITEMS);
    const jids = (query ? children(query, 'item') : []).map((item) => item.attrs.jid).filter((jid): jid is string => !!jid);
    const candidates = [...new Set([...jids, domain])];
    const infos = await Promise.all(
      candidates.map((jid) =>
        this.iq('get', jid, new XmlStanza('query', { xmlns: DISCO_INFO }), undefined).then(
          (reply) => ({ jid, info: child(reply, 'query', DISCO_INFO) }),
          () => ({ jid, info: undefined }), // an item that does not answer disco#info is not the one
        ),
      ),
    );
    for (const { jid, info } of infos) {
      if (!info || !children(info, 'feature').some((feature) => feature.attrs.var === UPLOAD_NS)) continue;
      const maxFileSize = maxFileSizeOf(info);
      return maxFileSize === undefined ? { jid } : { jid, maxFileSize };
    }
    throw new E2eeError('file', `The chat server (${domain}) offers no HTTP File Upload (XEP-0363) service.`);
  }

  /** Send an IQ; resolves with the reply's child, rejects with code `file` on an error reply. */
  private async iq(type: 'get' | 'set', to: string, payload: XmlStanza, signal: AbortSignal | undefined): Promise<XmlElement> {
    if (signal?.aborted) throw abortError(signal);
    let reply: XmlElement;
    try {
      reply = await this.send(new XmlStanza('iq', { type, to }, payload), { signal });
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      throw error instanceof E2eeError ? error : new E2eeError('file', `Could not ask ${to}: ${reason(error)}.`);
    }
    if (signal?.aborted) throw abortError(signal);
    if (reply?.name !== 'iq') throw new E2eeError('file', `${to} answered with something that is not an IQ.`);
    const from = reply.attrs.from;
    if (from && from.toLowerCase() !== to.toLowerCase()) throw new E2eeError('file', `An answer meant to come from ${to} came from ${from}.`);
    if (reply.attrs.type === 'error') throw new E2eeError('file', `${to} refused: ${stanzaError(reply)}.`);
    if (reply.attrs.type !== 'result') throw new E2eeError('file', `${to} answered with an IQ of type ${reply.attrs.type ?? '(none)'}.`);
    return reply;
  }
}

/** The slice of the ConnectyCube SDK's XMPP chat (`cube.chat`, 6.x) that {@link cubeIqSender} uses. */
export interface CubeIqChat {
  /**
   * The SDK's table of IQ reply callbacks by stanza id (`XMPPChatService.stanzasCallbacks`): its
   * `onIQ` calls and removes the one of a reply's id, as for its own `ping()`.
   */
  stanzasCallbacks: Record<string, (stanza: XmlElement) => void>;
  /** The SDK's xmpp.js client; we use its `sendOnline(element)` (checked at run time). */
  readonly xmppClient: object;
}

export interface CubeIqSenderOptions {
  /** How long to wait for a reply; default {@link DEFAULT_IQ_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/**
 * An {@link IqSender} over the ConnectyCube SDK's XMPP connection: `chat.xmppClient.sendOnline(iq)`,
 * with the reply taken from the SDK's `chat.stanzasCallbacks` (how the SDK's own `ping()` and
 * `getLastUserActivity()` wait for theirs). Not xmpp.js's `xmppClient.iqCaller`: a reply it takes
 * still reaches the SDK's `onIQ`, which reads every unclaimed reply with a `<query/>` (disco's) as a
 * last-activity answer and calls the host's `onLastUserActivityListener(null, NaN)`.
 */
export function cubeIqSender(chat: CubeIqChat, options: CubeIqSenderOptions = {}): IqSender {
  const timeoutMs = options.timeoutMs ?? DEFAULT_IQ_TIMEOUT_MS;
  return (iq, { signal } = {}) => {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const client = chat.xmppClient as { sendOnline?: (element: XmlStanza) => Promise<void> } | undefined;
    const callbacks = chat.stanzasCallbacks as CubeIqChat['stanzasCallbacks'] | undefined;
    if (typeof client?.sendOnline !== 'function' || typeof callbacks !== 'object' || !callbacks) {
      return Promise.reject(new E2eeError('invalid-input', 'chat is not the XMPP chat of the ConnectyCube SDK 6.x (no xmppClient.sendOnline or stanzasCallbacks).'));
    }
    const sendOnline = client.sendOnline.bind(client);
    const id = (iq.attrs.id ??= `upload-${randomHex(12)}`);
    return new Promise<XmlElement>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (callbacks[id] === onReply) delete callbacks[id];
      };
      const onReply = (stanza: XmlElement): void => {
        finish();
        resolve(stanza);
      };
      const onAbort = (): void => {
        finish();
        reject(abortError(signal!));
      };
      const timer = setTimeout(() => {
        finish();
        reject(new E2eeError('file', `No answer from ${iq.attrs.to ?? 'the server'} in ${timeoutMs} ms.`));
      }, timeoutMs);
      callbacks[id] = onReply;
      signal?.addEventListener('abort', onAbort, { once: true });
      sendOnline(iq).catch((error: unknown) => {
        finish();
        reject(new E2eeError('file', `Could not send to the chat server: ${reason(error)}.`));
      });
    });
  };
}

/** The domain a ConnectyCube chat is logged in to (xmpp.js's `jid`), when it is. */
function cubeDomain(chat: CubeIqChat): string | undefined {
  const jid: unknown = Reflect.get(chat.xmppClient, 'jid');
  const domain: unknown = jid && typeof jid === 'object' ? Reflect.get(jid, 'domain') : undefined;
  return typeof domain === 'string' && domain ? domain : undefined;
}

/** `at` as a URL we may talk to: https, or http on loopback (tests, a local server); no credentials. */
function checkUrl(at: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(at);
  } catch {
    throw new E2eeError('file', `Not a URL this store can ${what}: ${at.slice(0, 80)}.`);
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
  if (!secure) throw new E2eeError('file', `This store does not ${what} ${url.protocol}//${url.host}: only https (or http on this machine).`);
  if (url.username || url.password) throw new E2eeError('file', `This store does not ${what} URLs with credentials.`);
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function originOf(origin: string): string {
  try {
    const url = new URL(origin);
    if (url.origin === 'null') throw new Error('opaque');
    return url.origin;
  } catch {
    throw new E2eeError('invalid-input', `Not an origin: ${origin}.`);
  }
}

function child(element: XmlElement, name: string, xmlns?: string): XmlElement | undefined {
  return children(element, name).find((node) => xmlns === undefined || node.attrs.xmlns === xmlns);
}

function children(element: XmlElement, name: string): XmlElement[] {
  return (element.children ?? []).filter((node): node is XmlElement => typeof node !== 'string' && node.name === name);
}

function text(element: XmlElement): string {
  return (element.children ?? []).filter((node): node is string => typeof node === 'string').join('');
}

/** A data form's max-file-size (XEP-0363 §4) in a disco#info reply. */
function maxFileSizeOf(info: XmlElement): number | undefined {
  for (const form of children(info, 'x').filter((x) => x.attrs.xmlns === DATA_FORMS)) {
    const fields = children(form, 'field');
    const formType = fields.find((field) => field.attrs.var === 'FORM_TYPE');
    if (!formType || !children(formType, 'value').some((value) => text(value).trim() === UPLOAD_NS)) continue;
    const max = fields.find((field) => field.attrs.var === 'max-file-size');
    const value = max && children(max, 'value')[0];
    const size = value ? Number(text(value).trim()) : NaN;
    if (Number.isSafeInteger(size) && size >= 0) return size;
  }
  return undefined;
}

/** "not-acceptable (File too large; at most 31457280 bytes)" from an error IQ. */
function stanzaError(reply: XmlElement): string {
  const error = child(reply, 'error');
  if (!error) return 'an error without details';
  const nodes = error.children.filter((node): node is XmlElement => typeof node !== 'string');
  const condition = nodes.find((node) => node.attrs.xmlns === STANZAS && node.name !== 'text')?.name ?? 'undefined-condition';
  const words = nodes.find((node) => node.name === 'text');
  const max = nodes.find((node) => node.name === 'file-too-large');
  const limit = max && child(max, 'max-file-size');
  const details = [words && text(words), limit && `at most ${text(limit)} bytes`].filter(Boolean).join('; ');
  return details ? `${condition} (${details})` : condition;
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `promise`, or an AbortError as soon as `signal` aborts (the work itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
