/**
 * When a private conversation's keys have diverged (the peer's messages are unreadable, or the
 * peer reports ours are), a new AKE brings the two sides together again. This decides when we
 * start one: at once when the rate limit allows, otherwise as soon as it does.
 *
 * Why "as soon as it does": the evidence is unauthenticated, so starts are rate-limited (one per
 * {@link RECOVERY_INTERVAL_MS} for each kind of evidence) and never interrupt a running AKE. Junk
 * on the wire can so use up the allowance, or leave an AKE hanging, just before the keys really
 * diverge; the fuzz tier found conversations that then stayed broken until some later message
 * happened to arrive after the limit had passed. A refused recovery is now retried when the limit
 * allows, until an AKE completes or {@link RECOVERY_RETRIES} retries have run.
 */
import { ErrorReplyLimiter } from './error-limiter.js';

/** At most one recovery AKE per this long, for each kind of evidence. */
export const RECOVERY_INTERVAL_MS = 10_000;
/** Retries of a refused recovery, each {@link RECOVERY_INTERVAL_MS} apart. */
export const RECOVERY_RETRIES = 6;

export class Recovery {
  private readonly afterUnreadable: ErrorReplyLimiter;
  private readonly afterLoss: ErrorReplyLimiter;
  private timer?: ReturnType<typeof setTimeout>;
  private retries = 0;

  /**
   * @param start - start an AKE if none is running and `allow()` says so; whether one started.
   * @param now - the session's clock.
   * @param intervalMs - the rate limit's interval and the retries' spacing.
   * @param startedLater - a retry started an AKE (what a start at once would have done next).
   */
  constructor(
    private readonly start: (allow: () => boolean) => boolean,
    now: () => number,
    private readonly intervalMs: number,
    private readonly startedLater: () => void,
  ) {
    this.afterUnreadable = new ErrorReplyLimiter(1, intervalMs, now);
    this.afterLoss = new ErrorReplyLimiter(1, intervalMs, now);
  }

  /** A peer message was unreadable under keys that should match: whether an AKE started now. */
  unreadable(): boolean {
    return this.attempt(this.afterUnreadable);
  }

  /** The peer could not read ours, with messages awaiting proof: whether an AKE started now. */
  loss(): boolean {
    return this.attempt(this.afterLoss);
  }

  /** An AKE completed: nothing is due any more. */
  secured(): void {
    this.cancel();
  }

  /** Stop any retry (the conversation ended or was replaced). */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.retries = 0;
  }

  private attempt(limit: ErrorReplyLimiter): boolean {
    if (this.start(() => limit.take())) {
      this.cancel();
      return true;
    }
    if (this.timer === undefined) {
      this.retries = 0;
      this.retryLater(limit);
    }
    return false;
  }

  private retryLater(limit: ErrorReplyLimiter): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.start(() => limit.take())) {
        this.retries = 0;
        return this.startedLater();
      }
      if (++this.retries < RECOVERY_RETRIES) this.retryLater(limit);
    }, this.intervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }
}
