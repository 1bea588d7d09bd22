/**
 * The fingerprints-and-keys panel of `<e2ee-chat>`: both fingerprints, and
 * key management that happens only on the user's request.
 */
import { html, nothing, type TemplateResult } from 'lit';

/** What the panel needs from its owner. */
export interface KeyPanelProps {
  own?: string;
  theirs?: string;
  peerName: string;
  verified: boolean;
  /** Show the "replace my key" confirmation. */
  confirming: boolean;
  /** What the user loses with a new key: said before they confirm. */
  warning: string;
  onExport(format: 'libotr' | 'base64'): void;
  onImport(file: File): void;
  onAskRegenerate(confirming: boolean): void;
  /** Show the "forget this contact's keys" confirmation. */
  confirmingForget: boolean;
  onAskForget(confirming: boolean): void;
  onRegenerate(): void;
  onForget(): void;
  onExportFingerprints(): void;
}

export function renderKeyPanel(p: KeyPanelProps): TemplateResult {
  return html`<div part="fingerprints" class="banner fingerprints" id="fingerprints">
    <dl>
      <dt>You</dt><dd>${p.own ?? 'not generated yet'}</dd>
      <dt>${p.peerName}</dt><dd>${p.theirs ?? 'not known until a private conversation starts'}${p.theirs && p.verified ? ' (verified)' : ''}</dd>
    </dl>
    <div class="keys" role="group" aria-label="Key management">
      <button type="button" part="export-key" @click=${() => p.onExport('libotr')}>Export my key (libotr)</button>
      <button type="button" @click=${() => p.onExport('base64')}>Export my key (base64)</button>
      <label class="file-button">Import a key…<input type="file" part="import-key" accept=".private_key,.txt,.key,text/plain"
        @change=${(e: Event) => { const input = e.target as HTMLInputElement; const file = input.files?.[0]; if (file) p.onImport(file); input.value = ''; }} /></label>
      <button type="button" part="export-fingerprints" @click=${() => p.onExportFingerprints()}>Export known fingerprints</button>
    </div>
    <div class="keys destructive" role="group" aria-label="Destructive actions">
      <button type="button" part="regenerate-key" class="destructive" @click=${() => p.onAskRegenerate(true)}>Replace my key…</button>
      <button type="button" part="forget-peer" class="destructive" @click=${() => p.onAskForget(true)}>Forget ${p.peerName}'s keys…</button>
    </div>
    ${p.confirming
      ? html`<div class="confirm" role="alertdialog" aria-labelledby="regen-warning">
          <p id="regen-warning">${p.warning}</p>
          <button type="button" class="danger" part="confirm-regenerate" @click=${() => p.onRegenerate()}>Replace my key</button>
          <button type="button" @click=${() => p.onAskRegenerate(false)}>Cancel</button>
        </div>`
      : nothing}
    ${p.confirmingForget
      ? html`<div class="confirm" role="alertdialog" aria-labelledby="forget-warning">
          <p id="forget-warning">Forget every key of ${p.peerName}? Their verification is lost: their next key counts as new and unverified, and you must verify them again.</p>
          <button type="button" class="danger" part="confirm-forget" @click=${() => p.onForget()}>Forget ${p.peerName}'s keys</button>
          <button type="button" @click=${() => p.onAskForget(false)}>Cancel</button>
        </div>`
      : nothing}
  </div>`;
}

/** Offer `text` to the user as a file download. */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
