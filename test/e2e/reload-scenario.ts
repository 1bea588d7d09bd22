/**
 * Test helper: the reload scenario of "nothing lost". Bob sends 30 messages while Alice's page
 * reloads once in the middle: her element is removed, her engine's worker ends and her transport
 * closes; then a new element, a new worker on the same identity and a new transport take over, as
 * a reloaded page would. Every part is real: `<e2ee-chat>`, the built worker, IndexedDB, Web Locks.
 */
import '../../src/ui/e2ee-chat.js';
import type { E2eeChat } from '../../src/ui/e2ee-chat.js';
import { startEngine, type EngineClient } from '../../src/ui/index.js';
import type { Transport } from '../../src/ui/transport.js';
import type { E2eeEventMap } from '../../src/ui/events.js';
import { until } from '../helpers/engine-pair.js';

/** One page of one user: element, engine and transport. */
export interface Page {
  el: E2eeChat;
  engine: EngineClient;
  transport: Transport & { close?(): unknown };
  messages: E2eeEventMap['e2ee-message']['detail'][];
  errors: E2eeEventMap['e2ee-error']['detail'][];
  /** The engine's own events, in short (for the failure message). */
  log: string[];
}

/** Open a page for identity `name` talking to `peer` over `transport`. */
export function openPage(name: string, peer: string, transport: Page['transport']): Page {
  const el = document.createElement('e2ee-chat');
  el.peer = peer;
  const engine = startEngine({ name });
  el.engine = engine;
  el.transport = transport;
  const page: Page = { el, engine, transport, messages: [], errors: [], log: [] };
  void engine.subscribe((e) => {
    if (e.type === 'message') page.log.push(`message ${e.text.slice(-20)}`);
    else if (e.type === 'error') page.log.push(`${e.warning ? 'warning' : 'error'} ${e.code} ${e.message}`);
    else if (e.type === 'status') page.log.push(`status ${e.state}`);
  });
  el.addEventListener('e2ee-message', (e) => page.messages.push(e.detail));
  el.addEventListener('e2ee-error', (e) => page.errors.push(e.detail));
  document.body.append(el);
  return page;
}

/**
 * Close `page` as a reload or a closed tab does: the worker and the connection end, then the page's
 * DOM. `engine-first` ends the worker while messages may still be arriving (the harsher order);
 * `transport-first` signs off first, as a page that closes its connection on `pagehide` does.
 */
export async function closePage(page: Page, order: 'engine-first' | 'transport-first' = 'engine-first'): Promise<void> {
  if (order === 'transport-first') await page.transport.close?.();
  page.engine.terminate();
  await page.transport.close?.();
  page.el.remove();
}

/** What a trial found. */
export interface TrialResult {
  /** Bob's texts Alice's pages showed, decrypted, in order (before and after the reload). */
  delivered: string[];
  /** Bob's texts that went out, and that Alice never showed. */
  lost: string[];
  /** Bob's messages his element shows as sent that Alice never showed. */
  sentButUnread: string[];
  /** Errors shown on either side. */
  errors: string[];
}

/**
 * One trial. `alice` and `bob` are open pages, talking privately; `reopenAlice` reopens Alice's
 * page after `closePage`. Returns Alice's new page with the result.
 */
export async function reloadTrial(
  trial: number,
  alice: Page,
  bob: Page,
  reopenAlice: () => Promise<Page> | Page,
  options: {
    count?: number;
    order?: 'engine-first' | 'transport-first';
    /** Close the page while Bob's first messages may still be arriving (default), or once Alice read them all. */
    midStream?: boolean;
  } = {},
): Promise<{ alice: Page; result: TrialResult }> {
  const count = options.count ?? 30;
  const texts = Array.from({ length: count }, (_, i) => `trial ${trial} · message ${i} from Bob`);
  const seen = (page: Page) => page.messages.filter((m) => m.direction === 'in' && m.encrypted).map((m) => m.text);
  const before = alice;
  const half = Math.floor(count / 2);
  for (const text of texts.slice(0, half)) await bob.el.send(text);
  const closeAt = options.midStream === false ? half : half - 3; // mid-stream: a few may still be on their way
  await until(() => seen(before).filter((t) => t.startsWith(`trial ${trial} ·`)).length >= closeAt, `Alice to read ${closeAt} of the first ${half}`, 30_000);
  await closePage(before, options.order);
  for (const text of texts.slice(half, half + 5)) await bob.el.send(text); // while Alice's page is gone
  const after = await reopenAlice();
  for (const text of texts.slice(half + 5)) await bob.el.send(text);
  const delivered = () => [...seen(before), ...seen(after)].filter((t) => t.startsWith(`trial ${trial} ·`));
  await until(() => delivered().length >= count, `all ${count} of Bob's messages at Alice`, 60_000).catch(() => undefined);
  const got = delivered().map((t) => t.replace(/^\[resent\] /, ''));
  const bobSent = bob.el.shadowRoot!.querySelectorAll('li.message.out');
  const sentButUnread = [...bobSent]
    .filter((li) => li.getAttribute('data-status') === 'sent' && !got.some((t) => li.textContent?.includes(t)))
    .map((li) => li.textContent ?? '')
    .filter((t) => t.includes(`trial ${trial} ·`));
  return {
    alice: after,
    result: {
      delivered: got,
      lost: texts.filter((t) => !got.includes(t)),
      sentButUnread,
      errors: [...before.errors, ...after.errors, ...bob.errors].map((e) => `${e.code}: ${e.message}`),
    },
  };
}
