/**
 * `BoxWatch`: a Lit reactive controller that knows whether the host element has a box of its own
 * (the host page may set `display: inline` or `contents` on it, and the element then sizes its
 * frame itself). Reading `getComputedStyle` in every render forces a style recalculation per
 * element per update, which a page of 20 chats pays 20 times per frame; this reads it when the
 * element connects and again only when its box changes size (a ResizeObserver callback, after
 * layout, where the read costs nothing), and asks for a render when the answer changed.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class BoxWatch implements ReactiveController {
  /** Whether the host has a box of its own (display neither `inline` nor `contents`). */
  ownBox = true;
  private readonly resizes = new ResizeObserver(() => this.read());

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    this.read();
    this.resizes.observe(this.host);
  }

  hostDisconnected(): void {
    this.resizes.disconnect();
  }

  private read(): void {
    const display = getComputedStyle(this.host).display;
    const ownBox = display !== 'inline' && display !== 'contents';
    if (ownBox === this.ownBox) return;
    this.ownBox = ownBox;
    this.host.requestUpdate();
  }
}
