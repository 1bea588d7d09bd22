/**
 * The isolated mode's frame (`dist/frame.html` loads it): the whole chat, its engine worker and its
 * storage, on the frame's own origin. The page reaches it only through the bridge
 * (bridge-protocol.ts): it hands in the transport's traffic and the element's settings, and hears
 * states, fingerprints and delivery outcomes, never keys, and text only with `expose-text`.
 */
import { E2eeError } from '../../protocol/errors.js';
import type { E2eeChat } from '../e2ee-chat.component.js';
import '../e2ee-chat.js';
import { startEngine } from '../engine-client.js';
import { connection, onRefused } from './frame-hello.js';
import { FORWARDED_EVENTS, parseHostMessage, type FrameMessage, type FrameSettings, type HostMessage } from './bridge-protocol.js';
import { PortTransport } from './port-transport.js';
import { PortFileStore } from './port-file-store.js';
import { applyTheme } from './theme-apply.js';
import { canGuard, VisibilityGuard } from './visibility-guard.js';

/** One frame serves one element: the first hello from the parent wins, every later one is refused. */
class FrameSession {
  private chat?: E2eeChat;
  private transport?: PortTransport;
  private settings?: FrameSettings;
  private guard?: VisibilityGuard;
  /** The page's file store, over the port (given to the chat when the page has one). */
  private readonly files = new PortFileStore((m) => this.post(m));

  constructor(private readonly port: MessagePort) {
    port.onmessage = (event: MessageEvent) => this.onMessage(event.data);
    port.start();
  }

  post(message: FrameMessage): void {
    this.port.postMessage(message);
  }

  /** Tell the page something it sent was refused (an `e2ee-error` of code `frame` there). */
  refuse(what: string): void {
    this.post({
      t: 'event',
      name: 'e2ee-error',
      detail: { peer: this.settings?.peer ?? '', code: 'frame', message: `The chat's frame refused ${what}.` },
    });
  }

  private onMessage(data: unknown): void {
    const message = parseHostMessage(data);
    if (!message) return this.refuse('a malformed message from the page');
    void this.handle(message);
  }

  private async handle(message: HostMessage): Promise<void> {
    switch (message.t) {
      case 'settings':
        return this.apply(message.settings);
      case 'theme':
        if (this.chat) for (const refused of applyTheme(this.chat, message.vars)) this.refuse(refused);
        return;
      case 'incoming': {
        if (!this.transport) return this.post({ t: 'read', id: message.id, error: { code: 'frame', message: 'The frame has no settings yet.' } });
        try {
          await this.transport.deliver({ from: message.from, body: message.body, at: new Date(message.at) });
          this.post({ t: 'read', id: message.id });
        } catch (error) {
          this.post({ t: 'read', id: message.id, error: plainError(error) });
        }
        return;
      }
      case 'transport-state':
        return this.transport?.setState(message.state);
      case 'sent':
        return this.transport?.sent(message.id, message.error);
      case 'call':
        return this.call(message.id, message.method, message.arg);
      case 'file-stored':
      case 'file-fetched':
      case 'file-progress':
        return this.files.answer(message);
    }
  }

  private apply(settings: FrameSettings): void {
    const first = !this.settings;
    if (!first && settings.identity !== this.settings?.identity) return this.refuse('a change of identity (reload the element instead)');
    this.settings = settings;
    if (first) this.mount(settings);
    const chat = this.chat!;
    // In isolated mode nothing the page could read goes out in plaintext: messages wait for privacy.
    Object.assign(chat, {
      files: settings.files ? this.files : undefined,
      maxFileSize: settings.maxFileSize,
      requireEncryption: true,
      autoPrivate: settings.autoPrivate,
      requireV3: settings.requireV3,
      ephemeral: settings.ephemeral,
      accountName: settings.accountName,
      peerName: settings.peerName,
      peer: settings.peer,
    });
    if (this.transport && settings.transportState !== this.transport.state) this.transport.setState(settings.transportState);
    void chat.ready.then(
      () => this.post({ t: 'attached' }),
      () => undefined,
    );
  }

  private mount(settings: FrameSettings): void {
    this.transport = new PortTransport((m) => this.post(m), settings);
    const chat = document.createElement('e2ee-chat');
    chat.fill = true;
    Object.assign(chat.style, { flex: '1 1 auto', minHeight: '0' });
    chat.engine = startEngine({ name: settings.identity });
    chat.transport = this.transport;
    for (const name of FORWARDED_EVENTS)
      chat.addEventListener(name, (event) => this.forward(name, (event as unknown as CustomEvent<Record<string, unknown>>).detail));
    document.body.append(chat);
    this.chat = chat;
    void storageRefused().then((refused) => refused && this.warnVolatile(chat));
    if (canGuard()) this.guard = new VisibilityGuard(chat, (hold) => (chat.inputHold = hold));
  }

  /** The browser gives this frame no storage (a frame on another site): say the key lasts for this visit. */
  private warnVolatile(chat: E2eeChat): void {
    const note = document.createElement('p');
    note.setAttribute('role', 'status');
    note.textContent = VOLATILE_NOTICE;
    Object.assign(note.style, {
      margin: '0',
      padding: '6px 10px',
      font: '13px/1.4 system-ui, sans-serif',
      color: '#1d232b',
      background: '#fff8c5',
      borderBottom: '1px solid #d4a72c',
    });
    chat.before(note);
    this.post({ t: 'event', name: 'e2ee-error', detail: { peer: this.settings?.peer ?? '', code: 'store', message: VOLATILE_NOTICE } });
  }

  private forward(name: (typeof FORWARDED_EVENTS)[number], detail: Record<string, unknown>): void {
    // Message text stays in the frame unless the page opted in.
    const file = detail.file as { name: string } | undefined;
    const withheld = { ...detail, text: '', textWithheld: true, ...(file ? { file: { ...file, name: '' } } : {}) };
    const shown = name === 'e2ee-message' && !this.settings?.exposeText ? withheld : detail;
    this.post({ t: 'event', name, detail: shown });
  }

  private async call(id: number, method: string, arg: string | undefined): Promise<void> {
    const chat = this.chat;
    try {
      if (!chat) throw new E2eeError('frame', 'The frame has no settings yet.');
      let value: string | undefined;
      if (method === 'startPrivate') await chat.startPrivate();
      else if (method === 'endPrivate') await chat.endPrivate();
      else if (method === 'exportFingerprints') value = await chat.exportFingerprints();
      else if (method === 'verify') chat.verify(arg === 'secret' || arg === 'fingerprint' ? arg : 'qa');
      else if (method === 'send') {
        if (!this.settings?.exposeText) throw new E2eeError('frame', 'In isolated mode the page may send text only with expose-text.');
        await chat.send(arg ?? '');
      }
      this.post(value === undefined ? { t: 'result', id } : { t: 'result', id, value });
    } catch (error) {
      this.post({ t: 'result', id, error: plainError(error) });
    }
  }
}

const VOLATILE_NOTICE =
  "This browser gives the chat's frame no storage (it is on another site than this page), so your key lasts for this visit only and contacts see a new one next time. Serve frame.html from this site's own domain (a subdomain) to keep it.";

/** Whether the browser refuses this frame IndexedDB (third-party storage blocked). */
function storageRefused(): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const request = indexedDB.open('e2ee-chat:storage-probe');
      request.onsuccess = () => {
        request.result.close();
        resolve(false);
      };
      request.onerror = () => resolve(true);
    } catch {
      resolve(true);
    }
  });
}

function plainError(error: unknown): { code: E2eeError['code']; message: string } {
  return error instanceof E2eeError ? { code: error.code, message: error.message } : { code: 'internal', message: String(error) };
}

/** Start the frame's chat on the connection frame-hello.ts took. */
function main(): void {
  if (window.parent === window) {
    document.body.textContent = 'This is the private chat frame of <e2ee-chat isolated>; it works only inside the element.';
    return;
  }
  Object.assign(document.documentElement.style, { height: '100%' });
  Object.assign(document.body.style, { height: '100%', margin: '0', display: 'flex', flexDirection: 'column' });
  void connection.then((port) => {
    const session = new FrameSession(port);
    onRefused((what) => session.refuse(what));
  });
}

main();
