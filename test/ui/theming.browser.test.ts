// Theming from the page: --e2ee-* tokens set on :root or on any ancestor reach the shadow DOM
// (the element declares none of them itself), and the defaults follow prefers-color-scheme.
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/ui/e2ee-chat.js';
import type { E2eeChat } from '../../src/ui/e2ee-chat.js';
import { assertEqual } from '../helpers/assert.js';

async function mount(parent: HTMLElement = document.body): Promise<E2eeChat> {
  const el = document.createElement('e2ee-chat');
  parent.append(el);
  await el.updateComplete;
  return el;
}
const style = (el: Element) => getComputedStyle(el);
/** The element's box: the frame inside its shadow root (the host itself has no look). */
const frame = (el: E2eeChat) => el.shadowRoot!.querySelector('[part=frame]')!;
const primary = (el: E2eeChat) => el.shadowRoot!.querySelector('button.primary')!;
const dialog = (el: E2eeChat) => el.shadowRoot!.querySelector('e2ee-verify-dialog')!.shadowRoot!.querySelector('section[role=dialog]')!;

describe('<e2ee-chat> theming', () => {
  afterEach(async () => {
    document.documentElement.removeAttribute('style');
    document.body.replaceChildren();
    await emulateMedia({ colorScheme: 'light' });
  });

  it('uses the light defaults when the page sets nothing', async () => {
    await emulateMedia({ colorScheme: 'light' });
    const el = await mount();
    assertEqual(style(frame(el)).backgroundColor, 'rgb(255, 255, 255)', 'background');
    assertEqual(style(frame(el)).color, 'rgb(29, 35, 43)', 'text');
  });

  it('applies tokens set on :root, inside the shadow root and in the nested Verify dialog', async () => {
    document.documentElement.style.setProperty('--e2ee-bg', 'rgb(1, 2, 3)');
    document.documentElement.style.setProperty('--e2ee-accent', 'rgb(4, 5, 6)');
    document.documentElement.style.setProperty('--e2ee-radius', '3px');
    const el = await mount();
    assertEqual(style(frame(el)).backgroundColor, 'rgb(1, 2, 3)', 'host background');
    assertEqual(style(frame(el)).borderTopLeftRadius, '3px', 'radius');
    assertEqual(style(primary(el)).backgroundColor, 'rgb(4, 5, 6)', 'primary button');
    assertEqual(style(dialog(el)).backgroundColor, 'rgb(1, 2, 3)', 'Verify dialog background');
  });

  it('applies tokens set on any ancestor, the nearest winning', async () => {
    document.documentElement.style.setProperty('--e2ee-fg', 'rgb(7, 7, 7)');
    const outer = document.createElement('section');
    outer.style.setProperty('--e2ee-fg', 'rgb(8, 9, 10)');
    const inner = document.createElement('div');
    outer.append(inner);
    document.body.append(outer);
    const el = await mount(inner);
    assertEqual(style(frame(el)).color, 'rgb(8, 9, 10)', 'text colour from the section');
  });

  it('follows prefers-color-scheme: dark, and page tokens still win there', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const el = await mount();
    assertEqual(style(frame(el)).backgroundColor, 'rgb(13, 17, 23)', 'dark background');
    assertEqual(style(frame(el)).color, 'rgb(230, 237, 243)', 'dark text');
    assertEqual(style(dialog(el)).backgroundColor, 'rgb(13, 17, 23)', 'dark Verify dialog');
    document.documentElement.style.setProperty('--e2ee-bg', 'rgb(40, 0, 40)');
    assertEqual(style(frame(el)).backgroundColor, 'rgb(40, 0, 40)', 'page token over the dark default');
  });
});
