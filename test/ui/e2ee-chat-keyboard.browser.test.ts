/**
 * `<e2ee-chat>` by keyboard alone (issue 22): two elements on the loopback, driven with real key
 * presses (`sendKeys`: Chromium's own Tab, Enter, Space, Escape and arrow keys, never `.click()`,
 * never setting `.value`). The only focus placed by the test is `blur()` at the start, so that the
 * first Tab starts from the page: it lands on Alice's element (the first on the page), and Bob's
 * element is reached from Alice's by Tab, as a person would.
 *
 * The first test runs a whole conversation, SMP included. The second tabs through every state of
 * the element and checks that Tab reaches every visible control, in order, each with a focus ring.
 * The tests after them assert where focus should go at the moments it is lost today; they fail
 * until the element is fixed (see each one).
 */
import { sendKeys } from '@web/test-runner-commands';
import '../../src/ui/e2ee-chat.js';
import type { E2eeChat } from '../../src/ui/e2ee-chat.js';
import { MemoryFileStore } from '../../src/ui/file-stores/memory-file-store.js';
import type { LoopbackTransport } from '../../src/ui/index.js';
import { pairOfChats, unmount, type Mounted } from '../helpers/chat-fixture.js';
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';

// ---- where focus is ---------------------------------------------------------------------------

/** The focused element, through open shadow roots (the chat's, then the Verify dialog's). */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Names for the elements under test, for readable focus paths: `alice`, `bob`. */
const names = new WeakMap<Element, string>();

/** The `<e2ee-chat>` an element is rendered in (through the Verify dialog's root), if any. */
function chatOf(e: Element | null): E2eeChat | undefined {
  let node: Node | null = e;
  while (node) {
    const root = node.getRootNode();
    if (!(root instanceof ShadowRoot)) return undefined;
    if (root.host.localName === 'e2ee-chat') return root.host as E2eeChat;
    node = root.host;
  }
  return undefined;
}

const inDialogRoot = (e: Element) => (e.getRootNode() as ShadowRoot).host?.localName === 'e2ee-verify-dialog';

/** "alice end-button", "bob dialog #answer", "alice dialog tab-qa", "page body". */
function label(e: Element | null): string {
  if (!e) return 'nothing';
  if (e === document.body) return 'the page (body)';
  const chat = chatOf(e);
  const owner = chat ? `${names.get(chat) ?? chat.peer}${inDialogRoot(e) ? ' dialog' : ''}` : 'page';
  const part = e.getAttribute('part') ?? (e.localName === 'input' && e.parentElement?.getAttribute('part') ? `${e.parentElement.getAttribute('part')} input` : null);
  const what = part ? part : e.id ? `#${e.id}` : e.getAttribute('data-action') ? `[${e.getAttribute('data-action')}]` : `${e.localName}${e.getAttribute('aria-label') ? `(${e.getAttribute('aria-label')})` : `"${(e.textContent ?? '').trim().slice(0, 24)}"`}`;
  return `${owner} ${what}`;
}

const focusLabel = () => label(focused());

function assertFocus(expected: string, step: string): void {
  assertEqual(focusLabel(), expected, `focus ${step}`);
}

// ---- keys -------------------------------------------------------------------------------------

const settle = () => new Promise((r) => setTimeout(r, 25));

/** One key press; `Shift+Tab` is pressed as Shift down, Tab, Shift up (Chromium's CDP keyboard wants it so). */
async function press(key: string): Promise<void> {
  const keys = key.split('+');
  const main = keys.pop()!;
  for (const modifier of keys) await sendKeys({ down: modifier });
  await sendKeys({ press: main });
  for (const modifier of keys.reverse()) await sendKeys({ up: modifier });
  await settle();
}

async function type(text: string): Promise<void> {
  await sendKeys({ type: text });
  await settle();
}

/** Press `key` until the focused element satisfies `wanted`; the labels of the elements passed. */
async function moveTo(wanted: (e: Element) => boolean, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 40): Promise<string[]> {
  const path: string[] = [];
  for (let i = 0; i <= max; i++) {
    const e = focused();
    if (e && wanted(e)) return path;
    if (i === max) break;
    await press(key);
    path.push(focusLabel());
  }
  throw new Error(`${key} ×${max} did not reach the control; passed: ${path.join(' → ')}`);
}

/** A control of `m`'s element (not of its Verify dialog): by part, `#id`, or `[data-action]`. */
const control = (m: Mounted, what: string) => (e: Element) => chatOf(e) === m.el && !inDialogRoot(e) && label(e) === `${names.get(m.el)} ${what}`;
/** A control in `m`'s Verify dialog (`what` as in `control`), or any control in it. */
const inDialog = (m: Mounted, what?: string) => (e: Element) => chatOf(e) === m.el && inDialogRoot(e) && (what === undefined || label(e) === `${names.get(m.el)} dialog ${what}`);

// ---- what each side shows ---------------------------------------------------------------------

const root = (m: Mounted) => m.el.shadowRoot!;
const dialog = (m: Mounted) => root(m).querySelector('e2ee-verify-dialog')!;
const dialogRoot = (m: Mounted) => dialog(m).shadowRoot!;
const panelOpen = (m: Mounted) => !!dialogRoot(m).querySelector('section[role=dialog]:not([hidden])');
const pill = (m: Mounted) => root(m).querySelector<HTMLElement>('[part=status]')!;
const statusWords = (m: Mounted) => pill(m).querySelector('.wide')!.textContent!.trim();
const texts = (m: Mounted, direction: 'in' | 'out') => [...root(m).querySelectorAll(`li.message.${direction} .text`)].map((t) => t.textContent);
const composer = (m: Mounted) => root(m).querySelector('textarea')!;
const notices = (m: Mounted) => [...root(m).querySelectorAll('li.notice')].map((n) => n.getAttribute('data-kind'));
const outcome = (m: Mounted) => dialogRoot(m).querySelector('.outcome')?.className.replace('outcome ', '') ?? '';
const menu = (m: Mounted) => root(m).querySelector('[role=menu]');
const menuButton = (m: Mounted) => root(m).querySelector('[part=menu-button]')!;

/** Alice and Bob on the loopback, named for focus paths, ready; focus off everything. */
async function chats(): Promise<[Mounted, Mounted]> {
  const [alice, bob] = pairOfChats();
  names.set(alice.el, 'alice');
  names.set(bob.el, 'bob');
  await Promise.all([alice.el.ready, bob.el.ready]);
  await alice.el.updateComplete;
  (document.activeElement as HTMLElement | null)?.blur();
  return [alice, bob];
}

/** Alice starts by keyboard (Tab to her Start button, Enter) and both become encrypted. */
async function startByKeyboard(alice: Mounted, bob: Mounted): Promise<void> {
  await moveTo(control(alice, 'start-button'));
  await press('Enter');
  await until(() => alice.el.state === 'encrypted' && bob.el.state === 'encrypted', 'both encrypted', 60_000);
  await Promise.all([alice.el.updateComplete, bob.el.updateComplete]);
  await settle();
}

// ---- every control reachable ------------------------------------------------------------------

const TABBABLE = 'button, input, textarea, select, a[href], summary, [tabindex]';

/** Whether `e` or a shadow host around it is inert. */
function inert(e: Element): boolean {
  for (let node: Element | null = e; node; node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null)) if ((node as HTMLElement).inert) return true;
  return false;
}

/** The controls Tab should stop at, in tree order through the shadow roots (the Verify dialog's included). */
function tabbable(scope: ParentNode): HTMLElement[] {
  const found: HTMLElement[] = [];
  const walk = (parent: ParentNode) => {
    for (const e of parent.children) {
      if (e instanceof HTMLElement && e.matches(TABBABLE) && e.tabIndex >= 0 && !(e as HTMLButtonElement).disabled && e.checkVisibility() && !inert(e)) found.push(e);
      if (e.shadowRoot) walk(e.shadowRoot);
      walk(e);
    }
  };
  walk(scope);
  return found;
}

/** A keyboard focus ring: its own outline, or (a file input, invisible by design) its label's. */
function hasFocusRing(e: Element): boolean {
  const ring = (x: Element) => {
    const s = getComputedStyle(x);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  };
  return e instanceof HTMLInputElement && e.type === 'file' ? ring(e.parentElement!) : ring(e);
}

/**
 * Tab from the focused control until focus leaves `m`'s element or comes round again: the controls
 * Tab stopped at. Each must show a focus ring.
 */
async function tabThrough(m: Mounted): Promise<Element[]> {
  const seen: Element[] = [];
  for (let i = 0; i < 80; i++) {
    const e = focused();
    if (!e || chatOf(e) !== m.el || seen.includes(e)) return seen;
    assert(hasFocusRing(e), `${label(e)} shows a focus ring when focused by keyboard`);
    seen.push(e);
    await press('Tab');
  }
  throw new Error('Tab never left the element');
}

/**
 * From `m`'s first control (reached with Shift+Tab from wherever focus is), Tab reaches exactly the
 * visible, enabled controls of `scope` (by default all of `m`'s), in order, and leaves.
 */
async function assertAllReachable(m: Mounted, state: string, scope: ParentNode = root(m)): Promise<string[]> {
  const expected = tabbable(scope);
  assert(expected.length > 0, `${state}: there are controls`);
  await moveTo((e) => e === expected[0], 'Shift+Tab', 60);
  const reached = (await tabThrough(m)).map(label);
  assertEqual(reached, expected.map(label), `${state}: Tab reaches every visible control, in order`);
  return reached;
}

describe('<e2ee-chat> by keyboard alone (issue 22)', () => {
  it('a whole conversation, SMP included, with real key presses only', async () => {
    const [alice, bob] = await chats();
    assertEqual([alice.el.state, bob.el.state], ['plaintext', 'plaintext'], 'not private at first');

    // Alice: Tab from the page lands on Start; Enter starts the private conversation.
    await press('Tab');
    assertFocus('alice start-button', 'the first Tab from the page');
    await startByKeyboard(alice, bob);
    assertEqual([statusWords(alice), statusWords(bob)], ['Encrypted · not verified', 'Encrypted · not verified'], 'both say encrypted, not verified');
    await until(() => notices(alice).includes('private-started') && notices(bob).includes('private-started'), 'both timelines say it started');
    assert(root(alice).querySelector('[part=end-button]') && !root(alice).querySelector('[part=start-button]'), 'Start became End');
    // Where focus goes when Start becomes End: see 'focus stays in the element when the control that had it goes away'
    // (today it falls to the page; the Tab below then starts from where Start was, in Chromium).

    // Alice: Tab to the composer (through End, the menu button, the nudge and the message list), type, Enter sends.
    const toComposer = await moveTo(control(alice, 'input'));
    assert(toComposer.every((l) => l.startsWith('alice ')), `Tab stays in Alice's element on the way: ${toComposer.join(' → ')}`);
    assertEqual(toComposer.slice(-4), ['alice button"Verify"', 'alice button(Dismiss)', 'alice messages', 'alice input'], 'the way to the composer');
    await type('Hello Bob');
    await press('Shift+Enter');
    await type('this is Alice');
    assertEqual(texts(alice, 'out'), [], 'Shift+Enter does not send');
    await press('Enter');
    await until(() => texts(bob, 'in').length === 1, 'Bob got the message');
    assertEqual(texts(alice, 'out'), ['Hello Bob\nthis is Alice'], "Alice's message, both lines");
    assertEqual(texts(bob, 'in'), ['Hello Bob\nthis is Alice'], 'Bob reads it');
    assertEqual(composer(alice).value, '', "Alice's composer is empty again");
    assertFocus('alice input', 'after sending');

    // Bob: Tab out of Alice's element (her Send button is off with an empty draft) lands on Bob's End.
    await press('Tab');
    assertFocus('bob end-button', "Tab from Alice's composer");
    const toBobsComposer = await moveTo(control(bob, 'input'));
    assertEqual(toBobsComposer, ['bob menu-button', 'bob button"Verify"', 'bob button(Dismiss)', 'bob messages', 'bob input'], "Bob's way to his composer");
    await type('Hi Alice');
    await press('Tab');
    assertFocus('bob send-button', 'Send is reachable once there is a draft');
    await press('Enter'); // Bob sends with the Send button this time
    await until(() => texts(alice, 'in').length === 1, 'Alice got the reply');
    assertEqual(texts(alice, 'in'), ['Hi Alice'], 'Alice reads the reply');
    assertEqual(composer(bob).value, '', "Bob's composer is empty again");

    // Alice: Shift+Tab back into her element, to the menu button; Space opens the menu on its first item.
    const toMenu = await moveTo(control(alice, 'menu-button'), 'Shift+Tab');
    assert(toMenu.includes('alice input'), `Shift+Tab crosses back into Alice's element: ${toMenu.join(' → ')}`);
    assertEqual(menuButton(alice).getAttribute('aria-expanded'), 'false', 'menu closed');
    await press('Space');
    assertEqual(menuButton(alice).getAttribute('aria-expanded'), 'true', 'Space opened the menu');
    assertFocus('alice verify-button', 'the menu opens on its first item');
    // The arrow keys move through the items and wrap.
    const walked: string[] = [];
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowUp', 'ArrowDown']) {
      await press(key);
      walked.push(focusLabel());
    }
    assertEqual(walked, ['alice fingerprints-button', 'alice refresh-button', 'alice verify-button', 'alice refresh-button', 'alice verify-button'], 'arrow keys in the menu');
    await press('Enter');
    await until(() => panelOpen(alice), 'the Verify panel opens');
    await settle();
    assert(!menu(alice), 'the menu closed');
    assertFocus('alice dialog #question', 'the panel opens on the question field');
    assertEqual(dialogRoot(alice).querySelector('[role=tab][aria-selected=true]')!.id, 'tab-qa', 'Question & answer is the selected tab');

    // The tabs: Shift+Tab to the selected one (a roving tab stop); arrow keys switch tabs and wrap.
    await press('Shift+Tab');
    assertFocus('alice dialog #tab-qa', 'Shift+Tab from the question');
    const tabs: string[] = [];
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowLeft', 'ArrowRight']) {
      await press(key);
      const selected = dialogRoot(alice).querySelector('[role=tab][aria-selected=true]')!.id;
      tabs.push(`${selected}${focusLabel() === `alice dialog #${selected}` ? '' : ` (focus on ${focusLabel()})`}`);
    }
    assertEqual(tabs, ['tab-secret', 'tab-fingerprint', 'tab-qa', 'tab-fingerprint', 'tab-qa'], 'ArrowRight/ArrowLeft select the next/previous tab, focus follows');
    assert(dialogRoot(alice).querySelector('#question'), 'back on Question & answer: the question field');
    await press('Tab');
    assertFocus('alice dialog #question', 'Tab from the tab goes into its panel');
    await type('Where did we first meet?');
    await press('Tab');
    assertFocus('alice dialog #secret', 'then the answer');
    await type('Zermatt');
    await press('Enter'); // submits the form

    // Bob's Verify panel opens by itself with the question, focus on the answer field.
    await until(() => panelOpen(bob) && !!dialogRoot(bob).querySelector('#answer'), "Bob's panel asks him", 60_000);
    await settle();
    assert(dialogRoot(bob).querySelector('p[role=status]')!.textContent!.includes('Where did we first meet?'), 'Bob sees the question');
    assertEqual(outcome(alice), '', 'Alice waits');
    assert(dialogRoot(alice).querySelector('.row [role=status]')?.textContent?.includes('waiting for bob'), `Alice's panel says it waits: ${dialogRoot(alice).querySelector('form')?.textContent}`);
    assertFocus('bob dialog #answer', "Bob's panel took focus to the answer field");
    await type('Zermatt');
    await press('Enter');

    // Alice ends up verified; Bob is told that he proved who he is, and stays encrypted, not verified.
    await until(() => alice.el.state === 'verified' && outcome(bob).includes('answered'), 'Alice verified, Bob told', 90_000);
    await Promise.all([alice.el.updateComplete, bob.el.updateComplete]);
    const verifiedAt = Date.now();
    assertEqual([statusWords(alice), statusWords(bob)], ['Encrypted · verified', 'Encrypted · not verified'], 'status pills');
    assertEqual([outcome(alice), outcome(bob)], ['succeeded', 'answered'], 'what each panel says');
    assert(!root(alice).querySelector('[part=verify-nudge]'), 'no nudge to verify on the verified side');
    // Focus after Bob's Enter: his answer field is gone; see 'the Verify panel keeps focus when the form that had it
    // gives way' (today it falls to the page; Tab goes on from where the field was, into his panel).

    // Bob closes his panel with its Close button: Tab into the panel, to Close, Enter. Focus goes to his menu button
    // (focus was in Alice's element when his panel opened, so there is no opener of his to return to).
    await moveTo(inDialog(bob));
    await moveTo(inDialog(bob, 'button(Close)'));
    await press('Enter');
    assert(!panelOpen(bob), "Bob's panel closed");
    assertFocus('bob menu-button', "Bob's Close");

    // Alice closes hers with Escape (Shift+Tab from Bob's element back into her panel): focus returns to
    // where it came from, the menu (its item is gone), so the menu button.
    await moveTo(inDialog(alice), 'Shift+Tab');
    assertFocus('alice dialog button(Close)', "Shift+Tab into Alice's panel (the success leaves only Close)");
    assert(panelOpen(alice) && Date.now() - verifiedAt < 3500, 'still open (it closes by itself 4 s after success)');
    await press('Escape');
    assert(!panelOpen(alice), "Escape closed Alice's panel");
    assertFocus('alice menu-button', 'back where the panel was opened from');

    // Alice ends the conversation: Shift+Tab to End, Enter.
    await press('Shift+Tab');
    assertFocus('alice end-button', 'Shift+Tab from the menu button');
    await press('Enter');
    await until(() => alice.el.state === 'plaintext' && bob.el.state === 'finished', 'ended', 30_000);
    await Promise.all([alice.el.updateComplete, bob.el.updateComplete]);
    assertEqual([statusWords(alice), statusWords(bob)], ['Not encrypted', 'Ended by contact'], 'status pills after the end');
    assert(root(alice).querySelector('[part=start-button]'), 'Alice can start again');
    assertEqual(root(bob).querySelector('[part=start-button] .wide')!.textContent, 'Start again', 'Bob is offered Start again');
    await until(() => notices(bob).includes('ended-by-peer') && notices(alice).includes('ended-by-us'), 'both timelines say it ended');
    unmount(alice, bob);
  });

  it('Tab reaches every visible control, in order, with a focus ring, in every state', async () => {
    const [alice, bob] = await chats();
    const space = `kbd-${Date.now()}`;
    alice.el.files = new MemoryFileStore(space);
    bob.el.files = new MemoryFileStore(space);
    await alice.el.updateComplete;
    const reached: Record<string, string[]> = {};

    reached['not private'] = await assertAllReachable(alice, 'not private');
    for (const want of ['alice start-button', 'alice menu-button', 'alice messages', 'alice attach-button input', 'alice input']) assert(reached['not private'].includes(want), `not private: ${want}`);

    await startByKeyboard(alice, bob);
    await moveTo(control(alice, 'input'));
    await type('a draft');
    reached['private, a draft'] = await assertAllReachable(alice, 'private, with a draft');
    assert(reached['private, a draft'].includes('alice send-button'), 'Send, with a draft');

    // The menu: Tab (as well as the arrow keys) goes through its enabled items.
    await moveTo(control(alice, 'menu-button'), 'Shift+Tab');
    await press('Enter');
    const items = [...root(alice).querySelectorAll('[role=menuitem]:not([disabled])')].map(label);
    const tabbed = [focusLabel()];
    for (let i = 1; i < items.length; i++) {
      await press('Tab');
      tabbed.push(focusLabel());
    }
    assertEqual(tabbed, items, 'Tab goes through the menu items');
    // Keys: the panel of fingerprints and key files.
    await moveTo(control(alice, 'fingerprints-button'), 'Shift+Tab');
    await press('Enter');
    await until(() => !!root(alice).querySelector('[part=fingerprints]'), 'Keys panel');
    await until(() => /[0-9A-F]{8} [0-9A-F]{8}/.test(root(alice).querySelector('[part=fingerprints]')!.textContent!), 'fingerprints shown', 60_000);
    reached['Keys panel'] = await assertAllReachable(alice, 'Keys panel open');
    for (const part of ['export-key', 'import-key', 'export-fingerprints', 'regenerate-key', 'forget-peer']) assert(reached['Keys panel'].includes(`alice ${part}`), `Keys panel: ${part}`);
    // Its confirmation, by keyboard: Replace my key… shows Confirm and Cancel; Cancel (Enter) hides them.
    await moveTo(control(alice, 'regenerate-key'), 'Shift+Tab');
    await press('Enter');
    await until(() => !!root(alice).querySelector('[part=confirm-regenerate]'), 'the confirmation');
    reached['Keys panel, confirming'] = await assertAllReachable(alice, 'Keys panel, confirming a new key');
    assert(reached['Keys panel, confirming'].includes('alice confirm-regenerate'), 'Confirm is reachable');
    await moveTo((e) => chatOf(e) === alice.el && e.textContent?.trim() === 'Cancel', 'Shift+Tab');
    await press('Enter');
    await until(() => !root(alice).querySelector('[part=confirm-regenerate]'), 'the confirmation is gone');
    // Keys again (menu) closes the panel.
    await moveTo(control(alice, 'menu-button'), 'Shift+Tab');
    await press('Enter');
    await moveTo(control(alice, 'fingerprints-button'));
    await press('Enter');
    await until(() => !root(alice).querySelector('[part=fingerprints]'), 'Keys panel closed');

    // Files both ways (Save links), an error notice (details, Dismiss), a failed message (Retry).
    await alice.el.sendFile(new File(['the report'], 'report.txt', { type: 'text/plain' }));
    await bob.el.sendFile(new File(['the reply'], 'reply.txt', { type: 'text/plain' }));
    await until(() => !!root(alice).querySelector('[part=file][data-phase=sent]') && root(alice).querySelectorAll('[part=file][data-phase=ready] a[part=save]').length === 1, "Alice's file sent, Bob's with Save", 30_000).catch((e: Error) => {
      throw new Error(`${e.message}: ${[...root(alice).querySelectorAll('[part=file]')].map((c) => `${c.getAttribute('data-phase')} ${c.textContent!.trim()}`).join('; ')} / Bob ${[...root(bob).querySelectorAll('[part=file]')].map((c) => `${c.getAttribute('data-phase')} ${c.textContent!.trim()}`).join('; ')}`);
    });
    await bob.transport.send('alice', '?OTR:AAMDbm90IGFuIE9UUiBtZXNzYWdl.'); // malformed
    await until(() => !!root(alice).querySelector('li[part~=error], li.notice.danger'), 'an error notice at Alice', 30_000);
    (alice.transport.inner as LoopbackTransport).disconnect();
    await alice.el.send('this one fails');
    await until(() => !!root(alice).querySelector('li.message.out[data-status=failed] [part=retry]'), 'a failed message with Retry');
    (alice.transport.inner as LoopbackTransport).connect();
    await alice.el.updateComplete;
    reached['files, error, failed'] = await assertAllReachable(alice, 'file cards, an error notice, a failed message');
    for (const want of ['alice save', 'alice retry', 'alice attach-button input', 'alice summary"Technical details"']) {
      assert(reached['files, error, failed'].some((l) => l.startsWith(want)), `${want} is reachable: ${reached['files, error, failed'].join(', ')}`);
    }

    // The Verify panel: Tab and Shift+Tab stay inside it (Escape leaves); the other tabs by arrow keys.
    await moveTo(control(alice, 'button"Verify"'), 'Shift+Tab');
    await press('Enter');
    await until(() => panelOpen(alice), 'panel open');
    await settle();
    reached['Verify panel'] = await assertAllReachable(alice, 'Verify panel (question & answer)', dialogRoot(alice));
    await press('Shift+Tab');
    assertEqual(focusLabel(), reached['Verify panel'].at(-1), 'Shift+Tab from the first control wraps to the last');
    await press('Escape');
    assert(!panelOpen(alice), 'Escape closed the panel');
    assertFocus('alice button"Verify"', 'back on the nudge it was opened from');

    // Ended by the contact (Bob's side): Start again, the End notice actions, the menu's End.
    await moveTo(control(alice, 'end-button'), 'Shift+Tab');
    await press('Enter');
    await until(() => bob.el.state === 'finished', 'Bob: ended by contact', 30_000);
    await bob.el.updateComplete;
    await moveTo(control(bob, 'start-button'));
    reached['ended by contact'] = await assertAllReachable(bob, 'ended by the contact');
    for (const want of ['bob start-button', 'bob [end]', 'bob [start-again]']) assert(reached['ended by contact'].includes(want), `${want}: ${reached['ended by contact'].join(', ')}`);
    console.log(Object.entries(reached).map(([state, controls]) => `${state}: ${controls.join(' → ')}`).join('\n'));
    unmount(alice, bob);
  });

  // ---- where focus goes when what had it goes away: these fail until the element is fixed ----------

  /** `step` left focus outside `m`'s element (on the page, or elsewhere): say so. */
  const keptIn = (m: Mounted, step: string, lost: string[], where: (e: Element) => boolean = (e) => chatOf(e) === m.el) => {
    const e = focused();
    if (!e || !where(e)) lost.push(`${step}: focus on ${label(e)}`);
  };

  it('focus stays in the element when the control that had it goes away (Start, Dismiss, menu items, End)', async () => {
    const [alice, bob] = await chats();
    const lost: string[] = [];
    await press('Tab');
    await startByKeyboard(alice, bob); // Enter on Start: Start becomes End
    keptIn(alice, 'Enter on Start (it becomes End)', lost);

    await moveTo(control(alice, 'button(Dismiss)'));
    await press('Enter'); // the verify nudge's ×
    await until(() => !root(alice).querySelector('[part=verify-nudge]'), 'the nudge is gone');
    keptIn(alice, "Enter on the verify nudge's Dismiss", lost);

    await moveTo(control(alice, 'menu-button'));
    await press('Enter');
    await press('ArrowDown');
    assertFocus('alice fingerprints-button', 'Keys in the menu');
    await press('Enter');
    await until(() => !!root(alice).querySelector('[part=fingerprints]'), 'the Keys panel');
    keptIn(alice, 'Enter on the menu item Keys', lost);

    // The Keys panel's "Replace my key…": an alertdialog, which should take focus (on its safe choice); Cancel gives it back.
    await moveTo(control(alice, 'regenerate-key'));
    await press('Enter');
    await until(() => !!root(alice).querySelector('[part=confirm-regenerate]'), 'the confirmation');
    keptIn(alice, 'Enter on Replace my key… (the confirmation, role=alertdialog, opens)', lost, (e) => !!e.closest('[role=alertdialog]'));
    await moveTo((e) => chatOf(e) === alice.el && !!e.closest('[role=alertdialog]') && e.textContent?.trim() === 'Cancel');
    await press('Enter');
    await until(() => !root(alice).querySelector('[part=confirm-regenerate]'), 'the confirmation is gone');
    keptIn(alice, "Enter on the confirmation's Cancel", lost);

    await moveTo(control(alice, 'menu-button'), 'Shift+Tab');
    await press('Enter');
    await press('ArrowUp');
    assertFocus('alice refresh-button', 'Refresh keys in the menu');
    await press('Enter');
    await until(() => !menu(alice), 'the menu closed');
    keptIn(alice, 'Enter on the menu item Refresh keys', lost);

    await bob.transport.send('alice', '?OTR:AAMDbm90IGFuIE9UUiBtZXNzYWdl.'); // malformed: an error notice at Alice
    await until(() => !!root(alice).querySelector('li.notice[data-code] button[aria-label=Dismiss]'), 'an error notice', 30_000);
    await alice.el.updateComplete;
    await moveTo((e) => chatOf(e) === alice.el && e.matches('li.notice[data-code] > button'));
    await press('Enter');
    await until(() => !root(alice).querySelector('li.notice[data-code]'), 'the notice is gone');
    keptIn(alice, "Enter on an error notice's Dismiss", lost);

    // A message that could not be sent: Retry sends it, and goes.
    (alice.transport.inner as LoopbackTransport).disconnect();
    await alice.el.send('this one fails first');
    await until(() => !!root(alice).querySelector('li.message.out[data-status=failed] [part=retry]'), 'a failed message with Retry');
    (alice.transport.inner as LoopbackTransport).connect();
    await alice.el.updateComplete;
    await moveTo(control(alice, 'retry'), 'Shift+Tab');
    await press('Enter');
    await until(() => texts(bob, 'in').includes('this one fails first'), 'sent on Retry', 30_000);
    await alice.el.updateComplete;
    keptIn(alice, 'Enter on Retry of a failed message', lost);

    await moveTo(control(alice, 'end-button'), 'Shift+Tab');
    await press('Enter');
    await until(() => alice.el.state === 'plaintext', 'ended', 30_000);
    await alice.el.updateComplete;
    await settle();
    keptIn(alice, 'Enter on End (it becomes Start)', lost);
    unmount(alice, bob);
    assert(lost.length === 0, `focus went astray:\n    ${lost.join('\n    ')}`);
  });

  it('the menu: Escape closes it and returns focus to the menu button; Tab out of it closes it', async () => {
    const [alice, bob] = await chats();
    await press('Tab');
    await startByKeyboard(alice, bob);
    const problems: string[] = [];
    await moveTo(control(alice, 'menu-button'));
    await press('Enter');
    assertFocus('alice verify-button', 'the menu opened on its first item');
    await press('Escape');
    if (menu(alice)) problems.push('Escape left the menu open');
    if (focusLabel() !== 'alice menu-button') problems.push(`after Escape focus is on ${focusLabel()}, not the menu button`);

    if (!menu(alice)) {
      await moveTo(control(alice, 'menu-button'));
      await press('Enter');
    }
    await moveTo((e) => e.getAttribute('role') !== 'menuitem'); // Tab past the last item
    const e = focused()!;
    const box = e.getBoundingClientRect();
    const top = root(alice).elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (menu(alice)) problems.push(`Tab out of the menu (to ${label(e)}) left it open${top && top !== e && !e.contains(top) ? `, covering the focused control (under ${label(top.closest('button') ?? top)})` : ''}`);
    unmount(alice, bob);
    assert(problems.length === 0, `the menu by keyboard:\n    ${problems.join('\n    ')}`);
  });

  it('the Verify panel keeps focus when the form that had it gives way (the answer sent, the outcome shown)', async () => {
    const [alice, bob] = await chats();
    bob.el.inert = true; // Bob answers and asks through his engine: his panel must not take focus from Alice's
    const lost: string[] = [];
    const inAlicesPanel = (e: Element) => chatOf(e) === alice.el && inDialogRoot(e);
    await press('Tab');
    await startByKeyboard(alice, bob);

    // Alice asks (keyboard); Bob's engine answers; the success replaces Alice's form.
    await moveTo(control(alice, 'menu-button'));
    await press('Enter');
    await press('Enter'); // Verify
    await until(() => panelOpen(alice), 'panel');
    await settle();
    await type('Where did we first meet?');
    await press('Tab');
    await type('Zermatt');
    await press('Enter');
    await until(() => outcome(alice) === '' && !!dialogRoot(alice).querySelector('.row [role=status]'), 'waiting');
    keptIn(alice, 'asker: Enter on the answer field (the panel now waits)', lost, inAlicesPanel);
    await until(() => !!dialogRoot(bob).querySelector('#answer'), "Bob's panel asks him", 60_000);
    await bob.engine.smpAnswer('alice', 'Zermatt');
    await until(() => outcome(alice) === 'succeeded', 'success', 60_000);
    await settle();
    keptIn(alice, 'asker: the success shows (the form is gone)', lost, inAlicesPanel);
    if (inAlicesPanel(focused()!)) await press('Escape');
    await until(() => !panelOpen(alice), "Alice's panel closed (Escape, or by itself after 4 s)", 10_000);

    // Bob's engine asks back; Alice's panel opens on the answer field; Alice answers (keyboard).
    await bob.engine.smpStart('alice', 'Matterhorn', 'Our first hike?');
    await until(() => panelOpen(alice) && !!dialogRoot(alice).querySelector('#answer'), "Alice's panel asks her", 60_000);
    await settle();
    assertFocus('alice dialog #answer', 'the panel that opened by itself is on the answer field');
    await type('Matterhorn');
    await press('Enter');
    await settle();
    keptIn(alice, 'answerer: Enter on the answer field (the answer form gives way)', lost, inAlicesPanel);
    await until(() => outcome(alice) === 'answered', 'Alice told she answered', 60_000);
    await settle();
    keptIn(alice, 'answerer: the outcome shows (with Ask back)', lost, inAlicesPanel);
    unmount(alice, bob);
    assert(lost.length === 0, `focus left the Verify panel while it is open:\n    ${lost.join('\n    ')}`);
  });

  it("the Verify panel closing by itself after success does not pull focus from where the person went (here, the other chat's composer)", async () => {
    const [alice, bob] = await chats();
    await press('Tab');
    await startByKeyboard(alice, bob);
    await moveTo(control(alice, 'menu-button'));
    await press('Enter');
    await press('Enter'); // Verify
    await until(() => panelOpen(alice), 'panel');
    await settle();
    await type('Where did we first meet?');
    await press('Tab');
    await type('Zermatt');
    await press('Enter');
    await until(() => !!dialogRoot(bob).querySelector('#answer'), "Bob's panel asks him", 60_000);
    await settle();
    assertFocus('bob dialog #answer', "Bob's panel took focus");
    await type('Zermatt');
    await press('Enter');
    await until(() => outcome(alice) === 'succeeded' && outcome(bob) === 'answered', 'Alice verified', 60_000);
    // Bob closes his panel (Escape) and goes on writing in his composer, while Alice's panel still shows its success.
    await moveTo(inDialog(bob));
    await press('Escape');
    await moveTo(control(bob, 'input'));
    await type('thanks');
    assert(panelOpen(alice), "Alice's panel still open");
    await until(() => !panelOpen(alice), "Alice's panel closes by itself", 10_000);
    await settle();
    const where = focusLabel();
    await type(', that was quick');
    const draft = composer(bob).value;
    const after = `then, typing on: focus on ${focusLabel()}, Alice's menu ${menu(alice) ? 'open' : 'closed'}, her Verify panel ${panelOpen(alice) ? 'open again' : 'closed'}`;
    unmount(alice, bob);
    assertEqual([where, draft], ['bob input', 'thanks, that was quick'], `focus and Bob's draft after Alice's panel closed by itself (${after})`);
  });
});
