// The host page's own code: the built package from the page's origin, and two chats on one
// loopback: `alice` (isolated, her chat in the frame origin) and `bob` (an ordinary element).
import { LoopbackTransport, MemoryFileStore, configureEngine, startEngine } from '/dist/index.js';

const params = new URLSearchParams(location.search);
configureEngine({
  frameUrl: params.get('frame'),
  frameTimeoutMs: Number(params.get('timeout') || 10_000),
  ...(params.get('origin') ? { frameOrigin: params.get('origin') } : {}),
});

/** Every event each element dispatched, by element id. */
window.events = {};
const NAMES = ['e2ee-status', 'e2ee-message', 'e2ee-error', 'e2ee-keygen', 'e2ee-trust', 'e2ee-engine', 'e2ee-frame'];

/** Mount one element: `isolated` or not, on `transport`, talking to `peer`. */
window.mount = (id, { peer, transport, isolated, identity, exposeText = false, attrs = {}, files }) => {
  const el = document.createElement('e2ee-chat');
  el.id = id;
  el.isolated = isolated;
  if (isolated) el.identity = identity;
  else el.engine = startEngine({ name: identity });
  el.exposeText = exposeText;
  if (files) el.files = new MemoryFileStore(files); // a store space shared by the page's elements
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.peer = peer;
  el.transport = transport;
  window.events[id] = [];
  for (const name of NAMES) el.addEventListener(name, (e) => window.events[id].push({ name, detail: e.detail, at: performance.now() }));
  document.body.append(el);
  return el;
};

/** Alice (isolated) and Bob (ordinary) on one loopback network; identities unique per run unless given. */
window.pair = ({ run = String(Date.now()), exposeText = false, attrs = {}, files } = {}) => {
  const [ta, tb] = LoopbackTransport.pair(`alice-${run}`, `bob-${run}`);
  window.transports = { alice: ta, bob: tb };
  window.mount('alice', { peer: `bob-${run}`, transport: ta, isolated: true, identity: `alice-${run}`, exposeText, attrs, files });
  window.mount('bob', { peer: `alice-${run}`, transport: tb, isolated: false, identity: `bob-${run}`, files });
};

/** One element with a transport of its own on `channel`: its peer is in another tab. */
window.endpoint = (id, { self, peer, channel, isolated, identity, exposeText = false }) => {
  const transport = new LoopbackTransport(self, { channel, persist: false });
  window.transports = { ...window.transports, [id]: transport };
  return window.mount(id, { peer, transport, isolated, identity, exposeText });
};

window.e2ee = { LoopbackTransport, MemoryFileStore, configureEngine, startEngine };
window.hostReady = true;
