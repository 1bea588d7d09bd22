/**
 * How an encrypted file shows in the message list: a picture's thumbnail (decoded in the page from
 * the decrypted `Blob`, never fetched from a URL), a card with the name, size and Save, a progress
 * bar with Cancel while it moves, and a clear failure with Retry.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { FileCard } from './chat-records.js';
import { formatSize } from './chat-files.js';
import type { E2eeStrings } from './copy.js';

/** What a file card can ask of its owner. */
export type FileAction = 'cancel' | 'retry';

export function renderFile(id: string, file: FileCard, direction: 'in' | 'out', s: E2eeStrings, act: (id: string, action: FileAction) => void): TemplateResult {
  const moving = file.phase === 'uploading' || file.phase === 'downloading';
  const image = file.url && file.mediaType.startsWith('image/');
  return html`<div part="file" class="file-card" data-phase=${file.phase}>
    ${image ? html`<img part="thumbnail" class="thumbnail" src=${file.url!} alt=${file.name} />` : nothing}
    <div class="file-line">
      <span class="file-name">${file.name}</span>
      <span class="file-size">${formatSize(file.size)}</span>
      ${file.url && (file.phase === 'ready' || direction === 'out') ? html`<a part="save" class="save" href=${file.url} download=${file.name}>${s.files.save}</a>` : nothing}
    </div>
    ${moving
      ? html`<div class="file-progress">
          <progress part="progress" max=${file.total ?? file.size} value=${file.done ?? 0} aria-label=${file.phase === 'uploading' ? s.files.uploading(file.name) : s.files.downloading(file.name)}></progress>
          <button type="button" part="cancel" @click=${() => act(id, 'cancel')}>${s.files.cancel}</button>
        </div>`
      : nothing}
    ${file.phase === 'failed' || file.phase === 'cancelled'
      ? html`<div class="file-failed"><span role="alert">${file.error ?? s.errors.file}</span> <button type="button" part="retry" @click=${() => act(id, 'retry')}>${s.actions.retry}</button></div>`
      : nothing}
  </div>`;
}
