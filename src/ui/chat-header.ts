/**
 * The compact header of `<e2ee-chat>`: peer name, status pill, the one primary action that follows
 * the state (Start when not private, End when private, Start again when the peer ended), and a menu
 * with the rest (Verify, Keys, Refresh). One row from 280 to 800 px.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { PrivacyState } from '../worker/api.js';
import type { E2eeStrings } from './copy.js';
import { renderStatus } from './chat-view.js';
import { dotsIcon, keyIcon, refreshIcon, shieldIcon, stopCircle } from './icons.js';

/** What the header can ask its owner to do. */
export type HeaderAction = 'start' | 'end' | 'verify' | 'keys' | 'refresh' | 'toggle-menu';

export interface HeaderProps {
  peer: string;
  state: PrivacyState;
  protocolVersion?: 2 | 3;
  strings: E2eeStrings;
  menuOpen: boolean;
  keysOpen: boolean;
  act(action: HeaderAction): void;
}

export function renderHeader(p: HeaderProps): TemplateResult {
  const a = p.strings.actions;
  const isPrivate = p.state === 'encrypted' || p.state === 'verified';
  const primary = isPrivate
    ? html`<button type="button" part="end-button" class="primary-action" title=${a.end} @click=${() => p.act('end')}>${stopCircle()}<span class="wide">${a.end}</span><span class="narrow">${a.endShort}</span></button>`
    : html`<button type="button" part="start-button" class="primary primary-action" title=${a.start} @click=${() => p.act('start')}>${shieldIcon()}<span class="wide">${p.state === 'finished' ? a.startAgain : a.start}</span><span class="narrow">${p.state === 'finished' ? a.startAgain : a.startShort}</span></button>`;
  return html`<header part="header">
    <span class="peer" title=${p.peer}>${p.peer}</span>
    ${renderStatus(p.state, p.protocolVersion, p.strings, p.peer)}
    ${primary}
    <div class="menu-wrap">
      <button type="button" part="menu-button" class="icon-button" aria-label=${a.more} title=${a.more} aria-haspopup="menu"
        aria-expanded=${p.menuOpen} aria-controls="menu" @click=${() => p.act('toggle-menu')}>${dotsIcon()}</button>
      ${p.menuOpen ? renderMenu(p, isPrivate) : nothing}
    </div>
  </header>`;
}

function renderMenu(p: HeaderProps, isPrivate: boolean): TemplateResult {
  const a = p.strings.actions;
  const item = (part: string, action: HeaderAction, icon: () => TemplateResult, label: string, enabled: boolean, extra: Record<string, string> = {}) =>
    html`<button type="button" role="menuitem" part=${part} ?disabled=${!enabled} aria-expanded=${extra['aria-expanded'] ?? nothing}
      @click=${() => p.act(action)}>${icon()} ${label}</button>`;
  return html`<div id="menu" class="menu" role="menu" aria-label=${a.more} @keydown=${onMenuKey}>
    ${item('verify-button', 'verify', shieldIcon, a.verify, isPrivate)}
    ${item('fingerprints-button', 'keys', keyIcon, a.keys, true, { 'aria-expanded': String(p.keysOpen) })}
    ${item('refresh-button', 'refresh', refreshIcon, a.refresh, isPrivate)}
    ${p.state === 'finished' ? item('end-button', 'end', stopCircle, a.end, true) : nothing}
  </div>`;
}

/** Arrow keys move between menu items. */
function onMenuKey(event: KeyboardEvent): void {
  const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
  if (!step) return;
  event.preventDefault();
  const menu = event.currentTarget as HTMLElement;
  const items = [...menu.querySelectorAll<HTMLButtonElement>('[role=menuitem]:not([disabled])')];
  const index = items.indexOf(menu.getRootNode() instanceof ShadowRoot ? ((menu.getRootNode() as ShadowRoot).activeElement as HTMLButtonElement) : items[0]!);
  items[(index + step + items.length) % items.length]?.focus();
}
