/**
 * Turns for the conversations of one engine. One engine serves every `<e2ee-chat>` of a page, and a
 * key exchange step costs several 1536-bit exponentiations and a DSA signature (5–15 ms here),
 * while a data message costs well under 1 ms. When many conversations exchange keys at once (a
 * page of 20 chats coming back, or everyone refreshing keys), the messages of the other
 * conversations must not queue behind all of those steps.
 *
 * So each peer has a lane: its work runs strictly in the order it was asked for (a data message may
 * need the keys of the exchange before it). Cheap work (`now`) on an idle lane runs at once, as if
 * there were no lanes. Expensive work (`later`, `background`), and anything behind it, waits for a
 * turn; a turn takes expensive steps for at most a few milliseconds, then the engine yields a task,
 * so calls that arrived meanwhile (other peers' messages) run first; within a turn, lanes whose
 * next step is cheap go first.
 *
 * Yielding a task is not enough when several conversations exchange keys at once: the worker then
 * computes back to back, and on a machine with few cores it takes a core from the page's main
 * thread, where every message passes (the transport, the element) several times. So after a turn
 * that ran a key exchange step (`background`) while more than one lane still waits, the engine rests
 * {@link REST_SHARE} times as long as the turn took: a burst of key exchanges gets about a sixth of
 * a core, the page and the other conversations' messages the rest. On 2 cores, the last of 20 key
 * exchanges started at once ends about 2× later (0.42–0.69 s, not 0.25–0.29 s); no message of another
 * conversation waits 100 ms (bench --scale, section 2). One key exchange alone, or a burst of
 * restores (`later`), never rests.
 */

/**
 * How long one turn may go on taking expensive steps before the engine yields to calls that came
 * in meanwhile: a message waits at most this plus one step.
 */
export const TURN_MS = 4;

/** After a turn with a key exchange step while other lanes wait: rest this many times the turn's length. */
export const REST_SHARE = 5;

/** The longest rest, ms (a turn can be one 15 ms step). */
export const REST_MAX_MS = 60;

/**
 * How a step is scheduled: `now` for cheap work (data messages, sends); `later` for other expensive
 * work that takes turns (restoring a conversation, SMP steps asked for on this side); `background`
 * for key exchange steps, which also give way to the page while several run at once.
 */
export type Urgency = 'now' | 'later' | 'background';

interface Job {
  urgency: Urgency;
  /** Arrival order, so that expensive steps of different lanes take turns oldest first. */
  seq: number;
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** The lanes of one engine. */
export class Lanes {
  private readonly lanes = new Map<string, Job[]>();
  private seq = 0;
  private scheduled = false;
  private readonly channel = new MessageChannel();

  constructor() {
    this.channel.port1.onmessage = () => this.pump();
    // In Node (tests, tools), an open port must not keep the process alive.
    (this.channel.port1 as MessagePort & { unref?: () => void }).unref?.();
  }

  /**
   * Run `work` in `peer`'s lane: at once when it is `now` and the lane is idle, otherwise in a later
   * task, after the lane's earlier work. Resolves (or rejects) with what `work` returns (or throws).
   */
  run<T>(peer: string, urgency: Urgency, work: () => T): Promise<T> {
    const lane = this.lanes.get(peer);
    if (!lane && urgency === 'now') {
      try {
        return Promise.resolve(work());
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    return new Promise<T>((resolve, reject) => {
      const job: Job = { urgency, seq: this.seq++, work, resolve: resolve as (value: unknown) => void, reject };
      if (lane) lane.push(job);
      else this.lanes.set(peer, [job]);
      this.schedule();
    });
  }

  private restCount = 0;

  /** How many times the engine rested after a turn of key exchange steps (for tests and diagnostics). */
  get rests(): number {
    return this.restCount;
  }

  /** How many steps wait, over all lanes (for tests and diagnostics). */
  get waiting(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.length;
    return count;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A message to ourselves is a task after those already queued (the calls that came in), without
    // a timer's clamping.
    this.channel.port2.postMessage(0);
  }

  /**
   * One turn: every cheap step at the head of a lane, then the oldest expensive one, again and
   * again until {@link TURN_MS} have passed (an expensive step of 5 ms or more is alone in its
   * turn); then the cheap steps that came to a lane's head, and a yield, or a rest when the turn
   * ran a key exchange step and more than one lane still waits.
   */
  private pump(): void {
    this.scheduled = false;
    const started = performance.now();
    let keyExchange = false;
    for (;;) {
      this.runCheapHeads();
      let oldest: [string, Job[]] | undefined;
      for (const entry of this.lanes) {
        if (!oldest || (entry[1][0] as Job).seq < (oldest[1][0] as Job).seq) oldest = entry;
      }
      if (!oldest) return;
      keyExchange ||= (oldest[1][0] as Job).urgency === 'background';
      this.runNext(...oldest);
      if (performance.now() - started >= TURN_MS) break;
    }
    this.runCheapHeads();
    if (this.lanes.size === 0) return;
    if (!keyExchange || this.lanes.size < 2) return this.schedule();
    this.scheduled = true;
    this.restCount++;
    const rest = setTimeout(() => this.pump(), Math.min(REST_MAX_MS, (performance.now() - started) * REST_SHARE));
    (rest as { unref?: () => void }).unref?.();
  }

  private runCheapHeads(): void {
    for (const [peer, lane] of this.lanes) {
      while (lane[0]?.urgency === 'now') this.runNext(peer, lane);
    }
  }

  private runNext(peer: string, lane: Job[]): void {
    const job = lane.shift() as Job;
    if (lane.length === 0) this.lanes.delete(peer);
    try {
      job.resolve(job.work());
    } catch (error) {
      job.reject(error);
    }
  }
}

/**
 * How costly reading `wire` is likely to be: data messages (and fragments, whose last piece is
 * mostly a data message) and plain text are cheap; key exchange messages, queries and errors (which
 * start one) are key exchange work.
 */
export function urgencyOf(wire: unknown): Urgency {
  if (typeof wire !== 'string' || !wire.includes('?OTR')) return 'now'; // not text: refused at once
  return /^\?OTR(?::AAMD|:AAID|\||,)/.test(wire) ? 'now' : 'background';
}
