/**
 * One clock for the renders of many `<e2ee-chat>` on a page. Each element renders its own changes
 * at once while few are live; from {@link MANY} live elements on, an element's update waits for a
 * tick that all of them share, at most one every {@link GAP_MS}, so that a page of many chats pays
 * for one frame's style, layout and paint where it would pay for several. Events (`e2ee-message`
 * and the rest) do not wait for it: only what is drawn does.
 */

/** Live elements from which updates share ticks. */
export const MANY = 8;
/** The least time between two shared ticks, in ms. */
export const GAP_MS = 50;

let live = 0;
let pending: Promise<void> | undefined;
let last = -Infinity;
let ticks = 0;

/** How many shared ticks have fired on this page (for tests and diagnostics). */
export function renderTicks(): number {
  return ticks;
}

/** How many elements count as live. */
export function liveElements(): number {
  return live;
}

/** An element came (`+1`) or went (`-1`). */
export function countLive(change: 1 | -1): void {
  live = Math.max(0, live + change);
}

/** When an update may run: `undefined` for at once, or the next shared tick. */
export function renderSlot(): Promise<void> | undefined {
  if (live < MANY) return undefined;
  return (pending ??= new Promise<void>((resolve) => {
    // A timer, not an animation frame: a hidden tab's elements still update (and attach), if slowly.
    setTimeout(() => {
      pending = undefined;
      last = performance.now();
      ticks++;
      resolve();
    }, Math.max(0, last + GAP_MS - performance.now()));
  }));
}
