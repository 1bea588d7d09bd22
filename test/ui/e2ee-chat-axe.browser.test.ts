// axe-core (WCAG 2.0–2.2, levels A and AA) over the states of <e2ee-chat> a person meets, in light
// and dark, wide and narrow (issue 22): 0 violations. The element's shadow roots (and the Verify
// dialog's) are open, so axe checks what is rendered inside them.
import axe from 'axe-core';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/ui/e2ee-chat.js';
import type { E2eeChat } from '../../src/ui/e2ee-chat.js';
import { LoopbackTransport, startEngine } from '../../src/ui/index.js';
import { until } from '../helpers/engine-pair.js';
import { assertEqual } from '../helpers/assert.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe's violations in `el`, one line each: rule, impact, and where. */
async function violations(el: Element, state: string): Promise<string[]> {
  const result = await axe.run(el, { runOnly: { type: 'tag', values: TAGS }, resultTypes: ['violations'] });
  return result.violations.flatMap((v) => v.nodes.map((n) => `${state}: ${v.id} (${v.impact}) at ${JSON.stringify(n.target)}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`));
}

const root = (el: E2eeChat) => el.shadowRoot!;
const click = async (el: E2eeChat, selector: string) => {
  (root(el).querySelector(selector) as HTMLElement).click();
  await el.updateComplete;
};

describe('<e2ee-chat>: axe-core finds no WCAG 2.2 A/AA violation', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [640, 260]) {
      it(`in every state, ${scheme}, ${width}px wide`, async () => {
        await emulateMedia({ colorScheme: scheme });
        const [ta, tb] = LoopbackTransport.pair(`alice-${scheme}-${width}`, `bob-${scheme}-${width}`);
        const engines = [startEngine({ name: `axe-a-${scheme}-${width}-${Date.now()}` }), startEngine({ name: `axe-b-${scheme}-${width}-${Date.now()}` })];
        const box = document.createElement('div');
        box.style.width = `${width}px`;
        const [a, b] = [document.createElement('e2ee-chat'), document.createElement('e2ee-chat')];
        Object.assign(a, { peer: `bob-${scheme}-${width}`, peerName: 'Bob', engine: engines[0], transport: ta });
        Object.assign(b, { peer: `alice-${scheme}-${width}`, peerName: 'Alice', engine: engines[1], transport: tb });
        box.append(a, b);
        document.body.append(box);
        await a.updateComplete;
        const found: string[] = [];
        try {
          found.push(...(await violations(a, 'not private')));
          await a.startPrivate();
          await until(() => a.state === 'encrypted' && b.state === 'encrypted', 'encrypted', 60_000);
          await a.send('Hello Bob');
          await until(() => root(b).querySelectorAll('li.message.in').length === 1, 'Bob got it');
          await b.send('Hi Alice');
          await until(() => root(a).querySelectorAll('li.message.in').length === 1, 'Alice got it');
          await a.updateComplete;
          found.push(...(await violations(a, 'private, unverified, with messages')));
          await click(a, '[part=menu-button]');
          found.push(...(await violations(a, 'menu open')));
          await click(a, '[role=menu] [part=fingerprints-button]');
          await until(() => /[0-9A-F]{8} [0-9A-F]{8}/.test(root(a).querySelector('[part=fingerprints]')?.textContent ?? ''), 'keys panel', 60_000);
          found.push(...(await violations(a, 'keys panel')));
          for (const mode of ['qa', 'secret', 'fingerprint'] as const) {
            a.verify(mode);
            await a.updateComplete;
            await new Promise((r) => setTimeout(r, 50));
            found.push(...(await violations(a, `Verify panel (${mode})`)));
          }
          b.remove(); // Alice's next message cannot be delivered: an error in the timeline
          await a.endPrivate();
          await a.updateComplete;
          found.push(...(await violations(a, 'ended')));
        } finally {
          box.remove();
          engines.forEach((e) => e.terminate());
          await emulateMedia({ colorScheme: 'light' });
        }
        if (found.length) console.log(found.join('\n'));
        assertEqual(found, [], 'axe violations');
      });
    }
  }
});
