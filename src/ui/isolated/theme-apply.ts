/**
 * Inside the frame: apply the page's theme tokens to the chat (see theme.ts for what is accepted),
 * and take the colours back off when they would leave a label unreadable.
 */
import { safeTokens, THEME_TOKENS, unreadablePairs } from './theme.js';

/** Apply `vars` to `chat`; returns what was refused, in words (empty when all was taken). */
export function applyTheme(chat: HTMLElement, vars: Record<string, string>): string[] {
  const refused: string[] = [];
  for (const token of Object.keys(THEME_TOKENS)) chat.style.removeProperty(token);
  const safe = safeTokens(vars, (property, value) => CSS.supports(property, value));
  const dropped = Object.keys(vars).filter((token) => !Object.hasOwn(safe, token));
  if (dropped.length) refused.push(`the page's theme values for ${dropped.join(', ')} (only plain colours, lengths and font names are taken)`);
  for (const [token, value] of Object.entries(safe)) chat.style.setProperty(token, value);
  if (!Object.keys(safe).some((token) => THEME_TOKENS[token as keyof typeof THEME_TOKENS] === 'color')) return refused;
  const bad = unreadablePairs(resolvedColours(chat));
  if (bad.length) {
    for (const token of Object.keys(safe)) if (THEME_TOKENS[token as keyof typeof THEME_TOKENS] === 'color') chat.style.removeProperty(token);
    refused.push(`the page's colours: text would be unreadable (below 4.5:1) for ${bad.join(', ')}; the default colours are used`);
  }
  return refused;
}

/** Each colour token as the chat resolves it (its `--_*` values, read through a probe in its shadow root). */
function resolvedColours(chat: HTMLElement): Record<string, string> {
  const probe = document.createElement('span');
  probe.hidden = true;
  (chat.shadowRoot ?? chat).append(probe);
  const out: Record<string, string> = {};
  for (const [token, kind] of Object.entries(THEME_TOKENS)) {
    if (kind !== 'color') continue;
    const name = token.slice('--e2ee-'.length);
    probe.style.color = `var(--_${name})`;
    out[name] = getComputedStyle(probe).color;
  }
  probe.remove();
  return out;
}
