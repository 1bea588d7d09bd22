/**
 * The logic behind one `<e2ee-chat>`: it links the engine (crypto, in the
 * worker) with the transport (I/O, on the main thread) for one peer, and
 * keeps the state the view renders. No DOM here.
 */
import { E2eeError } from '../protocol/errors.js';
import type { EngineApi, EngineEvent, EnginePhase, PrivacyState } from '../worker/api.js';
import type { Transport } from './transport.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { gate } from './attach-gate.js';
import { Sequence, Timeline } from './timeline.js';
import { TrustController } from './trust-controller.js';
import { withDefined, type ChatOptions, type ChatRecord, type ControllerSignal } from './chat-records.js';
import { ChatFiles } from './chat-files.js';
import type { FileStore } from './file-stores/file-store.js';

export { withDefined } from './chat-records.js';
export type { ChatOptions, ChatRecord, ControllerSignal, DeliveryStatus, FileCard } from './chat-records.js';

/**
 * Links one engine, one transport and one peer, and keeps what the element renders: the state, the
 * messages and the timeline's notices. A Lit reactive controller: it asks its host to update, and
 * detaches when the host leaves the page. No DOM here (tested in Node with a plain host).
 */
export class ChatController implements ReactiveController {
  state: PrivacyState = 'plaintext';
  records: ChatRecord[] = [];
  private readonly sequence = new Sequence();
  /** Security-relevant changes, in order with the messages. */
  readonly timeline: Timeline;
  ownFingerprint?: string;
  theirFingerprint?: string;
  protocolVersion?: 2 | 3;
  /** Whether the engine's worker runs, is being restarted, or was given up. */
  engineState: 'running' | 'restarting' | 'stopped' = 'running';
  /** Set while our key is being generated: when it started (performance.now()). */
  keygenStartedAt?: number;
  private cleanups: (() => void)[] = [];
  private readonly signalled = new Set<string>();
  private generation = 0;
  /** Settled when an attach completed (or failed); calls made before that wait on it. */
  private attached = gate();
  private options: ChatOptions = { requireEncryption: false, autoPrivate: false };

  /** SMP, key changes and manual verification for this peer. */
  readonly trust: TrustController;
  /** Where encrypted files go (the element's `files`). */
  fileStore?: FileStore;
  /** Encrypted files sent and received in this conversation. */
  readonly files = new ChatFiles({
    bound: () => this.bound(),
    store: () => this.fileStore,
    add: (record) => {
      this.records = [...this.records, record];
      this.onChange();
      this.signal({ kind: 'message', record });
    },
    update: (id, patch) => this.update(id, patch),
    find: (id) => this.records.find((r) => r.id === id),
    newRecord: (direction, file) => ({ id: crypto.randomUUID(), direction, text: '', at: Date.now(), encrypted: null, status: 'pending', seq: this.sequence.take(), requireEncryption: true, file }),
    notify: (error) => this.notify(error),
  });

  private readonly onChange: () => void;

  constructor(
    host: ReactiveControllerHost,
    private readonly signal: (signal: ControllerSignal) => void,
  ) {
    this.onChange = () => host.requestUpdate();
    host.addController(this);
    this.timeline = new Timeline(this.sequence, this.onChange);
    this.trust = new TrustController(
      host,
      () => { const { engine, peer } = this.bound(); return { engine, peer }; },
      (trust) => {
        this.timeline.trust(trust);
        signal({ kind: 'trust', trust });
      },
      (outcome) => {
        this.timeline.smp(outcome, this.trust.smp.phase === 'asked' ? this.trust.smp.question : '');
        signal({ kind: 'smp', outcome });
      },
      () => this.timeline.smp('we-asked'),
    );
  }

  /** Lit: the host left the page. */
  hostDisconnected(): void {
    this.detach();
  }

  /**
   * Resolves once attached: the engine knows this conversation's settings, so a call made now runs
   * under them. Calls ({@link send}, {@link startPrivate}, …) made earlier wait for it.
   */
  get ready(): Promise<void> {
    return this.attached.promise;
  }

  /** Start working for `peer`. Call {@link detach} before attaching again. */
  async attach(engine: EngineApi, transport: Transport, peer: string, options: ChatOptions): Promise<void> {
    const generation = ++this.generation;
    const live = () => generation === this.generation;
    const attached = this.attached;
    try {
      await this.attachTo(engine, transport, peer, options, live);
      if (live()) attached.resolve();
    } catch (error) {
      if (live()) attached.reject(error);
      throw error;
    }
  }

  private async attachTo(engine: EngineApi, transport: Transport, peer: string, options: ChatOptions, live: () => boolean): Promise<void> {
    this.engine = engine;
    this.transport = transport;
    this.peer = peer;
    this.options = { ...options };
    const subscription = await engine.subscribe((event) => live() && this.onEngineEvent(event));
    this.cleanups.push(() => void engine.unsubscribe(subscription).catch(() => undefined));
    if (!live()) return;
    transport.claim?.(peer);
    this.cleanups.push(transport.onMessage((m) => {
      // Settles once the engine has read it (see TransportHandler); failures are reported via 'error' events.
      if (m.from !== peer) return undefined;
      return engine.receive(peer, m.body, m.at.getTime()).catch((error: unknown) => {
        if (error instanceof E2eeError && error.code === 'worker') throw error; // not processed: a transport may keep it
      });
    }));
    await this.configure(options);
    if (!live()) return;
    const [identity, info] = await Promise.all([engine.identity(), engine.conversation(peer)]);
    if (!live()) return;
    this.ownFingerprint = identity.fingerprint;
    this.applyStatus(info.state, info.theirFingerprint, info.protocolVersion);
    await this.trust.refresh();
    if (options.autoPrivate && info.state === 'plaintext' && live()) {
      this.timeline.asked();
      await this.report(engine.startPrivate(peer));
    }
  }

  /** Stop listening to the engine and transport. */
  detach(): void {
    this.generation++;
    if (this.attached.settled) this.attached = gate();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  /** Apply changed options (e.g. require-encryption) to the engine. */
  async configure(options: ChatOptions): Promise<void> {
    const { engine, transport, peer } = this.bound();
    this.options = { ...options };
    await engine.configure(peer, {
      requireEncryption: options.requireEncryption,
      autoPrivate: options.autoPrivate,
      allowV2: options.allowV2 ?? true,
      ephemeral: options.ephemeral ?? false,
      fragmentSize: transport.maxMessageSize,
    });
  }

  /**
   * Send a message; it shows at once as pending. `policy.requireEncryption` is the setting in force
   * when the person pressed Send (default: the current one); the message is never sent in plaintext
   * under it, whatever changes before it goes out.
   */
  async send(text: string, policy: { requireEncryption?: boolean } = {}): Promise<void> {
    if (typeof text !== 'string' || text.length === 0) throw new E2eeError('invalid-input', 'Cannot send an empty message.');
    const requireEncryption = policy.requireEncryption ?? this.options.requireEncryption;
    const record: ChatRecord = { id: crypto.randomUUID(), direction: 'out', text, at: Date.now(), encrypted: null, status: 'pending', seq: this.sequence.take(), requireEncryption };
    this.records = [...this.records, record];
    this.onChange();
    await this.dispatch(record);
  }

  /** Send a failed message again (re-encrypted with the current keys). */
  async retry(id: string): Promise<void> {
    const record = this.records.find((r) => r.id === id && r.status === 'failed');
    if (!record) return;
    this.update(record.id, { status: 'pending' });
    await this.dispatch(record);
  }

  async startPrivate(): Promise<void> {
    await this.report(this.ready.then(() => {
      const { engine, peer } = this.bound();
      this.timeline.asked();
      return engine.startPrivate(peer);
    }));
  }

  async endPrivate(): Promise<void> {
    await this.report(this.ready.then(() => { const { engine, peer } = this.bound(); return engine.endPrivate(peer); }));
  }

  /** Remove a notice from the timeline. */
  dismiss(id: string): void {
    this.timeline.dismiss(id);
  }

  private engine?: EngineApi;
  private transport?: Transport;
  private peer?: string;

  private bound(): { engine: EngineApi; transport: Transport; peer: string } {
    if (!this.engine || !this.transport || !this.peer) {
      throw new E2eeError('invalid-input', 'The chat is not connected: set its peer, transport and engine first.');
    }
    return { engine: this.engine, transport: this.transport, peer: this.peer };
  }

  private async dispatch(record: ChatRecord): Promise<void> {
    try {
      await this.ready;
      const { engine, peer } = this.bound();
      // The stricter of the policy at Send and the one now (a Retry after the setting was turned on).
      const requireEncryption = record.requireEncryption || this.options.requireEncryption;
      await engine.send(peer, record.text, record.id, { requireEncryption });
    } catch (error) {
      this.update(record.id, { status: 'failed' });
      this.notify(error);
    }
  }

  private onEngineEvent(event: EngineEvent): void {
    if (event.type === 'keygen') return this.onKeygen(event);
    if (event.type === 'engine') return void this.onEngine(event.phase, event.reason);
    if (event.type === 'error' && event.peer === undefined) return this.notify(new E2eeError(event.code, event.message), event.warning);
    if (!('peer' in event) || event.peer !== this.peer) return;
    this.trust.handle(event);
    switch (event.type) {
      case 'wire':
        return void this.transmit(event.text, event.messageId, event.encrypted);
      case 'held':
        this.timeline.asked(); // a held message asks for the private conversation
        if (event.messageId) this.update(event.messageId, { status: 'held' });
        return;
      case 'message':
        return this.addIncoming(event.text, event.encrypted, event.at, event.resent === true);
      case 'delivery':
        return this.onDelivery(event.messageId, event.outcome);
      case 'file':
        return void this.files.receive(event);
      case 'status':
        return this.applyStatus(event.state, event.theirFingerprint, event.protocolVersion);
      case 'error':
        return this.notify(new E2eeError(event.code, event.message, event.peer), event.warning);
      default:
        return;
    }
  }

  private async transmit(text: string, messageId: string | undefined, encrypted: boolean): Promise<void> {
    const { transport, peer } = this.bound();
    try {
      await transport.send(peer, text);
      if (messageId && this.find(messageId)?.status !== 'failed') this.update(messageId, { status: 'sent', encrypted });
      const record = messageId ? this.find(messageId) : undefined;
      if (record?.status === 'sent' && !this.signalled.has(record.id)) {
        this.signalled.add(record.id); // once per message, however many fragments it took
        this.signal({ kind: 'message', record });
      }
    } catch (error) {
      if (messageId) this.update(messageId, { status: 'failed' });
      this.notify(error);
    }
  }

  private addIncoming(text: string, encrypted: boolean, at: number, resent: boolean): void {
    const record: ChatRecord = { id: crypto.randomUUID(), direction: 'in', text, at, encrypted, status: 'received', seq: this.sequence.take(), requireEncryption: false, ...(resent ? { mark: 'resent' as const } : {}) };
    this.records = [...this.records, record];
    this.onChange();
    this.signal({ kind: 'message', record });
  }

  /** What became of one of our messages, as the engine learned from the peer. */
  private onDelivery(id: string, outcome: 'acknowledged' | 'resent' | 'failed'): void {
    const record = this.find(id);
    if (!record || record.direction !== 'out') return;
    if (outcome === 'failed') this.update(id, { status: 'failed' });
    else if (outcome === 'resent') this.update(id, { mark: 'resent' });
    else if (!record.mark) this.update(id, { mark: 'delivered' });
  }

  /**
   * The engine's worker stopped: say so while it restarts, then show the state the new worker
   * reports (a private conversation may have ended with the old one). Messages pending at the
   * crash are sent again by the engine client (shown sent, or held); if it gave up, they fail
   * (Retry) and the status stops claiming privacy.
   */
  private async onEngine(phase: EnginePhase, reason: string): Promise<void> {
    this.signal({ kind: 'engine', phase, reason });
    if (phase === 'restarting') {
      this.engineState = 'restarting';
      this.timeline.engineRestarting();
      return;
    }
    if (phase === 'gave-up') {
      this.engineState = 'stopped';
      this.records = this.records.map((r) => (r.status === 'pending' || r.status === 'held' ? { ...r, status: 'failed' } : r));
      this.timeline.engineGaveUp(reason);
      this.applyStatus('plaintext');
      this.signal({ kind: 'error', code: 'worker', message: reason });
      return;
    }
    const { engine, peer } = this.bound();
    const live = this.generation;
    try {
      const info = await engine.conversation(peer);
      if (live !== this.generation) return;
      this.engineState = 'running';
      this.timeline.engineRestarted(info.state, info.protocolVersion);
      this.applyStatus(info.state, info.theirFingerprint, info.protocolVersion);
      await this.trust.refresh();
      if (this.options.autoPrivate && info.state === 'plaintext') {
        this.timeline.asked();
        await engine.startPrivate(peer);
      }
    } catch (error) {
      this.notify(error);
    }
  }

  private applyStatus(state: PrivacyState, theirFingerprint?: string, protocolVersion?: 2 | 3): void {
    const fingerprint = theirFingerprint ?? (state === 'plaintext' ? undefined : this.theirFingerprint);
    const isPrivate = state === 'encrypted' || state === 'verified';
    const changed = state !== this.state || fingerprint !== this.theirFingerprint || protocolVersion !== this.protocolVersion;
    this.state = state;
    this.theirFingerprint = fingerprint;
    this.protocolVersion = protocolVersion;
    if (changed) this.timeline.status(state, protocolVersion);
    this.onChange();
    // The event names the key in use: none once the conversation is no longer private.
    if (changed) this.signal(withDefined({ kind: 'status', state }, isPrivate ? { theirFingerprint, protocolVersion } : {}));
  }



  private onKeygen(event: Extract<EngineEvent, { type: 'keygen' }>): void {
    if (event.phase === 'started') {
      this.keygenStartedAt = performance.now();
      this.signal({ kind: 'keygen', phase: 'started' });
    } else {
      this.keygenStartedAt = undefined;
      this.ownFingerprint = event.fingerprint;
      this.signal({ kind: 'keygen', phase: 'done', ms: event.ms });
    }
    this.onChange();
  }

  private async report(call: Promise<unknown>): Promise<void> {
    try {
      await call;
    } catch (error) {
      this.notify(error);
    }
  }

  /** Show an error inline and signal it (for failures of user actions). */
  showError(error: unknown): void {
    this.notify(error);
  }

  private notify(error: unknown, warning = false): void {
    const e = error instanceof E2eeError ? error : new E2eeError('internal', error instanceof Error ? error.message : String(error));
    this.timeline.error(e.code, e.message, warning);
    if (!warning) this.signal({ kind: 'error', code: e.code, message: e.message });
  }

  private find(id: string): ChatRecord | undefined {
    return this.records.find((r) => r.id === id);
  }

  private update(id: string, patch: Partial<ChatRecord>): void {
    this.records = this.records.map((r) => (r.id === id ? { ...r, ...patch } : r));
    this.onChange();
  }
}
