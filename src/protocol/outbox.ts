/**
 * The outbox: what we sent in a private conversation and whether the peer has read it, as far as
 * OTR can tell. Pure bookkeeping (time is passed in); {@link OtrSession} feeds it and acts on it.
 *
 * **The acknowledgement rule.** A message M is *acknowledged* when, in the same OTR session (AKE),
 * a MAC-verified data message from the peer names as `recipient keyid` a key of ours whose first
 * announcement (`next_dh`) was M or a message sent after M. OTR v3 ("Exchanging Data",
 * "Receiving a Data Message") lets the peer name only keys it learned from our verified data
 * messages, so this proves the peer's session, the one M was encrypted for, read a message of ours
 * sent no earlier than M. It does not prove the peer read M itself: a transport that drops one
 * message and delivers the next is invisible to OTR. Naming a key that M merely *also* announced
 * would prove less: the peer may have read an earlier message of the same key and then lost its
 * session, so that rule could mark a lost message delivered. Nothing is added to the wire: key ids
 * are in every data message, libotr's heartbeats included (see src/protocol/otr/key-ids.ts).
 *
 * **Loss and resend.** A *loss signal* (the peer's `?OTR Error:`, or our keys turning out to have
 * diverged) opens a loss round: every unacknowledged message is then re-sent once, marked, in the
 * next session (after the new AKE), and never in plaintext. As in libotr (src/message.c: an error
 * marks the last message for retransmission; it is re-sent when the new AKE completes), but for
 * every unacknowledged message, not the last one only. Bounds, against a peer or attacker
 * repeating errors: each message is re-sent at most once; signals within `lossRoundMs` of the
 * round's start or of the last resend are one signal; at most `maxTracked` messages are kept.
 * A message fails when no new session comes within `resecureMs` of the loss, when a loss is
 * reported again after it was re-sent, or when its re-sent copy is not acknowledged within
 * `resentAckMs`.
 */

/** What became of a message we sent. */
export type DeliveryOutcome = 'acknowledged' | 'resent' | 'failed';

/** One change of a message's delivery. */
export interface DeliveryUpdate {
  messageId: string;
  outcome: DeliveryOutcome;
}

/** The outbox's bounds, in messages and milliseconds. */
export interface OutboxLimits {
  /** Most messages tracked; beyond it the oldest is no longer tracked (it stays as it is). */
  maxTracked: number;
  /** Loss signals this close to the round's start or to the last resend count as one. */
  lossRoundMs: number;
  /** How long after a loss a new session may take before the messages fail. */
  resecureMs: number;
  /** How long a re-sent message may stay unacknowledged before it fails. */
  resentAckMs: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = { maxTracked: 128, lossRoundMs: 10_000, resecureMs: 60_000, resentAckMs: 300_000 };

/** Where a sent message is in the session's sequence of data messages (from key-ids.ts). */
export interface SentAt {
  session: number;
  seq: number;
}

interface Entry extends SentAt {
  id: string;
  text: string;
  state: 'sent' | 'resending' | 'resent';
  resentAt?: number;
}

/** A message to re-send: its id and original text (unmarked). */
export interface Resend {
  messageId: string;
  text: string;
}

/** The delivery state of what one session sent; see the file comment for the rules. */
export class Outbox {
  readonly limits: OutboxLimits;
  /** In send order (a re-sent message moves to the end). */
  private readonly entries = new Map<string, Entry>();
  private lossSince?: number;
  private echoesUntil = -Infinity;

  constructor(limits: Partial<OutboxLimits> = {}) {
    this.limits = { ...DEFAULT_OUTBOX_LIMITS, ...limits };
  }

  /** How many messages await acknowledgement. */
  get size(): number {
    return this.entries.size;
  }

  /** Whether a loss round is open (messages wait for a new session to be re-sent). */
  get lossPending(): boolean {
    return this.lossSince !== undefined;
  }

  /** Message `messageId` (`text`) was encrypted at `at`. A message being re-sent becomes `resent`. */
  record(messageId: string, text: string, at: SentAt, now: number): DeliveryUpdate[] {
    const known = this.entries.get(messageId);
    this.entries.delete(messageId);
    if (known?.state === 'resending') {
      this.entries.set(messageId, { ...known, ...at, state: 'resent', resentAt: now });
      return [{ messageId, outcome: 'resent' }];
    }
    this.entries.set(messageId, { id: messageId, text, ...at, state: 'sent' });
    if (this.entries.size > this.limits.maxTracked) this.entries.delete(this.entries.keys().next().value!);
    return [];
  }

  /** A verified peer message proved reading through sequence number `provenThrough` of `session`. */
  acknowledge(session: number, provenThrough: number): DeliveryUpdate[] {
    return this.drop((e) => e.session === session && e.seq <= provenThrough && e.state !== 'resending', 'acknowledged');
  }

  /** Whether a message of `session` awaits acknowledgement. */
  awaiting(session: number): boolean {
    for (const e of this.entries.values()) if (e.session === session) return true;
    return false;
  }

  /**
   * A loss signal at `now`. Returns whether a round is open (the caller should bring up a new
   * session) and the messages that failed: re-sent ones reported lost again.
   */
  reportLoss(now: number): { pending: boolean; updates: DeliveryUpdate[] } {
    if (now < this.echoesUntil) return { pending: this.lossPending, updates: [] };
    const updates = this.drop((e) => e.state === 'resent' && e.resentAt! <= now - this.limits.lossRoundMs, 'failed');
    if (this.lossSince === undefined && this.entries.size > 0) {
      this.lossSince = now;
      this.echoesUntil = now + this.limits.lossRoundMs;
    }
    return { pending: this.lossPending, updates };
  }

  /**
   * Session `session` is up. When a loss round is open, close it: every unacknowledged message of an
   * older session is to be re-sent (the caller re-sends each, and {@link record} marks it `resent`),
   * except those re-sent once already, which fail.
   */
  takeForResend(session: number, now: number): { resend: Resend[]; updates: DeliveryUpdate[] } {
    if (this.lossSince === undefined) return { resend: [], updates: [] };
    this.lossSince = undefined;
    this.echoesUntil = now + this.limits.lossRoundMs;
    const updates = this.drop((e) => e.session < session && e.state !== 'sent', 'failed');
    const resend: Resend[] = [];
    for (const entry of this.entries.values()) {
      if (entry.session >= session) continue;
      entry.state = 'resending';
      resend.push({ messageId: entry.id, text: entry.text });
    }
    return { resend, updates };
  }

  /** Messages whose resend could not be made fail now. */
  abandonResends(): DeliveryUpdate[] {
    return this.drop((e) => e.state === 'resending', 'failed');
  }

  /** Fail what has waited too long at `now` (see {@link OutboxLimits}). */
  expire(now: number): DeliveryUpdate[] {
    const { resecureMs, resentAckMs } = this.limits;
    if (this.lossSince !== undefined && now - this.lossSince >= resecureMs) {
      this.lossSince = undefined;
      return this.drop(() => true, 'failed');
    }
    return this.drop((e) => e.state === 'resent' && now - e.resentAt! >= resentAckMs, 'failed');
  }

  /** When {@link expire} next has work, if ever. */
  nextDeadline(): number | undefined {
    let next = this.lossSince === undefined ? Infinity : this.lossSince + this.limits.resecureMs;
    for (const e of this.entries.values()) if (e.state === 'resent') next = Math.min(next, e.resentAt! + this.limits.resentAckMs);
    return next === Infinity ? undefined : next;
  }

  private drop(match: (entry: Entry) => boolean, outcome: DeliveryOutcome): DeliveryUpdate[] {
    const updates: DeliveryUpdate[] = [];
    for (const entry of [...this.entries.values()]) {
      if (!match(entry)) continue;
      this.entries.delete(entry.id);
      updates.push({ messageId: entry.id, outcome });
    }
    return updates;
  }
}
