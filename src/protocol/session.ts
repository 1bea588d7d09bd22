/**
 * `OtrSession`: one OTR conversation with one peer, on one otr.js instance reached only through
 * the seam's typed adapter ({@link OtrConnection}, src/protocol/otr). Environment-free: no DOM, no
 * worker, no I/O.
 */
import { Emitter } from './emitter.js';
import { readExtraKeyTlvs, type ExtraKey } from './extra-key.js';
import { E2eeError, codeForOtrMessage } from './errors.js';
import { fragmentWire, MIN_FRAGMENT_SIZE } from './fragment.js';
import { ErrorReplyLimiter } from './error-limiter.js';
import { RECOVERY_INTERVAL_MS, Recovery } from './recovery.js';
import { DEFAULT_MAX_INCOMING, maxMessageBytes, utf8Length } from './limits.js';
import { Reassembler, fragmentStart, parseFragment } from './reassembly.js';
import { peerErrorText, peerErrorMessage } from './peer-error.js';
import { raw, type IdentityKey } from './keys.js';
import { wireProblem } from './wire-check.js';
import { OtrConnection, isStateSnapshot, makeInstanceTag, type OtrHandlers, type OtrStateSnapshot, type SentKeys, type VerifiedKeys } from './otr/index.js';
import { Outbox, type DeliveryUpdate, type OutboxLimits } from './outbox.js';
import { markResent, readResent } from './resent.js';
import { ShownIds, newMessageId, readMessageId, withMessageId } from './message-id.js';
import { HEARTBEAT_DELAY_MS, HeartbeatTimer } from './heartbeat.js';

/** The protocol-level state of a conversation. */
export type SessionState = 'plaintext' | 'encrypted' | 'finished';

/**
 * What the Socialist Millionaires' Protocol reports.
 *
 * `withQuestion` says whether the exchange carried a question (TLV type 7). It decides what a
 * success proves ({@link smpVerifiesPeer}): the asker chose both the question and its answer, so
 * success convinces the asker of the answerer's identity, never the answerer of the asker's.
 */
export type SmpEvent =
  /** The peer started SMP; `question` is empty when `withQuestion` is false (a shared secret). */
  | { type: 'question'; question: string; withQuestion: boolean }
  /** `role`: `asked` when we started the exchange, `answered` when the peer did. */
  | { type: 'result'; success: boolean; role: 'asked' | 'answered'; withQuestion: boolean }
  | { type: 'aborted' };

/**
 * Whether an SMP outcome verifies the peer to us, with libotr's rule (libotr 4.1 `otrl_sm_*` /
 * proto.c: trust is set on the asking side when a question was used, and on both sides for a shared
 * secret without a question).
 */
export function smpVerifiesPeer(event: Extract<SmpEvent, { type: 'result' }>): boolean {
  return event.success && (event.role === 'asked' || !event.withQuestion);
}

/** Messages held back in a session, opaque to everyone but {@link OtrSession.adoptHeld}. */
export interface HeldMessages {
  readonly entries: readonly unknown[];
}

/**
 * A conversation's state, to continue it in a new session after a reload or restart (see
 * {@link OtrSession.snapshot}). Plain, structured-cloneable data holding key material: keep it
 * only where the identity key is kept.
 */
export interface SessionSnapshot {
  /** The fingerprint of our key the conversation runs with. */
  readonly ourFingerprint: string;
  readonly otr: OtrStateSnapshot;
  /** Ids of the peer's messages shown most recently (message-id.ts), oldest first. */
  readonly shownIds?: readonly string[];
}

/** Whether `value` (read back from a store) has the shape of a {@link SessionSnapshot}. */
export function isSessionSnapshot(value: unknown): value is SessionSnapshot {
  const s = value as Partial<SessionSnapshot> | null;
  const ids = s?.shownIds;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.ourFingerprint === 'string' &&
    isStateSnapshot(s.otr) &&
    (ids === undefined || (Array.isArray(ids) && ids.every((id) => typeof id === 'string')))
  );
}

/** Per-message sending policy, captured when the person pressed Send. */
export interface SendPolicy {
  /** Hold this message until the conversation is private, whatever the session's setting. */
  requireEncryption?: boolean;
}

/** Events of an {@link OtrSession}. */
export interface SessionEvents extends Record<string, unknown> {
  /** Text to put on the wire to the peer. `messageId` ties it to a {@link OtrSession.send} call. */
  wire: { text: string; messageId?: string };
  /**
   * A message from the peer, decrypted when `encrypted` is true. `resent` (encrypted only): the
   * peer marked it re-sent (`[resent] `, libotr's mark, taken off `text`). `extraKey`: the message
   * also carried a TLV 8 (its `extra-key` event came first); the text is then what the peer wrote
   * beside it for apps that cannot use it.
   */
  message: { text: string; encrypted: boolean; at?: number; resent?: boolean; extraKey?: boolean };
  /**
   * What became of a message we sent encrypted (see src/protocol/outbox.ts for what each outcome
   * proves): `acknowledged` as far as OTR can tell, `resent` after the peer could not read it, or
   * `failed` (not delivered as far as OTR can tell; the user may retry).
   */
  delivery: DeliveryUpdate;
  /** The conversation changed state. */
  state: { state: SessionState };
  /**
   * An AKE completed: the first one, a refresh, or a new one inside a running private conversation.
   * The peer's key and the protocol version are the ones now in use, and may differ from before.
   */
  secured: { fingerprint: string; version: 2 | 3 };
  /** A message was held back (not sent) until a private conversation is up. */
  held: { messageId?: string };
  /** Socialist Millionaires' Protocol progress. */
  smp: SmpEvent;
  /**
   * The peer asked us to take the extra symmetric key for `use` (TLV 8; see extra-key.ts): `key` is
   * that of the keys its message was encrypted with, the key libotr's `received_symkey` reports.
   */
  'extra-key': ExtraKey;
  /**
   * Something went wrong; the session keeps working. `warning` marks ignorable events.
   * For `peer-error`, `peerText` is the peer's own words (unverified, from the wire).
   */
  error: { error: E2eeError; warning: boolean; peerText?: string };
}

/** Options for a new {@link OtrSession}. */
export interface SessionOptions {
  /** Our long-lived identity key. */
  key: IdentityKey;
  /** Our instance tag; a random one when omitted. */
  instanceTag?: number;
  /** Maximum length of one message on the wire, fragment header included; 0 = no limit. */
  fragmentSize?: number;
  /** Never send plaintext: hold messages until the private conversation is up. */
  requireEncryption?: boolean;
  /** Largest incoming wire text accepted, in characters. */
  maxIncoming?: number;
  /**
   * Protocol versions we speak. Default both: v3 is preferred, v2 is used only with peers that
   * cannot speak v3 (and {@link OtrSession.protocolVersion} then says 2, for the UI to show).
   */
  versions?: readonly (2 | 3)[];
  /** Accept protocol v2 (peers that cannot speak v3). Default true; overrides `versions` for v2. */
  allowV2?: boolean;
  /**
   * Timing, with defaults for real use: the outbox's bounds (src/protocol/outbox.ts); the session's
   * clock `now` (read by the outbox, the rate limits of error replies and recoveries, and the
   * patience with a running AKE); how long a heartbeat waits for a message of ours to make it
   * unnecessary (heartbeat.ts); the spacing of recovery AKEs (recovery.ts).
   */
  delivery?: Partial<OutboxLimits> & { now?: () => number; heartbeatDelayMs?: number; recoveryIntervalMs?: number };
}

/** A UTF-16 surrogate without its pair: such text cannot be encoded as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export { DEFAULT_MAX_INCOMING } from './limits.js';

/** One OTR v3 conversation with one peer. */
export class OtrSession extends Emitter<SessionEvents> {
  /** Our instance tag. */
  readonly instanceTag: number;
  /** Our key's fingerprint, libotr format. */
  readonly ourFingerprint: string;
  private readonly otr: OtrConnection;
  private fragmentSize: number;
  private readonly maxIncoming: number;
  private lastState: SessionState = 'plaintext';
  private keyResetDue = false;
  private readonly reassembler: Reassembler;
  private readonly errorReplies: ErrorReplyLimiter;
  /** New AKEs started because the keys diverged (recovery.ts). */
  private readonly recovery: Recovery;
  /** Whether the SMP exchange in progress carries a question (see {@link SmpEvent}). */
  private smpWithQuestion = false;
  /** What we sent encrypted, until acknowledged or failed (src/protocol/outbox.ts). */
  private readonly outbox: Outbox;
  private readonly now: () => number;
  private deliveryTimer?: ReturnType<typeof setTimeout>;
  /** Announces a new key of ours when no message of ours does it first (heartbeat.ts). */
  private readonly heartbeat: HeartbeatTimer;
  /** The peer's messages shown lately, by id: a re-sent copy of one is not shown again (message-id.ts). */
  private shownIds = new ShownIds();

  constructor(options: SessionOptions) {
    super();
    const { now = Date.now, heartbeatDelayMs = HEARTBEAT_DELAY_MS, recoveryIntervalMs = RECOVERY_INTERVAL_MS, ...limits } = options.delivery ?? {};
    this.now = now;
    this.errorReplies = new ErrorReplyLimiter(3, 2000, now);
    this.recovery = new Recovery(
      (allow) => this.state === 'encrypted' && this.otr.restartAfterUnreadable(allow),
      now,
      recoveryIntervalMs,
      () => this.reportLoss(),
    );
    this.outbox = new Outbox(limits);
    this.heartbeat = new HeartbeatTimer(heartbeatDelayMs, () => {
      if (this.outbox.awaiting(this.otr.keySession)) this.otr.sendHeartbeat();
    });
    this.instanceTag = options.instanceTag ?? makeInstanceTag();
    this.ourFingerprint = options.key.fingerprint;
    this.fragmentSize = 0;
    this.setFragmentSize(options.fragmentSize ?? 0);
    this.maxIncoming = options.maxIncoming ?? DEFAULT_MAX_INCOMING;
    this.reassembler = new Reassembler(this.maxIncoming);
    this.otr = new OtrConnection({ key: raw(options.key), instanceTag: this.instanceTag, allowErrorReply: () => this.errorReplies.take(), now }, this.otrHandlers());
    const versions = options.versions ?? [2, 3];
    this.otr.allowV2 = versions.includes(2);
    this.otr.allowV3 = versions.includes(3);
    if (options.allowV2 !== undefined) this.allowV2 = options.allowV2;
    this.requireEncryption = options.requireEncryption ?? false;
  }

  /** The current protocol state. */
  get state(): SessionState {
    return this.otr.state;
  }

  /** The peer's key fingerprint once an AKE has completed, libotr format. */
  get theirFingerprint(): string | undefined {
    return this.otr.theirFingerprint;
  }

  /** The negotiated protocol version (3 or 2), once encrypted. */
  get protocolVersion(): 2 | 3 | undefined {
    return this.otr.protocolVersion;
  }

  /** When true, messages are never sent in plaintext; they are held until the AKE completes. */
  get requireEncryption(): boolean {
    return this.otr.requireEncryption;
  }
  set requireEncryption(value: boolean) {
    this.otr.requireEncryption = value;
  }

  /**
   * Start the AKE by ourselves whenever the peer shows it speaks OTR: a
   * whitespace tag, or an OTR error message (queries always start it).
   * Also tags our plaintext messages with the whitespace tag.
   */
  get autoPrivate(): boolean {
    return this.otr.autoPrivate;
  }
  set autoPrivate(value: boolean) {
    this.otr.autoPrivate = value;
  }

  /**
   * Whether protocol v2 is spoken at all. When false, v2 queries, whitespace tags and AKE messages
   * are not answered, so a v3 conversation cannot be moved to v2 by an injected `?OTRv2?`.
   */
  get allowV2(): boolean {
    return this.otr.allowV2;
  }
  set allowV2(value: boolean) {
    this.otr.allowV2 = value;
  }

  /** Change the maximum wire length of one fragment (0 = unlimited). */
  setFragmentSize(size: number): void {
    if (size !== 0 && !(Number.isInteger(size) && size >= MIN_FRAGMENT_SIZE)) {
      throw new E2eeError('invalid-input', `Fragment size must be 0 or an integer of at least ${MIN_FRAGMENT_SIZE}.`);
    }
    this.fragmentSize = size;
  }

  /**
   * Send `text`: encrypted when private, held or plaintext otherwise. It is held (never sent in
   * plaintext) when the session's {@link requireEncryption} or the message's own `policy` says so.
   */
  send(text: string, messageId?: string, policy: SendPolicy = {}): void {
    if (typeof text !== 'string') throw new E2eeError('invalid-input', 'Message text must be a string.');
    if (LONE_SURROGATE.test(text)) throw new E2eeError('invalid-input', 'Message text is not valid Unicode (it has a lone surrogate).');
    // Never send what we would refuse to receive (our own incoming limit, see limits.ts).
    const bytes = utf8Length(text);
    const limit = maxMessageBytes(this.maxIncoming);
    if (bytes > limit) throw new E2eeError('too-large', `Message of ${bytes} UTF-8 bytes exceeds the limit of ${limit}.`);
    const held = this.otr.heldCount;
    const setting = this.otr.requireEncryption;
    this.otr.requireEncryption = setting || !!policy.requireEncryption;
    // Every message that will go encrypted carries an id, so that a re-sent copy is not shown twice.
    const encrypted = this.otr.state !== 'plaintext' || this.otr.requireEncryption;
    const sent = encrypted ? withMessageId(text, newMessageId()) : text;
    try {
      this.guard(() => this.otr.send(sent, messageId));
    } finally {
      this.otr.requireEncryption = setting;
    }
    if (this.otr.heldCount > held) this.emit('held', messageId === undefined ? {} : { messageId });
  }

  /**
   * The extra symmetric key a {@link sendExtraKey} called now would return (so that use data made
   * from it, such as a wrapped file key, can go in that very message), or undefined while not
   * private in OTR v3. Any message received in between may change it: compare before sending.
   */
  get nextExtraKey(): Uint8Array | undefined {
    return this.otr.nextExtraKey;
  }

  /**
   * Send `text` (shown to a peer that knows nothing of extra keys: say in words what it is) with a
   * TLV 8 asking the peer to take the extra symmetric key for `use` with `usedata`. Returns the key
   * (32 bytes), the one the peer's `extra-key` event will carry. Only while private in OTR v3; the
   * message is not held, tracked for delivery or re-sent.
   * @throws E2eeError `not-private` otherwise, `invalid-input` for a bad use or usedata.
   */
  sendExtraKey(use: number, usedata: Uint8Array, text = ''): Uint8Array {
    if (typeof text !== 'string' || LONE_SURROGATE.test(text)) throw new E2eeError('invalid-input', 'Message text must be a valid Unicode string.');
    if (!(usedata instanceof Uint8Array)) throw new E2eeError('invalid-input', 'The use data must be a Uint8Array.');
    try {
      return this.otr.sendExtraKey(text, use, usedata);
    } catch (error) {
      if (error instanceof RangeError) throw new E2eeError('invalid-input', error.message);
      throw error;
    }
  }

  /** Take every held message out of this session (for {@link adoptHeld} by its successor). */
  takeHeld(): HeldMessages {
    return this.otr.takeHeld();
  }

  /**
   * Hold `held` (taken from another session of ours) until this one is private, and ask the peer
   * for a private conversation when there are any. They are never sent in plaintext.
   */
  adoptHeld(held: HeldMessages): void {
    if (held.entries.length === 0) return;
    this.guard(() => this.otr.adoptHeld(held)); // sent at once when private
    if (this.state === 'plaintext') this.startPrivate();
  }

  /**
   * Feed one piece of wire text from the peer; `at` (ms since epoch) is when it was sent, if known.
   * Bad input becomes an `error` event, never a throw.
   */
  receive(wire: unknown, at?: number): void {
    if (typeof wire === 'string') {
      const fragmentAt = fragmentStart(wire);
      if (fragmentAt >= 0) return this.receiveFragment(wire, fragmentAt, at);
      this.reassembler.reset(); // spec: a non-fragmented message drops any stored fragment
    }
    this.receiveWhole(wire, at);
  }

  /**
   * One OTR fragment: reassembled by our own {@link Reassembler} (never otr.js's);
   * a completed message then gets exactly the checks of an unfragmented one.
   */
  private receiveFragment(text: string, fragmentAt: number, at?: number): void {
    const fail = (code: 'too-large' | 'malformed', message: string, warning = false) =>
      this.emit('error', { error: new E2eeError(code, message), warning });
    if (text.length > this.maxIncoming) return fail('too-large', `Incoming fragment of ${text.length} characters exceeds the limit of ${this.maxIncoming}.`);
    const fragment = parseFragment(text, fragmentAt);
    if (!fragment) return fail('malformed', 'Received a malformed OTR fragment; it was dropped.');
    if (fragment.version === 3) {
      // Spec, "Fragmentation": discard fragments for another instance of ours.
      if (fragment.receiver !== 0 && fragment.receiver !== this.instanceTag) {
        return this.emit('error', { error: new E2eeError('wrong-instance', 'Received a fragment intended for a different session.'), warning: true });
      }
      if (fragment.sender < 0x100) return fail('malformed', 'Received an OTR fragment with an invalid sender instance tag; it was dropped.');
    }
    const result = this.reassembler.add(fragment);
    if (result.kind === 'too-large') {
      return fail('too-large', `A fragmented message grew past ${this.maxIncoming} characters; it was dropped.`);
    }
    if (result.kind !== 'complete') return;
    if (fragmentStart(result.text) >= 0) return fail('malformed', 'Received a fragment inside a fragmented message; it was dropped.');
    this.receiveWhole(result.text, at);
  }

  /** One whole (unfragmented or reassembled) wire message. */
  private receiveWhole(wire: unknown, at?: number): void {
    const problem = this.checkIncoming(wire);
    if (problem) return this.emit('error', { error: problem, warning: false });
    const text = wire as string;
    const peerText = peerErrorText(text);
    if (peerText !== undefined) {
      // The peer's words stay the peer's: quoted and labelled, never our own copy.
      this.emit('error', { error: new E2eeError('peer-error', peerErrorMessage(peerText)), warning: false, peerText });
      this.otr.releaseRunningAke(); // the peer's side of a running AKE has likely failed
      if (this.autoPrivate && this.state !== 'encrypted') this.startPrivate();
      this.reportLoss();
      return;
    }
    const wasPrivate = this.state === 'encrypted';
    this.guard(() => this.otr.receive(text, typeof at === 'number' ? at : undefined));
    // A query or plaintext from the peer while private: its side has no session (libotr, having
    // lost it, reports our data messages only to its user, then asks anew). A loss signal.
    if (wasPrivate && !text.includes('?OTR:')) this.reportLoss();
  }

  /**
   * The state to continue this conversation from after a restart ({@link restore}), or undefined
   * while there is nothing to continue (plaintext). Take a new one after every call: keys rotate.
   */
  snapshot(): SessionSnapshot | undefined {
    const otr = this.otr.snapshot();
    return otr && { ourFingerprint: this.ourFingerprint, otr, shownIds: this.shownIds.list() };
  }

  /**
   * Continue the conversation of `snapshot` (from {@link snapshot} of an earlier session with the
   * same key and instance tag). Emits `state`, not `secured`: no new key exchange took place. An
   * SMP exchange that was running is aborted (`smp` reports `aborted`, and the peer is told).
   * @throws E2eeError `invalid-input` when the snapshot is of another key or instance.
   */
  restore(snapshot: SessionSnapshot): void {
    if (!isSessionSnapshot(snapshot)) throw new E2eeError('invalid-input', 'Not a session snapshot.');
    if (snapshot.ourFingerprint !== this.ourFingerprint) throw new E2eeError('invalid-input', 'The session snapshot was made with another key.');
    if (snapshot.otr.ourInstanceTag !== this.instanceTag) throw new E2eeError('invalid-input', 'The session snapshot belongs to another instance.');
    if (this.state !== 'plaintext') throw new E2eeError('invalid-input', 'Only a new session can be restored.');
    try {
      this.otr.restore(snapshot.otr);
      this.shownIds = new ShownIds(undefined, snapshot.shownIds);
    } catch (cause) {
      throw new E2eeError('invalid-input', `The session snapshot could not be restored: ${(cause as Error).message}`);
    } finally {
      this.emitStateIfChanged();
    }
  }

  /** Ask the peer for a private conversation (sends an OTR query). */
  startPrivate(): void {
    this.guard(() => this.otr.sendQuery());
  }

  /** End the private conversation. Resolves once the last packet has been handed to `wire`. */
  endPrivate(): Promise<void> {
    return new Promise((resolve) => this.guard(() => this.otr.end(resolve)));
  }

  /** Start SMP with a shared secret, optionally with a question shown to the peer. */
  smpStart(secret: string, question?: string): void {
    this.checkSecret(secret);
    this.smpWithQuestion = !!question;
    this.guard(() => this.otr.smpSecret(secret, question));
  }

  /** Answer the peer's SMP request with our secret. */
  smpAnswer(secret: string): void {
    this.checkSecret(secret);
    this.guard(() => this.otr.smpSecret(secret));
  }

  /** Abort a running SMP exchange. */
  smpAbort(): void {
    this.guard(() => this.otr.smpAbort());
  }

  /** What the otr.js instance reports, turned into session events. */
  private otrHandlers(): OtrHandlers {
    return {
      io: (text, meta) => {
        const messageId = typeof meta === 'string' ? meta : undefined;
        for (const piece of fragmentWire(text, this.fragmentSize, this.instanceTag, this.otr.theirInstanceTag)) {
          this.emit('wire', messageId === undefined ? { text: piece } : { text: piece, messageId });
        }
      },
      ui: (text, encrypted, meta, tlvs) => this.emitMessage(text, encrypted, meta, tlvs),
      extraKey: (extra) => this.emit('extra-key', extra),
      error: (reason, severity) => {
        const error = new E2eeError(codeForOtrMessage(reason), reason);
        this.emit('error', { error, warning: severity === 'warn' });
        // Keys that diverged (not a replay): recover with a new AKE (see restartAkeAfterUnreadable in otr/fixes.ts).
        // Diverged keys mean the peer cannot read ours either: a loss signal.
        if (error.code === 'unreadable' && !/Counter/.test(reason) && this.recovery.unreadable()) this.reportLoss();
      },
      ended: () => {
        this.recovery.cancel();
        this.keyResetDue = true;
      },
      status: () => this.emitStateIfChanged(),
      // Every completed AKE, first or not: the key and version in use may have changed even though
      // the state stays `encrypted` (a refresh, a peer's new key, an attacker's second AKE).
      secured: () => {
        this.recovery.secured();
        this.emitSecured();
        this.resendLost();
      },
      sent: (meta, keys) => this.onSent(meta, keys),
      verified: (keys) => this.onVerified(keys),
      smp: (type, data, act) => {
        if (type === 'question') {
          // otr.js passes no question for TLV type 2 (secret only), a string for type 7.
          this.smpWithQuestion = data !== undefined && data !== null;
          this.emit('smp', { type: 'question', question: String(data ?? ''), withQuestion: this.smpWithQuestion });
        } else if (type === 'trust') {
          const withQuestion = this.smpWithQuestion;
          this.smpWithQuestion = false;
          this.emit('smp', { type: 'result', success: data === true, role: act === 'answered' ? 'answered' : 'asked', withQuestion });
        } else if (type === 'abort') {
          this.smpWithQuestion = false;
          this.emit('smp', { type: 'aborted' });
        }
      },
    };
  }

  /** Run an otr.js call; anything it throws becomes a typed `error` event. */
  private guard(call: () => void): void {
    try {
      call();
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      const code = codeForOtrMessage(message);
      this.emit('error', { error: new E2eeError(code === 'internal' ? 'malformed' : code, `Could not process the OTR message: ${message}`), warning: false });
    } finally {
      if (this.keyResetDue) {
        this.keyResetDue = false;
        this.otr.resetKeys();
      }
      this.emitStateIfChanged();
    }
  }

  /**
   * A message from the peer; an encrypted one may carry the re-sent mark (resent.ts) and an id
   * (message-id.ts): a copy of a message already shown is reported, not shown again.
   */
  private emitMessage(wireText: string, encrypted: boolean, meta: unknown, tlvs?: string): void {
    const id = tlvs === undefined ? undefined : readMessageId(tlvs);
    if (id !== undefined) {
      if (this.shownIds.has(id)) {
        this.emit('error', { error: new E2eeError('repeated', 'Received another copy of a message already shown; it was not shown again.'), warning: true });
        return;
      }
      this.shownIds.add(id);
    }
    const { text, resent } = encrypted ? readResent(wireText) : { text: wireText, resent: false };
    const message: SessionEvents['message'] = typeof meta === 'number' ? { text, encrypted, at: meta } : { text, encrypted };
    if (resent) message.resent = true;
    if (tlvs !== undefined && readExtraKeyTlvs(tlvs).length > 0) message.extraKey = true;
    this.emit('message', message);
  }

  /** A data message of ours was encrypted: track it when it is one of {@link send}'s (a string id). */
  private onSent(meta: unknown, keys: SentKeys): void {
    this.heartbeat.cancel(); // this message announced our newest key
    if (typeof meta !== 'string') return;
    this.emitDelivery(this.outbox.record(meta, keys.text, keys, this.now()));
  }

  /**
   * A verified peer message: acknowledge what it proves was read (outbox.ts). When it moved us to a
   * new key and messages still await proof, announce the key with a heartbeat (libotr's own kind,
   * never shown) unless a message of ours does it first (heartbeat.ts): the peer's next message, of
   * any kind, then proves them.
   */
  private onVerified(keys: VerifiedKeys): void {
    if (keys.provenThrough !== undefined) this.emitDelivery(this.outbox.acknowledge(keys.session, keys.provenThrough));
    if (keys.rotated && this.outbox.awaiting(keys.session)) this.heartbeat.schedule();
  }

  /** The peer could not read ours: re-send in a new session, which we start when private. */
  private reportLoss(): void {
    const { pending, updates } = this.outbox.reportLoss(this.now());
    this.emitDelivery(updates);
    if (pending && this.state === 'encrypted') this.recovery.loss();
  }

  /**
   * A new session is up: re-send, marked, what the peer may not have read (outbox.ts). Only ever
   * encrypted: with encryption required, otr.js could only hold, never send in plaintext.
   */
  private resendLost(): void {
    if (this.state !== 'encrypted') return;
    const { resend, updates } = this.outbox.takeForResend(this.otr.keySession, this.now());
    this.emitDelivery(updates);
    const limit = maxMessageBytes(this.maxIncoming);
    const setting = this.otr.requireEncryption;
    this.otr.requireEncryption = true;
    try {
      for (const { messageId, text } of resend) {
        const marked = markResent(text);
        if (utf8Length(marked) <= limit) this.otr.send(marked, messageId);
      }
    } finally {
      this.otr.requireEncryption = setting;
    }
    this.emitDelivery(this.outbox.abandonResends());
  }

  private emitDelivery(updates: readonly DeliveryUpdate[]): void {
    for (const update of updates) this.emit('delivery', update);
    this.scheduleDelivery();
  }

  /** One timer for the outbox's next deadline. */
  private scheduleDelivery(): void {
    if (this.deliveryTimer !== undefined) clearTimeout(this.deliveryTimer);
    this.deliveryTimer = undefined;
    const next = this.outbox.nextDeadline();
    if (next === undefined) return;
    this.deliveryTimer = setTimeout(() => {
      this.deliveryTimer = undefined;
      this.emitDelivery(this.outbox.expire(this.now()));
    }, Math.max(0, next - this.now()));
    (this.deliveryTimer as { unref?: () => void }).unref?.();
  }

  private emitSecured(): void {
    // The state event for plaintext → encrypted goes first, so listeners see `secured` last.
    this.emitStateIfChanged();
    const fingerprint = this.theirFingerprint;
    const version = this.protocolVersion;
    if (fingerprint && version) this.emit('secured', { fingerprint, version });
  }

  private emitStateIfChanged(): void {
    const state = this.state;
    if (state === this.lastState) return;
    this.lastState = state;
    this.emit('state', { state });
  }

  private checkIncoming(wire: unknown): E2eeError | undefined {
    if (typeof wire !== 'string') return new E2eeError('invalid-input', `Incoming message must be a string, got ${describe(wire)}.`);
    if (wire.length > this.maxIncoming) {
      return new E2eeError('too-large', `Incoming message of ${wire.length} characters exceeds the limit of ${this.maxIncoming}.`);
    }
    const problem = wireProblem(wire);
    if (problem) return new E2eeError('malformed', `Received ${problem}; it was dropped.`);
    return undefined;
  }

  private checkSecret(secret: string): void {
    if (typeof secret !== 'string' || secret.length === 0) throw new E2eeError('smp', 'A non-empty secret is required.');
    if (this.state !== 'encrypted') throw new E2eeError('smp', 'SMP needs a private (encrypted) conversation.');
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
