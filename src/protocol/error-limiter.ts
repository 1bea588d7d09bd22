/**
 * Rate limit for the `?OTR Error:` replies we send to one peer.
 *
 * Every unreadable input makes OTR answer with an error message (spec, "Data
 * Message": "send an OTR Error Message"). A stream of junk would otherwise
 * make us send one reply each (and, through otr.js's one-per-timer output
 * queue, delay real replies behind them). A token bucket: `burst` replies at
 * once, then one per `intervalMs`. Replies over the limit are dropped; the
 * peer loses nothing it needs, because an error message carries no state.
 */
export class ErrorReplyLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly burst = 3,
    private readonly intervalMs = 2000,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** True when one more error reply may be sent now (and counts it). */
  take(): boolean {
    const t = this.now();
    const refill = Math.floor((t - this.last) / this.intervalMs);
    if (refill > 0) {
      this.tokens = Math.min(this.burst, this.tokens + refill);
      this.last += refill * this.intervalMs;
    }
    if (this.tokens > 0) {
      this.tokens--;
      return true;
    }
    return false;
  }
}
