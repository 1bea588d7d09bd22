/**
 * Anti-overlay, inside the frame: is the chat fully on screen, undistorted and uncovered?
 * IntersectionObserver v2 (`trackVisibility`, https://w3c.github.io/IntersectionObserver/v2/)
 * reports `isVisible: false` when anything paints over the target, or when the target (or any
 * ancestor, across frames) has opacity below 1, a transform other than a 2D translation, or a
 * filter; `intersectionRatio` below 1 means part of it is clipped (`clip-path`, `overflow`) or
 * scrolled out of view. Measured in Chromium 156: overlay, opacity, rotate, scale, blur,
 * clip-path and off-screen placement are caught; a CSS `mask` is not.
 *
 * Input is allowed only once the chat has been fully visible for {@link SETTLE_MS}, so a page can't
 * uncover it just as a click lands.
 */

/** Why input is held: covered (or transparent, distorted), or partly out of view. */
export type HoldReason = 'covered' | 'hidden';

/** How long the chat must be fully visible before input counts again. */
export const SETTLE_MS = 500;

/** Whether this browser can tell (IntersectionObserver v2). */
export function canGuard(): boolean {
  return typeof IntersectionObserverEntry !== 'undefined' && 'isVisible' in IntersectionObserverEntry.prototype;
}

/** Watches one element; `onChange` hears the reason to hold input, or `''` once it may be used. */
export class VisibilityGuard {
  private readonly observer: IntersectionObserver;
  private settle?: ReturnType<typeof setTimeout>;
  private current: HoldReason | '' = 'hidden';

  constructor(
    target: Element,
    private readonly onChange: (hold: HoldReason | '') => void,
  ) {
    // trackVisibility and delay are in Chromium's IntersectionObserverInit, not yet in lib.dom.
    const init = { threshold: [0, 0.5, 0.99, 1], trackVisibility: true, delay: 100 } as IntersectionObserverInit;
    this.observer = new IntersectionObserver((entries) => {
      const entry = entries.at(-1);
      if (entry)
        this.saw(
          entry.intersectionRatio < 0.99 ? 'hidden' : (entry as IntersectionObserverEntry & { isVisible: boolean }).isVisible ? '' : 'covered',
        );
    }, init);
    this.observer.observe(target);
    onChange(this.current);
  }

  private saw(hold: HoldReason | ''): void {
    clearTimeout(this.settle);
    if (hold) {
      this.set(hold);
      return;
    }
    this.settle = setTimeout(() => this.set(''), SETTLE_MS);
  }

  private set(hold: HoldReason | ''): void {
    if (hold === this.current) return;
    this.current = hold;
    this.onChange(hold);
  }

  disconnect(): void {
    clearTimeout(this.settle);
    this.observer.disconnect();
  }
}
