/**
 * When to announce a new key of ours with a heartbeat: an empty data message flagged
 * IGNORE_UNREADABLE, which neither libotr nor otr.js shows (see `OtrConnection.sendHeartbeat`).
 *
 * A peer message that names our newest key moves us to a new one, and only a data message of ours
 * that announces that key lets the peer's next message prove what we sent before it (outbox.ts,
 * otr/key-ids.ts). Any data message we send from then on announces it, so the heartbeat waits a
 * moment and is dropped when a message of ours goes first: in a lively conversation the reply does
 * the heartbeat's job, and every turn no longer costs an extra data message (an encryption, a MAC,
 * a decryption and a store write on each side). libotr, too, sends heartbeats only when nothing of
 * its own went out for a while (libotr 4.1 message.c, `HEARTBEAT_INTERVAL`).
 */

/** How long a heartbeat waits for a message of ours to make it unnecessary, in ms. */
export const HEARTBEAT_DELAY_MS = 1_000;

/** One pending heartbeat at most. */
export class HeartbeatTimer {
  private timer?: ReturnType<typeof setTimeout>;

  /**
   * @param delayMs - how long to wait (0: at once).
   * @param beat - sends the heartbeat; it checks again that one is still needed.
   */
  constructor(
    private readonly delayMs: number,
    private readonly beat: () => void,
  ) {}

  /** A heartbeat is needed: send it after the delay, unless one is already waiting. */
  schedule(): void {
    if (this.timer !== undefined) return;
    if (this.delayMs <= 0) return this.beat();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.beat();
    }, this.delayMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** A data message of ours went out: it announced our newest key, so the waiting heartbeat is dropped. */
  cancel(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
