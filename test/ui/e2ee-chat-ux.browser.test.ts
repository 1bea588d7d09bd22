/**
 * Security you can read at a glance (Chromium, real element, real workers): the timeline's notices
 * for each security-relevant change, the state labels, the compact header at 280–800 px, the
 * in-element Verify panel, and a layout that holds under hostile host CSS.
 */
import '../../src/ui/e2ee-chat.js';
import type { E2eeChat } from '../../src/ui/e2ee-chat.js';
import { LoopbackTransport, startEngine } from '../../src/ui/index.js';
import { pairOfChats, unmount, type Mounted } from '../helpers/chat-fixture.js';
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';

const root = (m: Mounted | E2eeChat) => ('el' in m ? m.el : m).shadowRoot!;
const notices = (m: Mounted, kind: string) => [...root(m).querySelectorAll(`li[part~=notice][data-kind=${kind}]`)];
const noticeText = (m: Mounted, kind: string) => notices(m, kind).at(-1)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const hasNotice = async (m: Mounted, kind: string) => {
  await until(() => notices(m, kind).length > 0, `notice ${kind}`, 90_000);
  await m.el.updateComplete;
};
const isPrivate = (el: E2eeChat) => el.state === 'encrypted' || el.state === 'verified';
const panel = (m: Mounted) => root(m).querySelector('e2ee-verify-dialog')!.shadowRoot!;

describe('<e2ee-chat> timeline: every security change is a notice, in order with the messages', () => {
  it('private started (by whom, verified or not), ended by us and by the peer, with the right actions', async () => {
    const [alice, bob] = pairOfChats();
    await Promise.all([alice.el.ready, bob.el.ready]);
    await alice.el.send('before, in plaintext');
    await alice.el.startPrivate();
    await Promise.all([hasNotice(alice, 'private-started'), hasNotice(bob, 'private-started')]);
    assertEqual(noticeText(alice, 'private-started'), 'You started a private conversation. bob is not verified yet.', 'Alice’s notice');
    assertEqual(noticeText(bob, 'private-started'), 'alice started a private conversation. alice is not verified yet.', 'Bob’s notice');
    // In order: the plaintext message comes before the notice.
    const items = [...root(bob).querySelectorAll('ol.messages > li')].map((li) => li.getAttribute('data-kind') ?? 'message');
    assertEqual(items, ['message', 'private-started'], 'timeline order');
    // The list is in a log region (polite, additions): each new message and notice is announced once.
    assert(root(bob).querySelector('ol.messages')!.parentElement!.getAttribute('role') === 'log', 'announced politely, as a log');
    // Ended by the peer: explained, with End and Start again.
    await alice.el.endPrivate();
    await Promise.all([hasNotice(alice, 'ended-by-us'), hasNotice(bob, 'ended-by-peer')]);
    assert(noticeText(bob, 'ended-by-peer').includes('Messages you type now are not sent'), 'finished explains itself');
    const actions = [...notices(bob, 'ended-by-peer')[0]!.querySelectorAll('button')].map((b) => b.getAttribute('data-action'));
    assertEqual(actions, ['end', 'start-again'], 'actions when the peer ended');
    // Typing now: no raw otr text anywhere, and the message waits.
    await bob.el.send('typed after Alice ended');
    await bob.el.updateComplete;
    assert(!root(bob).textContent!.includes('Message cannot be sent at this time'), 'nothing raw from otr');
    (notices(bob, 'ended-by-peer')[0]!.querySelector('[data-action=start-again]') as HTMLButtonElement).click();
    await until(() => isPrivate(alice.el) && isPrivate(bob.el), 'started again', 90_000);
    await until(() => alice.events['e2ee-message'].some((m) => m.text === 'typed after Alice ended' && m.encrypted), 'the waiting message went out encrypted');
    unmount(alice, bob);
  });

  it('key changed, protocol version changed, an unreadable message: each said in words', async () => {
    const [alice, bob] = pairOfChats();
    await alice.el.startPrivate();
    await until(() => isPrivate(alice.el) && isPrivate(bob.el), 'private', 90_000);
    await alice.el.send('one');
    await until(() => bob.events['e2ee-message'].length === 1, 'delivered');
    const data = alice.transport.sent.filter((s) => s.body.startsWith('?OTR:AAMD')).at(-1)!.body;
    // The version: an injected ?OTRv2? moves the conversation to v2.
    await bob.engine.receive('alice', '?OTRv2?');
    await hasNotice(bob, 'version-changed');
    assert(noticeText(bob, 'version-changed').includes('old protocol OTR v2'), 'version change in words');
    // An unreadable message (a corrupted copy: its MAC fails; a plain repeat is ignored): said, with Start again.
    const at = data.length - 12;
    const corrupted = data.slice(0, at) + (data[at] === 'A' ? 'B' : 'A') + data.slice(at + 1);
    await bob.engine.receive('alice', corrupted).catch(() => undefined);
    await hasNotice(bob, 'unreadable');
    assert(noticeText(bob, 'unreadable').includes('could not be read'), 'unreadable in words');
    assert(!noticeText(bob, 'unreadable').includes('MAC'), 'no jargon');
    // A verified contact's key changes.
    await bob.engine.setVerified('alice', (await alice.engine.identity()).fingerprint, true);
    await until(() => bob.el.state === 'verified', 'verified');
    await alice.el.regenerateKey();
    await alice.el.startPrivate();
    await hasNotice(bob, 'key-changed');
    assert(noticeText(bob, 'key-changed').includes('changed since you verified it'), 'key change in words');
    assert(notices(bob, 'key-changed')[0]!.querySelector('[data-action=verify]'), 'a Verify action');
    unmount(alice, bob);
  });

  it('SMP in each role: asked, answered (verifies only the asker), verified, failed', async () => {
    const [alice, bob] = pairOfChats();
    await alice.el.startPrivate();
    await until(() => isPrivate(alice.el) && isPrivate(bob.el), 'private', 90_000);
    alice.el.verify('qa');
    await alice.el.updateComplete;
    const ask = async (from: Mounted, to: Mounted, question: string, secret: string, answer: string) => {
      from.el.verify('qa');
      await until(() => !!panel(from).querySelector('section:not([hidden]) #question'), 'question form');
      (panel(from).querySelector('#question') as HTMLInputElement).value = question;
      (panel(from).querySelector('#secret') as HTMLInputElement).value = secret;
      (panel(from).querySelector('button[type=submit]') as HTMLButtonElement).click();
      await until(() => !!panel(to).querySelector('section:not([hidden]) #answer'), 'answer prompt', 60_000);
      assertEqual((panel(to).querySelector('#answer') as HTMLInputElement).type, 'text', 'the answer is visible while typed');
      (panel(to).querySelector('#answer') as HTMLInputElement).value = answer;
      (panel(to).querySelector('button[type=submit]') as HTMLButtonElement).click();
    };
    await ask(alice, bob, 'Our street?', 'Elm', 'Oak');
    await Promise.all([hasNotice(alice, 'smp-failed'), hasNotice(bob, 'smp-failed')]);
    await hasNotice(alice, 'smp-we-asked');
    assert(noticeText(bob, 'smp-asked-us').includes('Our street?'), 'asked, with the question');
    await ask(alice, bob, 'Our street?', 'Elm', 'Elm');
    await Promise.all([hasNotice(alice, 'smp-verified'), hasNotice(bob, 'smp-answered')]);
    assert(noticeText(bob, 'smp-answered').includes('not who alice is to you'), 'the answerer is told what it proved');
    assert(notices(bob, 'smp-answered')[0]!.querySelector('[data-action=ask-back]'), 'Ask your own question');
    await until(() => alice.el.state === 'verified', 'the asker is verified');
    await new Promise((r) => setTimeout(r, 300));
    assertEqual([alice.el.state, bob.el.state], ['verified', 'encrypted'], 'states');
    unmount(alice, bob);
  });
});

describe('<e2ee-chat> states and header', () => {
  it('labels and data-state for each state; one unmistakable danger style for Not encrypted', async () => {
    const [alice, bob] = pairOfChats();
    await alice.el.ready;
    const pill = () => root(alice).querySelector('[part=status]')!;
    const label = () => pill().querySelector('.wide')!.textContent!.trim();
    assertEqual([pill().getAttribute('data-state'), label()], ['plaintext', 'Not encrypted'], 'plaintext');
    assertEqual(getComputedStyle(pill()).backgroundColor, getComputedStyle(pill()).borderTopColor, 'filled danger pill');
    await alice.el.startPrivate();
    await until(() => isPrivate(alice.el) && isPrivate(bob.el), 'private', 90_000);
    await alice.el.updateComplete;
    assertEqual([pill().getAttribute('data-state'), label()], ['encrypted', 'Encrypted · not verified'], 'encrypted');
    assert(root(alice).querySelector('[part=verify-nudge]'), 'a nudge to verify');
    (root(alice).querySelector('[part=verify-nudge] [aria-label=Dismiss]') as HTMLButtonElement).click();
    await alice.el.updateComplete;
    assert(!root(alice).querySelector('[part=verify-nudge]'), 'the nudge is dismissable');
    await alice.engine.setVerified('bob', (await bob.engine.identity()).fingerprint, true);
    await until(() => alice.el.state === 'verified', 'verified');
    await alice.el.updateComplete;
    assertEqual([pill().getAttribute('data-state'), label()], ['verified', 'Encrypted · verified'], 'verified');
    await bob.el.endPrivate();
    await until(() => alice.el.state === 'finished', 'finished');
    await alice.el.updateComplete;
    assertEqual([pill().getAttribute('data-state'), label()], ['finished', 'Ended by contact'], 'finished');
    unmount(alice, bob);
  });

  it('the header stays on one row from 280 to 800 px, with one primary action that follows the state', async () => {
    const [alice, bob] = pairOfChats();
    alice.el.peerName = 'Alexandra Bartholomew-Smith';
    await alice.el.ready;
    for (const state of ['plaintext', 'private'] as const) {
      if (state === 'private') {
        await alice.el.startPrivate();
        await until(() => isPrivate(alice.el) && isPrivate(bob.el), 'private', 90_000);
      }
      for (const width of [280, 360, 800]) {
        alice.el.style.width = `${width}px`;
        await alice.el.updateComplete;
        await new Promise((r) => requestAnimationFrame(r));
        const header = root(alice).querySelector('header')!;
        const kids = [...header.children].filter((k) => (k as HTMLElement).offsetParent !== null) as HTMLElement[];
        const tops = new Set(kids.map((k) => Math.round(k.getBoundingClientRect().top + k.getBoundingClientRect().height / 2)));
        assert(Math.max(...tops) - Math.min(...tops) <= 2, `${state} at ${width}px: one row (${[...tops]})`);
        const box = header.getBoundingClientRect();
        assert(kids.every((k) => k.getBoundingClientRect().right <= box.right + 0.5 && k.getBoundingClientRect().left >= box.left - 0.5), `${state} at ${width}px: nothing overflows`);
        const primary = [...root(alice).querySelectorAll('header > button')].map((b) => b.getAttribute('part'));
        assertEqual(primary, [state === 'private' ? 'end-button' : 'start-button'], `${state}: the primary action`);
      }
    }
    unmount(alice, bob);
  });
});

describe('<e2ee-chat> strings', () => {
  it('a host overrides any words through the strings property; the rest stay English', async () => {
    const [alice, bob] = pairOfChats();
    alice.el.strings = { actions: { send: 'Senden' }, states: { plaintext: { label: 'Nicht verschlüsselt', short: 'Offen', description: () => 'Klartext.' } } };
    await alice.el.updateComplete;
    assertEqual(root(alice).querySelector('[part=send-button]')!.textContent!.trim(), 'Senden', 'overridden');
    assertEqual(root(alice).querySelector('[part=status] .wide')!.textContent!.trim(), 'Nicht verschlüsselt', 'overridden state label');
    assertEqual(root(alice).querySelector('[part=menu-button]')!.getAttribute('aria-label'), 'More actions', 'the rest stays English');
    unmount(alice, bob);
  });
});

describe('<e2ee-chat> Verify panel', () => {
  it('lives inside the element: the page stays usable, focus stays in the panel, Escape closes it', async () => {
    const [alice, bob] = pairOfChats();
    const outside = Object.assign(document.createElement('button'), { textContent: 'page button' });
    let clicked = 0;
    outside.addEventListener('click', () => clicked++);
    document.body.prepend(outside);
    await alice.el.startPrivate();
    await until(() => isPrivate(alice.el) && isPrivate(bob.el), 'private', 90_000);
    alice.el.verify('secret');
    await until(() => !!panel(alice).querySelector('section:not([hidden])'), 'panel open');
    assert(!document.querySelector(':modal') && !panel(alice).querySelector('dialog'), 'not a page-modal dialog');
    outside.scrollIntoView();
    const r = outside.getBoundingClientRect();
    assertEqual(document.elementFromPoint(r.left + 5, r.top + 5), outside, 'the page is not covered');
    outside.click();
    assertEqual(clicked, 1, 'the page still works');
    await until(() => panel(alice).activeElement?.id === 'secret', 'focus moved into the panel');
    const section = panel(alice).querySelector('section')!;
    const focusables = [...section.querySelectorAll<HTMLElement>('button:not([disabled]), input, [tabindex="0"]')].filter((e) => e.offsetParent !== null);
    focusables.at(-1)!.focus();
    section.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, composed: true, cancelable: true }));
    assertEqual(panel(alice).activeElement, focusables[0], 'Tab from the last control wraps to the first');
    focusables[0]!.focus();
    section.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true, composed: true, cancelable: true }));
    assertEqual(panel(alice).activeElement, focusables.at(-1), 'Shift+Tab from the first wraps to the last');
    section.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
    await until(() => !!panel(alice).querySelector('section[hidden]'), 'Escape closed it');
    outside.remove();
    unmount(alice, bob);
  });
});

describe('<e2ee-chat> layout under hostile host CSS', () => {
  const cases: { name: string; wrap?: string; host: string; page?: string }[] = [
    { name: 'display: block', host: 'display: block' },
    { name: 'display: inline', host: 'display: inline' },
    { name: 'display: contents', host: 'display: contents' },
    { name: 'a fixed height', host: 'display: block; height: 300px' },
    { name: 'a max-height', host: 'max-height: 320px' },
    { name: 'height from a flex parent', wrap: 'display: flex; flex-direction: column; height: 340px', host: 'flex: 1 1 auto; min-height: 0; height: auto' },
    { name: 'height from a grid parent', wrap: 'display: grid; grid-template-rows: 360px', host: 'height: auto' },
    { name: 'fill', wrap: 'height: 330px', host: '', page: '' },
    { name: 'page line-height, font-size, box-sizing, rtl', host: '', page: 'line-height: 3; font-size: 22px; direction: rtl' },
  ];
  for (const c of cases) {
    it(`${c.name}, 50 messages: status, composer and the newest message visible; the list scrolls`, async () => {
      const wrap = document.createElement('div');
      wrap.setAttribute('style', c.wrap ?? '');
      const style = Object.assign(document.createElement('style'), { textContent: `* { box-sizing: content-box !important; } .hostile e2ee-chat { ${c.host} }` });
      document.head.append(style);
      wrap.className = 'hostile';
      if (c.page) document.body.setAttribute('style', c.page);
      document.body.append(wrap);
      const [ta] = LoopbackTransport.pair('alice', 'nobody');
      const el = document.createElement('e2ee-chat');
      if (c.name === 'fill') el.setAttribute('fill', '');
      const engine = startEngine({ name: `layout-${Date.now()}-${Math.random()}` });
      Object.assign(el, { peer: 'nobody', engine, transport: ta });
      wrap.append(el);
      await el.ready;
      for (let i = 1; i <= 50; i++) await el.send(`message ${i} ${'lorem ipsum '.repeat(i % 4)}`);
      await until(() => root(el).querySelectorAll('li.message.out[data-status=sent]').length === 50, '50 sent');
      await new Promise((r) => setTimeout(r, 100));
      const frame = root(el).querySelector('[part=frame]')!.getBoundingClientRect();
      const visible = (e: Element | null, what: string) => {
        assert(e, what);
        const r = e!.getBoundingClientRect();
        assert(r.height > 0 && r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1, `${what} inside the element's box (${r.top}–${r.bottom} in ${frame.top}–${frame.bottom})`);
      };
      visible(root(el).querySelector('[part=status]'), 'status');
      visible(root(el).querySelector('[part=composer]'), 'composer');
      const list = root(el).querySelector('ol.messages') as HTMLElement;
      assert(list.scrollHeight > list.clientHeight + 50, 'the list scrolls');
      const newest = [...list.querySelectorAll('li.message')].at(-1)!;
      const lr = list.getBoundingClientRect();
      const nr = newest.getBoundingClientRect();
      assert(nr.bottom <= lr.bottom + 1 && nr.bottom > lr.top, 'the newest message is in view');
      assert(frame.height < 700, `bounded height (${frame.height})`);
      el.remove();
      engine.terminate();
      wrap.remove();
      style.remove();
      document.body.removeAttribute('style');
    });
  }
});
