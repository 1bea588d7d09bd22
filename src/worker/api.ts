/**
 * The engine's public API types: everything the UI (main thread) may know
 * about the engine. The UI imports types from here, never engine internals.
 */
import type { ErrorCode, SmpEvent } from '../protocol/index.js';

export type { ErrorCode, SmpEvent } from '../protocol/index.js';

/**
 * What the user is told about a conversation. Conservative by design:
 * - `plaintext`: not private;
 * - `encrypted`: private, but the peer's key is not verified;
 * - `verified`: private, and the peer's key was verified (SMP or manually);
 * - `finished`: the peer ended the private conversation; nothing is sent until the user ends or restarts.
 */
export type PrivacyState = 'plaintext' | 'encrypted' | 'verified' | 'finished';

/** Our identity as others see it. */
export interface IdentityInfo {
  /** Our key fingerprint, libotr format (5 groups of 8 uppercase hex digits). */
  fingerprint: string;
  /** Our OTR v3 instance tag. */
  instanceTag: number;
}

/** This engine's OTR instance: one per tab, each with its own instance tag (see `claimInstance`). */
export interface InstanceInfo {
  /** The instance's slot among the identity's tabs; -1 when all were taken (conversations then kept in memory only). */
  slot: number;
  instanceTag: number;
}

/** A snapshot of one conversation. */
export interface ConversationInfo {
  peer: string;
  state: PrivacyState;
  /** The peer's key fingerprint, once seen in an AKE. */
  theirFingerprint?: string;
  /** OTR protocol version in use while private. */
  protocolVersion?: 2 | 3;
}

/** Per-conversation settings. */
export interface ConversationSettings {
  /** Never send plaintext; hold messages until the private conversation is up. */
  requireEncryption?: boolean;
  /** Maximum wire length of one message, fragment header included; 0 = unlimited. */
  fragmentSize?: number;
  /** Start the AKE as soon as the peer shows it speaks OTR (whitespace tag, query, OTR error). */
  autoPrivate?: boolean;
  /**
   * Speak the old protocol v2 with peers that cannot speak v3 (default true). When false, v2 is not
   * accepted at all: a v3 conversation can't be moved to v2, and v2-only peers can't go private.
   */
  allowV2?: boolean;
  /**
   * Keep this conversation's OTR state in memory only (default false). By default it is stored in
   * IndexedDB next to the identity after every change, so a reload or an engine restart goes on
   * reading the peer's messages; that keeps the conversation's current keys at rest on the device.
   * Turning it on deletes the stored state at once.
   */
  ephemeral?: boolean;
}

/** The policy one message is sent under: the settings in force when the person pressed Send. */
export interface SendOptions {
  /** Never send this message in plaintext: hold it until the conversation is private. */
  requireEncryption?: boolean;
}

/** What we know about one of a peer's keys. */
export interface FingerprintInfo {
  /** libotr format. */
  fingerprint: string;
  /** ms since epoch. */
  firstSeen: number;
  verified?: { by: 'smp' | 'manual'; at: number };
}

/** Private-key file formats: otr.js base64, or libotr's `otr.private_key` s-expression. */
export type KeyFormat = 'base64' | 'libotr';

/** The account a libotr key file names (e.g. `alice@example.com`, `prpl-jabber`). */
export interface LibotrAccount {
  name: string;
  protocol: string;
}

/** Everything the engine tells its subscribers. */
export type EngineEvent =
  | { type: 'keygen'; phase: 'started' }
  | { type: 'keygen'; phase: 'done'; ms: number; fingerprint: string }
  /** Text for the transport to deliver to `peer`. `messageId` links it to a `send` call. */
  | { type: 'wire'; peer: string; text: string; messageId?: string; encrypted: boolean }
  /**
   * A message from `peer`. `resent`: the peer marked it re-sent after we could not read its first
   * copy (libotr's `[resent] ` mark, already taken off `text`); only ever on encrypted messages.
   */
  | { type: 'message'; peer: string; text: string; encrypted: boolean; at: number; resent?: boolean }
  /**
   * What became of message `messageId` we sent encrypted to `peer` (src/protocol/outbox.ts):
   * - `acknowledged`: delivered as far as OTR can tell: the peer's session read a message of ours
   *   sent no earlier than this one (OTR has no per-message receipts; a transport that drops just
   *   this message is invisible to it);
   * - `resent`: the peer reported it could not read our messages; this one was sent again, marked
   *   `[resent] `, in a new private conversation (at most once);
   * - `failed`: not delivered as far as OTR can tell (no new private conversation in time, or the
   *   re-sent copy was lost too); offer Retry.
   * A message sent in plaintext gets no `delivery` events.
   */
  | { type: 'delivery'; peer: string; messageId: string; outcome: 'acknowledged' | 'resent' | 'failed' }
  /**
   * The wire text given to `receive` with this `receipt` was read: every event it caused came before
   * this one. The engine client waits for it, so a transport lets go of a message only once the
   * page has seen what came of it.
   */
  | { type: 'received'; peer: string; receipt: string }
  /** A message was held back until the conversation is private. */
  | { type: 'held'; peer: string; messageId?: string }
  /**
   * What the user should be shown changed: the state, or (while private) the peer's key or the
   * protocol version in use, even when the state name stays the same.
   */
  | { type: 'status'; peer: string; state: PrivacyState; theirFingerprint?: string; protocolVersion?: 2 | 3 }
  | { type: 'smp'; peer: string; event: SmpEvent }
  /**
   * The peer sent an encrypted file (issue 21): its ciphertext is `at` in the sender's store; download
   * it and hand it to {@link EngineApi.openFile} with `fileId`. Its key stays in the worker.
   */
  | { type: 'file'; peer: string; fileId: string; at: string; name: string; mediaType: string; size: number }
  /**
   * The peer presented a key in an AKE. `replacesVerified` is the loud case:
   * the key is new and a different key of this peer had been verified.
   */
  | { type: 'trust'; peer: string; fingerprint: string; verified: boolean; isNew: boolean; replacesVerified: boolean }
  | { type: 'error'; peer?: string; code: ErrorCode; message: string; warning: boolean }
  /**
   * The engine's worker stopped unexpectedly (it threw, or stopped answering): it is being restarted
   * (`restarting`), runs again with its identity and settings (`restarted`: conversations may have
   * lost their private state, read them again with `conversation()`), or kept stopping and was given
   * up (`gave-up`: every call now rejects with code `worker`). Emitted by the engine client on the
   * main thread (src/ui/engine-client.ts), never by the worker itself.
   */
  | { type: 'engine'; phase: EnginePhase; reason: string };

/** The phases of an {@link EngineEvent} of type `engine`. */
export type EnginePhase = 'restarting' | 'restarted' | 'gave-up';

/** What {@link EngineApi.diagnostics} reports. */
export interface EngineDiagnostics {
  bigintBackend: 'native' | 'bigint.js';
  /**
   * The exact speed-ups installed under otr.js (src/protocol/otr/speedups.ts): `native-bigint`,
   * `native-dsa`, `dsa-one-read-search`, `dsa-lucas-test`, `native-dsa-verify`, `native-helpers`, `native-codecs`,
   * `native-hashers`, `lazy-dh-sessions`, `lazy-dh-keys`, `microtask-io`.
   */
  speedups: string[];
  /** One 1536-bit modexp (320-bit exponent), in ms. */
  modexpMs: number;
  /**
   * How many times, since it started, the engine rested between turns of key exchange steps because
   * several conversations exchanged keys at once (src/worker/lanes.ts): 0 while they come one at a time.
   */
  keyExchangeRests: number;
}

/** A subscriber callback. */
export type EngineListener = (event: EngineEvent) => void;

/**
 * The engine's callable surface, as seen across Comlink (every method async).
 * Implemented by `Engine` in src/worker/engine.ts.
 */
export interface EngineApi {
  /** Answers `'pong'`: the worker is alive. */
  ping(): Promise<'pong'>;
  /** Which big-integer arithmetic and speed-ups the engine runs on, with one timed modexp as a sanity check. */
  diagnostics(): Promise<EngineDiagnostics>;
  /**
   * Claim this engine's OTR instance: the slot `slot` when free (a reloaded tab asks for the one it
   * had, and waits up to 3 s for it), else the first free one. Only the first claim counts; other
   * calls, and the first conversation without a claim, get the same instance.
   */
  claimInstance(slot?: number): Promise<InstanceInfo>;
  /** Load the identity, generating and persisting it on first use. Concurrent callers share one generation. */
  identity(): Promise<IdentityInfo>;
  /** Subscribe to events; returns a subscription id for {@link EngineApi.unsubscribe}. */
  subscribe(listener: EngineListener): Promise<number>;
  unsubscribe(id: number): Promise<void>;
  /** Change a conversation's settings. */
  configure(peer: string, settings: ConversationSettings): Promise<void>;
  /**
   * Send a message; returns its id (given or generated). Wire text follows as `wire` events. With
   * `options.requireEncryption` the message is held until private even if the conversation's setting
   * is off (a message typed under `require-encryption` is never sent in plaintext).
   */
  send(peer: string, text: string, messageId?: string, options?: SendOptions): Promise<string>;
  /**
   * Feed wire text from `peer`; `at` (ms since epoch) is when it was sent, if the transport knows
   * (offline delivery). Rejects with a typed error on bad input; the engine keeps working. With a
   * `receipt`, a `received` event follows every event this text caused (see {@link EngineEvent}).
   */
  receive(peer: string, wire: string, at?: number, receipt?: string): Promise<void>;
  /** Ask `peer` for a private conversation. */
  startPrivate(peer: string): Promise<void>;
  /** End the private conversation with `peer`; resolves once the last packet has been emitted. */
  endPrivate(peer: string): Promise<void>;
  /** A snapshot of the conversation with `peer`. */
  conversation(peer: string): Promise<ConversationInfo>;
  /** Start SMP with `peer`, optionally with a question. */
  smpStart(peer: string, secret: string, question?: string): Promise<void>;
  /** Answer `peer`'s SMP request. */
  smpAnswer(peer: string, secret: string): Promise<void>;
  /** Abort SMP with `peer`. */
  smpAbort(peer: string): Promise<void>;
  /** Our private key. Only for the user's explicit export request. `account` names it in a libotr file. */
  exportPrivateKey(format?: KeyFormat, account?: LibotrAccount): Promise<string>;
  /**
   * Replace our key with an imported one (base64 or libotr; `account` picks one of several in a libotr
   * file). Private conversations are ended first. Rejects with `bad-key` when the text is not a valid key.
   */
  importPrivateKey(text: string, format: KeyFormat, account?: string): Promise<IdentityInfo>;
  /**
   * Replace our key with a new one. Private conversations are ended; peers will see a new fingerprint.
   * Held messages wait for the next private conversation (which is requested).
   */
  regenerateKey(): Promise<IdentityInfo>;
  /** The fingerprints seen for `peer`, with their verification. */
  fingerprints(peer: string): Promise<FingerprintInfo[]>;
  /** Mark one of `peer`'s fingerprints verified (manually) or unverified. */
  setVerified(peer: string, fingerprint: string, verified: boolean): Promise<void>;
  /** Forget every fingerprint of `peer` (their next key counts as new and unverified). */
  forgetPeer(peer: string): Promise<void>;
  /** All known fingerprints in libotr's `otr.fingerprints` format, for our account `accountName`. */
  exportFingerprints(accountName: string, protocol?: string): Promise<string>;
  /**
   * Encrypt a file (AES-256-GCM, a fresh key) for upload: upload `ciphertext` to a file store, then
   * call {@link sendFile} with `token`. Rejects with `file` above `maxBytes` (default 25 MB).
   * Through `startEngine()`, a `data` that spans its whole buffer is moved to the worker, not copied:
   * afterwards it is empty (length 0); pass a copy to keep the bytes.
   */
  sealFile(data: Uint8Array, name: string, mediaType: string, maxBytes?: number): Promise<{ token: string; ciphertext: Uint8Array }>;
  /**
   * Send `peer` the reference to sealed file `token`, uploaded to `at`, in a TLV 8 message of the
   * private (v3) conversation, with `text` for apps that cannot open files. Resolves with the file's id.
   */
  sendFile(peer: string, token: string, at: string, text: string): Promise<string>;
  /**
   * Decrypt the downloaded ciphertext of a file the peer sent (`file` event); rejects with `file`
   * when it does not check. Through `startEngine()`, `ciphertext` is moved to the worker as
   * {@link sealFile}'s `data` is.
   */
  openFile(fileId: string, ciphertext: Uint8Array): Promise<Uint8Array>;
}

/** What the worker exposes besides the engine API: the event port's opener (src/worker/event-port.ts). */
export interface EventPortApi {
  /** Send every engine event from now on to `port`, batched per task. */
  openEvents(port: MessagePort): Promise<void>;
}
