/**
 * What the engine client remembers so that a restarted worker can carry on: every `configure()` it
 * was given, the last privacy state it saw per peer, and the outbox, the messages whose `send()` was
 * called but whose wire text has not come out yet (in flight, or held until private). After a restart
 * the outbox is sent again with the same message ids, never in plaintext when it was private before.
 */
import type { ConversationInfo, ConversationSettings, EngineEvent, PrivacyState, SendOptions } from '../worker/api.js';

/** One message the worker accepted (or is about to) but that has not reached the transport yet. */
export interface PendingSend {
  readonly peer: string;
  readonly text: string;
  readonly messageId: string;
  /**
   * Never send it in plaintext. Set by the caller's policy, and on a crash when the message was held
   * or the conversation was private (or ended by the peer): the fresh worker starts in plaintext, and
   * the message was typed under privacy.
   */
  requireEncryption: boolean;
  /** The worker held it back until private. */
  held: boolean;
  /** The worker generation last asked to send it (so one restart sends it once). */
  attempt: number;
  /** Whether its `send()` call has settled (resolved or rejected); later outcomes go out as events. */
  settled: boolean;
  resolve(id: string): void;
  reject(error: unknown): void;
}

/** The outbox and the settings a restarted worker needs back. */
export class Outbox {
  private readonly pending = new Map<string, PendingSend>();
  private readonly states = new Map<string, PrivacyState>();
  private readonly settings = new Map<string, ConversationSettings>();
  /** Peers that were not in plaintext at the last crash, until the new worker tells their true state. */
  private readonly privateAtCrash = new Set<string>();

  /** Messages not yet out, oldest first. */
  entries(): PendingSend[] {
    return [...this.pending.values()];
  }

  get size(): number {
    return this.pending.size;
  }

  /** Record a `send()` call. While a restart is under way, a peer that was private stays so for it. */
  track(peer: string, text: string, messageId: string, options: SendOptions | undefined): { entry: PendingSend; result: Promise<string> } {
    let resolve!: (id: string) => void;
    let reject!: (error: unknown) => void;
    const result = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
    const entry: PendingSend = {
      peer,
      text,
      messageId,
      requireEncryption: options?.requireEncryption === true || this.privateAtCrash.has(peer),
      held: false,
      attempt: 0,
      settled: false,
      resolve: (id) => {
        entry.settled = true;
        resolve(id);
      },
      reject: (error) => {
        entry.settled = true;
        reject(error);
      },
    };
    this.pending.delete(messageId); // the same id sent again (a Retry) goes to the end
    this.pending.set(messageId, entry);
    return { entry, result };
  }

  /** Forget a message (it went out, or its send failed for good). */
  drop(messageId: string): void {
    this.pending.delete(messageId);
  }

  /** Every message, forgotten (the client stopped); unsettled calls reject with `error`. */
  clear(error: unknown): void {
    for (const entry of this.pending.values()) if (!entry.settled) entry.reject(error);
    this.pending.clear();
  }

  /** The options one attempt of `entry` goes out with. */
  options(entry: PendingSend): SendOptions {
    return entry.requireEncryption ? { requireEncryption: true } : {};
  }

  /** An event of the current worker. */
  observe(event: EngineEvent): void {
    if (event.type === 'wire' && event.messageId !== undefined) this.pending.delete(event.messageId);
    else if (event.type === 'held' && event.messageId !== undefined) {
      const entry = this.pending.get(event.messageId);
      if (entry) entry.held = true;
    } else if (event.type === 'status') this.state(event.peer, event.state);
  }

  /** A `conversation()` answer of the current worker. */
  conversation(info: ConversationInfo): void {
    this.state(info.peer, info.state);
  }

  /** Remember `configure(peer, settings)` (the engine merges them, so do we). */
  configured(peer: string, settings: ConversationSettings): void {
    this.settings.set(peer, { ...this.settings.get(peer), ...settings });
  }

  /** Every peer's settings, to apply to a new worker. */
  configurations(): [string, ConversationSettings][] {
    return [...this.settings.entries()];
  }

  get configuredPeers(): number {
    return this.settings.size;
  }

  /**
   * The worker died: the security rule. A message that was held, or sent while the conversation was
   * not in plaintext (or under require-encryption), must never go out in plaintext from the new
   * worker, whose conversations start in plaintext.
   */
  crashed(): void {
    for (const [peer, state] of this.states) if (state !== 'plaintext') this.privateAtCrash.add(peer);
    for (const [peer, settings] of this.settings) if (settings.requireEncryption) this.privateAtCrash.add(peer);
    for (const entry of this.pending.values()) {
      if (entry.held || this.privateAtCrash.has(entry.peer)) entry.requireEncryption = true;
    }
  }

  private state(peer: string, state: PrivacyState): void {
    this.states.set(peer, state);
    this.privateAtCrash.delete(peer); // the new worker said what is true now, and the page can show it
  }
}
