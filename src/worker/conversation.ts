/**
 * One conversation inside the engine: an `OtrSession` for one peer, with its
 * events translated to engine events and its privacy state derived from the
 * trust store.
 *
 * The rule that keeps the state honest: `verified` is shown only while the key
 * in use *now* is a key the trust store holds as verified. Verification is
 * remembered as a fingerprint, never as a flag, and every completed AKE
 * (first, refresh, or a second one inside a running conversation, honest or
 * not) records the key, emits `trust`, and re-derives the state.
 */
import { E2eeError, OtrSession, sameFingerprint, smpVerifiesPeer, type ExtraKey, type SendPolicy, type SessionSnapshot, type SessionState } from '../protocol/index.js';
import type { ConversationInfo, EngineEvent, PrivacyState } from './api.js';
import type { Identity } from './identity.js';
import type { SessionStore } from './session-store.js';
import type { TrustStore } from './trust.js';

/**
 * How long the state after reading messages waits before it is stored: until no message was read
 * for this long (at most {@link READ_SAVE_MAX_DELAY_MS} after the first). A message counts as read
 * once the stored state says so, and a page that closes between reading a message and showing it
 * must be able to read it again when its transport delivers it again (the loopback's mailbox keeps
 * a message until the page has it). Anything sent in the meantime stores the state at once. A stale
 * stored state is safe to go on from: receiving rotates no key the peer can have used yet.
 */
export const READ_SAVE_DELAY_MS = 500;
/** The longest a read waits to be stored while messages keep arriving (see {@link READ_SAVE_DELAY_MS}). */
export const READ_SAVE_MAX_DELAY_MS = 5_000;
/**
 * How long the state after sending a data message waits before it is stored: until no message was
 * sent for this long, at most {@link SEND_SAVE_MAX_DELAY_MS} after the send. A send changes only the
 * sending counter (and the old MAC keys it reveals), and a restored state jumps its counters 2^24 ahead (`SEND_COUNTER_GAP`), so a
 * write lost with a page closed in this moment reuses no counter; the store write (about 1–3 ms of
 * IndexedDB work in Chromium) stays off the path of the messages that follow. Key exchanges, SMP
 * and the end of a conversation are stored at once.
 */
export const SEND_SAVE_DELAY_MS = 25;
/** The longest a send waits to be stored while messages keep going out (see {@link SEND_SAVE_DELAY_MS}). */
export const SEND_SAVE_MAX_DELAY_MS = 250;

/** When a call's or an event's change of state is stored: see the constants above. */
export type SaveTiming = 'now' | 'after-send' | 'after-read';

/** A conversation with one peer. */
export class Conversation {
  readonly session: OtrSession;
  /** The peer key the trust store confirmed as verified, if any; compared with the key in use. */
  private verifiedKey?: string;
  /** What the last status event said, so a change of key or version is always reported. */
  private reported?: string;
  /** Errors emitted while a call runs, so the call can reject with them. */
  private capture?: E2eeError[];
  /** Keep the OTR state in memory only (the `ephemeral` setting). */
  private ephemeral = false;
  /** Hears the peer's extra symmetric keys (TLV 8): the engine's file transfers; true when it took one. */
  onExtraKey?: (extra: ExtraKey) => boolean;
  /** The message being read carried an extra key the engine took (its text is not shown then). */
  private extraKeyTaken = false;

  /**
   * `instanceTag` is this engine's OTR instance (one per tab); `sessions`, where the conversation's
   * state is kept after every change (none: memory only).
   */
  constructor(
    readonly peer: string,
    identity: Identity,
    instanceTag: number,
    private readonly trust: TrustStore,
    private readonly emit: (event: EngineEvent) => void,
    private readonly sessions?: SessionStore,
  ) {
    this.session = new OtrSession({ key: identity.key, instanceTag });
    this.wireUp();
  }

  /** The privacy state shown to the user. */
  get state(): PrivacyState {
    return privacyState(this.session.state, this.keyInUseIsVerified());
  }

  /** A snapshot for the UI. */
  info(): ConversationInfo {
    const info: ConversationInfo = { peer: this.peer, state: this.state };
    const fp = this.session.theirFingerprint;
    if (fp && this.session.state === 'encrypted') info.theirFingerprint = fp;
    const version = this.session.protocolVersion;
    if (version && this.session.state === 'encrypted') info.protocolVersion = version;
    return info;
  }

  /**
   * Run `call`; if it made the session report a (non-warning) error, reject with it. The state is
   * stored after it, as `save` says ({@link SaveTiming}).
   */
  run(call: () => void, save: SaveTiming = 'now'): void {
    const errors: E2eeError[] = [];
    this.capture = errors;
    try {
      call();
    } finally {
      this.capture = undefined;
      this.persist(save);
    }
    if (errors[0]) throw errors[0];
  }

  /**
   * Go on with the conversation a stored snapshot holds (after a reload or an engine restart), and
   * report its true state: the key in use is checked against the trust store as after an AKE.
   */
  async restore(snapshot: SessionSnapshot): Promise<void> {
    this.session.restore(snapshot);
    await this.refreshTrust();
  }

  /** Keep the OTR state in memory only (true), or in the store too (false, the default). */
  async setEphemeral(ephemeral: boolean): Promise<void> {
    if (ephemeral === this.ephemeral) return;
    this.ephemeral = ephemeral;
    if (ephemeral) await this.sessions?.forget(this.peer);
    else this.persist('now');
  }

  /** Store the session's state (its latest at the time of the write), when `timing` says. */
  private persist(timing: SaveTiming): void {
    if (this.ephemeral || !this.sessions) return;
    const take = () => this.session.snapshot();
    if (timing === 'now') this.sessions.saveSoon(this.peer, take);
    else if (timing === 'after-send') this.sessions.saveAfterQuiet(this.peer, take, SEND_SAVE_DELAY_MS, SEND_SAVE_MAX_DELAY_MS);
    else this.sessions.saveAfterQuiet(this.peer, take, READ_SAVE_DELAY_MS, READ_SAVE_MAX_DELAY_MS);
  }

  /** Send under the policy in force when the person pressed Send. */
  send(text: string, messageId: string, policy: SendPolicy): void {
    this.run(() => this.session.send(text, messageId, policy), 'after-send');
  }

  /** Re-read whether the key in use is verified, then report the status. */
  async refreshTrust(): Promise<void> {
    const fp = this.session.theirFingerprint;
    const verified = !!fp && (await this.trust.isVerified(this.peer, fp));
    this.verifiedKey = verified ? fp : undefined;
    this.emitStatus();
  }

  private keyInUseIsVerified(): boolean {
    const fp = this.session.theirFingerprint;
    return !!fp && !!this.verifiedKey && sameFingerprint(fp, this.verifiedKey);
  }

  private wireUp(): void {
    const { peer, session } = this;
    session.on('wire', ({ text, messageId }) => {
      const encrypted = text.startsWith('?OTR:') || text.startsWith('?OTR|');
      this.emit(messageId === undefined ? { type: 'wire', peer, text, encrypted } : { type: 'wire', peer, text, messageId, encrypted });
    });
    session.on('message', ({ text, encrypted, at, resent, extraKey }) => {
      // The words beside a file we understood are for apps that cannot open it: the file event says it all.
      const taken = this.extraKeyTaken;
      this.extraKeyTaken = false;
      if (extraKey && taken) return;
      this.emit(resent ? { type: 'message', peer, text, encrypted, at: at ?? Date.now(), resent } : { type: 'message', peer, text, encrypted, at: at ?? Date.now() });
    });
    session.on('delivery', ({ messageId, outcome }) => this.emit({ type: 'delivery', peer, messageId, outcome }));
    session.on('extra-key', (extra) => (this.extraKeyTaken = this.onExtraKey?.(extra) === true));
    session.on('held', ({ messageId }) => this.emit(messageId === undefined ? { type: 'held', peer } : { type: 'held', peer, messageId }));
    session.on('smp', (event) => {
      this.emit({ type: 'smp', peer, event });
      // The key is captured now: a later AKE must not inherit this verification.
      const fingerprint = session.theirFingerprint;
      if (event.type === 'result' && smpVerifiesPeer(event) && fingerprint) void this.markVerifiedBySmp(fingerprint);
    });
    session.on('error', ({ error, warning }) => {
      if (!warning) this.capture?.push(new E2eeError(error.code, error.message, peer));
      this.emit({ type: 'error', peer, code: error.code, message: error.message, warning });
    });
    session.on('state', ({ state }) => {
      if (state !== 'encrypted') this.emitStatus();
      // plaintext/finished → encrypted is reported by `secured`, which always follows it.
    });
    session.on('secured', ({ fingerprint }) => void this.onSecured(fingerprint));
    // Keys and counters change with every message sent and key exchange, also outside calls (timers).
    session.on('wire', () => this.persist('after-send'));
    for (const event of ['state', 'secured', 'smp'] as const) session.on(event, () => this.persist('now'));
  }

  /** An AKE completed with the peer's key `fingerprint`: record it and say what it means. */
  private async onSecured(fingerprint: string): Promise<void> {
    this.emitStatus(); // at once: `encrypted` (never the previous key's `verified`) while the store is read
    const sighting = await this.trust.saw(this.peer, fingerprint);
    if (sighting.verified) this.verifiedKey = fingerprint;
    this.emit({ type: 'trust', peer: this.peer, fingerprint, ...sighting });
    this.emitStatus();
  }

  private async markVerifiedBySmp(fingerprint: string): Promise<void> {
    await this.trust.setVerified(this.peer, fingerprint, 'smp');
    await this.refreshTrust();
  }

  /** Report the status when anything the user sees changed: state, key or version. */
  private emitStatus(): void {
    const info = this.info();
    const key = `${info.state}|${info.theirFingerprint ?? ''}|${info.protocolVersion ?? ''}`;
    if (key === this.reported) return;
    this.reported = key;
    const event: EngineEvent = { type: 'status', peer: this.peer, state: info.state };
    if (info.theirFingerprint) event.theirFingerprint = info.theirFingerprint;
    if (info.protocolVersion) event.protocolVersion = info.protocolVersion;
    this.emit(event);
  }
}

function privacyState(state: SessionState, verified: boolean): PrivacyState {
  if (state === 'encrypted') return verified ? 'verified' : 'encrypted';
  return state;
}
