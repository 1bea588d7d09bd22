/**
 * `OtrConnection`: the one narrow, typed adapter between the OTR layer and one otr.js instance.
 * Everything outside src/protocol/otr talks to otr.js through it (or through loader.ts's key and
 * number helpers); no other module reads or writes otr.js's fields.
 */
import { formatFingerprint } from '../fingerprint.js';
import type { RawDsa, RawOtr } from './loader.js';
import { MSGSTATE, OTR_STATUS, createRawOtr } from './loader.js';
import { releaseRunningAke, resetKeyState, restartAkeAfterUnreadable, setAkeClock } from './fixes.js';
import { restoreSnapshot, takeSnapshot, type OtrStateSnapshot } from './session-state.js';
import { watchKeyIds, type SentKeys, type VerifiedKeys } from './key-ids.js';
import { warmNextSession } from './native-sessions.js';
import { dropLargeBaseTables } from './native-bigint.js';
import { E2eeError } from '../errors.js';
import { bytesOf, extraKeyTlv, readExtraKeyTlvs, withoutExtraKeyTlvs, type ExtraKey } from '../extra-key.js';
import type { RawOtrInternals, SessionKeys } from './internals.js';

/** `text` as UTF-8, one character per byte (what otr.js's sendMsg hands to its encryption). */
function utf8Bytes(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}

/** The peer keys' fingerprints, per key object. */
const fingerprints = new WeakMap<object, string>();

export type { SentKeys, VerifiedKeys } from './key-ids.js';

/** The message state of a connection. */
export type OtrState = 'plaintext' | 'encrypted' | 'finished';

/** What an otr.js instance reports, typed. */
export interface OtrHandlers {
  /** Text for the wire; `meta` is what {@link OtrConnection.send} was given. */
  io(text: string, meta: unknown): void;
  /**
   * A message for the user; `meta` is what {@link OtrConnection.receive} was given; `tlvs`: the
   * TLV records that came with an encrypted one (the bytes after its first NUL), if any.
   */
  ui(text: string, encrypted: boolean, meta: unknown, tlvs?: string): void;
  error(reason: string, severity: string): void;
  /** The AKE completed (the key and version in use may have changed). */
  secured(): void;
  /** The conversation ended (by either side). */
  ended(): void;
  /** Any status change. */
  status(): void;
  smp(type: string, data: unknown, act: unknown): void;
  /** A data message was encrypted for `meta` (see key-ids.ts): what it announced. */
  sent?(meta: unknown, keys: SentKeys): void;
  /** A data message from the peer verified: which key of ours it named (see key-ids.ts). */
  verified?(keys: VerifiedKeys): void;
  /** The peer asked us to take the extra symmetric key of the keys its message used (TLV 8). */
  extraKey?(extra: ExtraKey): void;
}

/** Messages held for a private conversation, opaque outside this folder. */
export interface OtrHeld {
  readonly entries: readonly unknown[];
}

/** The otr.js instance behind each connection, for the seam's own regression tests only. */
const rawInstances = new WeakMap<OtrConnection, RawOtr>();

/** The otr.js instance behind `connection`. Test use only: nothing in src/ outside this folder calls it. */
export function rawOtrOf(connection: OtrConnection): RawOtr | undefined {
  return rawInstances.get(connection);
}

/** One otr.js instance, with our fixes, behind typed methods. */
export class OtrConnection {
  readonly #otr: RawOtr;
  readonly #keyIds: { session(): number };

  constructor(options: { key: RawDsa; instanceTag: number; allowErrorReply?: () => boolean; now?: () => number }, handlers: OtrHandlers) {
    const settings = { priv: options.key, instanceTag: options.instanceTag };
    this.#otr = createRawOtr(options.allowErrorReply ? { ...settings, allowErrorReply: options.allowErrorReply } : settings);
    const otr = this.#otr;
    if (options.now) setAkeClock(otr, options.now);
    rawInstances.set(this, otr);
    this.#keyIds = watchKeyIds(otr, {
      sent: (meta, keys) => {
        this.#warmSoon('sent');
        handlers.sent?.(meta, keys);
      },
      verified: (keys) => {
        this.#warmSoon('verified');
        handlers.verified?.(keys);
      },
    });
    otr.on('io', (text, meta) => handlers.io(text, meta));
    // The TLVs of the message being read, for the `ui` event that follows in the same call.
    let received: string | undefined;
    const handleTLVs = otr.handleTLVs;
    otr.handleTLVs = function (this: RawOtr, tlvs: string, sessKeys: unknown): void {
      received = tlvs;
      // otr.js would decode TLV 8's data as UTF-8 text (and throw on other bytes): it never sees them.
      handleTLVs.call(this, withoutExtraKeyTlvs(tlvs), sessKeys);
      // The key is that of the keys this very message was encrypted with, as libotr's received_symkey.
      const keys = sessKeys as SessionKeys | undefined;
      for (const request of keys ? readExtraKeyTlvs(tlvs) : []) handlers.extraKey?.({ ...request, key: bytesOf(keys!.extra_symkey) });
    };
    this.#clearTlvs = () => (received = undefined);
    otr.on('ui', (text, encrypted, meta) => {
      const tlvs = encrypted ? received : undefined;
      received = undefined;
      handlers.ui(text, !!encrypted, meta, tlvs);
    });
    otr.on('error', (reason, severity) => handlers.error(reason, severity));
    otr.on('status', (status) => {
      if (status === OTR_STATUS.END_OTR) handlers.ended();
      handlers.status();
      if (status === OTR_STATUS.AKE_SUCCESS) handlers.secured();
    });
    otr.on('smp', (type, data, act) => {
      // The exchange is over: no table of its values' powers stays behind (native-bigint's cache).
      if (type === 'trust' || type === 'abort') dropLargeBaseTables();
      handlers.smp(type, data, act);
    });
  }

  readonly #clearTlvs: () => void;
  #warmTimer?: ReturnType<typeof setTimeout>;
  #warmAfter: 'sent' | 'verified' = 'sent';

  /**
   * Once this task is done (the message is out and its events posted), derive the key session the
   * next message will likely need (native-sessions.ts, `warmNextSession`); a call that comes first
   * derives it itself.
   */
  #warmSoon(after: 'sent' | 'verified'): void {
    this.#warmAfter = after;
    if (this.#warmTimer !== undefined) return;
    this.#warmTimer = setTimeout(() => {
      this.#warmTimer = undefined;
      if (this.#otr.msgstate === MSGSTATE.ENCRYPTED) warmNextSession(this.#otr, this.#warmAfter);
    }, 0);
    (this.#warmTimer as { unref?: () => void }).unref?.();
  }

  get state(): OtrState {
    const m = this.#otr.msgstate;
    return m === MSGSTATE.ENCRYPTED ? 'encrypted' : m === MSGSTATE.FINISHED ? 'finished' : 'plaintext';
  }

  /** The peer's key fingerprint once an AKE has completed, libotr format. */
  get theirFingerprint(): string | undefined {
    const key = this.#otr.their_priv_pk;
    if (!key) return undefined;
    // A key object is never changed in place (an AKE brings a new one): hash it once, not per status.
    let fingerprint = fingerprints.get(key);
    if (fingerprint === undefined) fingerprints.set(key, (fingerprint = formatFingerprint(key.fingerprint())));
    return fingerprint;
  }

  /** The negotiated protocol version (3 or 2). */
  get protocolVersion(): 2 | 3 | undefined {
    const v = this.#otr.ake.otr_version;
    return v === '\x00\x03' ? 3 : v === '\x00\x02' ? 2 : undefined;
  }

  /** The peer's instance tag as otr.js holds it (0 before an AKE). */
  get theirInstanceTag(): number {
    const packed = this.#otr.their_instance_tag;
    let n = 0;
    for (let i = 0; i < 4; i++) n = n * 256 + (packed.charCodeAt(i) || 0);
    return n;
  }

  get requireEncryption(): boolean {
    return this.#otr.REQUIRE_ENCRYPTION;
  }
  set requireEncryption(value: boolean) {
    this.#otr.REQUIRE_ENCRYPTION = value;
  }

  /** Start the AKE on a whitespace tag or an OTR error, and tag our plaintext. */
  get autoPrivate(): boolean {
    return this.#otr.WHITESPACE_START_AKE;
  }
  set autoPrivate(value: boolean) {
    this.#otr.WHITESPACE_START_AKE = value;
    this.#otr.ERROR_START_AKE = value;
    this.#otr.SEND_WHITESPACE_TAG = value;
  }

  get allowV2(): boolean {
    return this.#otr.ALLOW_V2;
  }
  set allowV2(value: boolean) {
    this.#otr.ALLOW_V2 = value;
  }

  get allowV3(): boolean {
    return this.#otr.ALLOW_V3;
  }
  set allowV3(value: boolean) {
    this.#otr.ALLOW_V3 = value;
  }

  /** How many messages are held for a private conversation. */
  get heldCount(): number {
    return this.#otr.storedMgs.length;
  }

  /** Send `text`; `meta` comes back with its wire text. Held when encryption is required but not up. */
  send(text: string, meta: unknown): void {
    this.#otr.sendMsg(text, meta);
  }

  /** The extra symmetric key the next data message would carry (undefined while not private in v3). */
  get nextExtraKey(): Uint8Array | undefined {
    const otr = this.#otr as unknown as RawOtrInternals;
    const keys = this.state === 'encrypted' && this.protocolVersion === 3 ? otr.sessKeys[1]?.[0] : undefined;
    return keys ? bytesOf(keys.extra_symkey) : undefined;
  }

  /**
   * Send `text` encrypted with a TLV 8 asking the peer to take the extra symmetric key for `use` with
   * `usedata`; returns that key (of the keys this message is encrypted with). OTR v3 only, while
   * private: the TLV's bytes go around otr.js's UTF-8 step, as otr.js's own (unused) sendFile did.
   */
  sendExtraKey(text: string, use: number, usedata: Uint8Array): Uint8Array {
    const otr = this.#otr as unknown as RawOtrInternals;
    if (this.state !== 'encrypted' || this.protocolVersion !== 3) throw new E2eeError('not-private', 'An extra symmetric key needs a private OTR v3 conversation.');
    const wire = otr.prepareMsg(`${utf8Bytes(text)}\x00${extraKeyTlv(use, usedata)}`);
    if (!wire) throw new E2eeError('internal', 'The message with the extra key could not be encrypted.');
    const key = bytesOf(otr.sessKeys[1]![0]!.extra_symkey);
    otr.io(wire);
    return key;
  }

  receive(text: string, meta: unknown): void {
    this.#clearTlvs();
    this.#otr.receiveMsg(text, meta);
  }

  sendQuery(): void {
    this.#otr.sendQueryMsg();
  }

  end(done: () => void): void {
    this.#otr.endOtr(done);
  }

  smpSecret(secret: string, question?: string): void {
    this.#otr.smpSecret(secret, question);
  }

  smpAbort(): void {
    this.#otr.sm?.abort();
  }

  /** Take every held message (for {@link adoptHeld} by another connection). */
  takeHeld(): OtrHeld {
    return { entries: this.#otr.storedMgs.splice(0) };
  }

  /** Hold messages taken from another connection; sends them at once when private. */
  adoptHeld(held: OtrHeld): void {
    this.#otr.storedMgs.push(...(held.entries as RawOtr['storedMgs']));
    if (this.state === 'encrypted') this.#otr.sendStored();
  }

  /** The conversation's state to keep across a restart, or undefined while there is none (session-state.ts). */
  snapshot(): OtrStateSnapshot | undefined {
    return takeSnapshot(this.#otr);
  }

  /**
   * Continue the conversation `snapshot` was taken of. An SMP exchange that was running is aborted,
   * on both sides: the peer gets SMP's abort message and `smp` reports `abort`.
   */
  restore(snapshot: OtrStateSnapshot): void {
    restoreSnapshot(this.#otr, snapshot);
    if (snapshot.smpRunning) {
      this.#otr._smInit();
      this.#otr.sm?.abort();
    }
  }

  /** After an end: rebuild the key state as for a fresh instance (fixes.ts). */
  resetKeys(): void {
    resetKeyState(this.#otr);
  }

  /** The peer's side of a running AKE has likely failed: let its next query restart it (fixes.ts). */
  releaseRunningAke(): void {
    releaseRunningAke(this.#otr);
  }

  /**
   * Send a heartbeat: an empty data message flagged IGNORE_UNREADABLE, as libotr 4.1 sends them
   * (message.c, `HEARTBEAT_INTERVAL`); neither libotr nor otr.js shows it. It announces our newest
   * key, so the peer's next message can prove what we sent before it (see key-ids.ts).
   */
  sendHeartbeat(): void {
    if (this.state === 'encrypted') this.#otr.sendMsg('\x00');
  }

  /** Which OTR session (AKE) of this connection is in use, as {@link SentKeys.session} counts. */
  get keySession(): number {
    return this.#keyIds.session();
  }

  /** Keys diverged: recover with a new AKE when `allow` says so (fixes.ts). */
  restartAfterUnreadable(allow: () => boolean): boolean {
    return restartAkeAfterUnreadable(this.#otr, allow);
  }
}
