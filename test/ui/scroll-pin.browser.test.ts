/**
 * ScrollPin and BoxWatch, the two layout controllers of `<e2ee-chat>`, on a small Lit host: the list
 * goes to its end as items come; other updates keep it at the end while pinned, and leave it where
 * the person scrolled otherwise, until the person is back at the end; the host's box is re-read
 * when the page changes its display.
 */
import { LitElement, css, html } from 'lit';
import { ScrollPin } from '../../src/ui/scroll-pin.js';
import { BoxWatch } from '../../src/ui/box-watch.js';
import { assert } from '../helpers/assert.js';
import { until } from '../helpers/until.js';

class PinnedList extends LitElement {
  static override properties = { items: { type: Number }, label: { type: String } };
  static override styles = css`
    :host {
      display: block;
    }
  `;
  label = '';
  items = 0;
  readonly box = new BoxWatch(this);
  readonly pin = new ScrollPin(this, () => this.renderRoot.querySelector('ol'), () => this.items);
  override render() {
    return html`<ol class=${this.box.ownBox ? 'own' : 'none'} style="height: 200px; overflow-y: auto; margin: 0">
      ${Array.from({ length: this.items }, (_, i) => html`<li style="height: 40px">item ${i} ${this.label}</li>`)}
    </ol>`;
  }
}
customElements.define('pinned-list-test', PinnedList);

const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

async function mountList(): Promise<{ el: PinnedList; list: HTMLElement }> {
  const el = document.createElement('pinned-list-test') as PinnedList;
  document.body.append(el);
  el.items = 20;
  await el.updateComplete;
  await frame();
  return { el, list: el.shadowRoot!.querySelector('ol')! };
}
const atEnd = (list: HTMLElement) => list.scrollTop + list.clientHeight >= list.scrollHeight - 1;

describe('ScrollPin', () => {
  it('keeps the list at its end as items come', async () => {
    const { el, list } = await mountList();
    assert(atEnd(list), 'at the end after the first items');
    el.items = 40;
    await el.updateComplete;
    await until(() => atEnd(list), 'at the end after more items');
    el.remove();
  });

  it('stays where the person scrolled through other updates, and follows them again once the person is back at the end', async () => {
    const { el, list } = await mountList();
    list.dispatchEvent(new WheelEvent('wheel', { deltaY: -500 }));
    list.scrollTop = 0;
    await frame();
    el.label = 'delivered'; // an update that adds no item (a status changed)
    await el.updateComplete;
    await frame();
    assert(list.scrollTop === 0, `left where the person put it (scrollTop ${list.scrollTop})`);
    list.dispatchEvent(new WheelEvent('wheel', { deltaY: 5000 }));
    list.scrollTop = list.scrollHeight;
    await frame();
    el.style.fontSize = '30px'; // taller items, no new one
    el.label = 'read';
    await el.updateComplete;
    await until(() => atEnd(list), 'pinned again: follows the update');
    el.remove();
  });

  it('does not unpin on its own scrolls or layout changes without the person', async () => {
    const { el, list } = await mountList();
    list.scrollTop = 0; // not the person: no input event came first
    await frame();
    el.items = 25;
    await el.updateComplete;
    await until(() => atEnd(list), 'back at the end');
    el.remove();
  });
});

describe('BoxWatch', () => {
  it('re-reads the host’s display when the page changes it, and renders', async () => {
    const { el } = await mountList();
    const cls = () => el.shadowRoot!.querySelector('ol')!.className;
    assert(cls() === 'own', 'a box of its own at first');
    el.style.display = 'contents';
    await until(() => cls() === 'none', 'display: contents seen');
    el.style.display = 'block';
    await until(() => cls() === 'own', 'display: block seen');
    el.remove();
  });
});
