// host.js's page (window.mount, window.events) with chats on the real ConnectyCube SDK: each
// `window.cube(id, …)` logs in an SDK instance of its own and mounts an element on the package's
// ConnectyCubeTransport over it (fromInstance: the page's own SDK, no dynamic import of `connectycube`).
import './host.js';
import { ConnectyCubeTransport } from '/dist/connectycube.js';

const sdk = window.ConnectyCube;
const open = [];

/** Log `userId` in to `url` (the chat domain is its host) and mount `#id` talking to `peerId`. */
window.cube = async (id, { appId, userId, password, peerId, url, isolated, identity, exposeText = false }) => {
  const cube = new sdk.ConnectyCube();
  cube.init(
    { appId, authKey: 'unused' },
    { endpoints: { chat: new URL(url).hostname, chat_url: url }, chat: { reconnect: { enable: false } }, debug: { mode: 0 } },
  );
  await cube.chat.connect({ userId, password });
  const transport = ConnectyCubeTransport.fromInstance(cube, { selfId: userId, password });
  open.push({ cube, transport });
  window.mount(id, { peer: String(peerId), transport, isolated, identity, exposeText });
  return { state: transport.state, self: transport.self };
};

/** Close every transport and SDK connection this page opened. */
window.closeCubes = async () => {
  for (const { cube, transport } of open.splice(0)) {
    await transport.close();
    await cube.chat.disconnect().catch(() => false);
  }
};

window.cubeReady = true;
