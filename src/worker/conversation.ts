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
import { E2eeError, OtrSession, sameFingerprint, smpVerifiesPeer, type SendPolicy, type SessionState } from '../protocol/index.js';
import type { ConversationInfo, EngineEvent, PrivacyState } from './api.js';
import type { Identity } from './identity.js';
import type { TrustStore } from './trust.js';

/** A conversation with one peer. */
export class Conversation {
  readonly session: OtrSession;
  /** The peer key the trust store confirmed as verified, if any; compared with the key in use. */
  private verifiedKey?: string;
  /** What the last status event said, so a change of key or version is always reported. */
  private reported?: string;
  /** Errors emitted while a call runs, so the call can reject with them. */
  private capture?: E2eeError[];

  constructor(
    readonly peer: string,
    identity: Identity,
    private readonly trust: TrustStore,
    private readonly emit: (event: EngineEvent) => void,
  ) {
    this.session = new OtrSession({ key: identity.key, instanceTag: identity.instanceTag });
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

  /** Run `call`; if it made the session report a (non-warning) error, reject with it. */
  run(call: () => void): void {
    const errors: E2eeError[] = [];
    this.capture = errors;
    try {
      call();
    } finally {
      this.capture = undefined;
    }
    if (errors[0]) throw errors[0];
  }

  /** Send under the policy in force when the person pressed Send. */
  send(text: string, messageId: string, policy: SendPolicy): void {
    this.run(() => this.session.send(text, messageId, policy));
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
    session.on('message', ({ text, encrypted, at, resent }) =>
      this.emit(resent ? { type: 'message', peer, text, encrypted, at: at ?? Date.now(), resent } : { type: 'message', peer, text, encrypted, at: at ?? Date.now() }),
    );
    session.on('delivery', ({ messageId, outcome }) => this.emit({ type: 'delivery', peer, messageId, outcome }));
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
