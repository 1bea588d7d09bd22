import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { SmpPhase } from './trust-controller.js';
import { answeredCopy } from './copy.js';

/** The three ways to verify a contact. */
export type VerifyMode = 'qa' | 'secret' | 'fingerprint';

/** What the dialog asks its owner to do. */
export type VerifyRequest =
  | { action: 'start'; secret: string; question?: string }
  | { action: 'answer'; secret: string }
  | { action: 'abort' }
  | { action: 'mark'; verified: boolean };

const MODES: { mode: VerifyMode; label: string }[] = [
  { mode: 'qa', label: 'Question & answer' },
  { mode: 'secret', label: 'Shared secret' },
  { mode: 'fingerprint', label: 'Fingerprint' },
];

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
    mode: { state: true },
    open: { state: true },
  };

  declare peerName: string;
  declare smp: SmpPhase;
  declare ownFingerprint: string | undefined;
  declare theirFingerprint: string | undefined;
  /** Whether the current key is verified. */
  declare verified: boolean;
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
    [role=tab][aria-selected=true] { background: var(--e2ee-accent, #1f6feb); border-color: var(--e2ee-accent, #1f6feb); color: #fff; }
    label { display: block; margin: 6px 0 2px; font-weight: 600; }
    input { width: 100%; box-sizing: border-box; font: inherit; padding: 5px 8px; border: 1px solid var(--e2ee-border, #ccc); border-radius: 6px; }
    .row { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 6px; margin-top: 12px; }
    button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid var(--e2ee-border, #ccc); background: none; color: inherit; cursor: pointer; }
    button.primary { background: var(--e2ee-accent, #1f6feb); border-color: var(--e2ee-accent, #1f6feb); color: #fff; }
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

  protected override updated(changed: Map<string, unknown>): void {
    // After success the panel says what was verified, for whom, then closes by itself.
    if (changed.has('smp') && this.smp.phase === 'succeeded' && this.open) {
      clearTimeout(this.closeTimer);
      this.closeTimer = setTimeout(() => this.close(), 4000);
    }
  }

  protected override render(): TemplateResult {
    return html`<section part="dialog" role="dialog" aria-modal="false" aria-labelledby="title" ?hidden=${!this.open} @keydown=${this.onKeydown}>
      <div class="title"><h2 id="title">Verify ${this.peerName}</h2>
        <button type="button" class="close" aria-label="Close" title="Close" @click=${() => this.close()}>×</button></div>
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
      <div role="tablist" aria-label="Ways to verify">
        ${MODES.map(({ mode, label }) => html`<button type="button" role="tab" id="tab-${mode}" aria-selected=${this.mode === mode} aria-controls="panel"
            tabindex=${this.mode === mode ? 0 : -1} @click=${() => (this.mode = mode)} @keydown=${this.onTabKey}>${label}</button>`)}
      </div>
      <div id="panel" role="tabpanel" aria-labelledby="tab-${this.mode}">
        ${this.renderOutcome()}
        ${this.mode === 'fingerprint' ? this.renderFingerprint() : this.renderSmpStart(this.mode === 'qa')}
      </div>`;
  }

  private renderSmpStart(withQuestion: boolean): TemplateResult {
    const running = this.smp.phase === 'running';
    return html`<form @submit=${this.onStart}>
      <p>${withQuestion
        ? `Ask a question only ${this.peerName} can answer. The answer is never sent; OTR only checks that you both typed the same.`
        : `Type a secret you agreed with ${this.peerName} in person. It is never sent; OTR only checks that you both typed the same.`}</p>
      ${withQuestion ? html`<label for="question">Question</label><input id="question" name="question" required autocomplete="off" />` : nothing}
      <label for="secret">${withQuestion ? 'Answer' : 'Shared secret'}</label>
      <input id="secret" name="secret" type="text" required autocomplete="off" spellcheck="false" />
      <div class="row">
        ${running ? html`<span role="status">Verifying… waiting for ${this.peerName}</span><button type="button" @click=${() => this.request({ action: 'abort' })}>Cancel</button>`
          : html`<button type="submit" class="primary">Verify</button>`}
      </div>
    </form>`;
  }

  private renderAnswer(question: string): TemplateResult {
    return html`<form @submit=${this.onAnswer}>
      <p role="status">${question
        ? html`${this.peerName} asks: <strong>${question}</strong>`
        : `${this.peerName} wants to verify you with the secret you share.`}</p>
      <label for="answer">${question ? 'Your answer' : 'Shared secret'}</label>
      <input id="answer" name="answer" type="text" required autocomplete="off" spellcheck="false" />
      <div class="row">
        <button type="button" @click=${() => this.request({ action: 'abort' })}>Decline</button>
        <button type="submit" class="primary">Answer</button>
      </div>
    </form>`;
  }

  private renderFingerprint(): TemplateResult {
    return html`
      <p>Compare these with ${this.peerName} over another channel you trust (in person, a phone call).</p>
      <p><strong>Your fingerprint</strong></p><p class="fp">${this.ownFingerprint ?? 'not generated yet'}</p>
      <p><strong>${this.peerName}'s fingerprint</strong></p>
      <p class="fp">${this.theirFingerprint ?? 'Start a private conversation to see it.'}</p>
      <p>Currently: <strong>${this.verified ? 'verified' : 'not verified'}</strong></p>
      <div class="row">
        ${this.verified
          ? html`<button type="button" @click=${() => this.request({ action: 'mark', verified: false })}>Mark as not verified</button>`
          : html`<button type="button" class="primary" ?disabled=${!this.theirFingerprint} @click=${() => this.request({ action: 'mark', verified: true })}>They match: mark verified</button>`}
      </div>`;
  }

  private renderOutcome(): TemplateResult | typeof nothing {
    switch (this.smp.phase) {
      case 'succeeded': return html`<p class="outcome succeeded" role="status">Verified: ${this.peerName} gave the same answer, so this conversation is with ${this.peerName}. It now shows as verified.</p>`;
      case 'answered': return html`<div class="outcome answered" role="status" part="answered"><p>${answeredCopy(this.peerName)}</p>
        <button type="button" class="primary" part="ask-back" @click=${this.askBack}>Ask your own question</button></div>`;
      case 'failed': return html`<p class="outcome failed" role="alert">Verification failed: the secrets did not match. This can be a typo, or someone else.</p>`;
      case 'aborted': return html`<p class="outcome aborted" role="alert">Verification was cancelled.</p>`;
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
    const index = (MODES.findIndex((m) => m.mode === this.mode) + step + MODES.length) % MODES.length;
    this.mode = MODES[index]!.mode;
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
