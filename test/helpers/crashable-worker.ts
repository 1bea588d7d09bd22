// The real engine worker, plus a way to make it throw an uncaught error on request (a bug in a timer,
// say: the page's Worker object then fires `error`, while the worker itself may keep running), or to
// wedge it (an endless loop: alive, never answering).
// The engine is imported through Vite's worker URL, so it gets the worker build's otr shims;
// messages that arrive before it has loaded are replayed to it.
import engineUrl from '../../src/worker/worker.ts?worker&url';

let early: MessageEvent[] | undefined = [];
self.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data as { crash?: unknown; wedge?: unknown } | null;
  if (data?.crash === true) {
    setTimeout(() => {
      throw new Error('simulated engine crash');
    });
  } else if (data?.wedge === true) {
    setTimeout(() => {
      while (Date.now() > 0) {
        // wedged: alive, never answering again
      }
    });
  } else if (early && event.isTrusted) {
    early.push(event);
  }
});
await import(/* @vite-ignore */ new URL(engineUrl, import.meta.url).href);
const replay = early;
early = undefined;
for (const event of replay) self.dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] }));
