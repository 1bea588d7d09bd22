/**
 * The `<e2ee-chat>` class. Its styles are in chat-styles.ts, its definition (the tag) in
 * e2ee-chat.ts, its words in copy.ts; the logic lives in the ChatController and TrustController.
 */
import { LitElement, html, type PropertyValues } from 'lit';
import type { EngineApi, PrivacyState } from '../worker/api.js';
import { ChatController, withDefined, type ChatOptions, type ControllerSignal } from './chat-controller.js';
import { countLive, renderSlot } from './render-clock.js';
import { chatStyles } from './chat-styles.js';
import { renderHeader, type HeaderAction } from './chat-header.js';
import { renderKeyChange, renderKeygen, renderTimeline, renderVerifyNudge } from './chat-view.js';
import { resolveStrings, type E2eeStringOverrides, type E2eeStrings } from './copy.js';
import { e2eeEvent } from './events.js';
import { E2eeError } from '../protocol/errors.js';
import { DEFAULT_MAX_FILE_BYTES } from './chat-files.js';
import type { FileStore } from './file-stores/file-store.js';
import { attachIcon } from './icons.js';
import { FileIntake } from './file-intake.js';
import { Announcer } from './announcer.js';
import { ScrollPin } from './scroll-pin.js';
import { BoxWatch } from './box-watch.js';
import type { NoticeAction } from './timeline.js';
import { download, renderKeyPanel } from './key-panel.js';
import './verify-dialog.js';
import type { E2eeVerifyDialog, VerifyRequest } from './verify-dialog.js';
import type { KeyFormat, LibotrAccount } from '../worker/api.js';
import { sharedEngine } from './shared-engine.js';
import type { Transport } from './transport.js';
import { IsolatedShell, isolationWanted } from './isolated/isolated-shell.js';
import type { ForwardedEvent } from './isolated/bridge-protocol.js';
import type { E2eeEventMap } from './events.js';
import type { HoldReason } from './isolated/visibility-guard.js';

/**
 * @summary Private 1:1 chat over OTR v3. Drop it in, give it a `peer` and a `transport`.
 *
 * The crypto runs in a Web Worker (the `engine`); this element only does
 * I/O and rendering. The status says honestly whether the conversation is
 * Not encrypted, Encrypted · not verified, Encrypted · verified, or Ended by the contact, and the
 * conversation's timeline says in words what changed (private started or ended, key changed,
 * protocol version, verification, unreadable messages). Layout does not depend on the host's
 * `display`: by default it is `--e2ee-height` tall; with `fill` it takes its container's height.
 *
 * @event e2ee-status - `{peer, state, theirFingerprint?, protocolVersion?}`: the privacy state (`plaintext`, `encrypted`,
 *   `verified`, `finished`), the peer's key in use or the protocol version changed.
 * @event e2ee-message - `{peer, text, encrypted, direction, at, file?}`: a message was received, or ours was sent; `file`
 *   (`{name, mediaType, size}`) when it is an encrypted file.
 * @event e2ee-error - `{peer, code, message}`: something failed; also shown inline.
 * @event e2ee-keygen - `{phase, ms?}`: our key is being generated (`started`) or is ready (`done`, with its duration).
 * @event e2ee-trust - `{peer, fingerprint, verified, isNew, replacesVerified}`: the peer presented a key; `replacesVerified`
 *   is the loud case (a new key after another was verified), also shown as a warning.
 * @event e2ee-frame - `{phase, ms, overlayGuard}`: isolated mode only: the chat's frame is `up`, `ms` after the element
 *   connected; `overlayGuard` says whether the browser lets it tell when the page covers it.
 * @event e2ee-engine - `{peer, phase, reason}`: the encryption engine's worker stopped and is being restarted (`restarting`),
 *   runs again (`restarted`; messages not yet sent go out again, never in plaintext if they were private), or kept
 *   stopping and was given up (`gave-up`; also an `e2ee-error` with code `worker`). Also shown in the timeline.
 *
 * @csspart frame - The element's box (border, background); everything else is inside it.
 * @csspart header - The top bar: peer name, status, the primary action and the menu.
 * @csspart status - The privacy status pill (has `data-state`).
 * @csspart start-button - "Start private conversation" (shown when not private; "Start again" when the peer ended).
 * @csspart end-button - "End private conversation" (shown while private; in the menu when the peer ended).
 * @csspart menu-button - Opens the menu of further actions.
 * @csspart fingerprints-button - Menu item: shows or hides the Keys panel.
 * @csspart verify-button - Menu item: opens the Verify panel.
 * @csspart refresh-button - Menu item: refreshes the keys of the private conversation (a new AKE).
 * @csspart verify-nudge - The dismissable suggestion to verify while not verified.
 * @csspart notice - One notice in the timeline (also `error` for errors; has `data-kind`).
 * @csspart fingerprints - Both key fingerprints and the key management buttons.
 * @csspart key-change - The warning shown when a verified contact's key changed.
 * @csspart keygen - The "Generating your encryption key…" banner.
 * @csspart error - A timeline notice about an error or warning (has `data-code`).
 * @csspart messages - The message list.
 * @csspart message - One message; also `in` or `out`.
 * @csspart lock - A message's encrypted/plaintext badge.
 * @csspart retry - Retry button of a failed message.
 * @csspart composer - The form at the bottom.
 * @csspart input - The message textarea.
 * @csspart send-button - The send button.
 * @csspart attach-button - Attach a file (shown when `files` is set); files can also be dropped on the composer or pasted.
 * @csspart file - An encrypted file's card in a message: name, size, Save, progress, failure.
 * @csspart thumbnail - A picture's preview, decoded in the page from the decrypted file.
 * @csspart save - Saves a file.
 * @csspart progress - A file's upload or download progress.
 * @csspart cancel - Cancels a file's transfer.
 * @csspart isolated-frame - Isolated mode: the `<iframe>` that holds the chat (the parts above are inside it, out of the page's reach).
 * @csspart frame-error - Isolated mode: why the chat's frame could not be used.
 *
 * @cssproperty --e2ee-font - Font family.
 * @cssproperty --e2ee-bg - Background colour.
 * @cssproperty --e2ee-fg - Text colour.
 * @cssproperty --e2ee-muted - Secondary text colour.
 * @cssproperty --e2ee-border - Border colour.
 * @cssproperty --e2ee-accent - Accent (buttons, focus).
 * @cssproperty --e2ee-on-accent - Text on the accent (primary buttons, the selected tab).
 * @cssproperty --e2ee-own-bg - Background of our messages.
 * @cssproperty --e2ee-peer-bg - Background of the peer's messages.
 * @cssproperty --e2ee-ok - Colour of the verified state.
 * @cssproperty --e2ee-warn - Colour of the unverified state and warnings.
 * @cssproperty --e2ee-danger - Colour of the plaintext state and errors.
 * @cssproperty --e2ee-on-danger - Text on the danger colour (the Not private pill, destructive buttons).
 * @cssproperty --e2ee-radius - Corner radius.
 * @cssproperty --e2ee-height - Height of the element (default 480px; ignored with `fill`).
 */
export class E2eeChat extends LitElement {
  static override styles = chatStyles;

  static override properties = {
    peer: { type: String, reflect: true },
    peerName: { type: String, attribute: 'peer-name' },
    requireEncryption: { type: Boolean, attribute: 'require-encryption', reflect: true },
    autoPrivate: { type: Boolean, attribute: 'auto-private', reflect: true },
    requireV3: { type: Boolean, attribute: 'require-v3', reflect: true },
    ephemeral: { type: Boolean, reflect: true },
    fill: { type: Boolean, reflect: true },
    strings: { attribute: false },
    accountName: { type: String, attribute: 'account-name' },
    transport: { attribute: false },
    engine: { attribute: false },
    isolated: { type: Boolean },
    exposeText: { type: Boolean, attribute: 'expose-text' },
    identity: { type: String },
    frameUrl: { type: String, attribute: 'frame-url' },
    inputHold: { attribute: false },
    files: { attribute: false },
    maxFileSize: { type: Number, attribute: 'max-file-size' },
    showFingerprints: { state: true },
    menuOpen: { state: true },
    nudgeDismissed: { state: true },
    now: { state: true },
    draft: { state: true },
  };

  /** The other side's id on the transport. */
  declare peer: string;
  /** The other side's name for display; defaults to `peer`. */
  declare peerName: string;
  /** Never send plaintext: messages wait (shown pending) until the private conversation is up. */
  declare requireEncryption: boolean;
  /** Start the private conversation on open, and whenever the peer shows it speaks OTR. */
  declare autoPrivate: boolean;
  /**
   * Never speak the old protocol OTR v2. By default v2 is used with peers that cannot speak v3 (and the
   * status says so); with `require-v3` such peers can't go private, and no one can move a v3
   * conversation to v2.
   */
  declare requireV3: boolean;
  /**
   * Keep the private conversation in memory only. By default its OTR state (current keys and
   * counters) is stored in IndexedDB next to the identity, so a reload or an engine restart goes
   * on reading the contact's messages; with `ephemeral` a reload ends it, and nothing of it is
   * at rest on the device.
   */
  declare ephemeral: boolean;
  /** Take the container's height (100%) instead of `--e2ee-height`. */
  declare fill: boolean;
  /** Words to use instead of the English defaults: any part of the catalogue (see `E2eeStrings`). */
  declare strings: E2eeStringOverrides | undefined;
  /** Our account name in exported libotr files (default: the transport's own id). */
  declare accountName: string;
  /** How messages travel: `LoopbackTransport`, ConnectyCube, or your own `Transport`. */
  declare transport: Transport | undefined;
  /** The crypto engine; by default one engine shared by the whole page. Not used in isolated mode. */
  declare engine: EngineApi | undefined;
  /**
   * Isolated mode: the chat, its keys, its engine and its storage run in a cross-origin frame
   * (`frame-url`); the page only carries the transport's ciphertext and hears states, fingerprints and
   * delivery outcomes (see the README). Messages always wait for privacy (as with
   * `require-encryption`), and the page cannot export, import or replace keys. Default: isolated
   * when the package is served from another origin than the page and the page runs no engine of its
   * own; `false` opts out. Decided when the element first attaches.
   */
  declare isolated: boolean | undefined;
  /** Isolated mode: let message text cross to the page (`e2ee-message` events' `text`, and `send()`). */
  declare exposeText: boolean;
  /** Isolated mode: the identity (key and trust) the frame's engine uses. Default `default`. */
  declare identity: string;
  /** Isolated mode: the frame page's URL, on another origin (default: `configureEngine`'s, else the package's frame.html). */
  declare frameUrl: string;
  /**
   * @internal Set by the isolated mode's frame on its own chat: while the chat is covered (`covered`) or partly
   * out of view (`hidden`), Send and Verify are off and a notice says why. Empty: input is allowed.
   */
  declare inputHold: HoldReason | '';
  /**
   * Where encrypted files go: a `FileStore` (`MemoryFileStore` for the loopback, `XmppUploadStore`
   * for XMPP HTTP upload, or your own). Without one, the attach button is not shown. The store only
   * ever gets ciphertext.
   */
  declare files: FileStore | undefined;
  /** The largest file that can be sent, in bytes (default 25 MB); larger ones are refused with a message. */
  declare maxFileSize: number;
  declare private showFingerprints: boolean;
  declare private menuOpen: boolean;
  declare private nudgeDismissed: boolean;
  declare private now: number;
  declare private draft: string;

  private readonly chat = new ChatController(this, (s) => this.onSignal(s));
  private readonly shell = new IsolatedShell(this);
  /** Files picked, dropped or pasted: sent, unless there is no store or input is held. */
  private readonly intake = new FileIntake(this, () => !!this.files && !this.inputHold, (file) => void this.sendFile(file).catch((error: unknown) => this.chat.showError(error)));
  /** Whether isolation was decided, and how (it holds for the element's life). */
  private isolationDecided?: boolean;
  /** The message list follows new messages and notices. */
  /** Whether the host page left the element a box of its own. */
  private readonly box = new BoxWatch(this);
  private readonly pin = new ScrollPin(this, () => this.renderRoot.querySelector('ol.messages'), () => this.chat.records.length + this.chat.timeline.notices.length);
  /** What screen readers hear: state changes politely; a fall-back from private and a replaced verified key assertively. */
  private readonly announcer = new Announcer(this);
  /** Where focus was when the Verify panel opened, to return it there when the panel closes. */
  private verifyOpener?: HTMLElement;
  private confirmingRegenerate: boolean;
  private confirmingForget = false;
  private ticker?: ReturnType<typeof setInterval>;

  constructor() {
    super();
    this.peer = '';
    this.peerName = '';
    this.requireEncryption = false;
    this.autoPrivate = false;
    this.requireV3 = false;
    this.ephemeral = false;
    this.fill = false;
    this.strings = undefined;
    this.menuOpen = false;
    this.nudgeDismissed = false;
    this.accountName = '';
    this.confirmingRegenerate = false;
    this.showFingerprints = false;
    this.now = performance.now();
    this.draft = '';
    this.isolated = undefined;
    this.exposeText = false;
    this.identity = 'default';
    this.frameUrl = '';
    this.inputHold = '';
    this.files = undefined;
    this.maxFileSize = DEFAULT_MAX_FILE_BYTES;
  }

  /** The current privacy state. */
  get state(): PrivacyState {
    return this.shell.active ? this.shell.state : this.chat.state;
  }

  /**
   * Resolves once the element is attached: `peer` and `transport` are set, and the engine runs this
   * conversation under the element's settings. Methods called earlier wait for it, so there is no
   * need to await it before calling them.
   */
  get ready(): Promise<void> {
    return this.settled().then(() => (this.shell.active ? this.shell.ready : this.chat.ready));
  }

  /** Ask the peer for a private (OTR) conversation. */
  async startPrivate(): Promise<void> {
    await this.settled();
    if (this.shell.active) return void (await this.shell.call('startPrivate'));
    return this.chat.startPrivate();
  }

  /** End the private conversation. */
  async endPrivate(): Promise<void> {
    await this.settled();
    if (this.shell.active) return void (await this.shell.call('endPrivate'));
    return this.chat.endPrivate();
  }

  /**
   * Send `text` to the peer (encrypted when private). The `require-encryption` setting in force at
   * this call applies to this message, whatever changes before it goes out; under it the message is
   * never sent in plaintext.
   */
  async send(text: string): Promise<void> {
    const requireEncryption = this.requireEncryption;
    await this.settled(); // a peer, transport or engine set just before is attached first
    if (this.shell.active) return void (await this.shell.call('send', text));
    return this.chat.send(text, { requireEncryption });
  }

  /**
   * Send `file` encrypted: sealed in the engine's worker, its ciphertext put in the `files` store,
   * and its reference sent in the private conversation (it waits for none: without privacy it fails
   * with Retry). Larger than `max-file-size`, it is refused with a message.
   */
  async sendFile(file: Blob & { name?: string }): Promise<void> {
    await this.settled();
    if (this.shell.active) throw new E2eeError('frame', 'In isolated mode files are attached inside the chat.');
    this.chat.fileStore = this.files;
    return this.chat.files.send(file, this.maxFileSize);
  }

  /** Open the Verify dialog (question & answer, shared secret, or fingerprint). */
  verify(mode: 'qa' | 'secret' | 'fingerprint' = 'qa'): void {
    // While input is held the panel still opens (a question asked shows), inert until the hold lifts.
    if (this.shell.active) return void this.shell.call('verify', mode).catch(() => undefined);
    const dialog = this.dialog();
    if (!dialog) return;
    // Focus goes back where it was (a menu item, the nudge, the composer) when the panel closes.
    if (!dialog.isOpen) this.verifyOpener = deepActiveElement(this.renderRoot as ShadowRoot);
    dialog.show(mode);
  }

  private onVerifyClose = (): void => {
    const opener = this.verifyOpener;
    this.verifyOpener = undefined;
    // Only when focus was in the panel (or fell to nothing as it closed): not when the person went elsewhere meanwhile.
    const active = document.activeElement;
    if (active && active !== document.body && active !== this) return;
    // An opener that is gone (the menu closed) hands over to the menu button, else the composer.
    const target = opener?.isConnected ? opener : (this.renderRoot.querySelector<HTMLElement>('[part=menu-button]') ?? this.renderRoot.querySelector<HTMLElement>('textarea'));
    target?.focus();
  };

  /** Our private key as text, for the user's explicit export request. */
  exportPrivateKey(format: KeyFormat = 'libotr'): Promise<string> {
    if (this.shell.active) return this.shell.refuse('export the private key');
    return this.requireEngine().exportPrivateKey(format, this.account());
  }

  /**
   * Replace our key with an imported one (libotr `otr.private_key` or base64). From a libotr file
   * holding several accounts, `account` picks one by name; by default the first is taken.
   */
  async importPrivateKey(text: string, format: KeyFormat = text.trimStart().startsWith('(') ? 'libotr' : 'base64', account?: string): Promise<void> {
    if (this.shell.active) return this.shell.refuse('import a private key');
    const identity = await this.requireEngine().importPrivateKey(text, format, account);
    this.chat.ownFingerprint = identity.fingerprint;
    this.requestUpdate();
  }

  /** Replace our key with a new one. Callers must have confirmed with the user (see the Keys panel). */
  async regenerateKey(): Promise<void> {
    if (this.shell.active) return this.shell.refuse('replace the private key');
    const identity = await this.requireEngine().regenerateKey();
    this.chat.ownFingerprint = identity.fingerprint;
    this.showFingerprints = false; // done: give the conversation its room back
    this.requestUpdate();
  }

  /** Every fingerprint this engine knows, in libotr's `otr.fingerprints` format. */
  async exportFingerprints(): Promise<string> {
    if (this.shell.active) return (await this.shell.call('exportFingerprints')) ?? '';
    const { name, protocol } = this.account();
    return this.requireEngine().exportFingerprints(name, protocol);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback(); // the ChatController detaches itself (hostDisconnected)
    this.stopTicker();
    countLive(-1);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    countLive(1);
    if (this.hasUpdated) void this.reattach();
  }

  /**
   * What a call waits for before it acts: the update that attaches a peer, transport, engine or
   * setting set just before (and the first render), not one that only draws what the engine changed.
   */
  private settled(): Promise<unknown> {
    return this.urgent || !this.hasUpdated ? this.updateComplete : Promise.resolve();
  }

  /** A property was set since the last update (by the page, or by the person's use of the element). */
  private urgent = false;
  /** Ends a wait for the shared render tick early. */
  private hurry?: () => void;

  override requestUpdate(...args: Parameters<LitElement['requestUpdate']>): void {
    super.requestUpdate(...args);
    if (args[0] === undefined) return;
    this.urgent = true;
    this.hurry?.();
  }

  /**
   * With many elements live (render-clock.ts), what the engine changed (messages, states, which the
   * controllers ask for without naming a property) is drawn at the page's shared render tick; the
   * first render, and an update for a property the page or the person set, run at once.
   */
  protected override async scheduleUpdate(): Promise<void> {
    const slot = this.hasUpdated && !this.urgent ? renderSlot() : undefined;
    if (slot) await Promise.race([slot, new Promise<void>((resolve) => (this.hurry = resolve))]);
    this.hurry = undefined;
    this.urgent = false;
    super.scheduleUpdate();
  }

  /** Whether focus was inside the element before this update (see {@link keepFocus}). */
  private focusWasInside = false;

  protected override willUpdate(): void {
    this.focusWasInside = !!this.shadowRoot?.activeElement;
    // An isolated element renders its iframe in its first render, so the frame starts loading at once.
    if (this.isolationDecided === undefined && this.peer && this.transport && this.isConnected) {
      this.isolationDecided = isolationWanted(this.isolated, this.engine !== undefined);
      this.shell.active = this.isolationDecided;
      if (this.shell.active) this.attachShell();
    }
  }

  /**
   * When the control that had focus went away in an update (a dismissed notice, a Retry that
   * succeeded, a menu item's panel), focus stays in the element: on an open confirmation's safe
   * choice, else the menu button when a menu action closed the menu, else the message list.
   */
  private keepFocus(): void {
    if (!this.focusWasInside || this.shadowRoot?.activeElement) return;
    const root = this.renderRoot;
    const target =
      root.querySelector<HTMLElement>('[role=alertdialog] button:not(.danger)') ?? (root.querySelector('[part=fingerprints]') ? root.querySelector<HTMLElement>('[part=menu-button]') : null) ?? root.querySelector<HTMLElement>('ol.messages');
    target?.focus();
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.keepFocus();
    if (changed.has('files')) this.chat.fileStore = this.files;
    if (changed.has('peer') || changed.has('transport') || changed.has('engine')) void this.reattach();
    else if (this.shell.active && SHELL_SETTINGS.some((key) => changed.has(key))) this.attachShell();
    else if ((changed.has('requireEncryption') || changed.has('autoPrivate') || changed.has('requireV3') || changed.has('ephemeral')) && this.transport && this.peer) {
      void this.chat.configure(this.options()).catch(() => undefined);
    }
  }

  protected override render() {
    const name = this.peerName || this.peer || 'your contact';
    const strings = resolveStrings(this.strings);
    const { state } = this.chat;
    const ownBox = this.box.ownBox ? '' : 'own-height';
    if (this.shell.active) return html`<div class="shell ${ownBox}">${this.shell.render(strings.actions.messagesLabel(name))}</div>`;
    const held = this.inputHold;
    return html`<div part="frame" class="frame ${ownBox}">
      ${renderHeader({ peer: name, state, protocolVersion: this.chat.protocolVersion, strings, menuOpen: this.menuOpen, keysOpen: this.showFingerprints, act: this.onHeaderAction })}
      ${this.announcer.render()}
      ${renderKeygen(this.chat.keygenStartedAt, this.now, strings)}
      ${this.chat.trust.keyChange ? renderKeyChange(name, strings, () => this.verify('fingerprint'), () => this.chat.trust.acknowledgeKeyChange()) : ''}
      ${state === 'encrypted' && !this.nudgeDismissed && !this.chat.trust.keyChange ? renderVerifyNudge(name, strings, () => this.verify(), () => (this.nudgeDismissed = true)) : ''}
      ${this.showFingerprints ? this.renderKeys(name, strings) : ''}
      <div class="log" role="log" aria-label=${strings.actions.messagesLabel(name)}>
      <ol part="messages" class="messages" aria-label=${strings.actions.messagesLabel(name)} tabindex="0">
        ${renderTimeline({ records: this.chat.records, notices: this.chat.timeline.notices, state, peer: name, strings,
          retry: (id) => void this.chat.retry(id), act: this.onNoticeAction, dismiss: (id) => this.chat.dismiss(id),
          file: (id, action) => (action === 'cancel' ? this.chat.files.cancel(id) : void this.chat.files.retry(id)) })}
      </ol>
      </div>
      ${held ? html`<p part="input-held" class="input-held" role="alert">${strings.inputHeld(held)}</p>` : ''}
      <form part="composer" class=${this.intake.dropping ? 'dropping' : ''} @submit=${this.onSubmit} ?inert=${!!held}
        @dragover=${this.intake.onDragOver} @dragleave=${this.intake.onDragLeave} @drop=${this.intake.onDrop}>
        ${this.files ? html`<label part="attach-button" class="attach file-button" title=${strings.files.attach}>${attachIcon()}<span class="sr-only">${strings.files.attach}</span>
          <input type="file" multiple @change=${this.intake.onPick} /></label>` : ''}
        <label class="sr-only" for="input">${strings.actions.messageLabel(name)}</label>
        <textarea id="input" part="input" rows="2" placeholder=${strings.actions.messagePlaceholder} .value=${this.draft}
          @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)} @keydown=${this.onKeydown} @paste=${this.intake.onPaste}></textarea>
        <button type="submit" part="send-button" class="primary" ?disabled=${!this.draft.trim()}>${strings.actions.send}</button>
      </form>
      <e2ee-verify-dialog .peerName=${name} .smp=${this.chat.trust.smp} .ownFingerprint=${this.chat.ownFingerprint}
        .theirFingerprint=${this.chat.theirFingerprint} .verified=${state === 'verified'} .strings=${strings} ?inert=${!!held} @e2ee-verify-request=${this.onVerifyRequest}
        @e2ee-verify-close=${this.onVerifyClose}></e2ee-verify-dialog>
    </div>`;
  }

  /**
   * Whether the host has a box of its own whose height the frame can fill. With `display: inline`
   * or `contents` from the page it has none, and the frame sizes itself.
   */
  private onHeaderAction = (action: HeaderAction): void => {
    if (action === 'close-menu') {
      if (!this.menuOpen) return;
      const inMenu = !!this.renderRoot.querySelector('[role=menu]')?.contains(deepActiveElement(this.renderRoot as ShadowRoot) ?? null);
      this.menuOpen = false;
      if (inMenu) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part=menu-button]')?.focus());
      return;
    }
    if (action === 'toggle-menu') {
      this.menuOpen = !this.menuOpen;
      if (this.menuOpen) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[role=menuitem]:not([disabled])')?.focus());
      return;
    }
    this.menuOpen = false;
    if (action === 'start') void this.startPrivate();
    else if (action === 'end') void this.endPrivate();
    else if (action === 'verify') this.verify();
    else if (action === 'keys') this.showFingerprints = !this.showFingerprints;
    else if (action === 'refresh') void this.startPrivate(); // a query while private runs a new AKE
  };

  private onNoticeAction = (action: NoticeAction): void => {
    if (action === 'verify') this.verify();
    else if (action === 'ask-back') this.verify('qa');
    else if (action === 'end') void this.endPrivate();
    else if (action === 'start-again') void this.restart();
  };

  /** End (if needed) and start the private conversation again. */
  private async restart(): Promise<void> {
    if (this.chat.state === 'finished') await this.endPrivate();
    await this.startPrivate();
  }

  private renderKeys(name: string, strings: E2eeStrings) {
    const act = (work: () => Promise<unknown>) => void work().catch((error: unknown) => this.chat.showError(error));
    return renderKeyPanel({
      own: this.chat.ownFingerprint,
      theirs: this.chat.theirFingerprint,
      peerName: name,
      verified: this.chat.state === 'verified',
      confirming: this.confirmingRegenerate,
      strings,
      onExport: (format) => act(async () => download(format === 'libotr' ? 'otr.private_key' : 'otr-key.base64.txt', await this.exportPrivateKey(format))),
      onImport: (file) => act(async () => this.importPrivateKey(await file.text())),
      onAskRegenerate: (confirming) => { this.confirmingRegenerate = confirming; this.requestUpdate(); this.focusConfirmation(confirming, '[part=regenerate-key]'); },
      onRegenerate: () => { this.confirmingRegenerate = false; act(() => this.regenerateKey()); },
      confirmingForget: this.confirmingForget,
      onAskForget: (confirming) => { this.confirmingForget = confirming; this.requestUpdate(); this.focusConfirmation(confirming, '[part=forget-peer]'); },
      onForget: () => { this.confirmingForget = false; act(() => this.chat.trust.forget()); },
      onExportFingerprints: () => act(async () => download('otr.fingerprints', await this.exportFingerprints())),
    });
  }

  /** A confirmation (role=alertdialog) takes focus on its safe choice; cancelled, focus returns to what opened it. */
  private focusConfirmation(open: boolean, opener: string): void {
    void this.updateComplete.then(() => {
      const target = open ? this.renderRoot.querySelector<HTMLElement>('[role=alertdialog] button:not(.danger)') : this.renderRoot.querySelector<HTMLElement>(opener);
      target?.focus();
    });
  }

  private onVerifyRequest = (event: CustomEvent<VerifyRequest>): void => {
    if (this.inputHold) return; // the panel is inert then; this is for a click that was already under way
    const r = event.detail;
    const trust = this.chat.trust;
    const work =
      r.action === 'start' ? trust.start(r.secret, r.question)
      : r.action === 'answer' ? trust.answer(r.secret)
      : r.action === 'abort' ? trust.abort()
      : this.chat.theirFingerprint ? trust.setVerified(this.chat.theirFingerprint, r.verified) : Promise.resolve();
    void work.catch((error: unknown) => this.chat.showError(error));
  };

  private dialog(): E2eeVerifyDialog | null {
    return this.renderRoot.querySelector('e2ee-verify-dialog');
  }

  private requireEngine(): EngineApi {
    this.engine ??= sharedEngine();
    return this.engine;
  }

  private account(): LibotrAccount {
    return { name: this.accountName || this.transport?.self || 'me', protocol: 'e2ee-chat' };
  }

  private async reattach(): Promise<void> {
    this.chat.detach();
    this.chat.fileStore = this.files;
    if (!this.peer || !this.transport || !this.isConnected) return;
    this.isolationDecided ??= isolationWanted(this.isolated, this.engine !== undefined);
    this.shell.active = this.isolationDecided;
    if (this.shell.active) return this.attachShell();
    this.engine ??= sharedEngine();
    try {
      await this.chat.attach(this.engine, this.transport, this.peer, this.options());
    } catch (error) {
      this.chat.showError(error); // inline and as e2ee-error (e.g. code `worker` when the engine can't start)
    }
  }

  private attachShell(): void {
    if (!this.peer || !this.transport || !this.isConnected) return;
    const settings = { peer: this.peer, peerName: this.peerName, autoPrivate: this.autoPrivate, requireV3: this.requireV3, ephemeral: this.ephemeral,
      accountName: this.accountName, exposeText: this.exposeText, identity: this.identity || 'default', files: !!this.files, maxFileSize: this.maxFileSize };
    this.shell.attach(this.transport, settings, this.frameUrl, this.files);
  }

  /** @internal An event from the isolated mode's frame, dispatched on this element (`ShellHost`). */
  fromFrame(name: ForwardedEvent | 'e2ee-frame', detail: Record<string, unknown>): void {
    this.dispatchEvent(e2eeEvent(name, detail as unknown as E2eeEventMap[typeof name]['detail']));
  }

  private options(): ChatOptions {
    return { requireEncryption: this.requireEncryption, autoPrivate: this.autoPrivate, allowV2: !this.requireV3, ephemeral: this.ephemeral };
  }

  private onSubmit = (event: Event): void => {
    event.preventDefault();
    if (this.inputHold) return;
    const text = this.draft;
    if (!text.trim()) return;
    this.draft = '';
    void this.send(text);
  };

  private onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.onSubmit(event);
    }
  };

  private onSignal(signal: ControllerSignal): void {
    const peer = this.peer;
    switch (signal.kind) {
      case 'status': {
        this.announcer.state(signal.state, resolveStrings(this.strings).announceState(signal.state, this.peerName || peer));
        if (signal.state !== 'encrypted') this.nudgeDismissed = false;
        this.dispatchEvent(e2eeEvent('e2ee-status', withDefined({ peer, state: signal.state }, { theirFingerprint: signal.theirFingerprint, protocolVersion: signal.protocolVersion })));
        return;
      }
      case 'message': {
        const { text, encrypted, direction, at, file } = signal.record;
        const detail = { peer, text, encrypted: !!encrypted, direction, at: new Date(at) };
        this.dispatchEvent(e2eeEvent('e2ee-message', file ? { ...detail, file: { name: file.name, mediaType: file.mediaType, size: file.size } } : detail));
        this.pin.toEnd();
        return;
      }
      case 'error':
        this.dispatchEvent(e2eeEvent('e2ee-error', { peer, code: signal.code, message: signal.message }));
        return;
      case 'trust':
        if (signal.trust.replacesVerified) this.announcer.say(resolveStrings(this.strings).announceKeyChange(this.peerName || peer), true);
        this.dispatchEvent(e2eeEvent('e2ee-trust', { peer, ...signal.trust }));
        return;
      case 'engine':
        this.dispatchEvent(e2eeEvent('e2ee-engine', { peer, phase: signal.phase, reason: signal.reason }));
        return;
      case 'smp':
        this.announcer.say(resolveStrings(this.strings).announceSmp(signal.outcome, this.peerName || peer));
        if (signal.outcome === 'asked') this.verify();
        return;
      case 'keygen':
        if (signal.phase === 'started') this.startTicker();
        else this.stopTicker();
        this.dispatchEvent(e2eeEvent('e2ee-keygen', signal.ms === undefined ? { phase: signal.phase } : { phase: signal.phase, ms: signal.ms }));
        return;
    }
  }

  private startTicker(): void {
    this.stopTicker();
    this.ticker = setInterval(() => (this.now = performance.now()), 100);
  }

  private stopTicker(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}

/** The properties an isolated element hands on to its frame when they change. */
const SHELL_SETTINGS = ['peerName', 'autoPrivate', 'requireV3', 'ephemeral', 'accountName', 'exposeText', 'identity', 'frameUrl', 'files', 'maxFileSize'] as const;

/** The focused element inside `root`, through nested open shadow roots, if any. */
function deepActiveElement(root: ShadowRoot): HTMLElement | undefined {
  let active = root.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : undefined;
}
