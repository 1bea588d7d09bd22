/**
 * Keeps an engine's worker alive. It starts the worker, notices when it dies or wedges (an `error`
 * or `messageerror` event at any time, or a heartbeat ping that goes unanswered), and starts a new
 * one under the same name (so the same IndexedDB identity). A worker that keeps dying (3 times
 * within 60 s by default) is given up: every call then rejects with an `E2eeError` of code `worker`.
 * The first start is not retried: a worker that never ran is a set-up problem (URL, CSP), reported
 * at once, as before.
 */
import { releaseProxy, wrap, type Remote } from 'comlink';
import { E2eeError } from '../protocol/errors.js';
import type { EngineApi, EventPortApi } from '../worker/api.js';
import type { EngineConfig } from './engine-config.js';
import { launchWorker } from './worker-launch.js';

/** A call was cut short: its worker died. */
export class WorkerDied extends Error {
  constructor(readonly reason: string) {
    super(`The encryption worker stopped: ${reason}`);
  }
}

/** One worker, from its start to its death. */
export interface Incarnation {
  /** 1 for the first worker, then one more per restart. */
  readonly generation: number;
  readonly remote: Remote<EngineApi & EventPortApi>;
  /** `work`, cut short with {@link WorkerDied} if this worker dies first. */
  run<T>(work: Promise<T>): Promise<T>;
  /** Set once it died. */
  readonly dead: WorkerDied | undefined;
}

/** When to check on the worker, and when to give up on it. */
export interface SupervisorOptions {
  name: string;
  config: Readonly<EngineConfig>;
  /** How long a new worker may take to answer its first ping. */
  timeoutMs: number;
  /** How often to ping a worker while it has work (default 2 s). */
  heartbeatMs?: number;
  /** How long a ping may take before the worker counts as wedged (default 3 s; 30 s while a key may be generated). */
  heartbeatTimeoutMs?: number;
  /** Give up after this many deaths (default 3)… */
  maxDeaths?: number;
  /** …within this window (default 60 s). */
  deathWindowMs?: number;
}

/** What the supervisor asks of its client. */
export interface SupervisorHooks {
  /** A new worker answered its first ping; runs before anything else is sent to it. */
  started?(remote: Remote<EngineApi & EventPortApi>): void;
  /** A worker died; a new one is being started. */
  restarting(reason: string): void;
  /** Bring a new worker up to date (events port, settings, outbox) before calls reach it. */
  restore(incarnation: Incarnation): Promise<void>;
  /** The new worker is up to date. */
  restarted(reason: string): void;
  /** Given up: nothing will run again. */
  gaveUp(error: E2eeError): void;
  /** Whether anyone needs the worker now (subscribers, conversations, calls): only then is it pinged. */
  busy(): boolean;
  /** Whether the worker may be generating a key (a long, blocking computation) now. */
  patient(): boolean;
}

interface Live extends Incarnation {
  worker: Worker;
  kill(reason: string): void;
}

/** Runs the engine's worker, restarting it when it dies. */
export class Supervisor {
  /** Why nothing runs any more (stopped, failed to start, or given up). */
  failure: E2eeError | undefined;
  /** Resolves once the first worker answered its first ping. */
  readonly ready: Promise<void>;
  private current: Promise<Live>;
  private live: Live | undefined;
  private generation = 0;
  private recovering = false;
  /** Stops the worker being started, if one is. */
  private killLaunching: ((reason: string) => void) | undefined;
  private deaths: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly heartbeatMs: number;
  private readonly heartbeatTimeoutMs: number;

  constructor(
    private readonly options: SupervisorOptions,
    private readonly hooks: SupervisorHooks,
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 3000;
    this.current = this.launch().then(
      (live) => (this.live = live),
      (error: unknown) => {
        this.failure ??= error instanceof E2eeError ? error : new E2eeError('worker', String(error));
        throw this.failure;
      },
    );
    this.current.catch(() => undefined);
    this.ready = this.current.then(() => this.poke());
    this.ready.catch(() => undefined); // reported through every call
  }

  /** The worker for a call: waits while one is being restarted; rejects once nothing runs any more. */
  async incarnation(): Promise<Incarnation> {
    if (this.failure) throw this.failure;
    const live = await this.current;
    if (this.failure) throw this.failure;
    return live;
  }

  /** The worker to send calls to right now, if it is up (not starting or restarting). */
  get running(): Incarnation | undefined {
    return this.recovering || this.failure || this.live?.dead ? undefined : this.live;
  }

  /** Stop on purpose: no restart, every call rejects with `error`. */
  stop(error: E2eeError): void {
    if (this.failure) return;
    this.failure = error;
    this.clearTimer();
    this.live?.kill('stopped');
    this.killLaunching?.('stopped');
  }

  /** Something needs the worker: make sure the heartbeat runs. */
  poke(): void {
    if (this.timer !== undefined || this.failure || !this.hooks.busy()) return;
    this.timer = setTimeout(() => void this.beat(), this.heartbeatMs);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async beat(): Promise<void> {
    this.timer = undefined;
    const live = this.running as Live | undefined;
    if (live) {
      const limit = this.hooks.patient() ? Math.max(30_000, this.heartbeatTimeoutMs) : this.heartbeatTimeoutMs;
      const started = performance.now();
      const answer = live.run(live.remote.ping()).then(
        () => true,
        () => true, // died meanwhile: already handled
      );
      let answered = await Promise.race([answer, delay(limit).then(() => false)]);
      // The page itself was busy or throttled (the timer is late): let an answer already queued be read first.
      if (!answered && performance.now() - started > limit + 250) answered = await Promise.race([answer, delay(250).then(() => false)]);
      if (!answered) this.died(live, `it did not answer a ping within ${limit} ms`);
    }
    this.poke();
  }

  /** Start one worker and wait for its first ping. */
  private launch(): Promise<Live> {
    const { name, config, timeoutMs } = this.options;
    const generation = ++this.generation;
    let worker: Worker | undefined;
    let dead: WorkerDied | undefined;
    /** The calls waiting on this worker: each is rejected when it dies (see `run`). */
    const waiting = new Set<(error: WorkerDied) => void>();
    let live: Live | undefined;
    const kill = (reason: string) => {
      if (dead) return;
      dead = new WorkerDied(reason);
      for (const reject of waiting) reject(dead);
      waiting.clear();
      worker?.terminate();
      if (live) live.remote[releaseProxy]();
    };
    const onError = (event: ErrorEvent | Event) => {
      event.preventDefault(); // handled here: don't also report it as the page's uncaught error
      const detail = event instanceof ErrorEvent && event.message ? event.message : 'the script could not be loaded or threw';
      if (live) this.died(live, `it threw: ${detail}`);
      else kill(`The encryption worker failed to start: ${detail}.`);
    };
    const onMessageError = () => {
      if (live) this.died(live, 'it sent a message that could not be read');
      else kill('The encryption worker sent a message that could not be read.');
    };
    this.killLaunching = kill;
    // Not Promise.race with one long-lived "died" promise: every race would leave a reaction on it,
    // holding its call's result, for as long as the worker lives.
    const run = <T>(work: Promise<T>): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        if (dead) return reject(dead);
        waiting.add(reject);
        work.then(
          (value) => (waiting.delete(reject), resolve(value)),
          (error: unknown) => (waiting.delete(reject), reject(error)),
        );
      });
    const started = Promise.resolve()
      .then(() => launchWorker(name, config))
      .then(
        (made) => {
          worker = made;
          made.addEventListener('error', onError);
          made.addEventListener('messageerror', onMessageError);
          if (dead) made.terminate(); // stopped (or timed out) while it was being made
          const remote = wrap<EngineApi & EventPortApi>(made);
          return run(remote.ping()).then(() => {
            this.hooks.started?.(remote);
            return remote;
          });
        },
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          throw new E2eeError('worker', `The encryption worker could not be created: ${reason}`);
        },
      );
    const timer = setTimeout(() => kill(`The encryption worker did not answer within ${timeoutMs} ms.`), timeoutMs);
    return started.then(
      (remote) => {
        clearTimeout(timer);
        if (this.killLaunching === kill) this.killLaunching = undefined;
        live = {
          generation,
          remote,
          worker: worker!,
          run,
          kill,
          get dead() {
            return dead;
          },
        };
        return live;
      },
      (error: unknown) => {
        clearTimeout(timer);
        kill('it failed to start');
        if (error instanceof WorkerDied) throw new E2eeError('worker', error.reason);
        throw error;
      },
    );
  }

  /** `live` died: restart it, unless it was stopped on purpose or keeps dying. */
  private died(live: Live, reason: string): void {
    if (live.dead || this.failure) return;
    live.kill(reason);
    if (this.recovering || live !== this.live) return; // the restart under way notices it itself
    this.recovering = true;
    this.clearTimer();
    this.current = this.recover(reason);
    this.current.catch(() => undefined);
  }

  private async recover(reason: string): Promise<Live> {
    for (;;) {
      const now = Date.now();
      this.deaths = [...this.deaths.filter((t) => now - t < (this.options.deathWindowMs ?? 60_000)), now];
      if (this.deaths.length >= (this.options.maxDeaths ?? 3)) {
        const error = new E2eeError(
          'worker',
          `The encryption worker stopped ${this.deaths.length} times in a short while and was not restarted again (last: ${reason}). Reload the page to try again.`,
        );
        this.failure ??= error;
        this.recovering = false;
        this.hooks.gaveUp(this.failure);
        throw this.failure;
      }
      this.hooks.restarting(reason);
      let live: Live | undefined;
      try {
        live = await this.launch();
        if (this.failure) throw this.failure;
        this.live = live;
        const { timeoutMs } = this.options;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new WorkerDied(`it did not finish restoring within ${timeoutMs} ms`)), timeoutMs);
        });
        await Promise.race([live.run(this.hooks.restore(live)), late]).finally(() => clearTimeout(timer));
        this.recovering = false;
        this.hooks.restarted(reason);
        this.poke();
        return live;
      } catch (error) {
        if (this.failure) {
          this.recovering = false;
          live?.kill('stopped');
          throw this.failure;
        }
        reason = error instanceof WorkerDied ? error.reason : error instanceof Error ? error.message : String(error);
        live?.kill(reason);
      }
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
