/**
 * Small render functions for `<e2ee-chat>`'s conversation: the status pill, banners, and the
 * timeline of messages and notices. All message text goes through Lit text bindings, so hostile
 * text stays inert. Every word comes from the string catalogue (copy.ts).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import type { ChatRecord } from './chat-records.js';
import type { PrivacyState } from '../worker/api.js';
import type { E2eeStrings } from './copy.js';
import { seconds } from './copy.js';
import { alertIcon, infoIcon, lockClosed, lockOpen, lockQuestion, shieldCheck, stopCircle } from './icons.js';
import { renderFile, type FileAction } from './file-view.js';
import { noticeActions, noticeText, toneOf, type NoticeAction, type TimelineNotice } from './timeline.js';

const STATE_ICON: Record<PrivacyState, () => TemplateResult> = { plaintext: lockOpen, encrypted: lockQuestion, verified: shieldCheck, finished: stopCircle };

/** The status pill: icon and words (a short form shows in narrow layouts), `data-state` for styling and tests. */
export function renderStatus(state: PrivacyState, protocolVersion: 2 | 3 | undefined, s: E2eeStrings, peer: string): TemplateResult {
  const copy = s.states[state];
  const old = protocolVersion === 2 && (state === 'encrypted' || state === 'verified') ? ' · OTR v2' : '';
  return html`<span part="status" class="status ${state}" title=${copy.description(peer) + old} data-state=${state}>
    ${STATE_ICON[state]()}<span class="wide">${copy.label}${old}</span><span class="narrow" aria-hidden="true">${copy.short}${old}</span>
  </span>`;
}

export function renderKeygen(startedAt: number | undefined, now: number, s: E2eeStrings): TemplateResult | typeof nothing {
  if (startedAt === undefined) return nothing;
  return html`<div part="keygen" class="banner keygen" role="status">${s.keygen(seconds(Math.max(0, now - startedAt)))}</div>`;
}

export function renderKeyChange(peer: string, s: E2eeStrings, verify: () => void, dismiss: () => void): TemplateResult {
  return html`<div part="key-change" class="banner key-change" role="alert">
    ${alertIcon()} ${s.keyChangeWarning(peer)}
    <div><button type="button" class="primary" @click=${verify}>${s.actions.verify}</button> <button type="button" @click=${dismiss}>${s.actions.dismiss}</button></div>
  </div>`;
}

/** The gentle, dismissable nudge to verify while encrypted but not verified. */
export function renderVerifyNudge(peer: string, s: E2eeStrings, verify: () => void, dismiss: () => void): TemplateResult {
  return html`<div part="verify-nudge" class="banner nudge">
    <span>${s.notices.verifyNudge(peer)}</span>
    <button type="button" class="primary" @click=${verify}>${s.actions.verify}</button>
    <button type="button" class="icon-button" aria-label=${s.actions.dismiss} title=${s.actions.dismiss} @click=${dismiss}>×</button>
  </div>`;
}

/** What the timeline needs from its owner. */
export interface TimelineProps {
  records: ChatRecord[];
  notices: TimelineNotice[];
  state: PrivacyState;
  peer: string;
  strings: E2eeStrings;
  retry(id: string): void;
  /** Cancel or retry a file's transfer. */
  file(id: string, action: FileAction): void;
  act(action: NoticeAction): void;
  dismiss(id: string): void;
}

/**
 * Messages and notices, in the order they happened. Each item renders again only when it changed
 * (records and notices are replaced, never mutated) or what it shows with did (peer, words, state),
 * so an update costs the same in a long conversation as in a short one.
 */
export function renderTimeline(p: TimelineProps): unknown[] {
  const items: (ChatRecord | TimelineNotice)[] = [...p.records, ...p.notices].sort((a, b) => a.seq - b.seq);
  return items.map((item) =>
    'direction' in item ? guard([item, p.peer, p.strings], () => renderMessage(item, p)) : guard([item, p.peer, p.strings, p.state], () => renderNotice(item, p)),
  );
}

function renderNotice(n: TimelineNotice, p: TimelineProps): TemplateResult {
  const tone = toneOf(n);
  const actions = noticeActions(n, p.state);
  const label: Record<NoticeAction, string> = { verify: p.strings.actions.verify, 'start-again': p.strings.actions.startAgain, end: p.strings.actions.end, 'ask-back': p.strings.actions.askBack };
  const code = n.kind === 'error' ? n.code : n.kind === 'engine-gave-up' ? 'worker' : undefined;
  const isError = code !== undefined;
  return html`<li part="notice ${isError ? 'error' : ''}" class="notice ${tone}" data-kind=${n.kind} data-code=${code ?? nothing}>
    ${tone === 'danger' || tone === 'warn' ? alertIcon() : infoIcon()}
    <div class="notice-body">
      <span>${noticeText(n, p.strings, p.peer)}</span>
      ${'detail' in n ? html`<details><summary>${p.strings.actions.technicalDetails}</summary><span class="detail">${n.detail}</span></details>` : nothing}
      ${actions.length ? html`<div class="notice-actions">${actions.map((a) => html`<button type="button" class=${a === 'end' ? '' : 'primary'} data-action=${a} @click=${() => p.act(a)}>${label[a]}</button>`)}</div>` : nothing}
    </div>
    ${isError ? html`<button type="button" class="icon-button" aria-label=${p.strings.actions.dismiss} title=${p.strings.actions.dismiss} @click=${() => p.dismiss(n.id)}>×</button>` : nothing}
  </li>`;
}

/**
 * One formatter for every message's time: `toLocaleTimeString` builds a new one per call (about 50 µs
 * in Chromium, once per message per render), which made each render grow with the conversation.
 */
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function renderMessage(record: ChatRecord, p: TimelineProps): TemplateResult {
  const { peer, strings: s, retry } = p;
  const when = new Date(record.at);
  const who = record.direction === 'out' ? s.lock.you : peer;
  return html`<li part="message ${record.direction}" class="message ${record.direction}" data-status=${record.status}>
    <span class="sr-only">${who}:</span>
    ${record.file ? renderFile(record.id, record.file, record.direction, s, p.file) : html`<div class="text" dir="auto">${record.text}</div>`}
    <div class="meta">
      ${renderLock(record.encrypted, s)}
      <time datetime=${when.toISOString()}>${TIME.format(when)}</time>
      ${record.status === 'received' || record.status === 'sent' ? nothing : html`<span class="delivery ${record.status}">${s.delivery[record.status]}</span>`}
      ${renderMark(record, peer, s)}
      ${record.status === 'failed' && !record.file ? html`<button type="button" part="retry" @click=${() => retry(record.id)}>${s.actions.retry}</button>` : nothing}
    </div>
  </li>`;
}

/** "Resent" (ours or theirs, sent again after the first copy could not be read) or "Delivered". */
function renderMark(record: ChatRecord, peer: string, s: E2eeStrings): TemplateResult | typeof nothing {
  if (!record.mark || record.status === 'failed') return nothing;
  const title = record.mark === 'delivered' ? s.marks.deliveredTitle(peer) : record.direction === 'out' ? s.marks.resentOut(peer) : s.marks.resentIn(peer);
  return html`<span class="mark ${record.mark}" data-mark=${record.mark} title=${title}>${s.marks[record.mark]}</span>`;
}

function renderLock(encrypted: boolean | null, s: E2eeStrings): TemplateResult | typeof nothing {
  if (encrypted === null) return nothing;
  return encrypted
    ? html`<span part="lock" class="lock enc" title=${s.lock.encryptedTitle}>${lockClosed()} ${s.lock.encrypted}</span>`
    : html`<span part="lock" class="lock plain" title=${s.lock.plaintextTitle}>${lockOpen()} ${s.lock.plaintext}</span>`;
}
