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
  onExport(format: 'libotr' | 'base64'): void;
  onImport(file: File): void;
  onAskRegenerate(confirming: boolean): void;
  onRegenerate(): void;
  onForget(): void;
  onExportFingerprints(): void;
}

/** What the user loses with a new key: said before they confirm. */
export const REGENERATE_WARNING =
  'A new key replaces yours for good. Every contact will see a new fingerprint, everyone who verified you must verify you again, and private conversations end now.';

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
      <button type="button" part="regenerate-key" @click=${() => p.onAskRegenerate(true)}>New key…</button>
      <button type="button" part="forget-peer" @click=${() => p.onForget()}>Forget ${p.peerName}'s keys</button>
      <button type="button" part="export-fingerprints" @click=${() => p.onExportFingerprints()}>Export known fingerprints</button>
    </div>
    ${p.confirming
      ? html`<div class="confirm" role="alertdialog" aria-labelledby="regen-warning">
          <p id="regen-warning">${REGENERATE_WARNING}</p>
          <button type="button" class="danger" part="confirm-regenerate" @click=${() => p.onRegenerate()}>Replace my key</button>
          <button type="button" @click=${() => p.onAskRegenerate(false)}>Cancel</button>
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
