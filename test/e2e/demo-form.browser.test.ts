/**
 * The demo's real-server form (src/demo/cube-demo.ts) against the test
 * Prosody: pre-filled from the URL, remembered without the password, clear
 * errors for a bad set-up, and a private conversation once connected.
 */
import { mountCubeDemo, type CubeDemo } from '../../src/demo/cube-demo.js';
import { STORAGE_KEY } from '../../src/demo/cube-settings.js';
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';
import { prosodyConfig, readWiretap, sentBy, type ProsodyConfig, type TestUser } from './prosody.js';
import { connectTransport, keygenDone, mountChat, received, type CubeChatSide } from './cube-chat.js';

let config: ProsodyConfig;
let me: TestUser;
let peer: TestUser;
let container: HTMLElement;
let demo: CubeDemo;

const input = (key: string) => container.querySelector<HTMLInputElement>(`#cc-${key}`)!;
const errorText = () => {
  const box = container.querySelector<HTMLElement>('#cc-error')!;
  return box.hidden ? '' : box.textContent!.replace(/\s+/g, ' ').trim();
};
/** Type into a field the way a user does (an input event per change). */
function type(key: string, value: string): void {
  const field = input(key);
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
const connect = () => container.querySelector<HTMLButtonElement>('#cc-connect')!.click();
const idle = () => until(() => !!container.querySelector('#cc-connect:not([disabled])'), 'the form to be editable again', 20_000);

before(async () => {
  config = await prosodyConfig();
  [me, peer] = [config.users[7]!, config.users[8]!];
  sessionStorage.removeItem(STORAGE_KEY);
  container = document.createElement('section');
  document.body.append(container);
  const query = new URLSearchParams({
    cc: '1', appId: String(config.appId), domain: config.chatDomain, ws: config.websocketUrl,
    user: String(me.userId), peer: String(peer.userId),
  });
  demo = mountCubeDemo(container, { query, storage: sessionStorage });
});
after(async () => {
  await demo?.disconnect();
  container?.remove();
});

describe('demo: the real-server settings form', () => {
  it('is pre-filled from the URL query, password empty', () => {
    assertEqual(
      ['appId', 'chatDomain', 'websocketUrl', 'userId', 'peerId', 'password'].map((k) => input(k).value),
      [String(config.appId), config.chatDomain, config.websocketUrl, String(me.userId), String(peer.userId), ''],
      'field values',
    );
    assertEqual(input('password').type, 'password', 'password field is masked');
    assertEqual(container.querySelectorAll('label input').length, 7, 'every field has a label');
  });

  it('says what is missing or inconsistent before connecting', async () => {
    type('websocketUrl', config.websocketUrl.replace('localhost', '127.0.0.1'));
    connect();
    await until(() => errorText() !== '', 'an error');
    assert(errorText().includes('Enter your password.'), `password missing: ${errorText()}`);
    assert(errorText().includes("must be the websocket URL's host"), `domain mismatch explained: ${errorText()}`);
    type('websocketUrl', config.websocketUrl);
  });

  it('explains a refused login and an unreachable server', async () => {
    type('password', 'wrong password');
    connect();
    await until(() => errorText().includes('refused'), 'the refused login explained', 20_000);
    assert(errorText().includes(`user ${me.userId}`) && errorText().includes('not-authorized'), errorText());
    await idle();
    type('websocketUrl', config.websocketUrl.replace('/xmpp-websocket', '/no-websocket-here')); // the server answers 404
    type('password', me.password);
    connect();
    await until(() => errorText().includes('Could not reach the chat server'), 'the unreachable server explained', 20_000);
    await idle();
    assertEqual(demo.chat, undefined, 'no chat after failures');
    assertEqual(sessionStorage.getItem(STORAGE_KEY), null, 'nothing remembered before a successful connection');
    type('websocketUrl', config.websocketUrl);
  });

  it('connects, shows one <e2ee-chat>, and chats privately with the peer', async () => {
    type('password', me.password);
    connect();
    await until(() => !!demo.chat && demo.transport?.state === 'connected', 'connected', 20_000);
    assertEqual(errorText(), '', 'no error');
    assert(container.querySelector('#cc-status')!.textContent!.includes(`Connected as ${me.userId}`), 'status says connected');
    assertEqual(container.querySelectorAll('e2ee-chat').length, 1, 'one chat');
    assert(container.querySelector<HTMLFieldSetElement>('fieldset')!.disabled, 'settings locked while connected');

    let other: CubeChatSide | undefined;
    try {
      other = mountChat(peer, me, await connectTransport(config, peer));
      await keygenDone(other);
      await other.el.startPrivate();
      const chat = demo.chat!;
      await until(() => chat.state === 'encrypted' && other!.el.state === 'encrypted', 'private both ways', 60_000);
      await chat.send('hello from the settings form');
      await until(() => received(other!).length === 1, 'the peer to receive');
      assertEqual(received(other), [{ text: 'hello from the settings form', encrypted: true }], 'delivered encrypted');
      const bodies = sentBy(await readWiretap(), [me.userId, peer.userId], config.appId).map((e) => e.body ?? '');
      assert(bodies.length > 0 && bodies.every((b) => b === '' || b.startsWith('?OTR')), 'only OTR text crossed the server');
    } finally {
      other?.el.remove();
      other?.engine.terminate();
      await other?.transport.close();
    }
  });

  it('remembers the settings except the password', () => {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, string>;
    assertEqual(stored.userId, String(me.userId), 'user id remembered');
    assertEqual(stored.websocketUrl, config.websocketUrl, 'URL remembered');
    assert(!('password' in stored) && !JSON.stringify(stored).includes(me.password), 'password not stored');
    const again = document.createElement('div');
    const second = mountCubeDemo(again, { query: new URLSearchParams('cc=1'), storage: sessionStorage });
    assertEqual([again.querySelector<HTMLInputElement>('#cc-peerId')!.value, again.querySelector<HTMLInputElement>('#cc-password')!.value],
      [String(peer.userId), ''], 'a new visit starts from what was remembered, password empty');
    void second;
  });

  it('disconnects and lets the settings be edited again', async () => {
    await demo.disconnect();
    assertEqual(container.querySelectorAll('e2ee-chat').length, 0, 'chat removed');
    assert(!container.querySelector<HTMLFieldSetElement>('fieldset')!.disabled, 'editable');
  });
});
