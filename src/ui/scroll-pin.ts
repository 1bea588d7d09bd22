/**
 * `ScrollPin`: a Lit reactive controller that keeps a scrolling list at its end, as chat lists do.
 * New items and resizes keep it there; only the person unpins it (wheel, touch, keys, the
 * scrollbar), and reaching the end again pins it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ScrollPin implements ReactiveController {
  private pinned = true;
  private userScrollAt = 0;
  private list?: HTMLElement;
  private count = 0;
  /** Reports the list after a layout: when it resized, and once after each {@link toEnd}. */
  private readonly resizes = new ResizeObserver(() => this.settle());
  /** When {@link toEnd} was asked and has yet to scroll. */
  private asked?: number;

  /** `find` gives the list once rendered; `items` how many items it holds now. */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly find: () => HTMLElement | null,
    private readonly items: () => number,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const list = this.find();
    if (list && list !== this.list) this.watch(list);
    const count = this.items();
    if (count > this.count || this.pinned) this.toEnd();
    this.count = count;
  }

  hostDisconnected(): void {
    this.asked = undefined;
    this.resizes.disconnect();
    this.list = undefined;
  }

  /**
   * Scroll to the end once the host has rendered, right after the browser's next layout: the list
   * is observed anew, so the observer reports it then, and the scroll reads the layout the browser
   * just made. A page of many chats then makes one layout a frame, where a scroll read in an
   * animation frame (before the layout) forced one, and one per element after each scroll.
   */
  toEnd(): void {
    const list = this.list;
    if (!list) return;
    this.asked ??= performance.now();
    this.resizes.unobserve(list); // observed anew: reported after the next layout
    this.resizes.observe(list);
  }

  private settle(): void {
    const { list, asked } = this;
    this.asked = undefined;
    if (!list) return;
    // Asked: unless the person took the scrollbar (or wheel, keys) since; a resize: if pinned.
    if (asked !== undefined ? this.userScrollAt < asked : this.pinned) list.scrollTop = list.scrollHeight;
  }

  private watch(list: HTMLElement): void {
    this.list = list;
    this.resizes.disconnect();
    this.resizes.observe(list);
    const user = () => (this.userScrollAt = performance.now());
    for (const type of ['wheel', 'touchmove', 'keydown', 'pointerdown']) list.addEventListener(type, user, { passive: true });
    list.addEventListener('scroll', () => {
      const byPerson = performance.now() - this.userScrollAt < 1000;
      // Pinned and not moved by the person: our own scroll to the end. Nothing to decide, so no
      // layout read (on a page of many chats it would force one layout per element per frame).
      if (this.pinned && !byPerson) return;
      const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
      if (atEnd) this.pinned = true;
      else if (byPerson) this.pinned = false;
    }, { passive: true });
  }
}
