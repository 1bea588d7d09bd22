/**
 * The demo page. With no query parameters it shows Alice and Bob side by
 * side: two engines with separate identities, on an in-page transport.
 * With `?me=alice&peer=bob` it shows one side, paired with another tab
 * opened with `?me=bob&peer=alice` (BroadcastChannel).
 */
import '../ui/e2ee-chat.js';
import { LoopbackTransport, startEngine } from '../ui/index.js';
import type { E2eeChat } from '../ui/e2ee-chat.js';

const params = new URLSearchParams(location.search);
const stage = document.querySelector<HTMLElement>('#stage')!;
const log = document.querySelector<HTMLElement>('#log')!;

function chat(me: string, peer: string, transport: LoopbackTransport): E2eeChat {
  const element = document.createElement('e2ee-chat');
  element.id = `chat-${me}`;
  element.peer = peer;
  element.peerName = peer[0]!.toUpperCase() + peer.slice(1);
  element.engine = startEngine({ name: `demo-${me}` });
  element.transport = transport;
  element.requireEncryption = params.has('require-encryption');
  const column = document.createElement('section');
  column.className = 'column';
  column.innerHTML = `<h2></h2>`;
  column.querySelector('h2')!.textContent = `${me[0]!.toUpperCase()}${me.slice(1)}’s view`;
  column.append(element);
  stage.append(column);
  for (const type of ['e2ee-status', 'e2ee-keygen', 'e2ee-error'] as const) {
    element.addEventListener(type, (e) => {
      const line = document.createElement('li');
      line.textContent = `${me}: ${type} ${JSON.stringify(e.detail)}`;
      log.prepend(line);
    });
  }
  return element;
}

const me = params.get('me');
const peer = params.get('peer');
if (me && peer) {
  document.body.dataset.mode = 'tabs';
  chat(me, peer, new LoopbackTransport(me, { channel: 'e2ee-chat-demo' }));
} else {
  document.body.dataset.mode = 'side-by-side';
  const [alice, bob] = LoopbackTransport.pair('alice', 'bob');
  chat('alice', 'bob', alice);
  chat('bob', 'alice', bob);
}
