/**
 * `<e2ee-chat>` in isolated mode, as a Lit reactive controller: it decides whether the element is
 * isolated, renders the `<iframe>` (or the inline error when the frame can't be used), and turns
 * the element's API into bridge calls.
 */
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { E2eeError } from '../../protocol/errors.js';
import type { PrivacyState } from '../../worker/api.js';
import { engineConfig } from '../engine-config.js';
import type { Transport } from '../transport.js';
import type { FileStore } from '../file-stores/file-store.js';
import type { ForwardedEvent, FrameMethod, FrameSettings } from './bridge-protocol.js';
import type { FrameHost } from './frame-host.js';

/** The relay's code, loaded when the first element turns out to be isolated (pages that never are don't pay for it). */
let relay: Promise<typeof import('./frame-host.js')> | undefined;

/** The element's side of the shell: what it reads from the element and tells it. */
export interface ShellHost extends ReactiveControllerHost, HTMLElement {
  readonly shadowRoot: ShadowRoot | null;
  /** An `e2ee-*` event from the frame, to dispatch on the element. */
  fromFrame(name: ForwardedEvent | 'e2ee-frame', detail: Record<string, unknown>): void;
}

/** The frame URL next to the package's modules (dist/frame.html), and its origin. */
function defaultFrameUrl(): URL {
  return new URL(/* @vite-ignore */ './frame.html', import.meta.url);
}

/** Whether this module was loaded from another origin than the page's (a CDN). */
function servedCrossOrigin(): boolean {
  return new URL(import.meta.url).origin !== location.origin;
}

/**
 * Whether an element is isolated: its `isolated` property when set, else `configureEngine`'s
 * `isolated`, else yes exactly when the package comes from another origin than the page and the
 * page runs no engine of its own (an element `engine`, a configured worker).
 */
export function isolationWanted(isolated: boolean | undefined, ownEngine: boolean): boolean {
  if (isolated !== undefined) return isolated;
  const config = engineConfig();
  if (config.isolated !== undefined) return config.isolated;
  return servedCrossOrigin() && !ownEngine && !config.workerUrl && !config.createWorker;
}

export class IsolatedShell implements ReactiveController {
  /** Whether the element is isolated (decided when it first attaches). */
  active = false;
  state: PrivacyState = 'plaintext';
  private frame?: Promise<FrameHost>;
  /** The frame page's URL, once attached (set at once; the relay's code may still be loading). */
  private frameHref?: string;
  /** Set once attached: the iframe is rendered from then on. */
  private listening = false;
  private error?: E2eeError;

  constructor(private readonly host: ShellHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    void this.frame?.then((frame) => frame.stop());
    this.frame = undefined;
    this.frameHref = undefined;
    this.listening = false;
  }

  /** Attach to `transport` with `settings`, loading the frame on first use. */
  attach(
    transport: Transport,
    settings: Omit<FrameSettings, 'self' | 'maxMessageSize' | 'transportState'>,
    frameUrl: string,
    files?: FileStore,
  ): void {
    const config = engineConfig();
    const url = new URL(frameUrl || config.frameUrl || defaultFrameUrl(), document.baseURI);
    if (!this.frame || this.frameHref !== url.href) {
      this.frameHref = url.href;
      void this.frame?.then((old) => old.stop());
      this.error = undefined;
      // The iframe loads at once, in parallel with the relay's code; what its window posts meanwhile is kept for the relay.
      const early: MessageEvent[] = [];
      const keep = (event: MessageEvent) => early.push(event);
      window.addEventListener('message', keep);
      this.listening = true;
      this.host.requestUpdate();
      const startedAt = performance.now();
      this.frame = (relay ??= import('./frame-host.js')).then(({ FrameHost }) => {
        const frame = new FrameHost(
          url,
          config.frameOrigin ?? url.origin,
          {
            event: (name, detail) => {
              if (name === 'e2ee-status' && typeof detail.state === 'string') this.state = detail.state as PrivacyState;
              this.host.fromFrame(name, detail);
            },
            up: (ms, overlayGuard) => this.host.fromFrame('e2ee-frame', { phase: 'up', ms, overlayGuard }),
            failed: (error) => {
              this.error = error;
              this.host.requestUpdate();
              this.host.fromFrame('e2ee-error', { peer: settings.peer, code: 'frame', message: error.message });
            },
          },
          config.frameTimeoutMs ?? 10_000,
        );
        window.removeEventListener('message', keep);
        frame.listen(() => this.host.shadowRoot?.querySelector('iframe') ?? null, startedAt, early);
        return frame;
      });
    }
    void this.frame.then(async (frame) => frame.configure(settings, transport, (await relay!).readTheme(this.host), files));
  }

  /** The shell's content: the frame, or why there is none. */
  render(title: string) {
    if (this.error) return html`<div part="frame-error" class="frame-error" role="alert">${this.error.message}</div>`;
    if (!this.listening || !this.frameHref) return html``;
    return html`<iframe part="isolated-frame" class="isolated-frame" src=${this.frameHref} title=${title} referrerpolicy="no-referrer"></iframe>`;
  }

  /** Resolves once the frame's chat runs this conversation. */
  get ready(): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    return (
      this.frame?.then((frame) => frame.whenAttached()) ??
      Promise.reject(new E2eeError('frame', 'The element is not attached (set peer and transport).'))
    );
  }

  call(method: FrameMethod, arg?: string): Promise<string | undefined> {
    if (this.error) return Promise.reject(this.error);
    if (!this.frame) return Promise.reject(new E2eeError('frame', 'The element is not attached (set peer and transport).'));
    return this.frame.then((frame) => frame.call(method, arg));
  }

  /** The API calls that would hand the page a key. */
  refuse(what: string): Promise<never> {
    return Promise.reject(new E2eeError('frame', `In isolated mode the page cannot ${what}: use the Keys panel inside the chat.`));
  }
}
