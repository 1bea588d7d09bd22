/**
 * The crypto engine: our identity, one OTR conversation per peer, and events
 * to subscribers. The same class runs in-process (Node tests, with a
 * `MemoryStore`) and inside the worker (with an `IdbStore`), where
 * src/worker/worker.ts exposes it through Comlink.
 */
import { E2eeError, MIN_FRAGMENT_SIZE } from '../protocol/index.js';
import type {
  ConversationInfo,
  ConversationSettings,
  EngineApi,
  EngineEvent,
  EngineListener,
  IdentityInfo,
} from './api.js';
import { Conversation } from './conversation.js';
import { IdentityVault, type Identity } from './identity.js';
import type { KeyValueStore } from './store.js';
import { TrustStore } from './trust.js';

/** Options for a new {@link Engine}. */
export interface EngineOptions {
  /** Where the identity and trust records live. */
  store: KeyValueStore;
}

const MAX_PEER_ID = 256;

/** The engine. Every method validates its input and rejects with an `E2eeError`. */
export class Engine implements EngineApi {
  private readonly vault: IdentityVault;
  private readonly trust: TrustStore;
  private readonly conversations = new Map<string, Promise<Conversation>>();
  private readonly settings = new Map<string, ConversationSettings>();
  private readonly listeners = new Map<number, EngineListener>();
  private nextListener = 1;

  constructor(options: EngineOptions) {
    this.vault = new IdentityVault(options.store, (p) => this.emit({ type: 'keygen', ...p }));
    this.trust = new TrustStore(options.store);
  }

  async ping(): Promise<'pong'> {
    return 'pong';
  }

  async identity(): Promise<IdentityInfo> {
    const { key, instanceTag } = await this.vault.load();
    return { fingerprint: key.fingerprint, instanceTag };
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
    if (typeof settings !== 'object' || settings === null) throw new E2eeError('invalid-input', 'Settings must be an object.');
    checkFragmentSize(settings.fragmentSize);
    const merged = { ...this.settings.get(peer), ...settings };
    this.settings.set(peer, merged);
    if (this.conversations.has(peer)) applySettings(await this.conversation_(peer), merged);
  }

  async send(peer: string, text: string, messageId?: string): Promise<string> {
    checkPeer(peer);
    if (typeof text !== 'string') throw new E2eeError('invalid-input', 'Message text must be a string.');
    if (messageId !== undefined && typeof messageId !== 'string') throw new E2eeError('invalid-input', 'Message id must be a string.');
    const id = messageId ?? crypto.randomUUID();
    const conversation = await this.conversation_(peer);
    conversation.run(() => conversation.session.send(text, id));
    return id;
  }

  async receive(peer: string, wire: string): Promise<void> {
    checkPeer(peer);
    const conversation = await this.conversation_(peer);
    conversation.run(() => conversation.session.receive(wire));
  }

  async startPrivate(peer: string): Promise<void> {
    const conversation = await this.conversation_(checkPeer(peer));
    conversation.run(() => conversation.session.startPrivate());
  }

  async endPrivate(peer: string): Promise<void> {
    const conversation = await this.conversation_(checkPeer(peer));
    await conversation.session.endPrivate();
  }

  async conversation(peer: string): Promise<ConversationInfo> {
    return (await this.conversation_(checkPeer(peer))).info();
  }

  async smpStart(peer: string, secret: string, question?: string): Promise<void> {
    if (question !== undefined && typeof question !== 'string') throw new E2eeError('invalid-input', 'The SMP question must be a string.');
    const conversation = await this.conversation_(checkPeer(peer));
    conversation.run(() => conversation.session.smpStart(secret, question));
  }

  async smpAnswer(peer: string, secret: string): Promise<void> {
    const conversation = await this.conversation_(checkPeer(peer));
    conversation.run(() => conversation.session.smpAnswer(secret));
  }

  async smpAbort(peer: string): Promise<void> {
    const conversation = await this.conversation_(checkPeer(peer));
    conversation.run(() => conversation.session.smpAbort());
  }

  async exportPrivateKey(): Promise<string> {
    return (await this.vault.load()).key.toBase64();
  }

  /** The conversation with `peer`, created on first use (which loads the identity). */
  private conversation_(peer: string): Promise<Conversation> {
    let pending = this.conversations.get(peer);
    if (!pending) {
      pending = this.vault.load().then((identity: Identity) => {
        const conversation = new Conversation(peer, identity, this.trust, (event) => this.emit(event));
        applySettings(conversation, this.settings.get(peer) ?? {});
        return conversation;
      });
      pending.catch(() => this.conversations.delete(peer));
      this.conversations.set(peer, pending);
    }
    return pending;
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

function checkPeer(peer: unknown): string {
  if (typeof peer !== 'string' || peer.length === 0 || peer.length > MAX_PEER_ID) {
    throw new E2eeError('invalid-input', `Peer id must be a non-empty string of at most ${MAX_PEER_ID} characters.`);
  }
  return peer;
}

function checkFragmentSize(size: unknown): void {
  if (size === undefined || size === 0) return;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < MIN_FRAGMENT_SIZE) {
    throw new E2eeError('invalid-input', `Fragment size must be 0 (no limit) or an integer of at least ${MIN_FRAGMENT_SIZE}.`);
  }
}

function applySettings(conversation: Conversation, settings: ConversationSettings): void {
  if (settings.requireEncryption !== undefined) conversation.session.requireEncryption = !!settings.requireEncryption;
  if (settings.fragmentSize !== undefined) conversation.session.setFragmentSize(settings.fragmentSize);
}
