import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { SmpPhase } from './trust-controller.js';
import { ENGLISH, type E2eeStrings } from './copy.js';

/** The three ways to verify a contact. */
export type VerifyMode = 'qa' | 'secret' | 'fingerprint';

/** What the dialog asks its owner to do. */
export type VerifyRequest =
  | { action: 'start'; secret: string; question?: string }
  | { action: 'answer'; secret: string }
  | { action: 'abort' }
  | { action: 'mark'; verified: boolean };

const MODES: VerifyMode[] = ['qa', 'secret', 'fingerprint'];

/**
 * @summary The "Verify" panel inside `<e2ee-chat>`: question & answer, shared secret (SMP), or a
 * manual fingerprint comparison. A non-modal panel in the chat's own shadow root, never a page-modal
 * dialog: the host page stays usable. While open, focus stays inside it; Escape closes it. Internal:
 * it only asks its owner through `e2ee-verify-request` events (not composed, so they stay inside the
 * chat's shadow root).
 *
 * @event e2ee-verify-request - `VerifyRequest`: the user asked to start, answer, abort, or mark verified.
 * @csspart dialog - The dialog box.
 */
export class E2eeVerifyDialog extends LitElement {
  static override properties = {
    peerName: { attribute: false },
    smp: { attribute: false },
    ownFingerprint: { attribute: false },
    theirFingerprint: { attribute: false },
    verified: { attribute: false },
    strings: { attribute: false },
    mode: { state: true },
    open: { state: true },
  };

  declare peerName: string;
  declare smp: SmpPhase;
  declare ownFingerprint: string | undefined;
  declare theirFingerprint: string | undefined;
  /** Whether the current key is verified. */
  declare verified: boolean;
  /** The words (the owner's resolved catalogue). */
  declare strings: E2eeStrings;
  declare private mode: VerifyMode;
  declare private open: boolean;
  private closeTimer?: ReturnType<typeof setTimeout>;

  static override styles = css`
    :host { display: contents; }
    section { box-sizing: border-box; max-height: 100%; overflow: auto; border: 1px solid var(--e2ee-border, #ccc); border-radius: var(--e2ee-radius, 10px); padding: 12px 14px; color: var(--e2ee-fg, #1d232b); background: var(--e2ee-bg, #fff); font: 14px/1.4 var(--e2ee-font, system-ui, sans-serif); box-shadow: 0 6px 24px rgb(0 0 0 / 0.18); }
    section[hidden] { display: none; }
    .title { display: flex; align-items: center; gap: 8px; margin: 0 0 8px; }
    h2 { font-size: 16px; margin: 0; flex: 1; }
    .close { border: none; font-size: 18px; line-height: 1; padding: 2px 8px; }
    [role=tablist] { display: flex; flex-wrap: wrap; gap: 4px; margin-bottom: 10px; }
    [role=tab] { border: 1px solid var(--e2ee-border, #ccc); background: none; border-radius: 6px; padding: 4px 8px; font: inherit; cursor: pointer; color: inherit; }
    [role=tab][aria-selected=true] { background: var(--e2ee-accent, #1f6feb); border-color: var(--e2ee-accent, #1f6feb); color: var(--e2ee-on-accent, #fff); }
    label { display: block; margin: 6px 0 2px; font-weight: 600; }
    input { width: 100%; box-sizing: border-box; font: inherit; padding: 5px 8px; border: 1px solid var(--e2ee-border, #ccc); border-radius: 6px; }
    .row { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 6px; margin-top: 12px; }
    button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid var(--e2ee-border, #ccc); background: none; color: inherit; cursor: pointer; }
    button.primary { background: var(--e2ee-accent, #1f6feb); border-color: var(--e2ee-accent, #1f6feb); color: var(--e2ee-on-accent, #fff); }
    button:focus-visible, input:focus-visible, [role=tab]:focus-visible { outline: 2px solid var(--e2ee-accent, #1f6feb); outline-offset: 1px; }
    .fp { font-family: ui-monospace, monospace; overflow-wrap: anywhere; margin: 2px 0 8px; }
    .outcome { padding: 6px 8px; border-radius: 6px; margin: 8px 0; font-weight: 600; }
    .succeeded { color: var(--e2ee-ok, #1a7f37); border: 1px solid currentColor; }
    .answered { color: var(--e2ee-warn, #9a6700); border: 1px solid currentColor; font-weight: normal; }
    .answered p { margin: 0 0 6px; }
    .failed, .aborted { color: var(--e2ee-danger, #cf222e); border: 1px solid currentColor; }
    p { margin: 4px 0; }
  `;

  constructor() {
    super();
    this.peerName = 'your contact';
    this.smp = { phase: 'idle' };
    this.verified = false;
    this.strings = ENGLISH;
    this.mode = 'qa';
    this.open = false;
  }

  /** Open the panel, on a given way in, and move focus into it. */
  show(mode: VerifyMode = this.mode): void {
    this.mode = mode;
    this.open = true;
    clearTimeout(this.closeTimer);
    void this.updateComplete.then(() => {
      const first = this.renderRoot.querySelector<HTMLElement>('input') ?? this.renderRoot.querySelector<HTMLElement>('[role=tab][aria-selected=true], button.primary');
      first?.focus();
    });
  }

  /** Close the panel. */
  close(): void {
    clearTimeout(this.closeTimer);
    if (!this.open) return;
    this.open = false;
    this.dispatchEvent(new CustomEvent('e2ee-verify-close', { bubbles: true, composed: false }));
  }

  /** True while open. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Whether focus was in the panel before this update. */
  private hadFocus = false;

  protected override willUpdate(): void {
    this.hadFocus = !!this.shadowRoot?.activeElement;
  }

  protected override updated(changed: Map<string, unknown>): void {
    // The form that had focus gave way (the answer sent, the outcome shown): focus stays in the panel.
    if (this.open && this.hadFocus && !this.shadowRoot?.activeElement) {
      this.renderRoot.querySelector<HTMLElement>('[part=ask-back], input, .close')?.focus();
    }
    // After success the panel says what was verified, for whom, then closes by itself.
    if (changed.has('smp') && this.smp.phase === 'succeeded' && this.open) {
      clearTimeout(this.closeTimer);
      this.closeTimer = setTimeout(() => this.close(), 4000);
    }
  }

  protected override render(): TemplateResult {
    return html`<section part="dialog" role="dialog" aria-modal="false" aria-labelledby="title" ?hidden=${!this.open} @keydown=${this.onKeydown}>
      <div class="title"><h2 id="title">${this.strings.verify.title(this.peerName)}</h2>
        <button type="button" class="close" aria-label=${this.strings.actions.close} title=${this.strings.actions.close} @click=${() => this.close()}>×</button></div>
      ${this.smp.phase === 'asked' ? this.renderAnswer(this.smp.question) : this.smp.phase === 'succeeded' ? this.renderOutcome() : this.renderModes()}
    </section>`;
  }

  /** Escape closes; Tab and Shift+Tab stay inside the panel. */
  private onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.close();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = [...this.renderRoot.querySelectorAll<HTMLElement>('button:not([disabled]), input, [tabindex="0"]')].filter((e) => e.offsetParent !== null);
    if (focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable.at(-1)!;
    const active = (this.renderRoot as ShadowRoot).activeElement;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  private renderModes(): TemplateResult {
    return html`
      <div role="tablist" aria-label=${this.strings.verify.modesLabel}>
        ${MODES.map((mode) => html`<button type="button" role="tab" id="tab-${mode}" aria-selected=${this.mode === mode} aria-controls="panel"
            tabindex=${this.mode === mode ? 0 : -1} @click=${() => (this.mode = mode)} @keydown=${this.onTabKey}>${this.strings.verify.modes[mode]}</button>`)}
      </div>
      <div id="panel" role="tabpanel" aria-labelledby="tab-${this.mode}">
        ${this.renderOutcome()}
        ${this.mode === 'fingerprint' ? this.renderFingerprint() : this.renderSmpStart(this.mode === 'qa')}
      </div>`;
  }

  private renderSmpStart(withQuestion: boolean): TemplateResult {
    const running = this.smp.phase === 'running';
    const v = this.strings.verify;
    return html`<form @submit=${this.onStart}>
      <p>${withQuestion ? v.askIntro(this.peerName) : v.secretIntro(this.peerName)}</p>
      ${withQuestion ? html`<label for="question">${v.question}</label><input id="question" name="question" required autocomplete="off" />` : nothing}
      <label for="secret">${withQuestion ? v.answer : v.sharedSecret}</label>
      <input id="secret" name="secret" type="text" required autocomplete="off" spellcheck="false" />
      <div class="row">
        ${running ? html`<span role="status">${v.waiting(this.peerName)}</span><button type="button" @click=${() => this.request({ action: 'abort' })}>${v.cancel}</button>`
          : html`<button type="submit" class="primary">${v.submitVerify}</button>`}
      </div>
    </form>`;
  }

  private renderAnswer(question: string): TemplateResult {
    const v = this.strings.verify;
    return html`<form @submit=${this.onAnswer}>
      <p role="status">${question ? html`${v.asks(this.peerName)} <strong>${question}</strong>` : v.asksSecret(this.peerName)}</p>
      <label for="answer">${question ? v.yourAnswer : v.sharedSecret}</label>
      <input id="answer" name="answer" type="text" required autocomplete="off" spellcheck="false" />
      <div class="row">
        <button type="button" @click=${() => this.request({ action: 'abort' })}>${v.decline}</button>
        <button type="submit" class="primary">${v.submitAnswer}</button>
      </div>
    </form>`;
  }

  private renderFingerprint(): TemplateResult {
    const v = this.strings.verify;
    return html`
      <p>${v.compare(this.peerName)}</p>
      <p><strong>${v.yourFingerprint}</strong></p><p class="fp">${this.ownFingerprint ?? v.notGenerated}</p>
      <p><strong>${v.theirFingerprint(this.peerName)}</strong></p>
      <p class="fp">${this.theirFingerprint ?? v.startToSee}</p>
      <p><strong>${v.currently(this.verified)}</strong></p>
      <div class="row">
        ${this.verified
          ? html`<button type="button" @click=${() => this.request({ action: 'mark', verified: false })}>${v.markNotVerified}</button>`
          : html`<button type="button" class="primary" ?disabled=${!this.theirFingerprint} @click=${() => this.request({ action: 'mark', verified: true })}>${v.markVerified}</button>`}
      </div>`;
  }

  private renderOutcome(): TemplateResult | typeof nothing {
    switch (this.smp.phase) {
      case 'succeeded': return html`<p class="outcome succeeded" role="status">${this.strings.verify.succeeded(this.peerName)}</p>`;
      case 'answered': return html`<div class="outcome answered" role="status" part="answered"><p>${this.strings.notices.smpAnswered(this.peerName)}</p>
        <button type="button" class="primary" part="ask-back" @click=${this.askBack}>${this.strings.actions.askBack}</button></div>`;
      case 'failed': return html`<p class="outcome failed" role="alert">${this.strings.verify.failed}</p>`;
      case 'aborted': return html`<p class="outcome aborted" role="alert">${this.strings.verify.aborted}</p>`;
      default: return nothing;
    }
  }

  /** One step from "you answered" to asking our own question. */
  private askBack = (): void => {
    this.mode = 'qa';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#question')?.focus());
  };

  private onStart = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const secret = String(form.get('secret') ?? '');
    const question = form.get('question');
    this.request(question === null ? { action: 'start', secret } : { action: 'start', secret, question: String(question) });
    (event.target as HTMLFormElement).reset();
  };

  private onAnswer = (event: SubmitEvent): void => {
    event.preventDefault();
    const secret = String(new FormData(event.target as HTMLFormElement).get('answer') ?? '');
    this.request({ action: 'answer', secret });
    (event.target as HTMLFormElement).reset();
  };

  private onTabKey = (event: KeyboardEvent): void => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const index = (MODES.indexOf(this.mode) + step + MODES.length) % MODES.length;
    this.mode = MODES[index]!;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${this.mode}`)?.focus());
  };

  private request(detail: VerifyRequest): void {
    this.dispatchEvent(new CustomEvent<VerifyRequest>('e2ee-verify-request', { detail, bubbles: true, composed: false }));
  }

}

if (!customElements.get('e2ee-verify-dialog')) customElements.define('e2ee-verify-dialog', E2eeVerifyDialog);

declare global {
  interface HTMLElementTagNameMap {
    'e2ee-verify-dialog': E2eeVerifyDialog;
  }
}
