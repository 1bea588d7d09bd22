/**
 * The fingerprints-and-keys panel of `<e2ee-chat>`: both fingerprints, and
 * key management that happens only on the user's request.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { E2eeStrings } from './copy.js';

/** What the panel needs from its owner. */
export interface KeyPanelProps {
  own?: string;
  theirs?: string;
  peerName: string;
  verified: boolean;
  /** Show the "replace my key" confirmation. */
  confirming: boolean;
  /** The words. */
  strings: E2eeStrings;
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
  const k = p.strings.keys;
  return html`<div part="fingerprints" class="banner fingerprints" id="fingerprints">
    <dl>
      <dt>${k.you}</dt><dd>${p.own ?? p.strings.verify.notGenerated}</dd>
      <dt>${p.peerName}</dt><dd>${p.theirs ?? k.notKnown}${p.theirs && p.verified ? k.verifiedMark : ''}</dd>
    </dl>
    <div class="keys" role="group" aria-label="Key management">
      <button type="button" part="export-key" @click=${() => p.onExport('libotr')}>${k.exportLibotr}</button>
      <button type="button" @click=${() => p.onExport('base64')}>${k.exportBase64}</button>
      <label class="file-button">${k.import}<input type="file" part="import-key" accept=".private_key,.txt,.key,text/plain"
        @change=${(e: Event) => { const input = e.target as HTMLInputElement; const file = input.files?.[0]; if (file) p.onImport(file); input.value = ''; }} /></label>
      <button type="button" part="export-fingerprints" @click=${() => p.onExportFingerprints()}>${k.exportFingerprints}</button>
    </div>
    <div class="keys destructive" role="group" aria-label="Destructive actions">
      <button type="button" part="regenerate-key" class="destructive" @click=${() => p.onAskRegenerate(true)}>${k.regenerate}</button>
      <button type="button" part="forget-peer" class="destructive" @click=${() => p.onAskForget(true)}>${k.forget(p.peerName)}</button>
    </div>
    ${p.confirming
      ? html`<div class="confirm" role="alertdialog" aria-labelledby="regen-warning">
          <p id="regen-warning">${p.strings.regenerateWarning}</p>
          <button type="button" class="danger" part="confirm-regenerate" @click=${() => p.onRegenerate()}>${k.confirmRegenerate}</button>
          <button type="button" @click=${() => p.onAskRegenerate(false)}>${k.cancel}</button>
        </div>`
      : nothing}
    ${p.confirmingForget
      ? html`<div class="confirm" role="alertdialog" aria-labelledby="forget-warning">
          <p id="forget-warning">${k.forgetWarning(p.peerName)}</p>
          <button type="button" class="danger" part="confirm-forget" @click=${() => p.onForget()}>${k.confirmForget(p.peerName)}</button>
          <button type="button" @click=${() => p.onAskForget(false)}>${k.cancel}</button>
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
