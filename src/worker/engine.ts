/**
 * The crypto engine: our identity, one OTR conversation per peer, and events
 * to subscribers. The same class runs in-process (Node tests, with a
 * `MemoryStore`) and inside the worker (with an `IdbStore`), where
 * src/worker/worker.ts exposes it through Comlink.
 */
import { E2eeError, IdentityKey, arithmeticReport, writeLibotrFingerprints } from '../protocol/index.js';
import type {
  ConversationInfo,
  ConversationSettings,
  EngineApi,
  EngineDiagnostics,
  EngineEvent,
  EngineListener,
  FingerprintInfo,
  IdentityInfo,
  InstanceInfo,
  KeyFormat,
  LibotrAccount,
  SendOptions,
} from './api.js';
import { Conversation } from './conversation.js';
import { IdentityVault, type Identity } from './identity.js';
import { InstanceSlots, type InstanceClaim } from './instance-slot.js';
import { Lanes, urgencyOf } from './lanes.js';
import { SessionStore } from './session-store.js';
import { FileTransfers } from './files.js';
import type { KeyValueStore } from './store.js';
import { TrustStore } from './trust.js';
import { checkFormat, checkPeer, checkSendOptions, checkSettings, checkString } from './validate.js';

/** Options for a new {@link Engine}. */
export interface EngineOptions {
  /** Where the identity and trust records live. */
  store: KeyValueStore;
  /** The identity's name across tabs (its Web Lock): tabs of one identity generate one key. */
  identityName?: string;
}

/** The engine. Every method validates its input and rejects with an `E2eeError`. */
export class Engine implements EngineApi {
  private readonly vault: IdentityVault;
  private readonly trust: TrustStore;
  /** Files sealed for sending and keys of files received (memory only). */
  private readonly files = new FileTransfers();
  private readonly conversations = new Map<string, Promise<Conversation>>();
  private readonly settings = new Map<string, ConversationSettings>();
  private readonly listeners = new Map<number, EngineListener>();
  private nextListener = 1;
  /** Each peer's work in order; key exchanges wait behind other peers' messages. */
  private readonly lanes = new Lanes();
  private readonly slots: InstanceSlots;
  /** This engine's OTR instance and the store of its conversations, claimed once. */
  private instance?: Promise<{ claim: InstanceClaim; sessions?: SessionStore }>;

  constructor(private readonly options: EngineOptions) {
    const name = `e2ee-chat:${options.identityName ?? 'default'}`;
    this.vault = new IdentityVault(options.store, (p) => this.emit({ type: 'keygen', ...p }), `${name}:identity`);
    this.trust = new TrustStore(options.store);
    this.slots = new InstanceSlots(options.store, name);
  }

  async claimInstance(slot?: number): Promise<InstanceInfo> {
    if (slot !== undefined && (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0)) throw new E2eeError('invalid-input', 'An instance slot is an integer ≥ 0.');
    const { claim } = await this.instance_(slot);
    return { slot: claim.slot, instanceTag: claim.instanceTag };
  }

  async ping(): Promise<'pong'> {
    return 'pong';
  }

  async diagnostics(): Promise<EngineDiagnostics> {
    const { backend, speedups, modexpMs } = arithmeticReport();
    return { bigintBackend: backend, speedups, modexpMs, keyExchangeRests: this.lanes.rests };
  }

  async identity(): Promise<IdentityInfo> {
    const [{ key }, { claim }] = await Promise.all([this.vault.load(), this.instance_()]);
    return { fingerprint: key.fingerprint, instanceTag: claim.instanceTag };
  }

  async subscribe(listener: EngineListener): Promise<number> {
    if (typeof listener !== 'function') throw new E2eeError('invalid-input', 'subscribe() needs a callback.');
    const id = this.nextListener++;
    this.listeners.set(id, listener);
    return id;
  }

  async unsubscribe(id: number): Promise<void> {
    this.listeners.delete(id);
  }

  async configure(peer: string, settings: ConversationSettings): Promise<void> {
    checkPeer(peer);
    checkSettings(settings);
    const merged = { ...this.settings.get(peer), ...settings };
    this.settings.set(peer, merged);
    if (this.conversations.has(peer)) await applySettings(await this.conversation_(peer), merged);
    else if (merged.ephemeral) await (await this.instance_()).sessions?.forget(peer);
  }

  async send(peer: string, text: string, messageId?: string, policy?: SendOptions): Promise<string> {
    checkPeer(peer);
    if (typeof text !== 'string') throw new E2eeError('invalid-input', 'Message text must be a string.');
    if (messageId !== undefined && typeof messageId !== 'string') throw new E2eeError('invalid-input', 'Message id must be a string.');
    const id = messageId ?? crypto.randomUUID();
    const conversation = await this.conversation_(peer);
    const requireEncryption = checkSendOptions(policy).requireEncryption === true;
    await this.lanes.run(peer, 'now', () => conversation.send(text, id, { requireEncryption }));
    return id;
  }

  async receive(peer: string, wire: string, at?: number, receipt?: string): Promise<void> {
    checkPeer(peer);
    if (at !== undefined && (typeof at !== 'number' || !Number.isFinite(at))) throw new E2eeError('invalid-input', 'Timestamp must be a finite number.');
    if (receipt !== undefined && typeof receipt !== 'string') throw new E2eeError('invalid-input', 'A receipt must be a string.');
    const conversation = await this.conversation_(peer);
    await this.lanes.run(peer, urgencyOf(wire), () => {
      try {
        conversation.run(() => conversation.session.receive(wire, at), 'after-read');
      } finally {
        // In the same task as the read's own events, so in their batch: a page that saw them sees this.
        if (receipt !== undefined) this.emit({ type: 'received', peer, receipt });
      }
    });
  }

  async startPrivate(peer: string): Promise<void> {
    const conversation = await this.conversation_(checkPeer(peer));
    await this.lanes.run(peer, 'now', () => conversation.run(() => conversation.session.startPrivate()));
  }

  async endPrivate(peer: string): Promise<void> {
    const conversation = await this.conversation_(checkPeer(peer));
    await this.lanes.run(peer, 'now', () => conversation.session.endPrivate());
  }

  async conversation(peer: string): Promise<ConversationInfo> {
    return (await this.conversation_(checkPeer(peer))).info();
  }

  async smpStart(peer: string, secret: string, question?: string): Promise<void> {
    if (question !== undefined && typeof question !== 'string') throw new E2eeError('invalid-input', 'The SMP question must be a string.');
    const conversation = await this.conversation_(checkPeer(peer));
    await this.lanes.run(peer, 'later', () => conversation.run(() => conversation.session.smpStart(secret, question)));
  }

  async smpAnswer(peer: string, secret: string): Promise<void> {
    const conversation = await this.conversation_(checkPeer(peer));
    await this.lanes.run(peer, 'later', () => conversation.run(() => conversation.session.smpAnswer(secret)));
  }

  async smpAbort(peer: string): Promise<void> {
    const conversation = await this.conversation_(checkPeer(peer));
    await this.lanes.run(peer, 'now', () => conversation.run(() => conversation.session.smpAbort()));
  }

  async exportPrivateKey(format: KeyFormat = 'base64', account?: LibotrAccount): Promise<string> {
    const { key } = await this.vault.load();
    if (checkFormat(format) === 'base64') return key.toBase64();
    return key.toLibotr({ name: checkString(account?.name ?? 'e2ee-chat', 'Account name'), protocol: checkString(account?.protocol ?? 'e2ee-chat', 'Protocol') });
  }

  async importPrivateKey(text: string, format: KeyFormat, account?: string): Promise<IdentityInfo> {
    checkString(text, 'The key');
    if (account !== undefined) checkString(account, 'Account name');
    const key = checkFormat(format) === 'base64' ? IdentityKey.fromBase64(text) : IdentityKey.fromLibotr(text, account);
    return this.replaceIdentity(key);
  }

  async regenerateKey(): Promise<IdentityInfo> {
    return this.replaceIdentity();
  }

  async fingerprints(peer: string): Promise<FingerprintInfo[]> {
    return this.trust.fingerprints(checkPeer(peer));
  }

  async setVerified(peer: string, fingerprint: string, verified: boolean): Promise<void> {
    checkPeer(peer);
    checkString(fingerprint, 'Fingerprint');
    if (!/^[0-9A-Fa-f]{40}$/.test(fingerprint.replace(/\s+/g, ''))) throw new E2eeError('invalid-input', 'A fingerprint is 40 hex digits.');
    await this.trust.setVerified(peer, fingerprint, verified ? 'manual' : false);
    await this.refreshTrust(peer);
  }

  async forgetPeer(peer: string): Promise<void> {
    await this.trust.forget(checkPeer(peer));
    await this.refreshTrust(peer);
  }

  async sealFile(data: Uint8Array, name: string, mediaType: string, maxBytes?: number): Promise<{ token: string; ciphertext: Uint8Array }> {
    return this.files.seal(data, name, mediaType, maxBytes);
  }

  async sendFile(peer: string, token: string, at: string, text: string): Promise<string> {
    const conversation = await this.conversation_(checkPeer(peer));
    if (typeof text !== 'string') throw new E2eeError('invalid-input', 'The text beside a file must be a string.');
    return this.files.send(conversation.session, token, at, (use, usedata) =>
      conversation.run(() => conversation.session.sendExtraKey(use, usedata, text), 'after-send'),
    );
  }

  async openFile(fileId: string, ciphertext: Uint8Array): Promise<Uint8Array> {
    return this.files.open(fileId, ciphertext);
  }

  async exportFingerprints(accountName: string, protocol = 'e2ee-chat'): Promise<string> {
    checkString(accountName, 'Account name');
    checkString(protocol, 'Protocol');
    const lines = (await this.trust.all()).flatMap(({ peer, records }) =>
      records.map((r) => ({ username: peer, accountname: accountName, protocol, fingerprint: r.fingerprint, trust: r.verified ? (r.verified.by === 'smp' ? 'smp' : 'verified') : '' })),
    );
    try {
      return writeLibotrFingerprints(lines);
    } catch (cause) {
      throw new E2eeError('invalid-input', (cause as Error).message);
    }
  }

  /**
   * Swap our key: end private conversations with the old key, then start afresh. Messages held for a
   * private conversation move to the new one (which asks the peer for it): never dropped, never sent
   * in plaintext.
   */
  private async replaceIdentity(key?: IdentityKey): Promise<IdentityInfo> {
    const old = [...this.conversations.values()];
    this.conversations.clear();
    const replacing = this.vault.replace(key); // conversations opened from now on wait for the new key
    const conversations = (await Promise.all(old.map((p) => p.catch(() => undefined)))).filter((c) => c !== undefined);
    const held = conversations.map((conversation) => ({ peer: conversation.peer, held: conversation.session.takeHeld() }));
    for (const conversation of conversations) {
      if (conversation.session.state !== 'plaintext') await conversation.session.endPrivate();
    }
    let identity: Identity;
    try {
      identity = await replacing;
    } finally {
      // Also when the replacement failed: the held messages then wait with the key we kept.
      for (const { peer, held: messages } of held) {
        if (messages.entries.length) await this.conversation_(peer).then((c) => c.session.adoptHeld(messages), () => undefined);
      }
    }
    for (const conversation of conversations) {
      if (!this.conversations.has(conversation.peer)) this.emit({ type: 'status', peer: conversation.peer, state: 'plaintext' });
    }
    return { fingerprint: identity.key.fingerprint, instanceTag: (await this.instance_()).claim.instanceTag };
  }

  private async refreshTrust(peer: string): Promise<void> {
    const pending = this.conversations.get(peer);
    if (pending) await (await pending).refreshTrust();
  }

  /** The conversation with `peer`, created on first use (which loads the identity). */
  private conversation_(peer: string): Promise<Conversation> {
    let pending = this.conversations.get(peer);
    if (!pending) {
      pending = Promise.all([this.vault.load(), this.instance_()]).then(async ([identity, { claim, sessions }]: [Identity, { claim: InstanceClaim; sessions?: SessionStore }]) => {
        const settings = this.settings.get(peer) ?? {};
        const conversation = new Conversation(peer, identity, claim.instanceTag, this.trust, (event) => this.emit(event), sessions);
        conversation.onExtraKey = (extra) => {
          const file = this.files.heard(extra);
          if (file) this.emit({ type: 'file', peer, ...file });
          return file !== undefined;
        };
        await applySettings(conversation, settings);
        if (sessions && !settings.ephemeral) await this.restore(conversation, sessions);
        return conversation;
      });
      pending.catch(() => this.conversations.delete(peer));
      this.conversations.set(peer, pending);
    }
    return pending;
  }

  /**
   * This engine's OTR instance (its slot, claimed once: `hint` counts only on the first call) and
   * the store its conversations are kept in (none for an instance without a slot).
   */
  private instance_(hint?: number): Promise<{ claim: InstanceClaim; sessions?: SessionStore }> {
    this.instance ??= this.vault.load().then(async (identity) => {
      const claim = await this.slots.claim(hint, identity.instanceTag);
      const report = (peer: string, error: unknown) =>
        this.emit({ type: 'error', peer, code: 'store', message: `The conversation could not be saved: ${String((error as Error)?.message ?? error)}`, warning: true });
      return claim.slot < 0 ? { claim } : { claim, sessions: new SessionStore(this.options.store, claim.instanceTag, report) };
    });
    this.instance.catch(() => (this.instance = undefined));
    return this.instance;
  }

  /** Go on with the stored conversation with `conversation.peer`, if there is one that fits. */
  private async restore(conversation: Conversation, sessions: SessionStore): Promise<void> {
    try {
      const snapshot = await sessions.load(conversation.peer);
      // A turn each (a page may restore 100 at once): other conversations' messages go between.
      if (snapshot) await this.lanes.run(conversation.peer, 'later', () => conversation.restore(snapshot));
    } catch (error) {
      // Made with a key we no longer have, or damaged: start afresh, and say so.
      await sessions.forget(conversation.peer);
      this.emit({ type: 'error', peer: conversation.peer, code: 'store', message: (error as Error).message, warning: true });
    }
  }

  private emit(event: EngineEvent): void {
    for (const listener of [...this.listeners.values()]) {
      try {
        const result: unknown = listener(event);
        // Comlink proxies return promises; a dead subscriber must not break the engine.
        if (result instanceof Promise) result.catch(() => undefined);
      } catch {
        // A throwing subscriber must not stop the others or the engine.
      }
    }
  }
}

async function applySettings(conversation: Conversation, settings: ConversationSettings): Promise<void> {
  const { session } = conversation;
  if (settings.ephemeral !== undefined) await conversation.setEphemeral(!!settings.ephemeral);
  if (settings.requireEncryption !== undefined) session.requireEncryption = !!settings.requireEncryption;
  if (settings.autoPrivate !== undefined) session.autoPrivate = !!settings.autoPrivate;
  if (settings.fragmentSize !== undefined) session.setFragmentSize(settings.fragmentSize);
  if (settings.allowV2 !== undefined) session.allowV2 = !!settings.allowV2;
}
