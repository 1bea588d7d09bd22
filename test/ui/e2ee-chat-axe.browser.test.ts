// axe-core (WCAG 2.0–2.2, levels A and AA) over the states of <e2ee-chat> a person meets, in light
// and dark, wide and narrow (issue 22): 0 violations. The element's shadow roots (and the Verify
// dialog's) are open, so axe checks what is rendered inside them.
import axe from 'axe-core';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/ui/e2ee-chat.js';
import type { E2eeChat } from '../../src/ui/e2ee-chat.js';
import { LoopbackTransport, startEngine } from '../../src/ui/index.js';
import { MemoryFileStore } from '../../src/ui/file-stores/memory-file-store.js';
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';

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

// The states the cases above do not reach: file cards (sent, received with Save, a picture, uploading
// with progress and Cancel, refused, cancelled with Retry), the Verify panel through a whole SMP (waiting,
// the answer prompt, success, "you answered" with Ask back), verified, an error notice (a malformed OTR
// message) and a failed message with Retry, the Keys panel's confirmation, input held (covered, hidden),
// ended by the contact, and a verified contact's key changed.
describe('<e2ee-chat>: axe-core finds no WCAG 2.2 A/AA violation (files, SMP, verified, errors, held input, key change)', () => {
  const dialogRoot = (el: E2eeChat) => root(el).querySelector('e2ee-verify-dialog')!.shadowRoot!;
  const open = (el: E2eeChat) => !!dialogRoot(el).querySelector('section[role=dialog]:not([hidden])');
  const outcome = (el: E2eeChat) => dialogRoot(el).querySelector('.outcome')?.className ?? '';
  /** Fill the open Verify panel's fields and press its submit button. */
  const fill = async (el: E2eeChat, values: Record<string, string>) => {
    await root(el).querySelector('e2ee-verify-dialog')!.updateComplete;
    for (const [id, value] of Object.entries(values)) (dialogRoot(el).querySelector(`#${id}`) as HTMLInputElement).value = value;
    (dialogRoot(el).querySelector('button[type=submit]') as HTMLButtonElement).click();
  };
  const settle = async (el: E2eeChat) => {
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
  };
  const picture = async () => {
    const canvas = new OffscreenCanvas(48, 32);
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#2a7';
    g.fillRect(0, 0, 48, 32);
    return new File([await canvas.convertToBlob({ type: 'image/png' })], 'holiday.png', { type: 'image/png' });
  };

  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [640, 260]) {
      it(`in every further state, ${scheme}, ${width}px wide`, async () => {
        await emulateMedia({ colorScheme: scheme });
        const [aliceId, bobId] = [`alice-more-${scheme}-${width}`, `bob-more-${scheme}-${width}`];
        const [ta, tb] = LoopbackTransport.pair(aliceId, bobId);
        const engines = [startEngine({ name: `axe-more-a-${scheme}-${width}-${Date.now()}` }), startEngine({ name: `axe-more-b-${scheme}-${width}-${Date.now()}` })];
        const box = document.createElement('div');
        box.style.width = `${width}px`;
        const [a, b] = [document.createElement('e2ee-chat'), document.createElement('e2ee-chat')];
        const space = `axe-more-${scheme}-${width}-${Date.now()}`;
        const store = new MemoryFileStore(space);
        Object.assign(a, { peer: bobId, peerName: 'Bob', engine: engines[0], transport: ta, files: store });
        Object.assign(b, { peer: aliceId, peerName: 'Alice', engine: engines[1], transport: tb, files: new MemoryFileStore(space) });
        box.append(a, b);
        document.body.append(box);
        await a.updateComplete;
        const found: string[] = [];
        const scan = async (el: E2eeChat, state: string) => {
          await settle(el);
          found.push(...(await violations(el, state)));
        };
        try {
          await a.startPrivate();
          await until(() => a.state === 'encrypted' && b.state === 'encrypted', 'encrypted', 60_000);
          await a.send('Hello Bob');
          await until(() => root(b).querySelectorAll('li.message.in').length === 1, 'Bob got it');

          // Files: a picture and a document both ways.
          await a.sendFile(await picture());
          await b.sendFile(new File(['the minutes'], 'minutes.txt', { type: 'text/plain' }));
          await until(() => root(a).querySelectorAll('[part=file][data-phase=sent]').length === 1 && !!root(a).querySelector('[part=file][data-phase=ready] a[part=save]'), 'file cards at Alice', 30_000);
          await until(() => !!root(b).querySelector('img[part=thumbnail]'), 'the picture at Bob', 30_000);
          await scan(a, 'file cards (sent, received with Save)');
          await scan(b, 'file cards (a picture with its thumbnail)');
          // An upload that hangs: progress and Cancel; cancelled: Retry; too large: refused.
          a.files = {
            put: (_, o) => new Promise<string>((_resolve, reject) => o?.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')))),
            get: (at, o) => store.get(at, o),
          };
          await a.updateComplete;
          const slow = a.sendFile(new File(['slow'], 'slow.txt', { type: 'text/plain' }));
          await until(() => !!root(a).querySelector('[part=file] progress[part=progress]'), 'uploading');
          await scan(a, 'a file uploading (progress, Cancel)');
          (root(a).querySelector('button[part=cancel]') as HTMLButtonElement).click();
          await slow.catch(() => undefined);
          await until(() => !!root(a).querySelector('[part=file][data-phase=cancelled] button[part=retry]'), 'cancelled');
          a.maxFileSize = 8;
          await a.sendFile(new File(['far too large'], 'large.txt', { type: 'text/plain' })).catch(() => undefined);
          await until(() => root(a).querySelectorAll('[part=file][data-phase=failed]').length === 1, 'refused');
          await scan(a, 'file cards cancelled and refused (Retry)');
          a.maxFileSize = 25 * 1024 * 1024;
          a.files = store;

          // SMP through the Verify panel: waiting, the answer prompt, success, "you answered".
          a.verify('qa');
          await until(() => open(a), 'panel open');
          await fill(a, { question: 'Where did we meet?', secret: 'Zermatt' });
          await until(() => !!dialogRoot(a).querySelector('.row [role=status]'), 'waiting');
          await scan(a, 'Verify panel (waiting for the answer)');
          await until(() => open(b) && !!dialogRoot(b).querySelector('#answer'), 'Bob asked', 60_000);
          await scan(b, 'Verify panel (the answer prompt)');
          await fill(b, { answer: 'Zermatt' });
          await until(() => a.state === 'verified' && outcome(b).includes('answered'), 'verified', 90_000);
          await scan(a, 'verified, Verify panel (success)');
          await scan(b, 'Verify panel (you answered, Ask back)');
          root(a).querySelector('e2ee-verify-dialog')!.close();
          root(b).querySelector('e2ee-verify-dialog')!.close();
          await scan(a, 'verified');

          // An error notice (a malformed OTR message) and a failed message with Retry.
          await tb.send(aliceId, '?OTR:AAMDbm90IGFuIE9UUiBtZXNzYWdl.');
          await until(() => !!root(a).querySelector('li.notice[data-code]'), 'an error notice', 30_000);
          ta.disconnect();
          await a.send('this one fails');
          await until(() => !!root(a).querySelector('li.message.out[data-status=failed] [part=retry]'), 'a failed message');
          ta.connect();
          (root(a).querySelector('li.notice[data-code] details') as HTMLDetailsElement).open = true;
          await scan(a, 'an error notice (details open) and a failed message with Retry');

          // The Keys panel's confirmation to replace the key.
          await click(a, '[part=menu-button]');
          await click(a, '[role=menu] [part=fingerprints-button]');
          await click(a, '[part=regenerate-key]');
          await until(() => !!root(a).querySelector('[part=confirm-regenerate]'), 'confirmation');
          await scan(a, 'Keys panel (confirm replacing the key)');
          await click(a, '[part=forget-peer]');
          await scan(a, 'Keys panel (both confirmations)');
          for (const button of root(a).querySelectorAll<HTMLButtonElement>('[role=alertdialog] button:not(.danger)')) button.click();
          await click(a, '[part=menu-button]');
          await click(a, '[role=menu] [part=fingerprints-button]');

          // Input held by the isolated frame's guard.
          for (const held of ['covered', 'hidden'] as const) {
            a.inputHold = held;
            await scan(a, `input held (${held})`);
          }
          a.inputHold = '';
          a.verify('qa');
          a.inputHold = 'covered';
          await scan(a, 'input held (covered) with the Verify panel open');
          a.inputHold = '';
          root(a).querySelector('e2ee-verify-dialog')!.close();

          // Ended by the contact (Bob's side), then Bob's key replaced: Alice had verified it.
          await a.endPrivate();
          await until(() => b.state === 'finished', 'Bob: ended by contact', 30_000);
          await scan(b, 'ended by the contact');
          await b.endPrivate();
          await b.regenerateKey();
          await a.startPrivate();
          await until(() => a.state === 'encrypted' && !!root(a).querySelector('[part=key-change]'), 'key changed at Alice', 90_000);
          await scan(a, 'key changed (a verified contact has a new key)');
        } finally {
          box.remove();
          engines.forEach((e) => e.terminate());
          await emulateMedia({ colorScheme: 'light' });
        }
        // A violation in the timeline stays in every later state: one line each, with the states it was seen in.
        const seen = new Map<string, string[]>();
        for (const line of found) {
          const [state, ...rest] = line.split(': ');
          const what = rest.join(': ');
          seen.set(what, [...(seen.get(what) ?? []), state!]);
        }
        const lines = [...seen].map(([what, states]) => `${what} [in: ${states.join('; ')}]`);
        if (lines.length) console.log(lines.join('\n'));
        assert(lines.length === 0, `axe violations, ${scheme}, ${width}px:\n  ${lines.join('\n  ')}`);
      });
    }
  }
});
