/**
 * One conversation inside the engine: an `OtrSession` for one peer, with its
 * events translated to engine events and its privacy state derived from the
 * trust store.
 */
import { E2eeError, OtrSession, type SessionState } from '../protocol/index.js';
import type { ConversationInfo, EngineEvent, PrivacyState } from './api.js';
import type { Identity } from './identity.js';
import type { TrustStore } from './trust.js';

/** A conversation with one peer. */
export class Conversation {
  readonly session: OtrSession;
  private verified = false;
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
    return privacyState(this.session.state, this.verified);
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

  /** Re-read whether the current peer key is verified, then report the status. */
  async refreshTrust(): Promise<void> {
    const fp = this.session.theirFingerprint;
    this.verified = this.session.state === 'encrypted' && !!fp && (await this.trust.isVerified(this.peer, fp));
    this.emitStatus();
  }

  private wireUp(): void {
    const { peer, session } = this;
    session.on('wire', ({ text, messageId }) => {
      const encrypted = text.startsWith('?OTR:') || text.startsWith('?OTR|');
      this.emit(messageId === undefined ? { type: 'wire', peer, text, encrypted } : { type: 'wire', peer, text, messageId, encrypted });
    });
    session.on('message', ({ text, encrypted, at }) => this.emit({ type: 'message', peer, text, encrypted, at: at ?? Date.now() }));
    session.on('held', ({ messageId }) => this.emit(messageId === undefined ? { type: 'held', peer } : { type: 'held', peer, messageId }));
    session.on('smp', (event) => {
      this.emit({ type: 'smp', peer, event });
      if (event.type === 'result' && event.success) void this.markVerifiedBySmp();
    });
    session.on('error', ({ error, warning }) => {
      if (!warning) this.capture?.push(new E2eeError(error.code, error.message, peer));
      this.emit({ type: 'error', peer, code: error.code, message: error.message, warning });
    });
    session.on('state', ({ state }) => {
      this.verified = false;
      if (state === 'encrypted') void this.onPrivate();
      else this.emitStatus();
    });
  }

  private async onPrivate(): Promise<void> {
    const fingerprint = this.session.theirFingerprint;
    if (!fingerprint) return this.emitStatus();
    const sighting = await this.trust.saw(this.peer, fingerprint);
    this.verified = sighting.verified;
    this.emit({ type: 'trust', peer: this.peer, fingerprint, ...sighting });
    this.emitStatus();
  }

  private async markVerifiedBySmp(): Promise<void> {
    const fingerprint = this.session.theirFingerprint;
    if (!fingerprint || this.session.state !== 'encrypted') return;
    await this.trust.setVerified(this.peer, fingerprint, 'smp');
    await this.refreshTrust();
  }

  private emitStatus(): void {
    const info = this.info();
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
