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
    this.resizes.disconnect();
    this.list = undefined;
  }

  /** Scroll to the end once the host has rendered. */
  toEnd(): void {
    void this.host.updateComplete.then(() => {
      if (this.list) this.list.scrollTop = this.list.scrollHeight;
    });
  }

  private watch(list: HTMLElement): void {
    this.list = list;
    this.resizes.disconnect();
    this.resizes.observe(list);
    const user = () => (this.userScrollAt = performance.now());
    for (const type of ['wheel', 'touchmove', 'keydown', 'pointerdown']) list.addEventListener(type, user, { passive: true });
    list.addEventListener('scroll', () => {
      const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
      if (atEnd) this.pinned = true;
      else if (performance.now() - this.userScrollAt < 1000) this.pinned = false;
    }, { passive: true });
  }
}
