import '../../src/ui/e2ee-chat.js';
import { LoopbackTransport, startEngine } from '../../src/ui/index.js';
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';

/** Alice's element (peer Bob) and Bob's, each on its own engine, private with each other. */
async function privatePair(tag: string) {
  const [ta, tb] = LoopbackTransport.pair('alice', 'bob');
  const engines = [startEngine({ name: `${tag}-a-${Date.now()}` }), startEngine({ name: `${tag}-b-${Date.now()}` })];
  const [a, b] = [document.createElement('e2ee-chat'), document.createElement('e2ee-chat')];
  Object.assign(a, { peer: 'bob', peerName: 'Bob', engine: engines[0], transport: ta });
  Object.assign(b, { peer: 'alice', engine: engines[1], transport: tb });
  document.body.append(a, b);
  await a.updateComplete;
  await a.startPrivate();
  await until(() => a.state === 'encrypted' && b.state === 'encrypted', 'encrypted', 60_000);
  await a.updateComplete;
  return { a, b, engines };
}

describe('<e2ee-chat>: keyboard and screen readers', () => {
  it('Enter sends, Shift+Enter adds a line; controls are labelled; list and status are polite live regions', async () => {
    const [ta] = LoopbackTransport.pair('alice', 'bob');
    const engine = startEngine({ name: `a11y-${Date.now()}` });
    const el = document.createElement('e2ee-chat');
    el.peer = 'bob';
    el.peerName = 'Bob';
    el.engine = engine;
    el.transport = ta;
    document.body.append(el);
    await el.updateComplete;
    const root = el.shadowRoot!;
    const input = root.querySelector('textarea')!;
    const label = root.querySelector(`label[for=${input.id}]`);
    assertEqual(label?.textContent?.trim(), 'Message to Bob', 'textarea label');
    for (const button of root.querySelectorAll('button')) assert(button.textContent!.trim() || button.getAttribute('aria-label'), 'button has a name');

    input.focus();
    input.value = 'line one';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true, cancelable: true }));
    await el.updateComplete;
    assertEqual(root.querySelectorAll('li.message').length, 0, 'Shift+Enter does not send');
    input.value = 'line one\nline two';
    input.dispatchEvent(new Event('input'));
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    input.dispatchEvent(enter);
    assert(enter.defaultPrevented, 'Enter does not insert a newline');
    await until(() => root.querySelectorAll('li.message.out').length === 1, 'Enter sent the message');
    assertEqual(root.querySelector('li.message.out .text')!.textContent, 'line one\nline two', 'multi-line text kept');
    assertEqual(input.value, '', 'composer cleared');

    const list = root.querySelector('[part=messages]')!;
    // A log region (implicitly polite, announcing additions) around the list: no aria-live of its own, so nothing is said twice.
    assertEqual(list.parentElement!.getAttribute('role'), 'log', 'message list is in a log region');
    assertEqual(list.getAttribute('aria-live'), null, 'the list itself is not a second live region');
    const status = root.querySelector('[role=status][aria-live=polite]');
    assert(status, 'a polite status region exists');
    const menu = root.querySelector('[part=menu-button]') as HTMLButtonElement;
    assertEqual([menu.getAttribute('aria-haspopup'), menu.getAttribute('aria-expanded'), menu.getAttribute('aria-label')], ['menu', 'false', 'More actions'], 'menu button');
    menu.click();
    await el.updateComplete;
    assertEqual(menu.getAttribute('aria-expanded'), 'true', 'menu open');
    const fp = root.querySelector('[role=menu] [part=fingerprints-button]') as HTMLButtonElement;
    assertEqual([fp.getAttribute('role'), fp.getAttribute('aria-expanded')], ['menuitem', 'false'], 'Keys item, collapsed');
    await until(() => root.activeElement?.getAttribute('role') === 'menuitem', 'focus moves into the menu');
    fp.click();
    await el.updateComplete;
    assert(!root.querySelector('[role=menu]'), 'the menu closes after a choice');
    menu.click();
    await el.updateComplete;
    assertEqual(root.querySelector('[part=fingerprints-button]')!.getAttribute('aria-expanded'), 'true', 'Keys item says expanded');
    menu.click();
    await until(() => /[0-9A-F]{8} [0-9A-F]{8}/.test(root.querySelector('[part=fingerprints]')?.textContent ?? ''), 'own fingerprint shown', 60_000);
    el.remove();
    engine.terminate();
  });

  it('announces state changes in words', async () => {
    const { a, b, engines } = await privatePair('ann');
    assertEqual(a.shadowRoot!.querySelector('[role=status][aria-live=polite]')!.textContent!.trim(), 'Conversation with Bob is encrypted, but Bob is not verified.', 'announcement');
    a.remove();
    b.remove();
    engines.forEach((e) => e.terminate());
  });

  it('focus returns where it came from when the Verify panel closes', async () => {
    const { a, b, engines } = await privatePair('focus');
    const root = a.shadowRoot!;
    const dialog = root.querySelector('e2ee-verify-dialog')!;
    const inDialog = () => dialog.shadowRoot!.activeElement !== null;
    const close = async () => {
      (dialog.shadowRoot!.querySelector('button.close') as HTMLButtonElement).click();
      await a.updateComplete;
    };

    const input = root.querySelector('textarea')!;
    input.focus();
    a.verify();
    await until(inDialog, 'focus moved into the panel');
    await close();
    assertEqual(root.activeElement, input, 'back to the composer');

    const menu = root.querySelector('[part=menu-button]') as HTMLButtonElement;
    menu.focus();
    menu.click();
    await a.updateComplete;
    await until(() => root.activeElement?.getAttribute('role') === 'menuitem', 'focus in the menu');
    (root.querySelector('[part=verify-button]') as HTMLButtonElement).click(); // the menu closes, the panel opens
    await until(inDialog, 'focus moved into the panel');
    await close();
    assertEqual(root.activeElement, menu, 'back to the menu button (the menu item is gone)');
    a.remove();
    b.remove();
    engines.forEach((e) => e.terminate());
  });

  it('moves nothing in any state, so prefers-reduced-motion has nothing to turn off', async () => {
    const { a, b, engines } = await privatePair('motion');
    const root = a.shadowRoot!;
    /** What moves in `el`'s shadow tree (and its panels'): running animations and transitions, animated or transitioned properties, smooth scrolling. */
    const motion = (where: ShadowRoot): string[] => {
      const found = where.getAnimations().map((x) => `animation ${x.constructor.name}`);
      for (const node of where.querySelectorAll('*')) {
        const style = getComputedStyle(node);
        const seconds = (list: string) => list.split(',').some((t) => parseFloat(t) > 0);
        if (style.animationName !== 'none' && seconds(style.animationDuration)) found.push(`${node.localName}: animation ${style.animationName}`);
        if (seconds(style.transitionDuration)) found.push(`${node.localName}: transition ${style.transitionProperty}`);
        if (style.scrollBehavior === 'smooth') found.push(`${node.localName}: smooth scrolling`);
        if (node.shadowRoot) found.push(...motion(node.shadowRoot));
      }
      return found;
    };
    const states: [string, () => Promise<void>][] = [
      ['private', async () => undefined],
      ['a message each way', async () => {
        await a.send('hello');
        await b.send('hi');
        await until(() => root.querySelectorAll('[part~=message]').length >= 2, 'two messages');
      }],
      ['menu open', async () => (root.querySelector('[part=menu-button]') as HTMLButtonElement).click()],
      ['Verify panel', async () => a.verify()],
      ['plaintext again', async () => {
        await a.endPrivate();
        await until(() => a.state !== 'encrypted', 'not private');
      }],
    ];
    for (const [state, enter] of states) {
      await enter();
      await a.updateComplete;
      assertEqual(motion(root), [], `nothing moves: ${state}`);
    }
    a.remove();
    b.remove();
    engines.forEach((e) => e.terminate());
  });
});
