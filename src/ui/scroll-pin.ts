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
  private readonly resizes = new ResizeObserver(() => this.pinned && this.toEnd());

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
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.resizes.disconnect();
    this.list = undefined;
  }

  /**
   * Scroll to the end once the host has rendered, in the next animation frame: every element of a
   * page then scrolls after all of them rendered, in one layout, instead of one forced layout per
   * element per update.
   */
  toEnd(): void {
    if (this.frame !== undefined) return;
    const asked = performance.now();
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      // The person took the scrollbar (or wheel, keys) since: their scroll wins.
      if (this.list && this.userScrollAt < asked) this.list.scrollTop = this.list.scrollHeight;
    });
  }
  private frame?: number;

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
