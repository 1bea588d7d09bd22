/**
 * The conversation timeline's notices: every security-relevant change, in order with the messages,
 * in words a person reads right. `Timeline` turns what the controller learns (status, trust, SMP,
 * errors, the engine restarting) into notices; it holds no DOM and renders nothing. New kinds of
 * notice are added here and in the string catalogue, in one place.
 */
import type { ErrorCode } from '../protocol/errors.js';
import type { PrivacyState } from '../worker/api.js';
import type { E2eeStrings } from './copy.js';
import type { SmpOutcome, TrustSignal } from './trust-controller.js';

/** What one notice says, with what it needs to say it. */
export type NoticeBody =
  | { kind: 'private-started'; startedBy?: 'us' | 'peer'; verified: boolean }
  /** The peer started a new key exchange inside the running private conversation (its app restarted, say). */
  | { kind: 'private-renewed'; verified: boolean }
  | { kind: 'ended-by-us' }
  | { kind: 'ended-by-peer' }
  | { kind: 'key-changed'; wasVerified: boolean; fingerprint: string }
  | { kind: 'old-protocol' }
  | { kind: 'version-changed'; version: 2 | 3 }
  | { kind: 'smp-asked-us'; question: string }
  | { kind: 'smp-we-asked' }
  | { kind: 'smp-verified' }
  | { kind: 'smp-answered' }
  | { kind: 'smp-failed' }
  | { kind: 'smp-aborted' }
  | { kind: 'unreadable' }
  | { kind: 'engine-restarting' }
  | { kind: 'engine-restarted'; privateLost: boolean }
  | { kind: 'engine-gave-up'; detail: string }
  | { kind: 'error'; code: ErrorCode; detail: string; warning: boolean };

/** One notice in the timeline. `seq` orders it among the messages. */
export type TimelineNotice = NoticeBody & { id: string; seq: number; at: number };

/** How a notice looks: one unmistakable style per meaning. */
export type NoticeTone = 'info' | 'good' | 'warn' | 'danger';

/** An action a notice offers. */
export type NoticeAction = 'verify' | 'start-again' | 'end' | 'ask-back';

/** Shared order of messages and notices. */
export class Sequence {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

/** Builds the notices of one conversation. */
export class Timeline {
  notices: TimelineNotice[] = [];
  private state: PrivacyState = 'plaintext';
  private version?: 2 | 3;
  /** The peer's key in the last AKE (kept across conversations, so a new key is noticed). */
  private lastKey?: string;
  /** Set between becoming private and the trust record that says how. */
  private starting = false;
  /** We asked for the private conversation since it last was not private. */
  private weAsked = false;
  /** We asked for a new key exchange while private (Refresh). */
  private weRenewed = false;

  constructor(private readonly sequence: Sequence, private readonly changed: () => void) {}

  /** We asked the peer for a private conversation (Start, auto-private, a held message). */
  asked(): void {
    if (this.state !== 'encrypted' && this.state !== 'verified') this.weAsked = true;
    else this.weRenewed = true;
  }

  /** The status changed (state, key or version in use). */
  status(state: PrivacyState, version: 2 | 3 | undefined): void {
    const was = this.state;
    const wasPrivate = isPrivate(was);
    this.state = state;
    if (isPrivate(state) && !wasPrivate) this.starting = true;
    else if (!isPrivate(state) && wasPrivate) {
      this.starting = false;
      this.weAsked = false;
      this.add(state === 'finished' ? { kind: 'ended-by-peer' } : { kind: 'ended-by-us' });
    }
    if (isPrivate(state) && wasPrivate && version && this.version && version !== this.version) this.add({ kind: 'version-changed', version });
    this.version = isPrivate(state) ? (version ?? this.version) : undefined;
  }

  /** An AKE completed and the engine read the key's trust record. */
  trust(trust: TrustSignal): void {
    const previous = this.lastKey;
    this.lastKey = trust.fingerprint;
    const changed = trust.replacesVerified || (previous !== undefined && previous !== trust.fingerprint);
    if (this.starting) {
      this.starting = false;
      const startedBy = this.weAsked ? 'us' : 'peer';
      this.weAsked = false;
      this.add({ kind: 'private-started', startedBy, verified: trust.verified });
      if (this.version === 2) this.add({ kind: 'old-protocol' });
    } else if (isPrivate(this.state) && !this.weRenewed && !changed) {
      // Private already, and not our own refresh: the peer came back (a new instance, a lost session) and asked again.
      this.add({ kind: 'private-renewed', verified: trust.verified });
    }
    this.weRenewed = false;
    if (changed) this.add({ kind: 'key-changed', wasVerified: trust.replacesVerified, fingerprint: trust.fingerprint });
  }

  /** An SMP step the person should know about. */
  smp(outcome: SmpOutcome | 'we-asked', question = ''): void {
    switch (outcome) {
      case 'asked': return this.add({ kind: 'smp-asked-us', question });
      case 'we-asked': return this.add({ kind: 'smp-we-asked' });
      case 'succeeded': return this.add({ kind: 'smp-verified' });
      case 'answered': return this.add({ kind: 'smp-answered' });
      case 'failed': return this.add({ kind: 'smp-failed' });
      case 'aborted': return this.add({ kind: 'smp-aborted' });
    }
  }

  /** An error or warning, in plain words with the detail behind a disclosure. */
  error(code: ErrorCode, detail: string, warning: boolean): void {
    // Sending while the peer has ended is explained by the `ended-by-peer` notice already.
    if (code === 'not-private' && this.state === 'finished') return;
    if (code === 'unreadable') return this.add({ kind: 'unreadable' });
    this.add({ kind: 'error', code, detail, warning });
  }

  /** The encryption engine's worker stopped and is being restarted. */
  engineRestarting(): void {
    this.add({ kind: 'engine-restarting' });
  }

  /**
   * The restarted engine says the conversation is in `state` now. Says whether the private
   * conversation was lost with the old worker, instead of "you ended it" (nobody did).
   */
  engineRestarted(state: PrivacyState, version: 2 | 3 | undefined): void {
    const privateLost = isPrivate(this.state) && !isPrivate(state);
    this.state = state;
    this.version = isPrivate(state) ? version : undefined;
    this.starting = false;
    if (!isPrivate(state)) this.weAsked = false;
    this.add({ kind: 'engine-restarted', privateLost });
  }

  /** The engine kept stopping and was given up: nothing is private, nothing is sent. */
  engineGaveUp(detail: string): void {
    this.state = 'plaintext';
    this.version = undefined;
    this.starting = false;
    this.weAsked = false;
    this.add({ kind: 'engine-gave-up', detail });
  }

  /** Remove one notice (the person dismissed it). */
  dismiss(id: string): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.changed();
  }

  private add(body: NoticeBody): void {
    const seq = this.sequence.take();
    this.notices = [...this.notices, { ...body, id: `n${seq}`, seq, at: Date.now() }];
    this.changed();
  }
}

/** The tone of a notice. */
export function toneOf(n: NoticeBody): NoticeTone {
  switch (n.kind) {
    case 'private-started': return n.verified ? 'good' : 'info';
    case 'private-renewed': return 'info';
    case 'smp-verified': return 'good';
    case 'smp-asked-us': case 'smp-we-asked': return 'info';
    case 'ended-by-us': case 'ended-by-peer': case 'old-protocol': case 'smp-answered': case 'smp-aborted': return 'warn';
    case 'version-changed': return n.version === 2 ? 'danger' : 'info';
    case 'key-changed': return n.wasVerified ? 'danger' : 'warn';
    case 'smp-failed': case 'unreadable': case 'engine-gave-up': return 'danger';
    case 'engine-restarting': return 'warn';
    case 'engine-restarted': return n.privateLost ? 'warn' : 'info';
    case 'error': return n.warning ? 'warn' : 'danger';
  }
}

/** The sentence of a notice. */
export function noticeText(n: NoticeBody, s: E2eeStrings, peer: string): string {
  const t = s.notices;
  switch (n.kind) {
    case 'private-started': return t.privateStarted(peer, n.startedBy, n.verified);
    case 'private-renewed': return t.privateRenewed(peer, n.verified);
    case 'ended-by-us': return t.endedByUs(peer);
    case 'ended-by-peer': return t.endedByPeer(peer);
    case 'key-changed': return t.keyChanged(peer, n.wasVerified);
    case 'old-protocol': return t.oldProtocol(peer);
    case 'version-changed': return t.versionChanged(peer, n.version);
    case 'smp-asked-us': return t.smpAskedUs(peer, n.question);
    case 'smp-we-asked': return t.smpWeAsked(peer);
    case 'smp-verified': return t.smpVerified(peer);
    case 'smp-answered': return t.smpAnswered(peer);
    case 'smp-failed': return t.smpFailed(peer);
    case 'smp-aborted': return t.smpAborted(peer);
    case 'unreadable': return t.unreadable(peer);
    case 'engine-restarting': return t.engineRestarting();
    case 'engine-restarted': return t.engineRestarted(peer, n.privateLost);
    case 'engine-gave-up': return t.engineGaveUp();
    case 'error': return s.errors[n.code];
  }
}

/** The actions a notice offers, given the state now. */
export function noticeActions(n: NoticeBody, state: PrivacyState): NoticeAction[] {
  switch (n.kind) {
    case 'private-started': return []; // the verify nudge under the header offers it while not verified
    case 'key-changed': return isPrivate(state) && state !== 'verified' ? ['verify'] : [];
    case 'ended-by-peer': return state === 'finished' ? ['end', 'start-again'] : [];
    case 'unreadable': return ['start-again'];
    case 'engine-restarted': return n.privateLost && !isPrivate(state) ? ['start-again'] : [];
    case 'smp-answered': return state === 'encrypted' ? ['ask-back'] : [];
    case 'smp-failed': return state === 'encrypted' ? ['verify'] : [];
    default: return [];
  }
}

function isPrivate(state: PrivacyState): boolean {
  return state === 'encrypted' || state === 'verified';
}
