/**
 * Small render functions for `<e2ee-chat>`. All message text goes through
 * Lit text bindings, so hostile text stays inert.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatNotice, ChatRecord } from './chat-controller.js';
import type { PrivacyState } from '../worker/api.js';
import { lockClosed, lockOpen } from './icons.js';
import { DELIVERY_COPY, NOTICE_COPY, STATE_COPY, seconds } from './copy.js';

export function renderStatus(state: PrivacyState, protocolVersion?: 2 | 3): TemplateResult {
  const copy = STATE_COPY[state];
  const old = protocolVersion === 2 ? ' (old protocol v2)' : '';
  return html`<span part="status" class="status ${state}" title=${copy.description + old} data-state=${state}>
    ${copy.icon()}${copy.label}${old}
  </span>`;
}

export function renderKeygen(startedAt: number | undefined, now: number): TemplateResult | typeof nothing {
  if (startedAt === undefined) return nothing;
  return html`<div part="keygen" class="banner keygen" role="status">
    Generating your encryption key… ${seconds(Math.max(0, now - startedAt))}
  </div>`;
}

export function renderKeyChange(peerName: string, verify: () => void, dismiss: () => void): TemplateResult {
  return html`<div part="key-change" class="banner key-change" role="alert">
    <strong>Warning: ${peerName}'s key has changed</strong> since you verified it. This may be a new device, or
    someone intercepting. This conversation is encrypted but not verified; verify again before trusting it.
    <div><button type="button" class="primary" @click=${verify}>Verify again</button> <button type="button" @click=${dismiss}>Dismiss</button></div>
  </div>`;
}

export function renderNotices(notices: ChatNotice[], dismiss: (id: number) => void): TemplateResult[] {
  return notices.map(
    (n) => html`<div part="error" class="banner notice ${n.warning ? 'warning' : ''}" data-code=${n.code}>
      <span><strong>${NOTICE_COPY[n.code]}</strong> ${n.message}</span>
      <button type="button" aria-label="Dismiss" @click=${() => dismiss(n.id)}>×</button>
    </div>`,
  );
}

export function renderMessage(record: ChatRecord, peerName: string, retry: (id: string) => void): TemplateResult {
  const when = new Date(record.at);
  const who = record.direction === 'out' ? 'You' : peerName;
  return html`<li part="message ${record.direction}" class="message ${record.direction}" data-status=${record.status}>
    <span class="sr-only">${who}:</span>
    <div class="text" dir="auto">${record.text}</div>
    <div class="meta">
      ${renderLock(record.encrypted)}
      <time datetime=${when.toISOString()}>${when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time>
      ${record.status === 'received' || record.status === 'sent' ? nothing : html`<span class="delivery ${record.status}">${DELIVERY_COPY[record.status]}</span>`}
      ${record.status === 'failed' ? html`<button type="button" part="retry" @click=${() => retry(record.id)}>Retry</button>` : nothing}
    </div>
  </li>`;
}

function renderLock(encrypted: boolean | null): TemplateResult | typeof nothing {
  if (encrypted === null) return nothing;
  return encrypted
    ? html`<span part="lock" class="lock enc" title="Sent encrypted">${lockClosed()} encrypted</span>`
    : html`<span part="lock" class="lock plain" title="Sent in plaintext">${lockOpen()} plaintext</span>`;
}
