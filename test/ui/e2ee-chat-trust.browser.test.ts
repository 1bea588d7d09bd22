import '../../src/ui/e2ee-chat.js';
import type { E2eeChat } from '../../src/ui/e2ee-chat.js';
import { LoopbackTransport, startEngine, type EngineClient } from '../../src/ui/index.js';
import type { E2eeTrustDetail } from '../../src/ui/events.js';
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';

interface Chat { el: E2eeChat; engine: EngineClient; trust: E2eeTrustDetail[] }

function chat(engineName: string, peer: string, transport: LoopbackTransport): Chat {
  const el = document.createElement('e2ee-chat');
  const engine = startEngine({ name: engineName });
  Object.assign(el, { peer, peerName: peer, engine, transport });
  const trust: E2eeTrustDetail[] = [];
  el.addEventListener('e2ee-trust', (e) => trust.push(e.detail));
  document.body.append(el);
  return { el, engine, trust };
}

async function privatePair(names: [string, string]): Promise<[Chat, Chat]> {
  const [ta, tb] = LoopbackTransport.pair('alice', 'bob');
  const a = chat(names[0], 'bob', ta);
  const b = chat(names[1], 'alice', tb);
  await a.el.updateComplete;
  // The identities may go on with a conversation stored by an earlier test (already private): wait
  // for this key exchange itself, which would otherwise abort an SMP started before it completes.
  const started = (c: Chat) => c.el.shadowRoot!.querySelectorAll('[data-kind=private-started],[data-kind=private-renewed]').length;
  const before = started(b);
  await a.el.startPrivate();
  await until(() => started(b) > before, "the key exchange (Bob's notice)", 90_000);
  await new Promise((r) => setTimeout(r, 200)); // and Alice's side of it
  await until(() => a.el.state !== 'plaintext' && b.el.state !== 'plaintext', 'private', 90_000);
  return [a, b];
}

function close(...chats: Chat[]) {
  for (const c of chats) { c.el.remove(); c.engine.terminate(); }
}

const dialogOf = (el: E2eeChat) => el.shadowRoot!.querySelector('e2ee-verify-dialog')!;
const inDialog = (el: E2eeChat, selector: string) => dialogOf(el).shadowRoot!.querySelector(selector) as HTMLElement | null;

async function fill(el: E2eeChat, values: Record<string, string>, submit: string) {
  await dialogOf(el).updateComplete;
  for (const [id, value] of Object.entries(values)) (inDialog(el, `#${id}`) as HTMLInputElement).value = value;
  (inDialog(el, submit) as HTMLButtonElement).click();
}

async function askAndAnswer(asker: Chat, answerer: Chat, question: string, secret: string, answer: string) {
  asker.el.verify('qa');
  await until(() => !!inDialog(asker.el, 'section[role=dialog]:not([hidden])'), 'dialog open');
  await fill(asker.el, { question, secret }, 'button[type=submit]');
  await until(() => !!inDialog(answerer.el, 'section[role=dialog]:not([hidden])') && !!inDialog(answerer.el, '#answer'), 'answer prompt opens by itself', 60_000);
  assert(inDialog(answerer.el, 'p[role=status]')!.textContent!.includes(question), 'the question is shown');
  await fill(answerer.el, { answer }, 'button[type=submit]');
}

const outcome = (el: E2eeChat) => inDialog(el, '.outcome')?.className ?? '';

describe('<e2ee-chat> trust: SMP through the Verify dialog', () => {
  const names: [string, string] = [`smp-a-${Date.now()}`, `smp-b-${Date.now()}`];

  it('a wrong answer reports failure on both sides and leaves both encrypted', async () => {
    const [a, b] = await privatePair(names);
    await askAndAnswer(a, b, 'Where did we meet? 🏔', 'Zermatt', 'Chamonix');
    await until(() => outcome(a.el).includes('failed') && outcome(b.el).includes('failed'), 'failure on both sides', 90_000);
    assertEqual([a.el.state, b.el.state], ['encrypted', 'encrypted'], 'states after a wrong answer');
    close(a, b);
  });

  it('the right answer verifies the asker only; the answerer is told so, asks back, and then both are verified; it survives a reload', async () => {
    const [a, b] = await privatePair(names);
    await askAndAnswer(a, b, 'Where did we meet? 🏔', 'Zermatt', 'Zermatt');
    await until(() => a.el.state === 'verified' && outcome(b.el).includes('answered'), 'asker verified, answerer told', 90_000).catch((e: Error) => {
      throw new Error(`${e.message}: Alice ${a.el.state} (${outcome(a.el)}), Bob (${outcome(b.el)}); notices A ${[...a.el.shadowRoot!.querySelectorAll('[data-kind]')].map((n) => n.getAttribute('data-kind')).join(',')}`);
    });
    assert(outcome(a.el).includes('succeeded'), 'success shown');
    assert(a.el.shadowRoot!.querySelector('[part=status]')!.textContent!.includes('Encrypted · verified'), 'status says Encrypted · verified');
    await new Promise((r) => setTimeout(r, 300));
    assertEqual(b.el.state, 'encrypted', 'answering verified nothing for the answerer');
    const told = inDialog(b.el, '.outcome.answered')!.textContent!;
    assert(told.includes('not who alice is to you'), `the answerer is told what it proved: ${told}`);
    (inDialog(b.el, '[part=ask-back]') as HTMLButtonElement).click();
    await until(() => dialogOf(b.el).shadowRoot!.activeElement?.id === 'question', 'one step to asking back: the question field has focus');
    await fill(b.el, { question: 'Our first hike?', secret: 'Matterhorn' }, 'button[type=submit]');
    await until(() => !!inDialog(a.el, '#answer'), 'Alice is asked', 60_000);
    await fill(a.el, { answer: 'Matterhorn' }, 'button[type=submit]');
    await until(() => a.el.state === 'verified' && b.el.state === 'verified', 'both verified', 90_000);
    close(a, b);
    // A reload: new workers and new elements, the same IndexedDB identities.
    const [a2, b2] = await privatePair(names);
    await until(() => a2.el.state === 'verified' && b2.el.state === 'verified', 'verified after reload', 60_000);
    close(a2, b2);
  });

  it('an abort is reported on both sides', async () => {
    const [a, b] = await privatePair([`ab-a-${Date.now()}`, `ab-b-${Date.now()}`]);
    a.el.verify('secret');
    await until(() => !!inDialog(a.el, 'section[role=dialog]:not([hidden])'), 'dialog open');
    await fill(a.el, { secret: 'our secret' }, 'button[type=submit]');
    await until(() => !!inDialog(b.el, '#answer'), 'answer prompt');
    (inDialog(b.el, 'form button[type=button]') as HTMLButtonElement).click(); // Decline
    await until(() => outcome(a.el).includes('aborted') && outcome(b.el).includes('aborted'), 'aborted on both sides', 60_000);
    close(a, b);
  });
});

describe('<e2ee-chat> trust: a key change and key files', () => {
  it('after a verified session, a new peer key gives a loud warning and the state encrypted, not verified', async () => {
    const names: [string, string] = [`kc-a-${Date.now()}`, `kc-b-${Date.now()}`];
    const [a, b] = await privatePair(names);
    b.el.verify('fingerprint');
    await until(() => !!inDialog(b.el, 'section[role=dialog]:not([hidden]) .fp'), 'fingerprint panel');
    (inDialog(b.el, 'button.primary') as HTMLButtonElement).click(); // "They match: mark verified"
    await until(() => b.el.state === 'verified', 'manually verified');
    dialogOf(b.el).close();
    await a.el.endPrivate();
    await until(() => b.el.state === 'finished', 'finished');
    await b.el.updateComplete;
    const alert = () => b.el.shadowRoot!.querySelector('[role=alert][aria-live=assertive]')!.textContent!.trim();
    const polite = () => b.el.shadowRoot!.querySelector('[role=status][aria-live=polite]')!.textContent!.trim();
    // The fall-back from private is said once, assertively; not also politely.
    assertEqual([alert(), polite()], ['alice ended the private conversation.', ''], 'fall-back announced assertively, once');
    await b.el.endPrivate();
    await a.el.regenerateKey();
    await a.el.startPrivate();
    await until(() => a.el.state !== 'plaintext' && b.el.state !== 'plaintext', 'private again', 90_000);
    await until(() => b.trust.some((t) => t.replacesVerified), 'e2ee-trust with replacesVerified');
    await b.el.updateComplete;
    assertEqual(b.el.state, 'encrypted', 'not verified after a key change');
    const warning = b.el.shadowRoot!.querySelector('[part=key-change]');
    assert(warning && warning.getAttribute('role') === 'alert', 'a visible alert');
    assert(warning!.textContent!.includes("key has changed"), `warning text: ${warning!.textContent}`);
    assert(alert().startsWith("Warning: alice's key changed."), `assertive announcement: ${alert()}`);
    assert(!polite().includes('key changed'), 'the key change is not also announced politely');
    close(a, b);
  });

  it('a key exported in libotr format and imported elsewhere yields the same fingerprint; fingerprints export lists a verified key', async () => {
    const [a, b] = await privatePair([`ex-a-${Date.now()}`, `ex-b-${Date.now()}`]);
    const aliceFp = (await a.engine.identity()).fingerprint;
    const file = await a.el.exportPrivateKey('libotr');
    assert(file.startsWith('(privkeys'), 'libotr s-expression');
    await b.engine.setVerified('alice', aliceFp, true);
    const list = await b.el.exportFingerprints();
    assert(list.includes(`alice\t`) && list.includes(`${aliceFp.replace(/ /g, '').toLowerCase()}\tverified`), `fingerprints file: ${list}`);
    const [tc] = LoopbackTransport.pair('carol', 'dave');
    const c = chat(`ex-c-${Date.now()}`, 'dave', tc);
    await c.el.updateComplete;
    await c.el.importPrivateKey(file);
    assertEqual((await c.engine.identity()).fingerprint, aliceFp, 'same fingerprint after import');
    close(a, b, c);
  });
});

describe('<e2ee-chat auto-private>', () => {
  it('goes private when the conversation opens, without a click', async () => {
    const [ta, tb] = LoopbackTransport.pair('alice', 'bob');
    const b = chat(`ap-b-${Date.now()}`, 'alice', tb);
    await b.el.updateComplete;
    const a = chat(`ap-a-${Date.now()}`, 'bob', ta);
    a.el.autoPrivate = true;
    await until(() => a.el.state === 'encrypted' && b.el.state === 'encrypted', 'private on open', 90_000);
    close(a, b);
  });
});
