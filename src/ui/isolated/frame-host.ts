/**
 * The page's side of isolated mode: one `<e2ee-chat isolated>` is a shell around a cross-origin
 * `<iframe>` (frame-page.ts). The shell checks that the frame answers from the expected origin, in
 * this release, and then only relays: the transport's wire text in and out, the element's
 * settings and theme in, the frame's events and call results out.
 */
import { E2eeError } from '../../protocol/errors.js';
import type { Transport } from '../transport.js';
import type { FileStore } from '../file-stores/file-store.js';
import {
  BRIDGE_VERSION,
  parseFrameMessage,
  parseFrameReady,
  type ForwardedEvent,
  type FrameMessage,
  type FrameMethod,
  type FrameSettings,
  type HostMessage,
} from './bridge-protocol.js';
import { THEME_TOKENS } from './theme.js';

/** What the shell tells its element. */
export interface FrameHostEvents {
  /** An `e2ee-*` event from the frame. */
  event(name: ForwardedEvent, detail: Record<string, unknown>): void;
  /** The frame is up (`ms` after the element attached), and whether it can tell it is covered. */
  up(ms: number, overlayGuard: boolean): void;
  /** The frame could not be used; the shell stops. */
  failed(error: E2eeError): void;
}

type Settings = Omit<FrameSettings, 'self' | 'maxMessageSize' | 'transportState'>;

/** One element's frame: the handshake, then the relay. */
export class FrameHost {
  private port?: MessagePort;
  private transport?: Transport;
  private settings?: Settings;
  private theme: Record<string, string> = {};
  /** The element's file store: the frame's files go to it as ciphertext. */
  private files?: FileStore;
  private readonly fileJobs = new Map<number, AbortController>();
  private windowOff?: () => void;
  private transportOff: (() => void)[] = [];
  private readonly calls = new Map<number, { resolve: (value: string | undefined) => void; reject: (error: E2eeError) => void }>();
  /** Messages the transport delivered before the frame was up, in order. */
  private readonly waiting: Extract<HostMessage, { t: 'incoming' }>[] = [];
  private readonly reads = new Map<number, { resolve: () => void; reject: (error: E2eeError) => void }>();
  private nextId = 1;
  private timer?: ReturnType<typeof setTimeout>;
  private startedAt = 0;
  private stopped = false;
  /** Settles when the frame's chat is attached, or the frame failed or stopped first. */
  private readonly attached: Promise<void>;
  private settleAttached!: (error?: E2eeError) => void;

  constructor(
    /** The frame page's URL (absolute). */
    readonly url: URL,
    /** The origin the frame must answer from. */
    readonly origin: string,
    private readonly events: FrameHostEvents,
    private readonly timeoutMs: number,
  ) {
    this.attached = new Promise<void>((resolve, reject) => {
      this.settleAttached = (error) => (error ? reject(error) : resolve());
    });
    this.attached.catch(() => undefined); // a failure is reported through `failed`; callers see it when they wait
  }

  /**
   * Start listening for `frame`'s ready message (`early`: what the page's window heard before). Fails at once for
   * a frame on the page's own origin, which would give the page everything isolation withholds.
   */
  listen(frame: () => HTMLIFrameElement | null, startedAt = performance.now(), early: MessageEvent[] = []): void {
    this.startedAt = startedAt;
    if (this.origin === location.origin)
      return this.fail(
        `The frame URL ${this.url.href} is on the page's own origin, so the page could read it: serve frame.html from another origin.`,
      );
    const onMessage = (event: MessageEvent): void => {
      const iframe = frame();
      if (!iframe || event.source !== iframe.contentWindow) return;
      const ready = parseFrameReady(event.data);
      if (!ready) return;
      if (event.origin !== this.origin) return this.fail(`The chat's frame answered from ${event.origin}, not ${this.origin}.`);
      if (ready.version !== BRIDGE_VERSION)
        return this.fail(
          `The chat's frame at ${this.url.href} is from another release (bridge ${ready.version}, this element speaks ${BRIDGE_VERSION}).`,
        );
      if (this.port) return; // a reload of the frame is not a new frame to trust
      this.connect(iframe, ready.overlayGuard);
    };
    window.addEventListener('message', onMessage);
    this.windowOff = () => window.removeEventListener('message', onMessage);
    for (const event of early) onMessage(event); // posted while this code loaded
    this.timer = setTimeout(
      () => this.fail(`The chat's frame at ${this.url.href} did not answer within ${this.timeoutMs / 1000} s.`),
      this.timeoutMs,
    );
  }

  private connect(iframe: HTMLIFrameElement, overlayGuard: boolean): void {
    clearTimeout(this.timer);
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.port.onmessage = (event: MessageEvent) => this.onMessage(event.data);
    iframe.contentWindow!.postMessage({ e2eeHost: 'hello', version: BRIDGE_VERSION }, this.origin, [channel.port2]);
    this.events.up(performance.now() - this.startedAt, overlayGuard);
    this.sendSettings(); // first: the frame has its transport before the first message
    for (const incoming of this.waiting.splice(0)) this.post(incoming);
  }

  /** Settings and transport for the frame's chat; sent now, or once the frame is up. */
  configure(settings: Settings, transport: Transport, theme: Record<string, string>, files?: FileStore): void {
    this.files = files;
    if (transport !== this.transport) {
      for (const off of this.transportOff.splice(0)) off();
      this.transport = transport;
      this.subscribe(transport);
    }
    this.settings = settings;
    this.theme = theme;
    this.sendSettings();
  }

  private sendSettings(): void {
    const transport = this.transport;
    if (!this.port || !transport || !this.settings) return;
    this.post({
      t: 'settings',
      settings: { ...this.settings, self: transport.self, maxMessageSize: transport.maxMessageSize, transportState: transport.state },
    });
    this.post({ t: 'theme', vars: this.theme });
  }

  private subscribe(transport: Transport): void {
    this.transportOff.push(
      // Each message settles once the frame read it (see TransportHandler); until the frame is up it waits here.
      transport.onMessage(
        (m) =>
          new Promise<void>((resolve, reject) => {
            const id = this.nextId++;
            this.reads.set(id, { resolve, reject });
            const incoming = { t: 'incoming', id, from: m.from, body: m.body, at: m.at.getTime() } as const;
            if (this.port) this.post(incoming);
            else this.waiting.push(incoming);
          }),
      ),
      transport.onStateChange((state) => this.post({ t: 'transport-state', state })),
    );
  }

  /** Call one of the element's methods inside the frame. */
  call(method: FrameMethod, arg?: string): Promise<string | undefined> {
    if (this.stopped) return Promise.reject(new E2eeError('frame', "The chat's frame is not running."));
    return this.whenAttached().then(
      () =>
        new Promise((resolve, reject) => {
          const id = this.nextId++;
          this.calls.set(id, { resolve, reject });
          this.post(arg === undefined ? { t: 'call', id, method } : { t: 'call', id, method, arg });
        }),
    );
  }

  /** Resolves once the frame's chat is attached (its engine runs this conversation). */
  whenAttached(): Promise<void> {
    return this.attached;
  }

  private post(message: HostMessage): void {
    this.port?.postMessage(message);
  }

  private onMessage(data: unknown): void {
    const message = parseFrameMessage(data);
    if (!message) return;
    switch (message.t) {
      case 'send': {
        const reply = (error?: { code: E2eeError['code']; message: string }) =>
          this.post(error ? { t: 'sent', id: message.id, error } : { t: 'sent', id: message.id });
        if (!this.transport) return reply({ code: 'transport', message: 'No transport.' });
        this.transport.send(message.peer, message.body).then(
          () => reply(),
          (error: unknown) =>
            reply({ code: error instanceof E2eeError ? error.code : 'transport', message: String((error as Error)?.message ?? error) }),
        );
        return;
      }
      case 'claim':
        return this.transport?.claim?.(message.peer);
      case 'read':
        return settle(this.reads, message.id, message.error, undefined);
      case 'result':
        return settle(this.calls, message.id, message.error, message.value);
      case 'event':
        return this.events.event(message.name, message.detail);
      case 'attached':
        return this.settleAttached();
      case 'file-put':
      case 'file-get':
        return void this.fileJob(message);
      case 'file-abort':
        return this.fileJobs.get(message.id)?.abort();
    }
  }

  /** The frame's store request: run it on the element's store; only ciphertext and places cross. */
  private async fileJob(message: Extract<FrameMessage, { t: 'file-put' | 'file-get' }>): Promise<void> {
    const { id } = message;
    const abort = new AbortController();
    this.fileJobs.set(id, abort);
    const options = { signal: abort.signal, progress: (done: number, total: number) => this.post({ t: 'file-progress', id, done, total }) };
    const failure = (error: unknown) => ({
      code: error instanceof E2eeError ? error.code : ('file' as const),
      message: String((error as Error)?.message ?? error),
    });
    try {
      if (!this.files) throw new E2eeError('file', 'The page set no file store.');
      if (message.t === 'file-put') this.post({ t: 'file-stored', id, at: await this.files.put(message.ciphertext, options) });
      else this.post({ t: 'file-fetched', id, ciphertext: await this.files.get(message.at, options) });
    } catch (error) {
      this.post(message.t === 'file-put' ? { t: 'file-stored', id, error: failure(error) } : { t: 'file-fetched', id, error: failure(error) });
    } finally {
      this.fileJobs.delete(id);
    }
  }

  private fail(message: string): void {
    if (this.stopped) return;
    const error = new E2eeError('frame', message);
    this.settleAttached(error);
    this.stop();
    this.events.failed(error);
  }

  /** Stop relaying (the element left the page, or the frame failed). */
  stop(): void {
    this.stopped = true;
    this.settleAttached(new E2eeError('frame', "The chat's frame stopped."));
    clearTimeout(this.timer);
    this.windowOff?.();
    for (const off of this.transportOff.splice(0)) off();
    this.port?.close();
    this.port = undefined;
    // Code `worker`: not read, so a transport that keeps messages (the loopback's mailbox) keeps these for the next page.
    this.waiting.length = 0;
    const gone = new E2eeError('worker', "The chat's frame stopped before it read this.");
    for (const pending of [...this.calls.values(), ...this.reads.values()]) pending.reject(gone);
    this.calls.clear();
    this.reads.clear();
  }
}

function settle<T>(
  jobs: Map<number, { resolve: (value: T) => void; reject: (error: E2eeError) => void }>,
  id: number,
  error: { code: E2eeError['code']; message: string } | undefined,
  value: T,
): void {
  const job = jobs.get(id);
  jobs.delete(id);
  if (!job) return;
  if (error) job.reject(new E2eeError(error.code, error.message));
  else job.resolve(value);
}

/** The theme tokens set on `element` (as the page's CSS resolves them), to forward to the frame. */
export function readTheme(element: Element): Record<string, string> {
  const style = getComputedStyle(element);
  const out: Record<string, string> = {};
  for (const token of Object.keys(THEME_TOKENS)) {
    const value = style.getPropertyValue(token).trim();
    if (value) out[token] = value;
  }
  return out;
}
