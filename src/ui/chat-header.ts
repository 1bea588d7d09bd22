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
export type HeaderAction = 'start' | 'end' | 'verify' | 'keys' | 'refresh' | 'toggle-menu' | 'close-menu';

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
  // One button whose part, words and action follow the state: focus stays on it when Start becomes End.
  const again = p.state === 'finished';
  const primary = html`<button type="button" part=${isPrivate ? 'end-button' : 'start-button'} class=${isPrivate ? 'primary-action' : 'primary primary-action'}
    title=${isPrivate ? a.end : a.start} @click=${() => p.act(isPrivate ? 'end' : 'start')}>${isPrivate ? stopCircle() : shieldIcon()}<span class="wide"
    >${isPrivate ? a.end : again ? a.startAgain : a.start}</span><span class="narrow">${isPrivate ? a.endShort : again ? a.startAgain : a.startShort}</span></button>`;
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
  // Escape closes the menu (focus back on its button); so does focus leaving it (Tab past the last item).
  const keydown = (event: KeyboardEvent) => (event.key === 'Escape' ? (event.preventDefault(), p.act('close-menu')) : onMenuKey(event));
  const focusout = (event: FocusEvent) => {
    const menu = event.currentTarget as HTMLElement;
    if (!(event.relatedTarget instanceof Node && menu.contains(event.relatedTarget))) p.act('close-menu');
  };
  return html`<div id="menu" class="menu" role="menu" aria-label=${a.more} @keydown=${keydown} @focusout=${focusout}>
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
