/**
 * Theming across the frame boundary. The page's CSS cannot reach into the frame, so the shell reads
 * the documented `--e2ee-*` tokens on the element and forwards them; the frame applies a value only
 * if it is a plain colour, length or font list, and keeps its own colours when the page's would
 * make a label unreadable (a "Not private" pill drawn in its own background colour says nothing).
 */

/** The tokens a page may set, and what kind of value each takes. */
export const THEME_TOKENS = {
  '--e2ee-font': 'font',
  '--e2ee-bg': 'color',
  '--e2ee-fg': 'color',
  '--e2ee-muted': 'color',
  '--e2ee-border': 'color',
  '--e2ee-accent': 'color',
  '--e2ee-on-accent': 'color',
  '--e2ee-own-bg': 'color',
  '--e2ee-peer-bg': 'color',
  '--e2ee-ok': 'color',
  '--e2ee-warn': 'color',
  '--e2ee-danger': 'color',
  '--e2ee-on-danger': 'color',
  '--e2ee-radius': 'length',
} as const satisfies Record<string, 'font' | 'color' | 'length'>;

export type ThemeToken = keyof typeof THEME_TOKENS;

/**
 * Text/background pairs that must stay readable (WCAG AA, 4.5:1): every label, the status pill in
 * each state, the buttons. Names are the tokens without `--e2ee-`.
 */
export const READABLE_PAIRS: readonly (readonly [fg: string, bg: string])[] = [
  ['fg', 'bg'],
  ['muted', 'bg'],
  ['accent', 'bg'],
  ['ok', 'bg'],
  ['warn', 'bg'],
  ['on-danger', 'danger'],
  ['on-accent', 'accent'],
  ['fg', 'own-bg'],
  ['fg', 'peer-bg'],
];
export const MIN_CONTRAST = 4.5;

/** Nothing that loads, calls, escapes or chains: letters, digits, `#`, `%`, `.`, `,`, `-`, quotes, spaces and rgb()/hsl()-style calls. */
const PLAIN = /^[\w\s#%.,'"()/+-]{1,120}$/;
const FORBIDDEN = /url|image|var|attr|env|expression|element|paint|cross-fade|\\|;|\{|\}|@/i;

/**
 * The tokens of `vars` whose values are safe to apply, using `supports` (the browser's
 * `CSS.supports`) to check each value against its kind. Unknown tokens are dropped.
 */
export function safeTokens(
  vars: Record<string, string>,
  supports: (property: string, value: string) => boolean,
): Partial<Record<ThemeToken, string>> {
  const out: Partial<Record<ThemeToken, string>> = {};
  for (const [token, raw] of Object.entries(vars)) {
    if (!Object.hasOwn(THEME_TOKENS, token)) continue;
    const value = raw.trim();
    if (!PLAIN.test(value) || FORBIDDEN.test(value)) continue;
    const kind = THEME_TOKENS[token as ThemeToken];
    const property = kind === 'color' ? 'color' : kind === 'font' ? 'font-family' : 'border-radius';
    if (supports(property, value)) out[token as ThemeToken] = value;
  }
  return out;
}

/** The pairs of `colors` (token name without `--e2ee-` → resolved `rgb(…)`) below {@link MIN_CONTRAST}, as `fg/bg` names. */
export function unreadablePairs(colors: Record<string, string>): string[] {
  const bad: string[] = [];
  for (const [fg, bg] of READABLE_PAIRS) {
    const a = parseRgb(colors[fg]);
    const b = parseRgb(colors[bg]);
    // A colour that is not opaque (or not resolved) cannot be vouched for.
    if (!a || !b || a[3] < 1 || b[3] < 1 || contrast(a, b) < MIN_CONTRAST) bad.push(`${fg}/${bg}`);
  }
  return bad;
}

/** `rgb(r, g, b)` / `rgba(r, g, b, a)` / `rgb(r g b / a)` as computed styles give them. */
function parseRgb(value: string | undefined): [number, number, number, number] | undefined {
  const m = value?.match(/^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)$/);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
}

/** WCAG 2.2 contrast ratio (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio). */
export function contrast(a: readonly number[], b: readonly number[]): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** WCAG relative luminance (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance). */
function luminance([r = 0, g = 0, b = 0]: readonly number[]): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}
