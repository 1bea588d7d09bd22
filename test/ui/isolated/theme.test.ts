/**
 * Theming across the frame boundary: which of the page's `--e2ee-*` values the frame takes, and
 * when it keeps its own colours because the page's would leave a label unreadable.
 */
import { describe, expect, it } from 'vitest';
import { contrast, safeTokens, unreadablePairs } from '../../../src/ui/isolated/theme.js';

/** A stand-in for `CSS.supports`: short hex or rgb() colours, px radii, any font list. */
function fakeSupports(calls: [string, string][] = []): (property: string, value: string) => boolean {
  return (property, value) => {
    calls.push([property, value]);
    if (property === 'color') return /^#[0-9a-f]{3,8}$/i.test(value) || /^rgba?\([\d\s.,/%]+\)$/i.test(value);
    if (property === 'border-radius') return /^\d+px$/.test(value);
    return property === 'font-family';
  };
}

describe('safeTokens', () => {
  it('takes plain colours, lengths and font lists, each checked as its kind', () => {
    const calls: [string, string][] = [];
    const vars = {
      '--e2ee-bg': '#0d1117',
      '--e2ee-fg': 'rgb(230, 237, 243)',
      '--e2ee-accent': '#4493F8',
      '--e2ee-radius': '6px',
      '--e2ee-font': "'Inter', system-ui, sans-serif",
    };
    expect(safeTokens(vars, fakeSupports(calls))).toEqual(vars);
    expect(calls).toEqual([
      ['color', '#0d1117'],
      ['color', 'rgb(230, 237, 243)'],
      ['color', '#4493F8'],
      ['border-radius', '6px'],
      ['font-family', "'Inter', system-ui, sans-serif"],
    ]);
  });

  it('trims values', () => {
    expect(safeTokens({ '--e2ee-bg': '  #fff\n', '--e2ee-radius': '\t4px ' }, fakeSupports())).toEqual({
      '--e2ee-bg': '#fff',
      '--e2ee-radius': '4px',
    });
  });

  it('drops what the browser would not take as the token’s kind', () => {
    const vars = { '--e2ee-bg': '12px', '--e2ee-radius': '#fff', '--e2ee-ok': 'greenish', '--e2ee-fg': '#123' };
    expect(safeTokens(vars, fakeSupports())).toEqual({ '--e2ee-fg': '#123' });
  });

  it('drops unknown tokens, whatever their value', () => {
    const calls: [string, string][] = [];
    const vars = { '--e2ee-height': '480px', '--other': '#fff', color: '#fff', '--e2ee-BG': '#fff', 'e2ee-bg': '#fff' };
    expect(safeTokens(vars, fakeSupports(calls))).toEqual({});
    expect(calls).toEqual([]);
  });

  // Font lists are taken by the fake `supports` as they are: what drops these is the filter itself.
  const refused: [string, string][] = [
    ['url()', 'url(x.png)'],
    ['url() in upper case', 'URL(x.png)'],
    ['var()', 'var(--x)'],
    ['attr()', 'attr(x)'],
    ['expression()', 'expression(alert(1))'],
    ['image-set()', 'image-set(x.png 1x)'],
    ['env()', 'env(safe-area-inset-top)'],
    ['paint()', 'paint(x)'],
    ['element()', 'element(#x)'],
    ['cross-fade()', 'cross-fade(a, b)'],
    ['a semicolon', 'Arial; color: red'],
    ['an opening brace', 'Arial {'],
    ['a closing brace', 'Arial } body'],
    ['a backslash escape', '\\75 rl(x)'],
    ['@import', '@import x'],
    ['a colon', 'a:b'],
    ['angle brackets', '</style>'],
    ['an empty value', ''],
    ['only spaces', '   '],
    ['121 characters', 'a'.repeat(121)],
  ];
  it.each(refused)('drops a value with %s', (_, value) => {
    expect(safeTokens({ '--e2ee-font': value }, fakeSupports())).toEqual({});
  });

  it('takes 120 characters, counted after trimming', () => {
    const value = 'a'.repeat(120);
    expect(safeTokens({ '--e2ee-font': ` ${value} ` }, fakeSupports())).toEqual({ '--e2ee-font': value });
  });

  it('drops tokens named after Object.prototype members', () => {
    expect(safeTokens({ toString: '4px', constructor: '#fff', hasOwnProperty: '4px' }, () => true)).toEqual({});
  });

  it('keeps the good tokens when others are dropped', () => {
    expect(safeTokens({ '--e2ee-bg': 'url(x.png)', '--e2ee-fg': '#000', '--other': '#fff' }, fakeSupports())).toEqual({ '--e2ee-fg': '#000' });
  });
});

/** `#rrggbb` as a computed style gives it: `rgb(r, g, b)`. */
const rgb = (hex: string): string => {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
};
const resolved = (hexes: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(hexes).map(([name, hex]) => [name, rgb(hex)]));

/** The defaults of src/ui/chat-styles.ts. */
const LIGHT = {
  bg: '#ffffff',
  fg: '#1d232b',
  muted: '#5d6673',
  border: '#d6dbe1',
  accent: '#1f6feb',
  'own-bg': '#e7f0ff',
  'peer-bg': '#f2f4f7',
  ok: '#1a7f37',
  warn: '#9a6700',
  danger: '#cf222e',
  'on-accent': '#ffffff',
  'on-danger': '#ffffff',
};
const DARK = {
  bg: '#0d1117',
  fg: '#e6edf3',
  muted: '#9198a1',
  border: '#3d444d',
  accent: '#4493f8',
  'own-bg': '#12264a',
  'peer-bg': '#1b222c',
  ok: '#3fb950',
  warn: '#d29922',
  danger: '#f85149',
  'on-accent': '#0d1117',
  'on-danger': '#0d1117',
};

describe('unreadablePairs', () => {
  it('the light and dark defaults are readable', () => {
    expect(rgb('#1d232b')).toBe('rgb(29, 35, 43)');
    expect(unreadablePairs(resolved(LIGHT))).toEqual([]);
    expect(unreadablePairs(resolved(DARK))).toEqual([]);
  });

  it('the bar is 4.5:1: #767676 on white passes, #777777 (4.48) does not', () => {
    expect(unreadablePairs(resolved({ ...LIGHT, muted: '#767676' }))).toEqual([]);
    expect(unreadablePairs(resolved({ ...LIGHT, muted: '#777777' }))).toEqual(['muted/bg']);
  });

  it('reports a label drawn in its own background colour', () => {
    expect(unreadablePairs(resolved({ ...LIGHT, 'on-danger': LIGHT.danger }))).toEqual(['on-danger/danger']);
  });

  it('reports every pair a low-contrast colour is in', () => {
    expect(unreadablePairs(resolved({ ...LIGHT, bg: '#777777' }))).toEqual(['fg/bg', 'muted/bg', 'accent/bg', 'ok/bg', 'warn/bg']);
  });

  it('reports a translucent colour, whatever its contrast', () => {
    expect(unreadablePairs({ ...resolved(LIGHT), fg: 'rgba(0, 0, 0, 0.5)' })).toEqual(['fg/bg', 'fg/own-bg', 'fg/peer-bg']);
    expect(unreadablePairs({ ...resolved(LIGHT), danger: 'rgb(0 0 0 / 0.5)' })).toEqual(['on-danger/danger']);
    expect(unreadablePairs({ ...resolved(LIGHT), fg: 'rgba(29, 35, 43, 1)', danger: 'rgb(207 34 46 / 1)' })).toEqual([]);
  });

  it('reports a colour it cannot parse, or one that is missing', () => {
    expect(unreadablePairs({ ...resolved(LIGHT), accent: 'oklch(0.5 0.2 260)' })).toEqual(['accent/bg', 'on-accent/accent']);
    expect(unreadablePairs({ ...resolved(LIGHT), 'own-bg': '' })).toEqual(['fg/own-bg']);
    const noPeerBg = Object.fromEntries(Object.entries(resolved(LIGHT)).filter(([name]) => name !== 'peer-bg'));
    expect(unreadablePairs(noPeerBg)).toEqual(['fg/peer-bg']);
  });
});

describe('contrast', () => {
  const black = [0, 0, 0];
  const white = [255, 255, 255];
  it('matches the WCAG reference values', () => {
    expect(contrast(black, white)).toBe(21);
    expect(contrast(white, black)).toBe(21);
    expect(contrast(white, white)).toBe(1);
    expect(contrast([0x77, 0x77, 0x77], white)).toBeCloseTo(4.48, 2);
    expect(contrast([0x76, 0x76, 0x76], white)).toBeCloseTo(4.54, 2);
    expect(contrast([255, 0, 0], white)).toBeCloseTo(4.0, 2); // red on white, weighted by channel
    expect(contrast([0, 0, 255], black)).toBeCloseTo(2.44, 2);
    expect(contrast([10, 10, 10], white)).toBeCloseTo(19.8, 2); // a dark channel, on the linear part of the curve
  });
});
