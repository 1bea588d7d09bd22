/**
 * The demo page. With no query parameters it shows Alice and Bob side by
 * side: two engines with separate identities, on an in-page transport.
 * With `?me=alice&peer=bob` it shows one side, paired with another tab
 * opened with `?me=bob&peer=alice` (BroadcastChannel).
 * With `?cc=1` it shows a settings form for a real ConnectyCube/XMPP server
 * (see cube-demo.ts; e.g. `npm run xmpp`) and, once connected, one chat.
 */
import '../ui/e2ee-chat.js';
import { LoopbackTransport, startEngine } from '../ui/index.js';
import type { E2eeChat } from '../ui/e2ee-chat.js';
import { mountCubeDemo } from './cube-demo.js';
import { wantsCube } from './cube-settings.js';

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
    element.addEventListener(type, (e) => logLine(`${me}: ${type} ${JSON.stringify(e.detail)}`));
  }
  return element;
}

function logLine(text: string): void {
  const line = document.createElement('li');
  line.textContent = text;
  log.prepend(line);
}

const me = params.get('me');
const peer = params.get('peer');
if (wantsCube(params)) {
  document.body.dataset.mode = 'connectycube';
  const panel = document.querySelector<HTMLElement>('#cc-panel')!;
  panel.hidden = false;
  mountCubeDemo(panel, { query: params, log: logLine });
} else if (me && peer) {
  document.body.dataset.mode = 'tabs';
  chat(me, peer, new LoopbackTransport(me, { channel: 'e2ee-chat-demo' }));
} else {
  document.body.dataset.mode = 'side-by-side';
  const [alice, bob] = LoopbackTransport.pair('alice', 'bob');
  chat('alice', 'bob', alice);
  chat('bob', 'alice', bob);
}
