/**
 * The frame page's first script (dist/frame-hello.js): it announces the frame to its parent and takes
 * the parent's one connection while the chat's own code (frame-page.ts) is still loading, so the
 * handshake does not wait for it. The announcement carries nothing secret; it is repeated until the
 * parent answers, since the parent's listener may start after the frame does.
 */
import { BRIDGE_VERSION, parseHostHello } from './bridge-protocol.js';
import { canGuard } from './visibility-guard.js';

/** Hears each connection refused after the first (`what` names it); frame-page.ts tells the page. */
const refusals: ((what: string) => void)[] = [];
/** Refusals heard before anyone listened. */
const unheard: string[] = [];

/** Call `listener` for each later connection the frame refused (also for those refused before). */
export function onRefused(listener: (what: string) => void): void {
  refusals.push(listener);
  for (const what of unheard.splice(0)) listener(what);
}

function refused(what: string): void {
  if (refusals.length) for (const listener of refusals) listener(what);
  else unheard.push(what);
}

/** The bridge port: the first hello from the parent in this release; never settles in a top-level page. */
export const connection: Promise<MessagePort> = new Promise((resolve) => {
  if (window.parent === window) return;
  let taken = false;
  const announce = () => window.parent.postMessage({ e2eeFrame: 'ready', version: BRIDGE_VERSION, overlayGuard: canGuard() }, '*');
  const repeat = setInterval(announce, 50);
  setTimeout(() => clearInterval(repeat), 30_000);
  window.addEventListener('message', (event: MessageEvent) => {
    const hello = parseHostHello(event.data);
    if (!hello || event.source !== window.parent || event.ports.length !== 1) return;
    const port = event.ports[0]!;
    if (taken || hello.version !== BRIDGE_VERSION) {
      // A second hello (a replay, or a script of the page trying to take over): its port gets nothing.
      if (taken) refused('a second connection from the page');
      port.close();
      return;
    }
    taken = true;
    clearInterval(repeat);
    resolve(port);
  });
  announce();
});
